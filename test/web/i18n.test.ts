import { describe, expect, it } from 'vitest';
import { en } from '../../src/web/i18n/en.js';
import { zh } from '../../src/web/i18n/zh.js';

/** The web lab's two catalogues: same keys (also a type error), same placeholders, real Chinese. */
const placeholders = (template: string): string[] => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('web lab catalogues', () => {
  it('have the same keys', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  });

  it.each(Object.keys(en) as (keyof typeof en)[])('%s has the same placeholders in both languages', (key) => {
    expect(placeholders(zh[key])).toEqual(placeholders(en[key]));
    expect(zh[key].trim()).not.toBe('');
  });

  it('translates the prose: most Chinese entries contain CJK characters and differ from English', () => {
    const keys = Object.keys(en) as (keyof typeof en)[];
    const translated = keys.filter((k) => /[\u4e00-\u9fff]/.test(zh[k]) && zh[k] !== en[k]);
    expect(translated.length / keys.length).toBeGreaterThan(0.9);
  });
});
