import { describe, expect, it } from 'vitest';
import { analyzeShift } from '../../src/shift/analyze.js';
import { makeDemo, type DemoKind } from '../../src/shift/demo.js';

const CJK = /[\u4e00-\u9fff]/;

function advice(kind: DemoKind, lang: 'en' | 'zh') {
  const d = makeDemo(kind, { seed: 5 });
  return analyzeShift(d.train, d.valid, { label: d.label, group: d.group, time: d.time, pred: d.pred, seed: 5, embedding: false, mmdPermutations: 99, lang })
    .advice;
}

describe('advice comes from the message catalogues, in the requested language', () => {
  for (const kind of ['covariate', 'label', 'group-leak', 'time', 'none'] as const) {
    it(`${kind}: the same rules fire in English and Chinese, with the same numbers`, () => {
      const en = advice(kind, 'en');
      const zh = advice(kind, 'zh');
      expect(zh.map((a) => a.topic)).toEqual(en.map((a) => a.topic));
      expect(en.length).toBeGreaterThan(0);
      for (const [i, a] of zh.entries()) {
        expect(a.text).toMatch(CJK);
        expect(en[i].text).not.toMatch(CJK);
        // Every number quoted in the English evidence is quoted in the Chinese evidence too.
        const numbers = (s: string): string[] => (s.match(/\d+(\.\d+)?/g) ?? []).sort();
        expect(numbers(a.evidence)).toEqual(numbers(en[i].evidence));
      }
    });
  }

  it('English is the default (the JSON report is documented in English)', () => {
    const d = makeDemo('group-leak', { seed: 5 });
    const r = analyzeShift(d.train, d.valid, { label: d.label, group: d.group, seed: 5, embedding: false, mmdPermutations: 99 });
    expect(r.advice.find((a) => a.topic === 'split')?.text).toMatch(/^Split by group: use GroupKFold/);
  });
});
