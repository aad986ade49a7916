/**
 * Empty inputs (issue #13): a mean over zero elements is NaN, as in PyTorch — but never silently.
 * The command line says why (test/faults/largeInputs.test.ts); the library sends an `empty-mean`
 * warning through its warning channel (`onWarning`, src/warnings.ts), which PyTorch does not.
 */

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { crossEntropy } from '../../src/functional/crossEntropy.js';
import { klDiv } from '../../src/functional/klDiv.js';
import { mseLoss } from '../../src/functional/mseLoss.js';
import { nllLoss } from '../../src/functional/nllLoss.js';
import { tensor, zeros } from '../../src/tensor/tensor.js';
import { emitWarning, type LosslabWarning, onWarning } from '../../src/warnings.js';
import { losslab, tempDir } from '../cli/harness.js';
import { unmuteWarnings } from '../setup-warnings.js';

function collect(run: () => unknown): { result: unknown; warnings: LosslabWarning[] } {
  const warnings: LosslabWarning[] = [];
  const stop = onWarning((w) => warnings.push(w));
  try {
    return { result: run(), warnings };
  } finally {
    stop();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('a mean over zero elements: NaN plus one warning', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`klDiv on empty inputs (${dtype}): mean and batchmean are NaN and warn; sum is 0 and does not`, () => {
      const empty = zeros([0], dtype);
      for (const reduction of ['mean', 'batchmean'] as const) {
        const { result, warnings } = collect(() => klDiv(empty, empty, { reduction }));
        expect(Number.isNaN((result as { item(): number }).item()), reduction).toBe(true);
        expect(warnings.map((w) => [w.code, w.fn])).toEqual([['empty-mean', 'klDiv']]);
        expect(warnings[0].message).toMatch(/^klDiv: the mean over zero elements is NaN \(0\/0, as in PyTorch\)/);
      }
      const sum = collect(() => klDiv(empty, empty, { reduction: 'sum' }));
      expect((sum.result as { item(): number }).item()).toBe(0);
      expect(sum.warnings).toEqual([]);
    });
  }

  it('klDiv batchmean over a batch of 0 rows of 3 classes warns too', () => {
    const { result, warnings } = collect(() => klDiv(zeros([0, 3]), zeros([0, 3]), { reduction: 'batchmean' }));
    expect(Number.isNaN((result as { item(): number }).item())).toBe(true);
    expect(warnings).toHaveLength(1);
  });

  it('other losses: cross-entropy (fused and general paths), nll with every target ignored, mse', () => {
    const cases: [string, () => unknown][] = [
      ['crossEntropy', () => crossEntropy(zeros([0, 3]), tensor([], { dtype: 'int32' }))],
      ['nllLoss', () => nllLoss(tensor([[-1, -2]]), tensor([1], { dtype: 'int32' }), { ignoreIndex: 1 })],
      ['mseLoss', () => mseLoss(zeros([0]), zeros([0]))],
    ];
    for (const [fn, run] of cases) {
      const { warnings } = collect(run);
      expect(
        warnings.map((w) => w.fn),
        fn,
      ).toEqual([fn]);
    }
  });

  it('a non-empty mean does not warn', () => {
    expect(collect(() => mseLoss(tensor([1, 2]), tensor([1, 3]))).warnings).toEqual([]);
  });

  it('with no subscriber a warning is printed once per function, not per call', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    unmuteWarnings(); // the tests' silent subscriber (test/setup-warnings.ts)
    try {
      for (let i = 0; i < 3; i++) emitWarning({ code: 'empty-mean', fn: 'onceOnly', message: 'onceOnly: test' });
    } finally {
      onWarning(() => undefined);
    }
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith('losslab warning: onceOnly: test');
  });

  it('losslab loss kl-div on empty inputs: the command line explains once (its own words), exit 0', async () => {
    const dir = tempDir('empty-kl');
    writeFileSync(join(dir, 'empty.json'), '[]');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const r = await losslab(['loss', 'kl-div', '--input', 'empty.json', '--target', 'empty.json'], { cwd: dir });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/value {2}NaN/);
    expect(r.stderr.match(/warning:/g)).toHaveLength(1);
    expect(r.stderr).toMatch(/warning: losslab loss kl-div: the value is NaN because the input \[0\] has no elements/);
    expect(warn).not.toHaveBeenCalled();
  });
});
