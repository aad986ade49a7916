import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { LosslabError } from '../../src/errors.js';
import { startLabServer, type LabServer } from '../../src/node/server.js';

/** The lab's static server, `losslab serve` and `npm start`'s argument parsing, without a browser. */
interface StartArgs {
  readonly port?: number;
  readonly host?: string;
  readonly error?: string;
  readonly help?: boolean;
}
interface StartModule {
  parseStartArgs(argv: string[], env: Record<string, string | undefined>): StartArgs;
}

function fetchRaw(
  url: string,
  method = 'GET',
): Promise<{ status: number; type: string | undefined; body: Buffer; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body: Buffer.concat(chunks), headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

let dir: string;
let server: LabServer;
const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 37) % 256);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'losslab-server-'));
  mkdirSync(join(dir, 'web', 'katex'), { recursive: true });
  mkdirSync(join(dir, 'data', 'fashion-mnist-v1'), { recursive: true });
  writeFileSync(join(dir, 'web', 'index.html'), '<!doctype html><title>lab</title>');
  writeFileSync(join(dir, 'web', 'app.js'), 'export {};');
  writeFileSync(join(dir, 'data', 'fashion-mnist-v1', 'test-labels.u8'), bytes);
  writeFileSync(join(dir, 'secret.txt'), 'outside');
  server = await startLabServer({ root: join(dir, 'web'), dataDir: join(dir, 'data'), port: 0 });
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('startLabServer', () => {
  it('listens on 127.0.0.1 and serves index.html at /, with content types', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const index = await fetchRaw(server.url);
    expect(index.status).toBe(200);
    expect(index.type).toBe('text/html; charset=utf-8');
    expect(index.body.toString()).toContain('<title>lab</title>');
    expect((await fetchRaw(`${server.url}app.js`)).type).toBe('text/javascript; charset=utf-8');
  });

  it('makes every response cross-origin isolated (COOP + COEP), so pages get SharedArrayBuffer for the WebAssembly kernels', async () => {
    for (const path of ['', 'app.js', 'data/fashion-mnist-v1/test-labels.u8', 'missing.js']) {
      const r = await fetchRaw(`${server.url}${path}`);
      expect(r.headers['cross-origin-opener-policy'], path).toBe('same-origin');
      expect(r.headers['cross-origin-embedder-policy'], path).toBe('require-corp');
    }
  });

  it('serves the dataset cache byte for byte as application/octet-stream', async () => {
    const data = await fetchRaw(`${server.url}data/fashion-mnist-v1/test-labels.u8`);
    expect(data.status).toBe(200);
    expect(data.type).toBe('application/octet-stream');
    expect(new Uint8Array(data.body)).toEqual(bytes);
    const head = await fetchRaw(`${server.url}data/fashion-mnist-v1/test-labels.u8`, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });

  it('refuses paths that climb out of its folders, folders, missing files and other methods', async () => {
    expect((await fetchRaw(`${server.url}..%2fsecret.txt`)).status).toBe(404);
    expect((await fetchRaw(`${server.url}data/..%2f..%2fsecret.txt`)).status).toBe(404);
    expect((await fetchRaw(`${server.url}katex`)).status).toBe(404);
    expect((await fetchRaw(`${server.url}missing.js`)).status).toBe(404);
    expect((await fetchRaw(`${server.url}%E0%A4%A`)).status).toBe(400);
    expect((await fetchRaw(server.url, 'POST')).status).toBe(405);
  });

  it('names --port when the port is taken or out of range', async () => {
    const taken = startLabServer({ root: join(dir, 'web'), port: server.port });
    await expect(taken).rejects.toBeInstanceOf(LosslabError);
    await expect(taken).rejects.toThrow(/--port.*already in use/);
    await expect(startLabServer({ root: join(dir, 'web'), port: 70000 })).rejects.toThrow(/'--port' is 70000, but a port is an integer in \[0, 65535\]/);
  });
});

describe('losslab serve', () => {
  it('exits 2 with a message naming --root when the lab is not built', async () => {
    const err: string[] = [];
    const status = await runCli(['serve', '--root', join(dir, 'nowhere'), '--port', '0'], {
      stdout: () => {},
      stderr: (t) => err.push(t),
      cwd: dir,
      isTTY: false,
    });
    expect(status).toBe(2);
    expect(err.join('')).toMatch(/losslab serve: argument '--root' is ".*nowhere", but it must hold the built web lab \(index\.html\)\. Run 'npm start'/);
  });

  it('exits 2 for a port out of range', async () => {
    const err: string[] = [];
    const status = await runCli(['serve', '--port', '99999'], { stdout: () => {}, stderr: (t) => err.push(t), cwd: dir, isTTY: false });
    expect(status).toBe(2);
    expect(err.join('')).toMatch(/--port.*99999.*at most 65535/);
  });

  it('serves a given folder until aborted and prints the URL', async () => {
    const out: string[] = [];
    const controller = new AbortController();
    const running = runCli(['serve', '--root', join(dir, 'web'), '--data', join(dir, 'data'), '--port', '0'], {
      stdout: (t) => out.push(t),
      stderr: () => {},
      cwd: dir,
      isTTY: false,
      signal: controller.signal,
    });
    for (let i = 0; i < 100 && out.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(out.join(''))?.[0];
    expect(url).toBeDefined();
    expect((await fetchRaw(`${url}data/fashion-mnist-v1/test-labels.u8`)).body.length).toBe(300);
    controller.abort();
    expect(await running).toBe(0);
  });
});

describe('npm start arguments', async () => {
  const start: StartModule = await import(pathToFileURL(join(import.meta.dirname, '..', '..', 'bin', 'start.js')).href);

  it('takes the port from --port, else PORT, else 8420, and the host from --host', () => {
    expect(start.parseStartArgs([], {})).toEqual({ port: 8420, host: '127.0.0.1' });
    expect(start.parseStartArgs([], { PORT: '9001' })).toEqual({ port: 9001, host: '127.0.0.1' });
    expect(start.parseStartArgs(['--port', '9002'], { PORT: '9001' })).toEqual({ port: 9002, host: '127.0.0.1' });
    expect(start.parseStartArgs(['--port=0', '--host', '::1'], {})).toEqual({ port: 0, host: '::1' });
  });

  it('rejects a bad port or an unknown option with a message that says what to do', () => {
    expect(start.parseStartArgs(['--port', 'abc'], {}).error).toMatch(/argument .--port. is "abc", but a port is an integer in \[0, 65535\]/);
    expect(start.parseStartArgs([], { PORT: '70000' }).error).toMatch(/"70000".*integer in \[0, 65535\]/);
    expect(start.parseStartArgs(['--prot', '1'], {}).error).toMatch(/'--prot' is not an option, but only --port P and --host H are/);
  });
});
