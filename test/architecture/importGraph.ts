import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/**
 * The layering of docs/architecture.md as data and rules (tested in ./importGraph.test.ts). Data
 * flows down: a file may import its own folder, a folder of its own layer (except that the surfaces
 * do not import each other) and any layer below. Only `src/node/` and `src/cli/` touch Node
 * (builtins, `src/node/`, native packages); everything else runs in the browser. Type-only imports
 * count: they couple the code just the same.
 */

/** Top to bottom. `index`/`errors`/`warnings` are the files `src/index.ts`, `src/errors.ts` and `src/warnings.ts`. */
export const LAYERS: readonly (readonly string[])[] = [
  ['cli', 'web'], // surfaces: parse input, call the library, render output
  ['node'], // Node-only adapters: files, atomic writes, dataset cache, PNG rendering, server
  ['index', 'figures', 'reports', 'explain'], // the public entry; chart specs, reports, derivations
  ['models', 'adapt', 'validation', 'shift', 'data', 'mistakes'], // training, domain adaptation, splitters, shift, datasets, error analysis
  ['nn', 'optim', 'manifold'], // neural-network modules, initialisers, functional NN ops; optimizers and schedulers; t-SNE and embedding quality
  ['functional'], // softmax family and losses
  ['tensor', 'special'], // Tensor and its differentiable operations, .npy, RandomState; special functions
  ['autograd', 'kernels'], // the reverse-mode graph (generic, tensor-free); hot kernels on typed arrays
  ['errors', 'warnings', 'i18n'], // LosslabError; the warning channel; message catalogues (strings only: every layer may use them)
];
const SURFACES = new Set(LAYERS[0]);
/** Folders that may use Node; all others are platform-free. */
const NODE_FOLDERS = new Set(['node', 'cli']);
/** npm packages that only run in Node (native code). */
const NODE_ONLY_PACKAGES = new Set(['@resvg/resvg-js']);

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const SRC = join(ROOT, 'src');
const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

export interface Import {
  readonly from: string; // path relative to the repository, e.g. src/tensor/tensor.ts
  readonly specifier: string;
  /** The imported source file for a relative import; null for packages and builtins. */
  readonly to: string | null;
}

export function sourceFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) return sourceFiles(path);
      return /\.ts$/.test(entry) && !entry.endsWith('.d.ts') ? [path] : [];
    });
}

/** `./x.js` → `x.ts` (or `x/index.ts`), as TypeScript's NodeNext resolution maps it. */
function resolveRelative(fromFile: string, specifier: string): string {
  const base = resolve(dirname(fromFile), specifier);
  const candidates = [base.replace(/\.js$/, '.ts'), base, join(base, 'index.ts')];
  const found = candidates.find((c) => existsSync(c) && statSync(c).isFile());
  if (!found) throw new Error(`${relative(ROOT, fromFile)}: cannot resolve import '${specifier}'`);
  return found;
}

/** Every static import, re-export, `import type` and literal dynamic `import()` of one file. */
export function importsOf(file: string): Import[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map(({ fileName }) => ({
    from: relative(ROOT, file),
    specifier: fileName,
    to: fileName.startsWith('.') ? relative(ROOT, resolveRelative(file, fileName)) : null,
  }));
}

/** The folder under src/ a file belongs to (`index`/`errors` for the files at the top of src/). */
export function unitOf(path: string): string {
  const parts = relative('src', path).split('/');
  return parts.length === 1 ? parts[0].replace(/\.ts$/, '') : parts[0];
}

export function layerOf(unit: string): number {
  return LAYERS.findIndex((layer) => layer.includes(unit));
}

/** The rule an import breaks, or null. */
export function violation(imp: Import, layers = LAYERS): string | null {
  const fromUnit = unitOf(imp.from);
  const platformFree = !NODE_FOLDERS.has(fromUnit);
  if (imp.to === null) {
    const isNode = NODE_BUILTINS.has(imp.specifier) || NODE_ONLY_PACKAGES.has(imp.specifier);
    return platformFree && isNode ? `a Node import ('${imp.specifier}') outside src/node/ and src/cli/` : null;
  }
  const toUnit = unitOf(imp.to);
  if (toUnit === fromUnit) return null;
  if (platformFree && NODE_FOLDERS.has(toUnit)) return `platform-free src/${fromUnit}/ imports Node-only src/${toUnit}/`;
  const from = layers.findIndex((l) => l.includes(fromUnit));
  const to = layers.findIndex((l) => l.includes(toUnit));
  if (to < from) return `an upward import: src/${toUnit}/ (layer ${to}) is above src/${fromUnit}/ (layer ${from})`;
  if (to === from && SURFACES.has(fromUnit)) return `the surfaces src/${fromUnit}/ and src/${toUnit}/ do not import each other`;
  return null;
}

/** Strongly connected components with more than one node (or a node importing itself), sorted. */
export function cycles(edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || edges.get(v)?.has(v)) found.push(component.sort());
    }
  };
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) visit(v);
  return found.sort((a, b) => a.join().localeCompare(b.join()));
}

export function graph(imports: readonly Import[], key: (path: string) => string, skipSelf: boolean): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const imp of imports) {
    if (imp.to === null) continue;
    const a = key(imp.from);
    const b = key(imp.to);
    if (skipSelf && a === b) continue;
    if (!edges.has(a)) edges.set(a, new Set());
    edges.get(a)?.add(b);
  }
  return edges;
}

/**
 * True when `imp` reaches into the WebAssembly implementation (src/kernels/wasm/) from outside
 * src/kernels/: callers go through the backend (src/kernels/backend.ts), which also hands out the
 * kernels' memory (`wasmFloat32Array`, `wasmInt32Array`).
 */
export function reachesPastBackend(imp: Import): boolean {
  return imp.to?.startsWith('src/kernels/wasm/') === true && !imp.from.startsWith('src/kernels/');
}
