import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fail } from '../errors.js';

/**
 * Atomic file writes: the bytes go to a temporary file in the same folder, are flushed to disk, and
 * then renamed over the target, so a reader, a crash or a power cut never sees half a file (the
 * checkpoint writer also flushes the folder, so the new name itself survives a power cut). The temporary is `.<name>.<pid>.<time>.tmp`; a process killed while
 * writing (SIGKILL, a second Ctrl-C, out of memory) leaves it behind, so every write first removes
 * the temporaries of the same target whose process is gone — only ours, matched by that pattern.
 */

let sequence = 0;

/** A fresh temporary path beside `path` (unique within this process), after removing stale ones of dead processes. */
export function temporaryPathFor(path: string): string {
  removeStaleTemporaries(path);
  sequence = (sequence + 1) % 1000;
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now() * 1000 + sequence}.tmp`);
}

/** Removes `.<name>.<pid>.<time>.tmp` files beside `path` whose process no longer runs; returns their names. */
export function removeStaleTemporaries(path: string): string[] {
  const dir = dirname(path);
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(\d+)\.(\d+)\.tmp$/.exec(name.slice(prefix.length));
    if (!m || writerRuns(Number(m[1]), Number(m[2]) / 1000)) continue;
    try {
      rmSync(join(dir, name), { force: true });
      removed.push(name);
    } catch {
      // not ours to fight over: another process may have removed it first
    }
  }
  return removed;
}

/** Whether the process that started a temporary at `startedMs` may still be writing it. */
function writerRuns(pid: number, startedMs: number): boolean {
  // our own pid: ours if made since this process started, else a dead process's that had the same pid
  if (pid === process.pid) return startedMs >= performance.timeOrigin;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Flushes a written file to disk. */
export function fsyncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a file atomically (see above). Creates missing parent folders. A path that cannot be
 * written gets a clear `LosslabError` naming `argument`.
 */
export function writeFileAtomic(path: string, contents: string | Uint8Array, argument = '--out'): void {
  const dir = dirname(path);
  let tmp = '';
  try {
    mkdirSync(dir, { recursive: true });
    tmp = temporaryPathFor(path);
    writeFileSync(tmp, contents);
    fsyncFile(tmp);
    renameSync(tmp, path);
  } catch (error) {
    try {
      if (tmp) rmSync(tmp, { force: true });
    } catch {
      // The folder itself may be unusable (a file in the way); the error below says so.
    }
    const reason = error instanceof Error && 'code' in error ? String((error as NodeJS.ErrnoException).code) : String(error);
    fail({ fn: 'write', argument, value: JSON.stringify(path), rule: `the file must be writable (${reason})` });
  }
}

/**
 * `writeFileAtomic` without blocking the event loop while the bytes reach the disk (the flushes run
 * on libuv's thread pool): for checkpoints written while training goes on.
 */
export async function writeFileAtomicAsync(path: string, contents: Uint8Array, argument = '--out'): Promise<void> {
  const dir = dirname(path);
  let tmp = '';
  try {
    await mkdir(dir, { recursive: true });
    tmp = temporaryPathFor(path);
    const file = await open(tmp, 'w');
    try {
      await file.writeFile(contents);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, path);
    try {
      const folder = await open(dir, 'r');
      try {
        await folder.sync();
      } finally {
        await folder.close();
      }
    } catch {
      // not every platform can flush a folder (Windows): the rename is atomic all the same
    }
  } catch (error) {
    if (tmp) await rm(tmp, { force: true }).catch(() => undefined);
    const reason = error instanceof Error && 'code' in error ? String((error as NodeJS.ErrnoException).code) : String(error);
    fail({ fn: 'write', argument, value: JSON.stringify(path), rule: `the file must be writable (${reason})` });
  }
}
