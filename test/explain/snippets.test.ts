import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as losslab from '../../src/index.js';
import { explainSoftmax } from '../../src/explain/index.js';
import { SNIPPETS, snippetCode, snippetOutputs, type CodeSnippet, type SnippetLanguage } from '../../src/explain/snippets.js';
import type { NestedArray } from '../../src/tensor/tensor.js';

/**
 * The same code in NumPy, PyTorch and losslab (src/explain/snippets.ts, shown by `losslab explain
 * softmax` and the softmax playground): the NumPy and PyTorch snippets were executed by
 * scripts/golden_snippets.py (test/golden/snippets.json records the code it ran and what it
 * printed); the losslab snippet is executed here, as shown. All three must print the numbers the
 * explanation quotes (`snippetOutputs`).
 */
interface GoldenRun {
  readonly code: string;
  readonly stdout: string;
}
const golden: { versions: Record<string, string>; snippets: { id: string; numpy: GoldenRun; pytorch: GoldenRun }[] } = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'golden', 'snippets.json'), 'utf8'),
);

/** Every number a Python print wrote, in order (nan and inf spelled as Python prints them). */
function printedNumbers(stdout: string): number[] {
  const tokens = stdout.match(/-?inf|nan|-?\d+(?:\.\d+)?(?:e[-+]?\d+)?/g) ?? [];
  return tokens.map((token) => (token === 'nan' ? NaN : token === 'inf' ? Infinity : token === '-inf' ? -Infinity : Number(token)));
}

function flatten(values: readonly (number | NestedArray)[]): number[] {
  return values.flatMap((v) => (typeof v === 'number' ? [v] : flatten(v)));
}

/** Runs a losslab snippet as shown: its import line names the library exports it uses; `console.log` is captured. */
function runLosslabSnippet(snippet: CodeSnippet): unknown[] {
  const [importLine, ...body] = snippet.losslab;
  const match = /^import \{ ([\w, ]+) \} from 'losslab';$/.exec(importLine);
  if (!match) throw new Error(`${snippet.id}: the losslab snippet must start with its import line, got ${importLine}`);
  const names = match[1].split(', ');
  const exports: Record<string, unknown> = losslab;
  for (const name of names) expect(exports[name], `${snippet.id}: 'losslab' exports ${name}`).toBeDefined();
  const printed: unknown[] = [];
  const run = new Function(...names, 'console', body.join('\n'));
  run(...names.map((name) => exports[name]), { log: (value: unknown) => printed.push(value) });
  return printed;
}

const close = (a: number, b: number): boolean => (Number.isNaN(b) ? Number.isNaN(a) : Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)));

describe('the same code in NumPy, PyTorch and losslab', () => {
  it('golden data for every snippet, made by NumPy and PyTorch', () => {
    expect(golden.snippets.map((s) => s.id)).toEqual(SNIPPETS.map((s) => s.id));
    expect(golden.versions.torch).toBeDefined();
    expect(golden.versions.numpy).toBeDefined();
  });

  for (const snippet of SNIPPETS) {
    const run = golden.snippets.find((s) => s.id === snippet.id);
    const expected = flatten(snippetOutputs(snippet.id));

    for (const language of ['numpy', 'pytorch'] as const satisfies readonly SnippetLanguage[]) {
      it(`${snippet.id}: ${language} ran exactly the code shown and printed losslab's numbers`, () => {
        if (!run) throw new Error(`no golden run of ${snippet.id}: rerun scripts/golden_snippets.py`);
        expect(run[language].code, 'the snippet changed since scripts/golden_snippets.py ran: rerun it').toBe(snippetCode(snippet, language));
        const printed = printedNumbers(run[language].stdout);
        expect(printed.length).toBe(expected.length);
        printed.forEach((value, i) => {
          expect(close(expected[i], value), `${language} printed ${value}, losslab computes ${expected[i]}`).toBe(true);
        });
      });
    }

    it(`${snippet.id}: the losslab snippet, run as shown, prints the same numbers`, () => {
      const printed = runLosslabSnippet(snippet);
      expect(printed).toEqual(snippetOutputs(snippet.id));
    });
  }

  it('the explanation shows every snippet in the three libraries, with what they print', () => {
    const section = explainSoftmax().sections.find((s) => s.id === 'same-code');
    const blocks = section?.blocks ?? [];
    const code = blocks.flatMap((b) => (b.kind === 'code' ? [b] : []));
    expect(code.length).toBe(SNIPPETS.length);
    code.forEach((block, i) => {
      expect(block.versions.map((v) => v.label)).toEqual(['NumPy', 'PyTorch', 'losslab']);
      expect(block.versions.map((v) => v.code)).toEqual([
        snippetCode(SNIPPETS[i], 'numpy'),
        snippetCode(SNIPPETS[i], 'pytorch'),
        snippetCode(SNIPPETS[i], 'losslab'),
      ]);
    });
    const text = blocks.flatMap((b) => (b.kind === 'markdown' ? [b.markdown] : [])).join('\n');
    expect(text).toContain(`All three print: ${losslab.formatList(flatten(snippetOutputs('softmax-vector')))}`);
  });
});
