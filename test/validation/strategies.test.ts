import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSplitter, findStrategy, SPLIT_STRATEGIES, type SplitStrategy } from '../../src/validation/strategies.js';
import { losslab, tempDir } from '../cli/harness.js';

/** 12 rows: label a/b, 4 users of 3 rows, a sorted day, and a predefined test fold. */
const dir = tempDir('strategies');
const rows = Array.from({ length: 12 }, (_, i) => `${i % 3 === 0 ? 'b' : 'a'},u${Math.floor(i / 3)},${i},${i % 4 === 3 ? -1 : i % 3}`);
writeFileSync(join(dir, 'data.csv'), `label,user,day,fold\n${rows.join('\n')}\n`);
const labels = rows.map((r) => r.split(',')[0]);
const users = rows.map((r) => r.split(',')[1]);
const days = Float64Array.from(rows, (_, i) => i);
const folds = Float64Array.from(rows, (r) => Number(r.split(',')[3]));

/** The command-line arguments that give a strategy its columns. */
function columnsFor(s: SplitStrategy): string[] {
  const args: Record<string, string[]> = {
    label: ['--label', 'label'],
    group: ['--group', 'user'],
    time: ['--time', 'day'],
    testFold: ['--test-fold', 'fold'],
  };
  return s.needs.flatMap((need) => args[need]);
}

describe('the split-strategy registry (src/validation/strategies.ts)', () => {
  it('has one entry per id and per class, found by either name', () => {
    expect(new Set(SPLIT_STRATEGIES.map((s) => s.id)).size).toBe(SPLIT_STRATEGIES.length);
    expect(new Set(SPLIT_STRATEGIES.map((s) => s.className)).size).toBe(SPLIT_STRATEGIES.length);
    for (const s of SPLIT_STRATEGIES) {
      expect(findStrategy(s.id)).toBe(s);
      expect(findStrategy(s.className)).toBe(s);
    }
    expect(findStrategy('Bogus')).toBeUndefined();
  });

  it('fills the defaults a class does not have (LeavePGroupsOut: 2 groups, LeavePOut: p = 2) and lets a given value win', () => {
    const lpgo = findStrategy('leave-p-groups-out');
    if (!lpgo) throw new Error('missing');
    expect(createSplitter(lpgo).getNSplits({ n: 12 }, null, users)).toBe(6); // C(4, 2)
    expect(createSplitter(lpgo, { nGroups: 3 }).getNSplits({ n: 12 }, null, users)).toBe(4);
  });

  for (const strategy of SPLIT_STRATEGIES) {
    it(`losslab split --strategy ${strategy.id} builds ${strategy.className} through the registry: the same folds`, async () => {
      const seed = strategy.accepts.includes('randomState') ? ['--seed', '3', ...(strategy.accepts.includes('shuffle') ? ['--shuffle'] : [])] : [];
      const folds2 = strategy.accepts.includes('nSplits') ? ['--folds', '3'] : [];
      const r = await losslab(['split', 'data.csv', '--strategy', strategy.id, ...columnsFor(strategy), ...folds2, ...seed, '--out', `${strategy.id}.json`], {
        cwd: dir,
      });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout.startsWith(`${strategy.className}: `)).toBe(true);
      const expected = createSplitter(strategy, {
        nSplits: folds2.length > 0 ? 3 : undefined,
        shuffle: seed.includes('--shuffle') ? true : undefined,
        randomState: seed.length > 0 ? 3 : undefined,
        t0: days,
        testFold: folds,
        onWarning: () => {},
      });
      const want = [...expected.split({ n: 12 }, labels, users)].map((f) => ({ train: Array.from(f.train), test: Array.from(f.test) }));
      expect(JSON.parse(readFileSync(join(dir, `${strategy.id}.json`), 'utf8'))).toEqual(want);
    });
  }

  it('a missing column and an option the strategy does not take are errors naming the option', async () => {
    const missing = await losslab(['split', 'data.csv', '--strategy', 'predefined'], { cwd: dir });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/argument '--test-fold', but --strategy predefined needs it \(the test fold column\)/);
    const extra = await losslab(['split', 'data.csv', '--strategy', 'leave-one-out', '--p', '2'], { cwd: dir });
    expect(extra.status).toBe(2);
    expect(extra.stderr).toMatch(
      /argument '--p', but it has no effect with --strategy leave-one-out\. --strategy leave-one-out takes none of the fold options\./,
    );
  });
});
