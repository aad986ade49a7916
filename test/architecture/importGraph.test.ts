import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cycles, graph, type Import, importsOf, LAYERS, layerOf, reachesPastBackend, ROOT, SRC, sourceFiles, unitOf, violation } from './importGraph.js';

/**
 * docs/architecture.md's layering as a test (the layer table and the rules are in ./importGraph.ts).
 */

/**
 * Known cycles, each to be deleted by the change that breaks it. The test fails when an unlisted
 * cycle appears and also when a listed one disappears or changes, so this list stays exact.
 */
const KNOWN_FILE_CYCLES: readonly (readonly string[])[] = [];
const KNOWN_FOLDER_CYCLES: readonly (readonly string[])[] = [];
/**
 * The files outside src/kernels/ that use the WebAssembly implementation itself (exact, like the
 * cycles): the worker-thread backend, and t-SNE's Barnes–Hut walk, which calls its own kernels.
 */
const PAST_THE_BACKEND: readonly string[] = ['src/manifold/barnesHut.ts', 'src/manifold/neighbors.ts', 'src/node/parallel.ts'];

const files = sourceFiles(SRC);
const imports = files.flatMap(importsOf);

describe('the import graph of src/ follows docs/architecture.md', () => {
  it('reads the imports (the parser sees static, type-only, re-exported and dynamic imports)', () => {
    expect(files.length).toBeGreaterThan(100);
    const parsed = importsOf(join(SRC, 'cli', 'commands', 'loss.ts'));
    expect(parsed.some((i) => i.to === 'src/errors.ts')).toBe(true);
    expect(parsed.some((i) => i.to === 'src/tensor/dtype.ts')).toBe(true); // import type
    expect(parsed.some((i) => i.specifier.includes('functional') && i.to?.startsWith('src/functional/'))).toBe(true);
  });

  it('places every folder of src/ in exactly one layer', () => {
    const units = [...new Set(files.map((f) => unitOf(relative(ROOT, f))))].sort();
    const unplaced = units.filter((u) => layerOf(u) < 0);
    expect(unplaced, 'add these folders to LAYERS in test/architecture/importGraph.ts and to the diagram in docs/architecture.md').toEqual([]);
    const placed = LAYERS.flat();
    expect(new Set(placed).size).toBe(placed.length);
  });

  it('names the same folders as the diagram in docs/architecture.md', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8');
    const folders = LAYERS.flat().filter((u) => u !== 'index' && u !== 'errors' && u !== 'warnings');
    expect(folders.filter((f) => !doc.includes(`src/${f}/`))).toEqual([]);
  });

  it('has no upward import, no surface importing another, no Node outside src/node and src/cli', () => {
    const broken = imports.flatMap((imp) => {
      const rule = violation(imp);
      return rule === null ? [] : [`${imp.from} imports '${imp.specifier}': ${rule}`];
    });
    expect(broken).toEqual([]);
  });

  it('reaches the WebAssembly kernels through src/kernels/backend.ts (models, shift, manifold allocate there)', () => {
    expect([...new Set(imports.filter(reachesPastBackend).map((i) => i.from))].sort()).toEqual(PAST_THE_BACKEND);
  });

  it('has no import cycle between files but the known ones', () => {
    expect(cycles(graph(imports, (p) => p, false))).toEqual(KNOWN_FILE_CYCLES);
  });

  it('has no import cycle between folders but the known ones', () => {
    expect(cycles(graph(imports, (p) => unitOf(p), true))).toEqual(KNOWN_FOLDER_CYCLES);
  });
});

describe('the checks themselves can fail', () => {
  const imp = (from: string, specifier: string, to: string | null): Import => ({ from, specifier, to });

  it('flags an upward import, a surface importing a surface, and Node in platform-free code', () => {
    expect(violation(imp('src/tensor/shape.ts', '../figures/spec.js', 'src/figures/spec.ts'))).toMatch(/upward import: src\/figures\/ .* above src\/tensor\//);
    expect(violation(imp('src/web/main.ts', '../cli/args.js', 'src/cli/args.ts'))).toMatch(/platform-free src\/web\/ imports Node-only src\/cli\//);
    expect(violation(imp('src/cli/main.ts', '../web/page.js', 'src/web/page.ts'))).toMatch(/surfaces/);
    expect(violation(imp('src/shift/ks.ts', 'node:fs', null))).toMatch(/Node import/);
    expect(violation(imp('src/figures/spec.ts', 'fs', null))).toMatch(/Node import/);
    expect(violation(imp('src/figures/spec.ts', '@resvg/resvg-js', null))).toMatch(/Node import/);
    expect(violation(imp('src/node/png.ts', 'node:zlib', null))).toBeNull();
    expect(violation(imp('src/nn/linear.ts', '../tensor/tensor.js', 'src/tensor/tensor.ts'))).toBeNull();
    expect(violation(imp('src/nn/linear.ts', '../models/network.js', 'src/models/network.ts'))).toMatch(/upward/);
    expect(violation(imp('src/adapt/irm.ts', '../nn/linear.js', 'src/nn/linear.ts'))).toBeNull();
    expect(violation(imp('src/adapt/irm.ts', '../shift/ks.js', 'src/shift/ks.ts'))).toBeNull();
  });

  it('flags a model reaching into src/kernels/wasm/', () => {
    expect(reachesPastBackend(imp('src/models/network.ts', '../kernels/wasm/heap.js', 'src/kernels/wasm/heap.ts'))).toBe(true);
    expect(reachesPastBackend(imp('src/models/network.ts', '../kernels/backend.js', 'src/kernels/backend.ts'))).toBe(false);
    expect(reachesPastBackend(imp('src/kernels/backend.ts', './wasm/heap.js', 'src/kernels/wasm/heap.ts'))).toBe(false);
  });

  it('finds cycles of any length and self-imports', () => {
    const g = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a', 'd'])],
      ['d', new Set(['d'])],
      ['e', new Set(['a'])],
    ]);
    expect(cycles(g)).toEqual([['a', 'b', 'c'], ['d']]);
    expect(cycles(new Map([['a', new Set(['b'])]]))).toEqual([]);
  });
});
