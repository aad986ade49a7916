/**
 * Fault injection: `losslab serve` on a port it cannot have (issue #13). `--port 80` as a normal
 * user printed a raw `listen EACCES` stack trace; now one message with exit 2. The tests run as
 * root (who may listen on 80), so the EACCES path runs the real CLI as the unprivileged user
 * `nobody`; the EADDRINUSE path holds a port busy first.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { losslab } from '../cli/harness.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'losslab.js');
let root = '';
let busy: Server;
let busyPort = 0;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'losslab-serve-faults-'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>lab</title>\n');
  chmodSync(root, 0o755); // readable by `nobody` below
  busy = createServer();
  await new Promise<void>((done) => busy.listen(0, '127.0.0.1', done));
  const address = busy.address();
  busyPort = typeof address === 'object' && address !== null ? address.port : 0;
});

afterAll(async () => {
  await new Promise<void>((done) => busy.close(() => done()));
});

describe('losslab serve on a port it cannot have', () => {
  it('a port in use: one message naming --port, exit 2', async () => {
    const r = await losslab(['serve', '--port', String(busyPort), '--root', root, '--data', root]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toBe(
      `error: losslab serve: argument '--port' is ${busyPort}, but the port is already in use on 127.0.0.1. Pick another one with --port, or stop the other server.\n`,
    );
  });

  /** Ports below this one need privileges (Linux's net.ipv4.ip_unprivileged_port_start). */
  const unprivilegedStart = (() => {
    try {
      return Number(readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8'));
    } catch {
      return 1024;
    }
  })();
  const root0 = process.getuid?.() === 0;

  it.skipIf(unprivilegedStart <= 80)(
    '--port 80 as an unprivileged user: one message, no stack trace, exit 2',
    async () => {
      const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
        // as root, run the real CLI as `nobody` (uid/gid 65534), who may not listen on port 80
        const child = spawn(process.execPath, [BIN, 'serve', '--port', '80', '--root', root, '--data', root], {
          stdio: ['ignore', 'pipe', 'pipe'],
          ...(root0 ? { uid: 65534, gid: 65534 } : {}),
          env: { ...process.env, HOME: root },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => {
          stdout += d.toString();
          if (stdout.includes('web lab:')) child.kill('SIGINT'); // it listened after all: stop it, the test fails below
        });
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
        });
        child.on('close', (code) => done({ code, stdout, stderr }));
      });
      expect(r.code, r.stderr + r.stdout).toBe(2);
      expect(r.stderr).toBe(
        "error: losslab serve: argument '--port' is 80, but this user may not listen on it on 127.0.0.1 (ports below 1024 need administrator rights). Pick a port of 1024 or above, e.g. --port 8420.\n",
      );
    },
    60_000,
  );
});
