// Builds the web lab into dist/web/ with the esbuild in node_modules (nothing is downloaded):
//   app.js            src/web/main.ts and everything it imports (losslab's numerics, vega, vega-lite, KaTeX)
//   train-worker.js   src/web/worker/trainWorker.ts, the Web Worker that trains on Fashion-MNIST
//   domain-worker.js  src/web/worker/domainWorker.ts, the Web Worker of the domain-shift playgrounds
//   index.html, styles.css, katex/katex.min.css + katex/fonts/, fonts/NotoSansHans-Regular.otf
//   (so the lab works offline, no CDN, with real CJK glyphs)
// Usage: node scripts/build-web.mjs   (or import { buildWeb, webBuildIsStale } from it, as bin/start.js does)
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The newest modification time (ms) of any file under `folder`. */
function newestMtime(folder) {
  let newest = 0;
  if (!existsSync(folder)) return newest;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** True when dist/web is missing or older than any source file under src/ (the lab bundles the library). */
export function webBuildIsStale(root = projectRoot) {
  const stamp = join(root, 'dist', 'web', 'build-stamp.json');
  if (!existsSync(stamp)) return true;
  return newestMtime(join(root, 'src')) > statSync(stamp).mtimeMs;
}

/**
 * Bundles the lab into `<root>/dist/web`. Builds into a temporary folder first and swaps it in, so a
 * running server never serves half a build.
 */
export async function buildWeb({ root = projectRoot, minify = true, quiet = false } = {}) {
  const started = Date.now();
  const out = join(root, 'dist', 'web');
  const tmp = join(root, 'dist', `.web-build-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    const web = join(root, 'src', 'web');
    await build({
      entryPoints: {
        app: join(web, 'main.ts'),
        'train-worker': join(web, 'worker', 'trainWorker.ts'),
        'domain-worker': join(web, 'worker', 'domainWorker.ts'),
      },
      outdir: tmp,
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: ['es2022'],
      minify,
      sourcemap: true,
      legalComments: 'none',
      logLevel: quiet ? 'error' : 'warning',
      absWorkingDir: root,
    });
    cpSync(join(web, 'index.html'), join(tmp, 'index.html'));
    cpSync(join(web, 'styles.css'), join(tmp, 'styles.css'));
    const katex = join(root, 'node_modules', 'katex', 'dist');
    mkdirSync(join(tmp, 'katex'), { recursive: true });
    cpSync(join(katex, 'katex.min.css'), join(tmp, 'katex', 'katex.min.css'));
    cpSync(join(katex, 'fonts'), join(tmp, 'katex', 'fonts'), { recursive: true });
    // The CJK font that losslab's figures name (Noto Sans Hans, in @embedpdf/fonts-sc), so Chinese
    // labels render offline; styles.css loads it only for CJK characters (unicode-range).
    mkdirSync(join(tmp, 'fonts'), { recursive: true });
    cpSync(join(root, 'node_modules', '@embedpdf', 'fonts-sc', 'fonts', 'NotoSansHans-Regular.otf'), join(tmp, 'fonts', 'NotoSansHans-Regular.otf'));
    writeFileSync(join(tmp, 'build-stamp.json'), `${JSON.stringify({ builtAt: new Date().toISOString() })}\n`);
    rmSync(out, { recursive: true, force: true });
    renameSync(tmp, out);
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
  if (!quiet) process.stderr.write(`built the web lab into ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildWeb();
}
