import { mkdirSync, renameSync, writeFileSync, rmSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { fail } from '../errors.js';

/**
 * Writes a file atomically: the bytes go to a temporary file in the same folder, are flushed to
 * disk, and then renamed over the target, so a reader (or a crash) never sees half a file.
 * Creates missing parent folders. A path that cannot be written gets a clear `LosslabError`.
 */
export function writeFileAtomic(path: string, contents: string | Uint8Array, argument = '--out'): void {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(tmp, contents);
    const fd = openSync(tmp, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (error) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // The folder itself may be unusable (a file in the way); the error below says so.
    }
    const reason = error instanceof Error && 'code' in error ? String((error as NodeJS.ErrnoException).code) : String(error);
    fail({ fn: 'write', argument, value: JSON.stringify(path), rule: `the file must be writable (${reason})` });
  }
}
