#!/usr/bin/env node
// bench/run.js — launcher of `npm run bench`: bundles bench/run.ts together with every suite in
// bench/suites/*.ts into dist/bench/bench.mjs with the local esbuild, then runs it. A suite that
// does not build (work in progress) is left out with a note instead of stopping the run.
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const suitesDir = path.join(root, 'bench', 'suites');
const outFile = path.join(root, 'dist', 'bench', 'bench.mjs'); // dist/ is gitignored
const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'silent', absWorkingDir: root, packages: 'external' };

const files = readdirSync(suitesDir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
  .sort();
const good = [];
const excluded = [];
for (const f of files) {
  try {
    await build({ ...common, entryPoints: [path.join(suitesDir, f)], write: false });
    good.push(f);
  } catch (e) {
    const first = e?.errors?.[0];
    excluded.push(`${f}: ${first ? `${first.text} (${first.location?.file ?? ''}:${first.location?.line ?? ''})` : String(e)}`);
  }
}
const imports = good.map((f, i) => `import * as s${i} from './bench/suites/${f}';`).join('\n');
const suites = good.map((_, i) => `s${i}.suite`).join(', ');
const contents = `${imports}
import { main } from './bench/run.ts';
const suites = [${suites}].filter((s) => s && typeof s.cases === 'function');
await main(suites, ${JSON.stringify(excluded)});
`;
await build({ ...common, stdin: { contents, resolveDir: root, sourcefile: 'bench-entry.ts', loader: 'ts' }, outfile: outFile });
await import(pathToFileURL(outFile).href);
