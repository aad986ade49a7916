import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CompletedRun } from '../../src/adapt/experiment.js';
import { completedRuns, encodeRunLine, openRunsFile, readRunsFile, settingsDifference } from '../../src/node/experimentRuns.js';
import { tempDir } from '../cli/harness.js';

const names = ['0', '15', '30'];
const accuracy = fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(Number.NaN));
const run = fc.record({
  heldOut: fc.constantFrom([0], [2], [1, 2]),
  seed: fc.nat(5),
  seconds: fc.double({ min: 0, max: 1e4, noNaN: true }),
  checkpoints: fc.array(
    fc.record({
      step: fc.nat(5000),
      testDomains: fc.constant([0]),
      inAcc: fc.array(accuracy, { minLength: 3, maxLength: 3 }),
      outAcc: fc.array(accuracy, { minLength: 3, maxLength: 3 }),
      // a mean loss is ≥ 0 (JSON writes −0 as 0, a value no accuracy or loss takes)
      trainLoss: fc.oneof(
        fc.double({ min: 0, max: 1e6, noNaN: true }).map((v) => (v === 0 ? 0 : v)),
        fc.constant(Number.NaN),
      ),
    }),
    { minLength: 1, maxLength: 4 },
  ),
}) as fc.Arbitrary<CompletedRun>;

describe('the runs file of losslab adapt', () => {
  const dir = tempDir('runs');

  it('gives back every run exactly (doubles bit for bit, NaN as NaN) in the order written', () => {
    fc.assert(
      fc.property(fc.array(run, { minLength: 1, maxLength: 5 }), (runs) => {
        const path = join(dir, `p${Math.random().toString(36).slice(2)}.jsonl`);
        const file = openRunsFile(path, false);
        for (const r of runs) file.append(encodeRunLine('erm', { steps: 300 }, r, names));
        const back = completedRuns(readRunsFile(path).lines, 'erm', { steps: 300 }, names);
        expect(back).toEqual(runs);
        for (let i = 0; i < runs.length; i++)
          for (let c = 0; c < runs[i].checkpoints.length; c++) expect(Object.is(back[i].checkpoints[c].trainLoss, runs[i].checkpoints[c].trainLoss)).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it('drops a line cut short by a kill, refuses a damaged line and other settings, and names the first difference', () => {
    const path = join(dir, 'cut.jsonl');
    const r: CompletedRun = {
      heldOut: [1],
      seed: 0,
      seconds: 1,
      checkpoints: [{ step: 0, testDomains: [1], inAcc: [0.5, 0.5, 0.5], outAcc: [0.5, 0.5, 0.5], trainLoss: 1 }],
    };
    const line = encodeRunLine('irm', { steps: 300, hparams: 'irmLambda=100' }, r, names);
    writeFileSync(path, `${line}${line.slice(0, 20)}`);
    expect(readRunsFile(path).cut).toBe(true);
    const file = openRunsFile(path, true);
    expect(file.lines).toHaveLength(1);
    expect(readFileSync(path, 'utf8')).toBe(line);
    expect(() => completedRuns(file.lines, 'irm', { steps: 500, hparams: 'irmLambda=100' }, names)).toThrow(/steps: 300 in the file, 500 now/);
    expect(completedRuns(file.lines, 'vrex', { steps: 500 }, names)).toEqual([]);
    expect(settingsDifference({ a: 1, b: [1, 2] }, { a: 1, b: [1, 3] })).toBe('b: [1,2] in the file, [1,3] now');
    expect(settingsDifference({ a: 1 }, { a: 1 })).toBeNull();
    writeFileSync(path, `${line}{"format":"other"}\n${line}`);
    expect(() => readRunsFile(path)).toThrow(/line 2 is not a run of losslab-adapt-runs\/1/);
    expect(() => openRunsFile(path, false)).toThrow(/already holds runs of an experiment/);
  });
});
