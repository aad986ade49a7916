import { describe, expect, it } from 'vitest';
import { losslab } from './harness.js';

describe('losslab tour', () => {
  it('prints softmax, cross-entropy and the gradient softmax(z) − y, consistently', async () => {
    const c = await losslab(['tour']);
    expect(c.status).toBe(0);
    const text = c.stdout;
    const nums = (label: string): number[] => {
      const line = text.split('\n').find((l) => l.trimStart().startsWith(label));
      expect(line, label).toBeDefined();
      return (line ?? '')
        .slice((line ?? '').indexOf(label) + label.length)
        .trim()
        .split(/\s+/)
        .slice(0, 3)
        .map(Number);
    };
    const z = nums('logits z');
    const p = nums('softmax(z)');
    const g = nums('gradient');
    const expected = z.map((v) => Math.exp(v)).map((e, _, all) => e / all.reduce((a, b) => a + b, 0));
    p.forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i], 4);
    });
    g.forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i] - (i === 0 ? 1 : 0), 4);
    });
    expect(text).toContain(`exp(1000) = Infinity`);
    expect(text).toMatch(/stable softmax\s+0\.6652\s+0\.2447\s+0\.0900/);
  });

  it('--lang zh: the same numbers with every word from the Chinese catalogue', async () => {
    const en = await losslab(['tour']);
    const zh = await losslab(['tour', '--lang', 'zh']);
    expect(zh.status).toBe(0);
    expect(zh.stdout).toMatch(/^losslab 导览/);
    expect(zh.stdout).toContain('交叉熵          0.4170 = −log p₀，真实类别为 0');
    const numbers = (text: string) => text.match(/-?\d+\.\d{4}\b/g);
    expect(numbers(zh.stdout)).toEqual(numbers(en.stdout));
    expect((await losslab(['tour', '--lang', 'fr'])).stderr).toMatch(/argument '--lang' is "fr", but it must be one of en, zh/);
  });

  it('unknown commands and options exit 2 with a message, no stack trace', async () => {
    const c = await losslab(['tuor']);
    expect(c.status).toBe(2);
    expect(c.stderr).toMatch(/unknown command "tuor"/);
    const d = await losslab(['tour', '--fast']);
    expect(d.status).toBe(2);
    expect(d.stderr).toMatch(/'--fast'.*not an option of 'tour'/);
    expect(d.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});
