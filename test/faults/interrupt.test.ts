/**
 * Fault injection: one Ctrl-C to the real `losslab` process (issue #13). `split` and `shift` used to
 * ignore it, finish and exit 0. Now they stop at the next step (a chunk of the CSV, a stage of the
 * analysis), write nothing, leave no temporary file and exit 130, as `train` does. The signal is
 * sent once the process has opened its input (read from /proc), so the CLI's handler is installed.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../cli/harness.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'losslab.js');

/** A CSV of `rows` rows: id, a label, a user (group) and two numeric features. */
function bigCsv(path: string, rows: number, offset = 0): void {
  const lines = ['id,label,user,x,y'];
  for (let i = 0; i < rows; i++) lines.push(`${i},${i % 3},u${i % 997},${((i * 7919) % 1000) / 10 + offset},${(i * 104729) % 313}`);
  writeFileSync(path, `${lines.join('\n')}\n`);
}

/** Whether process `pid` holds `file` open, or a file whose name passes `test`. */
function holdsOpen(pid: number, test: (target: string) => boolean): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return test(readlinkSync(`/proc/${pid}/fd/${fd}`));
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

interface Interrupted {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  readonly sent: boolean;
}

/** Runs `losslab argv` in `cwd` and sends one SIGINT as soon as `ready(pid)` holds (polled every 5 ms). */
function runAndInterrupt(argv: readonly string[], cwd: string, ready: (pid: number) => boolean): Promise<Interrupted> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...argv], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout.resume();
    const timer = setInterval(() => {
      if (!sent && child.pid !== undefined && ready(child.pid)) {
        sent = true;
        child.kill('SIGINT');
        clearInterval(timer);
      }
    }, 5);
    child.on('close', (code, signal) => {
      clearInterval(timer);
      resolve({ code, signal, stderr, sent });
    });
  });
}

const leftovers = (dir: string, inputs: readonly string[]): string[] => readdirSync(dir).filter((f) => !inputs.includes(f));

describe('one Ctrl-C stops losslab split', () => {
  it('while reading the CSV: exit 130, nothing written', async () => {
    const dir = tempDir('sigint-split');
    bigCsv(join(dir, 'data.csv'), 600_000);
    const r = await runAndInterrupt(['split', 'data.csv', '--strategy', 'group', '--group', 'user', '--out', 'folds.csv'], dir, (pid) =>
      holdsOpen(pid, (t) => t.endsWith('/data.csv')),
    );
    expect(r.sent).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toBe('losslab split: interrupted (Ctrl-C); no partial output was written.\n');
    expect(leftovers(dir, ['data.csv'])).toEqual([]);
  }, 120_000);

  it('while writing --out: exit 130, no folds.csv and no temporary file', async () => {
    const dir = tempDir('sigint-split-out');
    bigCsv(join(dir, 'data.csv'), 600_000);
    const r = await runAndInterrupt(['split', 'data.csv', '--strategy', 'kfold', '--out', 'folds.csv'], dir, (pid) =>
      holdsOpen(pid, (t) => /\/\.folds\.csv\.\d+\.\d+\.tmp$/.test(t)),
    );
    expect(r.sent).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(existsSync(join(dir, 'folds.csv'))).toBe(false);
    expect(leftovers(dir, ['data.csv'])).toEqual([]);
  }, 120_000);
});

describe('one Ctrl-C stops losslab shift', () => {
  it('while reading the training file: exit 130, no report, no JSON', async () => {
    const dir = tempDir('sigint-shift');
    bigCsv(join(dir, 'train.csv'), 600_000);
    bigCsv(join(dir, 'valid.csv'), 600_000, 5);
    const r = await runAndInterrupt(
      ['shift', 'train.csv', 'valid.csv', '--label', 'label', '--group', 'user', '--json', 'out.json', '--report', 'report.html'],
      dir,
      (pid) => holdsOpen(pid, (t) => t.endsWith('/train.csv')),
    );
    expect(r.sent).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/losslab shift: interrupted \(Ctrl-C\); no partial output was written\.\n$/);
    expect(leftovers(dir, ['train.csv', 'valid.csv'])).toEqual([]);
  }, 120_000);
});
