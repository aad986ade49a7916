import { describe, expect, it } from 'vitest';
import { en, zh, t, placeholders, catalogue, checkLang, formatNumber, formatList, isMessageKey, type MessageKey } from '../../src/i18n/index.js';
import { t as pageT, setLanguage } from '../../src/web/i18n/index.js';
import { LosslabError } from '../../src/errors.js';

const keys = Object.keys(en) as MessageKey[];
const CJK = /[\u4e00-\u9fff]/;

describe('message catalogues', () => {
  it('en and zh have exactly the same keys', () => {
    expect(Object.keys(zh).sort()).toEqual([...keys].sort());
  });

  it('every zh template uses the same placeholders as its en template', () => {
    for (const key of keys) {
      expect(placeholders(zh[key]).sort(), key).toEqual(placeholders(en[key]).sort());
    }
  });

  it('zh texts are Chinese (every prose message contains CJK characters)', () => {
    const prose = keys.filter((k) => /[a-z]{4,} [a-z]{3,}/.test(en[k].replace(/`[^`]*`/g, '')));
    expect(prose.length).toBeGreaterThan(40);
    for (const key of prose) expect(zh[key], key).toMatch(CJK);
  });

  it('no message is empty and en has no CJK (but the language switch, which names 中文 in its own script)', () => {
    const names = new Set<MessageKey>(['shell.otherLanguage', 'shell.switchLanguageLabel']);
    for (const key of keys) {
      expect(en[key].trim().length, key).toBeGreaterThan(0);
      expect(zh[key].trim().length, key).toBeGreaterThan(0);
      if (!names.has(key)) expect(en[key], key).not.toMatch(CJK);
    }
  });

  it('translates the prose: most Chinese entries contain CJK characters and differ from English', () => {
    const translated = keys.filter((k) => CJK.test(zh[k]) && zh[k] !== en[k]);
    expect(translated.length / keys.length).toBeGreaterThan(0.9);
  });
});

describe('t(lang, key, params)', () => {
  it('fills placeholders, numbers with formatNumber', () => {
    expect(t('en', 'figure.axis.prediction', { target: 0 })).toBe('prediction y′ (target y = 0)');
    expect(t('zh', 'figure.axis.prediction', { target: 1.5 })).toBe('预测值 y′（目标 y = 1.5）');
    expect(t('en', 'loss.huber.name', { delta: 1 / 3 })).toBe('Huber loss (δ = 0.3333)');
  });

  it('integers exactly (a row count is not rounded to 4 digits)', () => {
    expect(t('en', 'validation.summary', { rows: 123457, columns: 3, names: 'a, b, c' })).toContain('123457');
    expect(t('en', 'figure.axis.prediction', { target: 123457.5 })).toBe('prediction y′ (target y = 123500)');
  });

  it('a missing parameter is a LosslabError naming the key and the placeholder', () => {
    expect(() => t('en', 'figure.axis.prediction')).toThrow(LosslabError);
    expect(() => t('en', 'figure.axis.prediction', { y: 1 })).toThrow(/figure\.axis\.prediction.*\{target\}/);
  });

  it("the web lab's t is the same function bound to the page's language: a missing placeholder throws there too", () => {
    setLanguage('zh');
    expect(pageT('softmax.classOption', { i: 2 })).toBe(t('zh', 'softmax.classOption', { i: 2 }));
    expect(() => pageT('softmax.classOption')).toThrow(/softmax\.classOption.*\{i\}/);
    setLanguage('en');
    expect(pageT('train.status.error', { message: 'x' })).toBe(t('en', 'train.status.error', { message: 'x' }));
  });

  it('isMessageKey knows every key and nothing else', () => {
    expect(keys.every(isMessageKey)).toBe(true);
    expect(isMessageKey('loss.l3.name')).toBe(false);
    expect(isMessageKey('toString')).toBe(false);
  });

  it('an unknown language names the argument and the choices', () => {
    expect(() => catalogue('fr' as 'en')).toThrow(/argument 'lang' is "fr", but it must be one of en, zh/);
    expect(checkLang(undefined, 'x')).toBe('en');
  });
});

describe('formatNumber', () => {
  it('rounds to significant digits and spells non-finite values like our JSON', () => {
    expect(formatNumber(Math.sqrt(2))).toBe('1.414');
    expect(formatNumber(12.5)).toBe('12.5');
    expect(formatNumber(-0.000123456, 3)).toBe('-0.000123');
    expect(formatNumber(Infinity)).toBe('Infinity');
    expect(formatNumber(-Infinity)).toBe('-Infinity');
    expect(formatNumber(NaN)).toBe('NaN');
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(1e-9)).toBe('1e-9');
    expect(formatList([1, 2.5, NaN])).toBe('[1, 2.5, NaN]');
  });

  it('parses back to the value within the relative precision', () => {
    for (const x of [Math.PI, -1e-7 * Math.E, 123456.789, 709.782712893384]) {
      expect(Math.abs(Number(formatNumber(x, 6)) - x) / Math.abs(x)).toBeLessThan(5e-6);
    }
  });
});
