import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Golden data is named one way (docs/contributing.md): `scripts/golden_<name>.py` writes
 * `test/golden/<name>.json` (or the folder `test/golden/<name>/` for binary files), so the script
 * of every golden file, and the file of every script, is found by its name.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function names(): { scripts: string[]; data: string[] } {
  const scripts = readdirSync(`${ROOT}scripts`)
    .filter((f) => /^golden_.+\.py$/.test(f))
    .map((f) => f.slice('golden_'.length, -'.py'.length));
  const data = readdirSync(`${ROOT}test/golden`, { withFileTypes: true })
    .filter((e) => e.isDirectory() || e.name.endsWith('.json'))
    .map((e) => (e.isDirectory() ? e.name : e.name.slice(0, -'.json'.length)));
  return { scripts: scripts.sort(), data: data.sort() };
}

describe('golden files are named after their scripts', () => {
  it('scripts/golden_<name>.py ↔ test/golden/<name>.json, both ways', () => {
    const { scripts, data } = names();
    expect(
      data.filter((n) => !scripts.includes(n)),
      'golden data without scripts/golden_<name>.py',
    ).toEqual([]);
    expect(
      scripts.filter((n) => !data.includes(n)),
      'scripts whose test/golden/<name>.json is missing',
    ).toEqual([]);
    expect(scripts.length).toBeGreaterThan(20);
  });
});
