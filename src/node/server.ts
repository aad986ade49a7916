import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createReadStream, realpathSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { LosslabError, fail, formatValue } from '../errors.js';

/** Content types of the files the web lab serves; anything else is sent as binary. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.map': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** The URL prefix under which the dataset cache folder is served, byte for byte. */
export const DATA_URL_PREFIX = '/data/';

export interface LabServerOptions {
  /** Folder with the built lab (index.html, app.js, …), normally `dist/web`. */
  readonly root: string;
  /** Folder served under `/data/` as binary files (the Fashion-MNIST cache); none when omitted. */
  readonly dataDir?: string;
  /** Interface to listen on; 127.0.0.1 unless the user asks otherwise. */
  readonly host?: string;
  /** TCP port; 0 picks a free one (tests use that). */
  readonly port?: number;
}

export interface LabServer {
  /** `http://host:port/`, ready to print or open. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves the web lab: static files from `root` (`/` is `index.html`) and, under `/data/`, the files
 * of the dataset cache as `application/octet-stream`. Only GET and HEAD; paths that climb out of
 * the folders (`..`) are refused, and so are files whose real path (symlinks resolved) lies
 * outside them; requests whose `Host` is not this server's own address get 421 (`hostsFor`). Resolves once the server listens; a port in use is a
 * `LosslabError` naming `--port`.
 */
export async function startLabServer(options: LabServerOptions): Promise<LabServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 8420;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    fail({ fn: 'losslab serve', argument: '--port', value: formatValue(port), rule: 'a port is an integer in [0, 65535]' });
  }
  const root = realFolder(options.root);
  const dataDir = options.dataDir === undefined ? undefined : realFolder(options.dataDir);
  let allowedHosts: ReadonlySet<string> | null = new Set();
  const server = createServer((request, response) => {
    // DNS rebinding: a page of another site whose name now points here must not read the lab
    if (allowedHosts !== null && !allowedHosts.has((request.headers.host ?? '').toLowerCase())) {
      send(response, 421, 'misdirected request: this server answers only to its own address\n');
      return;
    }
    handle(request, response, root, dataDir);
  });
  await listen(server, port, host);
  const address = server.address();
  const actualPort = typeof address === 'object' && address !== null ? address.port : port;
  allowedHosts = hostsFor(host, actualPort);
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${actualPort}/`,
    port: actualPort,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

/** The real path of a served folder (symlinks resolved), so served files are compared with it. */
function realFolder(folder: string): string {
  try {
    return realpathSync(resolve(folder));
  } catch {
    return resolve(folder);
  }
}

/**
 * The `Host` headers the server answers to: `127.0.0.1`, `localhost` and `[::1]` with its port,
 * plus the `--host` address itself; any host when it listens on every interface (`0.0.0.0`, `::`),
 * where the user chose to share the lab and its names cannot be known (`null`).
 */
export function hostsFor(host: string, port: number): ReadonlySet<string> | null {
  if (host === '0.0.0.0' || host === '::' || host === '') return null;
  const names = ['127.0.0.1', 'localhost', '[::1]', host.includes(':') ? `[${host}]` : host];
  return new Set(names.map((n) => `${n.toLowerCase()}:${port}`));
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((done, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new LosslabError({
            fn: 'losslab serve',
            argument: '--port',
            value: String(port),
            rule: `the port is already in use on ${host}`,
            fix: 'Pick another one with --port, or stop the other server.',
          }),
        );
      } else if (error.code === 'EACCES') {
        reject(
          new LosslabError({
            fn: 'losslab serve',
            argument: '--port',
            value: String(port),
            rule: `this user may not listen on it on ${host} (ports below 1024 need administrator rights)`,
            fix: 'Pick a port of 1024 or above, e.g. --port 8420.',
          }),
        );
      } else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
        reject(
          new LosslabError({
            fn: 'losslab serve',
            argument: '--host',
            value: JSON.stringify(host),
            rule: 'it must be an address of this machine',
            fix: 'Use 127.0.0.1 (the default).',
          }),
        );
      } else {
        reject(error);
      }
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      done();
    });
  });
}

function handle(request: IncomingMessage, response: ServerResponse, root: string, dataDir: string | undefined): void {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    send(response, 405, 'method not allowed\n', { Allow: 'GET, HEAD' });
    return;
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
  } catch {
    send(response, 400, 'bad request\n');
    return;
  }
  let file: string | undefined;
  let binary = false;
  if (pathname.startsWith(DATA_URL_PREFIX)) {
    if (dataDir !== undefined) file = inside(dataDir, pathname.slice(DATA_URL_PREFIX.length));
    binary = true;
  } else {
    file = inside(root, pathname === '/' ? 'index.html' : pathname.slice(1));
  }
  if (file === undefined) {
    send(response, 404, 'not found\n');
    return;
  }
  let size: number;
  try {
    // a symlink inside the folder may point anywhere: serve only what really lies inside
    const real = realpathSync(file);
    const folder = binary ? (dataDir as string) : root;
    if (!real.startsWith(folder + sep)) throw new Error('outside the served folder');
    const stats = statSync(real);
    if (!stats.isFile()) throw new Error('not a file');
    size = stats.size;
    file = real;
  } catch {
    send(response, 404, 'not found\n');
    return;
  }
  const type = binary ? 'application/octet-stream' : (CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream');
  response.writeHead(200, {
    'Content-Type': type,
    'Content-Length': String(size),
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    ...CROSS_ORIGIN_ISOLATION,
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  createReadStream(file)
    .on('error', () => response.destroy())
    .pipe(response);
}

/** `folder/relative` when it stays inside `folder`, else undefined (refuses `..` and absolute paths). */
function inside(folder: string, relative: string): string | undefined {
  if (relative.includes('\0')) return undefined;
  const full = resolve(join(folder, relative));
  return full === folder || full.startsWith(folder + sep) ? full : undefined;
}

/**
 * Makes the lab's pages cross-origin isolated (`self.crossOriginIsolated`), which browsers require
 * before they offer `SharedArrayBuffer` — and so losslab's WebAssembly SIMD kernels, whose memory is
 * shared with worker threads. Everything the lab loads is same-origin, so `require-corp` costs nothing.
 */
export const CROSS_ORIGIN_ISOLATION: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The lab's Content-Security-Policy, on every response: scripts, styles, fonts, workers and fetches
 * only from the lab itself (no inline script, no plug-ins, no framing, no form posts).
 * - `'unsafe-eval'`: Vega compiles the charts' expressions (tooltips, scales, signals) with
 *   `new Function`; without it every chart fails. Vega's CSP-safe interpreter (npm
 *   `vega-interpreter`, `parse(spec, null, { ast: true })` + `{ expr: expressionInterpreter }`)
 *   would let this go.
 * - `'wasm-unsafe-eval'`: compiling losslab's WebAssembly kernels.
 * - `data:` images: the page's empty favicon (`<link rel="icon" href="data:,">`); `blob:` for
 *   chart downloads. `data:` fonts: the lab's stylesheet embeds its small WOFF font as a data URL.
 * - `'unsafe-inline'` styles: the Train page's tables and Vega's rendered charts carry style
 *   attributes (style attributes cannot be allowed by hash). Scripts stay `'self'` only: no inline
 *   script runs (tested in test/web/lab.test.ts).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function send(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    ...CROSS_ORIGIN_ISOLATION,
    ...headers,
  });
  response.end(body);
}
