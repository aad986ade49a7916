/**
 * Peers as child processes speaking the JSON-lines protocol of `bench/suite.ts`. One process per
 * contender and case: it starts (imports torch, sets thread counts), builds the case's inputs on
 * `prepare`, then answers `time` requests until `quit`. Starting it is not timed.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { BenchCase, CheckValues, Contender, OpenContender, Skipped, SuiteOptions, TimedBlock } from './suite.js';

interface PeerReply {
  ok: boolean;
  skip?: string;
  error?: string;
  info?: Record<string, unknown>;
  check?: CheckValues;
  timesMs?: number[];
  metrics?: Record<string, number>;
}

/** How long a peer may take to answer one request (start, prepare or a block of timed runs). */
const REPLY_TIMEOUT_MS = 10 * 60 * 1000;

/** A running peer process with a request → reply channel. */
class PeerChannel {
  private buffered = '';
  private waiting: ((line: string | null) => void)[] = [];
  private lines: string[] = [];
  private stderrTail = '';
  private exited = false;

  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      this.buffered += chunk;
      for (let nl = this.buffered.indexOf('\n'); nl >= 0; nl = this.buffered.indexOf('\n')) {
        const line = this.buffered.slice(0, nl).trim();
        this.buffered = this.buffered.slice(nl + 1);
        if (line.startsWith('{')) this.push(line);
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-2000);
    });
    child.on('exit', () => {
      this.exited = true;
      for (const w of this.waiting.splice(0)) w(null);
    });
    child.on('error', () => {
      this.exited = true;
      for (const w of this.waiting.splice(0)) w(null);
    });
  }

  private push(line: string): void {
    const w = this.waiting.shift();
    if (w) w(line);
    else this.lines.push(line);
  }

  async read(): Promise<PeerReply> {
    const line = this.lines.shift() ?? (this.exited ? null : await this.nextLine());
    if (line === null) return { ok: false, error: `peer exited; stderr: ${this.stderrTail.trim().split('\n').slice(-3).join(' | ')}` };
    return JSON.parse(line) as PeerReply;
  }

  /** The next reply line; after REPLY_TIMEOUT_MS the peer is killed and the call fails. */
  private nextLine(): Promise<string | null> {
    return new Promise<string | null>((resolve) => {
      const timer = setTimeout(() => {
        this.stderrTail += `\n(no reply within ${REPLY_TIMEOUT_MS / 1000} s: killed)`;
        this.child.kill();
      }, REPLY_TIMEOUT_MS);
      this.waiting.push((l) => {
        clearTimeout(timer);
        resolve(l);
      });
    });
  }

  async request(message: Record<string, unknown>): Promise<PeerReply> {
    if (this.exited) return { ok: false, error: `peer exited; stderr: ${this.stderrTail.trim().split('\n').slice(-3).join(' | ')}` };
    this.child.stdin.write(`${JSON.stringify(message)}\n`);
    return this.read();
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const done = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.stdin.write('{"op":"quit"}\n');
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill(), 3000);
    await done;
    clearTimeout(timer);
  }
}

/** What a peer declaration needs. */
export interface PeerSpec {
  readonly id: string;
  readonly label: string;
  readonly threads: number;
  /** Script path relative to the repository root, e.g. `bench/peers/softmax_ce.py`. */
  readonly script: string;
  /** Extra command-line arguments, e.g. `['--impl', 'torch-autograd', '--threads', '1']`. */
  readonly args?: readonly string[];
  /** Extra environment (thread variables are set from `threads` already). */
  readonly env?: Readonly<Record<string, string>>;
}

function threadEnv(threads: number): Record<string, string> {
  return { OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
}

function peerContender(spec: PeerSpec, command: (options: SuiteOptions) => string): Contender {
  return {
    id: spec.id,
    label: spec.label,
    side: 'peer',
    threads: spec.threads,
    async open(benchCase: BenchCase, options: SuiteOptions): Promise<OpenContender | Skipped> {
      const script = path.join(options.root, spec.script);
      if (!existsSync(script)) return { skip: `${spec.script} not found` };
      const child = spawn(command(options), [script, ...(spec.args ?? [])], {
        cwd: options.root,
        env: { ...process.env, ...threadEnv(spec.threads), ...(spec.env ?? {}) },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const channel = new PeerChannel(child);
      const hello = await channel.read();
      if (!hello.ok) {
        await channel.close();
        return { skip: hello.skip ?? hello.error ?? 'peer did not start' };
      }
      const prepared = await channel.request({ op: 'prepare', case: benchCase.id, params: benchCase.params });
      if (!prepared.ok) {
        await channel.close();
        return { skip: prepared.skip ?? prepared.error ?? 'prepare failed' };
      }
      return {
        check: prepared.check ?? {},
        async time(reps: number): Promise<TimedBlock> {
          const r = await channel.request({ op: 'time', reps });
          if (!r.ok || !r.timesMs) throw new Error(`${spec.id}: ${r.error ?? 'time failed'}`);
          return r.metrics ? { timesMs: r.timesMs, metrics: r.metrics } : { timesMs: r.timesMs };
        },
        close: () => channel.close(),
      };
    },
  };
}

/** A peer run by the Python interpreter of `SuiteOptions.python` (Debian's /usr/bin/python3 by default). */
export function pythonPeer(spec: PeerSpec): Contender {
  return peerContender(spec, (options) => options.python);
}

/** A peer run by this Node (TensorFlow.js). */
export function nodePeer(spec: PeerSpec): Contender {
  return peerContender(spec, () => process.execPath);
}
