/**
 * Fault injection against the real lab server (issue #13): a symlink in the served folder that
 * points outside it was served with 200 (`p.txt → /etc/passwd`); any `Host` header was accepted,
 * leaving the lab open to DNS rebinding; errors had no `nosniff` / `Cache-Control`; `PORT=abc`
 * was reported as "argument '--port' is NaN".
 */
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, hostsFor, startLabServer, type LabServer } from '../../src/node/server.js';
import { losslab } from '../cli/harness.js';

let dir = '';
let server: LabServer;

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

function get(path: string, host?: string): Promise<Reply> {
  return new Promise((done, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, headers: host === undefined ? {} : { Host: host } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d.toString();
      });
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'losslab-lab-faults-'));
  mkdirSync(join(dir, 'web', 'sub'), { recursive: true });
  mkdirSync(join(dir, 'data'), { recursive: true });
  writeFileSync(join(dir, 'web', 'index.html'), '<!doctype html><title>lab</title>');
  writeFileSync(join(dir, 'web', 'real.txt'), 'inside');
  writeFileSync(join(dir, 'secret.txt'), 'outside');
  symlinkSync(join(dir, 'secret.txt'), join(dir, 'web', 'p.txt'));
  symlinkSync('/etc/passwd', join(dir, 'web', 'passwd.txt'));
  symlinkSync(dir, join(dir, 'web', 'sub', 'up'));
  symlinkSync(join(dir, 'secret.txt'), join(dir, 'data', 'd.u8'));
  symlinkSync(join(dir, 'web', 'real.txt'), join(dir, 'web', 'alias.txt'));
  server = await startLabServer({ root: join(dir, 'web'), dataDir: join(dir, 'data'), port: 0 });
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the lab serves only files whose real path lies inside its folders', () => {
  it('symlinks out of the folder are 404, with nosniff and no caching', async () => {
    for (const path of ['/p.txt', '/passwd.txt', '/sub/up/secret.txt', '/data/d.u8']) {
      const r = await get(path);
      expect(r.status, path).toBe(404);
      expect(r.body).not.toContain('outside');
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['cache-control']).toBe('no-store');
    }
  });

  it('a symlink that stays inside is served', async () => {
    const r = await get('/alias.txt');
    expect(r.status).toBe(200);
    expect(r.body).toBe('inside');
  });
});

describe('Content-Security-Policy', () => {
  it('every response (pages, files, errors) carries the lab policy: no inline script, nothing from elsewhere', async () => {
    for (const path of ['/', '/real.txt', '/missing.js', '/p.txt']) {
      const csp = String((await get(path)).headers['content-security-policy']);
      expect(csp, path).toBe(CONTENT_SECURITY_POLICY);
      expect(csp).toMatch(/default-src 'self'/);
      expect(csp).toMatch(/script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'(;|$)/); // no inline script
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(csp).toMatch(/frame-ancestors 'none'/);
    }
  });
});

describe("DNS rebinding: only the lab's own Host is answered", () => {
  it('127.0.0.1, localhost and [::1] with the port are answered; other hosts and ports get 421', async () => {
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `LOCALHOST:${server.port}`, `[::1]:${server.port}`]) {
      expect((await get('/', host)).status, host).toBe(200);
    }
    for (const host of ['evil.example', `evil.example:${server.port}`, `127.0.0.1:${server.port + 1}`, 'localhost']) {
      const r = await get('/', host);
      expect(r.status, host).toBe(421);
      expect(r.body).not.toContain('<title>lab');
    }
  });

  it('--host adds its own name; listening on every interface answers any host', () => {
    expect(hostsFor('192.168.1.5', 80)?.has('192.168.1.5:80')).toBe(true);
    expect(hostsFor('::1', 80)?.has('[::1]:80')).toBe(true);
    expect(hostsFor('0.0.0.0', 80)).toBeNull();
  });
});

describe('ports from the environment are named as such', () => {
  it('losslab serve with PORT=abc names PORT and its value', async () => {
    const saved = process.env.PORT;
    process.env.PORT = 'abc';
    try {
      const r = await losslab(['serve', '--root', join(dir, 'web'), '--data', join(dir, 'data')]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/argument 'PORT \(environment variable\)' is "abc", but a port is an integer in \[0, 65535\]/);
    } finally {
      if (saved === undefined) delete process.env.PORT;
      else process.env.PORT = saved;
    }
  });

  it('npm start with PORT=abc names PORT', async () => {
    const start = (await import(pathToFileURL(join(import.meta.dirname, '..', '..', 'bin', 'start.js')).href)) as {
      parseStartArgs(argv: string[], env: Record<string, string>): { error?: string };
    };
    expect(start.parseStartArgs([], { PORT: 'abc' }).error).toMatch(/npm start: the environment variable PORT is "abc", but a port is an integer/);
  });
});
