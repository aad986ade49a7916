// The IRM paper's Colored Fashion-MNIST protocol with restarts, losslab and PyTorch side by side (issue #14,
// docs/adapt.md "The IRM paper's protocol"). As in the paper's colored_mnist/main.py, every restart draws the
// environments anew (label noise and colours: `loadDomainBenchmark('colored-fashion-mnist', { seed: r })`) and the
// model anew (Xavier-uniform, seed r); both sides start each restart from the same data (written by
// writeDomainFiles) and the same initial weights (passed to the peer with --init). losslab runs
// `runIrmColored` (the fused full-batch step) on one thread while the PyTorch peer (bench/peers/irm_colored.py,
// one thread) runs the same restart in a child process at the same time; each finished run is appended to the
// JSON-lines file at once (processes running other restarts, `--first r --restarts r+1`, may share the file; the peer runs Debian's /usr/bin/python3 with torch, or LOSSLAB_BENCH_PYTHON, as the bench does), and a rerun skips the runs the file already holds (resume after a stop).
//
//   npm run build && node scripts/irm_colored_restarts.mjs [--restarts 3] [--first 0] [--methods gray,erm,irm]
//        [--out dist/bench/adapt/irm_restarts.jsonl] [--steps N (a short smoke run; accuracies then mean nothing)]
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { irmColoredInit, runIrmColored } from '../dist/adapt/irmProtocol.js';
import { setKernelBackend } from '../dist/kernels/backend.js';
import { loadDomainBenchmark, writeDomainFiles } from '../dist/node/index.js';

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const restarts = Number(option('restarts', '3'));
const first = Number(option('first', '0'));
const methods = option('methods', 'gray,erm,irm').split(',');
const out = option('out', 'dist/bench/adapt/irm_restarts.jsonl');
const steps = option('steps', undefined) === undefined ? undefined : Number(option('steps'));
for (const m of methods) if (!['gray', 'erm', 'irm'].includes(m)) throw new Error(`--methods: '${m}' is not gray, erm or irm`);
if (!(Number.isInteger(restarts) && restarts >= 1)) throw new Error(`--restarts is '${restarts}', but it must be a whole number ≥ 1`);

/** One results line; a line torn by a kill in the middle of its write is skipped (its run is redone). */
function parseLine(line) {
  try {
    return [JSON.parse(line)];
  } catch {
    console.error(`irm_colored_restarts: skipping an incomplete line of ${out}: ${line.slice(0, 60)}`);
    return [];
  }
}

setKernelBackend('wasm');
mkdirSync(path.dirname(out), { recursive: true });
const previous = existsSync(out) ? readFileSync(out, 'utf8') : '';
const done = new Set(
  previous
    .split('\n')
    .filter(Boolean)
    .flatMap(parseLine)
    .filter((r) => r.steps === (steps ?? null))
    .map((r) => `${r.restart}/${r.method}/${r.side}`),
);
// a torn last line (a kill in the middle of a write) is closed, so that new lines start on their own
if (previous !== '' && !previous.endsWith('\n')) appendFileSync(out, '\n');
const record = (line) => appendFileSync(out, `${JSON.stringify(line)}\n`);

function peer(dataDir, method, initFile, restart) {
  const args = ['bench/peers/irm_colored.py', '--threads', '1', '--standalone', dataDir, '--method', method, '--init', initFile, '--seed', String(restart)];
  if (steps !== undefined) args.push('--steps', String(steps));
  const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  return new Promise((resolve, reject) => {
    const child = spawn(process.env.LOSSLAB_BENCH_PYTHON ?? '/usr/bin/python3', args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (b) => {
      text += b;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const last = code === 0 ? JSON.parse(text.trim().split('\n').pop() ?? '{}') : null;
      if (last && typeof last.test_acc === 'number') resolve(last);
      else reject(new Error(`the PyTorch peer (${args.join(' ')}) exited with ${code}: ${text.trim()}`));
    });
  });
}

for (let restart = first; restart < restarts; restart++) {
  const data = loadDomainBenchmark('colored-fashion-mnist', { seed: restart });
  const dataDir = path.join(path.dirname(out), `colored-restart${restart}`);
  writeDomainFiles(data, dataDir);
  for (const method of methods) {
    const wantOurs = !done.has(`${restart}/${method}/losslab`);
    const wantPeer = !done.has(`${restart}/${method}/pytorch`);
    if (!wantOurs && !wantPeer) continue;
    const init = irmColoredInit(data, method, restart);
    const initFile = path.join(dataDir, `init-${method}.f32`);
    writeFileSync(`${initFile}.tmp`, init);
    renameSync(`${initFile}.tmp`, initFile);
    const base = { restart, method, steps: steps ?? null, threads: 1 };
    const peerRun = wantPeer
      ? peer(dataDir, method, initFile, restart).then((m) => {
          record({ ...base, side: 'pytorch', train_acc: m.train_acc, test_acc: m.test_acc, loss: m.loss, seconds: m.seconds, cpu_s: m.cpu_s });
          console.error(
            `restart ${restart} ${method} pytorch: train ${(100 * m.train_acc).toFixed(1)}% test ${(100 * m.test_acc).toFixed(1)}% (${m.seconds} s)`,
          );
        })
      : Promise.resolve();
    // give the child its start before this thread blocks in the synchronous training loop
    await new Promise((r) => setTimeout(r, 200));
    if (wantOurs) {
      const c0 = process.cpuUsage();
      const r = runIrmColored(data, method, { init, steps, seed: restart });
      const cpu = process.cpuUsage(c0);
      record({
        ...base,
        side: 'losslab',
        train_acc: r.trainAccuracy,
        test_acc: r.testAccuracy,
        loss: r.finalLoss,
        seconds: r.seconds,
        cpu_s: (cpu.user + cpu.system) / 1e6,
      });
      console.error(
        `restart ${restart} ${method} losslab: train ${(100 * r.trainAccuracy).toFixed(1)}% test ${(100 * r.testAccuracy).toFixed(1)}% (${r.seconds.toFixed(1)} s)`,
      );
    }
    await peerRun;
  }
}

// summary: mean ± sd (n − 1) over the restarts in the file
const rows = readFileSync(out, 'utf8')
  .split('\n')
  .filter(Boolean)
  .flatMap(parseLine)
  .filter((r) => r.steps === (steps ?? null));
const stat = (v) => {
  const m = v.reduce((s, x) => s + x, 0) / v.length;
  const sd = v.length > 1 ? Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / (v.length - 1)) : 0;
  return `${(100 * m).toFixed(1)} ± ${(100 * sd).toFixed(1)}`;
};
console.log('| method | side | restarts | train acc % | test acc % | seconds (mean) |');
console.log('|---|---|---|---|---|---|');
for (const method of methods)
  for (const side of ['losslab', 'pytorch']) {
    const rs = rows.filter((r) => r.method === method && r.side === side);
    if (rs.length === 0) continue;
    const secs = rs.reduce((s, r) => s + r.seconds, 0) / rs.length;
    console.log(`| ${method} | ${side} | ${rs.length} | ${stat(rs.map((r) => r.train_acc))} | ${stat(rs.map((r) => r.test_acc))} | ${secs.toFixed(1)} |`);
  }
