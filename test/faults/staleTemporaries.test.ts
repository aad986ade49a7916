/**
 * Fault injection: a writer killed mid-write (SIGKILL, a second Ctrl-C, out of memory) left its
 * hidden temporary beside the target (issue #13: 62 MB and 100 MB `.folds.csv.*.tmp` after
 * `split --out`). The next write of the same target removes temporaries of ours whose process is
 * gone — and nothing else: a live writer's temporary and other files stay.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeStaleTemporaries } from '../../src/node/atomicWrite.js';
import { losslab } from '../cli/harness.js';

/** A pid that ran and is gone (a child that exited). */
function deadPid(): number {
  const pid = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
  expect(pid).toBeGreaterThan(0);
  return pid;
}

describe('stale temporaries of killed writers are removed on the next write', () => {
  it("split --out folds.csv removes a dead writer's .folds.csv.<pid>.<time>.tmp, keeps a live one and other files", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'losslab-stale-'));
    writeFileSync(join(dir, 'data.csv'), `user,label\n${Array.from({ length: 12 }, (_, i) => `u${i % 4},${i % 2}`).join('\n')}\n`);
    const dead = `.folds.csv.${deadPid()}.${Date.now() * 1000}.tmp`;
    const live = `.folds.csv.${process.ppid}.${Date.now() * 1000}.tmp`;
    const other = '.folds.csv.notes.tmp';
    for (const name of [dead, live, other]) writeFileSync(join(dir, name), 'x'.repeat(1000));
    const r = await losslab(['split', 'data.csv', '--strategy', 'group', '--group', 'user', '--folds', '2', '--out', 'folds.csv'], { cwd: dir });
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(dir, dead)), "the dead writer's temporary").toBe(false);
    expect(existsSync(join(dir, live)), "a live writer's temporary").toBe(true);
    expect(existsSync(join(dir, other)), 'a file not of our pattern').toBe(true);
    expect(
      readdirSync(dir)
        .filter((f) => f.endsWith('.tmp'))
        .sort(),
    ).toEqual([live, other].sort());
  });

  it('removeStaleTemporaries names what it removed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'losslab-stale-'));
    const dead = `.model.bin.${deadPid()}.${Date.now() * 1000}.tmp`;
    writeFileSync(join(dir, dead), '');
    expect(removeStaleTemporaries(join(dir, 'model.bin'))).toEqual([dead]);
  });
});
