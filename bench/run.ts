/**
 * `npm run bench` — times losslab's hot paths against PyTorch, NumPy, scikit-learn and
 * TensorFlow.js in ONE run, interleaved (ours, peer, ours, peer … in rounds, the order rotated each
 * round), and prints each result as a ratio to each peer, with the fraction of the memory copy
 * bandwidth measured in the same run. Protocol: ../shared/peers/README.md; suite contract:
 * bench/suite.ts. Launched by bench/run.js, which bundles this file with the suites.
 *
 * Options: --suite ID[,ID]  (softmax-ce, training, splits …; default all)   --quick   --list
 *          --out DIR (default bench/results)
 * Environment: LOSSLAB_BENCH_PYTHON (default /usr/bin/python3).
 */
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../src/node/atomicWrite.js';
import { enableRelaxedSimd } from '../src/node/relaxedSimd.js';
import { measureCopyBandwidth, type Bandwidth } from './bandwidth.js';
import { sharedPool, closeSharedPool } from './pool.js';
import { agrees, fmt, median, quantile } from './stats.js';
import { isSkipped, type BenchCase, type BenchSuite, type CheckValues, type Contender, type OpenContender, type SuiteOptions } from './suite.js';

interface ContenderResult {
  id: string;
  label: string;
  side: 'ours' | 'peer';
  threads: number;
  skipped?: string;
  error?: string;
  timesMs: number[];
  /** Median of each round's block, in round order (for same-round ratios). */
  roundMedians: number[];
  medianMs: number;
  p10Ms: number;
  p90Ms: number;
  minMs: number;
  check: CheckValues;
  checkOk?: boolean;
  checkNote?: string;
  metrics?: Record<string, number>;
}

interface RatioRow {
  ours: string;
  peer: string;
  threads: string;
  /** Median over rounds of (peer block median ÷ our block median): > 1 means losslab is faster. */
  speedup: number;
  lo: number;
  hi: number;
}

interface CaseResult {
  suite: string;
  id: string;
  title: string;
  bytesPerRun?: number;
  rounds: number;
  contenders: ContenderResult[];
  ratios: RatioRow[];
}

interface Args {
  suites: string[] | null;
  quick: boolean;
  list: boolean;
  out: string;
}

function parseArgs(argv: string[], root: string): Args {
  const a: Args = { suites: null, quick: false, list: false, out: path.join(root, 'bench', 'results') };
  for (let i = 0; i < argv.length; i++) {
    const t = argv[i];
    if (t === '--quick') a.quick = true;
    else if (t === '--list') a.list = true;
    else if (t === '--suite') a.suites = (a.suites ?? []).concat(argv[++i].split(','));
    else if (t.startsWith('--suite=')) a.suites = (a.suites ?? []).concat(t.slice(8).split(','));
    else if (t === '--out') a.out = path.resolve(argv[++i]);
    else {
      process.stderr.write(`bench: unknown option ${t}\nusage: npm run bench -- [--suite softmax-ce,training,splits] [--quick] [--list] [--out DIR]\n`);
      process.exit(2);
    }
  }
  return a;
}

const log = (m: string): void => {
  process.stderr.write(`[bench] ${m}\n`);
};

async function timeCase(suiteId: string, c: BenchCase, options: SuiteOptions): Promise<CaseResult> {
  const opened: { spec: Contender; handle: OpenContender; result: ContenderResult }[] = [];
  const results: ContenderResult[] = [];
  for (const spec of c.contenders) {
    const base: ContenderResult = {
      id: spec.id,
      label: spec.label,
      side: spec.side,
      threads: spec.threads,
      timesMs: [],
      roundMedians: [],
      medianMs: NaN,
      p10Ms: NaN,
      p90Ms: NaN,
      minMs: NaN,
      check: {},
    };
    results.push(base);
    try {
      const h = await spec.open(c, options);
      if (isSkipped(h)) {
        base.skipped = h.skip;
        log(`  ${spec.id}: skipped (${h.skip})`);
        continue;
      }
      base.check = h.check;
      opened.push({ spec, handle: h, result: base });
    } catch (e) {
      base.error = e instanceof Error ? e.message : String(e);
      log(`  ${spec.id}: failed to open (${base.error})`);
    }
  }
  // checks against the reference contender
  const ref = results.find((r) => r.id === c.referenceId && !r.skipped && !r.error);
  for (const r of results) {
    if (r.skipped || r.error || !ref) continue;
    const bad: string[] = [];
    for (const [k, v] of Object.entries(ref.check)) {
      if (!(k in r.check)) continue;
      const tol = c.tolerances?.[k] ?? {};
      if (!agrees(r.check[k], v, tol.rtol ?? 1e-4, tol.atol ?? 0)) bad.push(`${k} ${r.check[k]} vs ${v}`);
    }
    r.checkOk = bad.length === 0;
    if (bad.length) r.checkNote = bad.join('; ');
  }
  // warm-up block: sets the reps per block
  const target = c.targetBlockMs ?? (options.quick ? 100 : 300);
  const reps = new Map<string, number>();
  for (const o of opened) {
    try {
      const w = await o.handle.time(c.repsPerBlock ?? 2);
      const one = median(w.timesMs);
      reps.set(o.spec.id, c.repsPerBlock ?? Math.max(1, Math.min(200, Math.round(target / Math.max(one, 1e-3)))));
    } catch (e) {
      o.result.error = e instanceof Error ? e.message : String(e);
    }
  }
  const live = opened.filter((o) => !o.result.error);
  const rounds = c.rounds ?? (options.quick ? 2 : 5);
  for (let round = 0; round < rounds; round++) {
    const order = live.map((_, i) => live[(i + round) % live.length]);
    for (const o of order) {
      if (o.result.error) continue;
      try {
        const b = await o.handle.time(reps.get(o.spec.id) ?? 1);
        o.result.timesMs.push(...b.timesMs);
        o.result.roundMedians.push(median(b.timesMs));
        if (b.metrics) o.result.metrics = { ...b.metrics };
      } catch (e) {
        o.result.error = e instanceof Error ? e.message : String(e);
      }
    }
    log(`  round ${round + 1}/${rounds} done`);
  }
  for (const o of opened) await o.handle.close().catch(() => undefined);
  for (const r of results) {
    if (r.timesMs.length === 0) continue;
    r.medianMs = median(r.timesMs);
    r.p10Ms = quantile(r.timesMs, 0.1);
    r.p90Ms = quantile(r.timesMs, 0.9);
    r.minMs = Math.min(...r.timesMs);
  }
  const ratios: RatioRow[] = [];
  const timed = results.filter((r) => r.roundMedians.length === rounds);
  for (const ours of timed.filter((r) => r.side === 'ours')) {
    for (const peer of timed.filter((r) => r.side === 'peer')) {
      const per = ours.roundMedians.map((m, i) => peer.roundMedians[i] / m).sort((a, b) => a - b);
      ratios.push({ ours: ours.id, peer: peer.id, threads: `${ours.threads}/${peer.threads}`, speedup: median(per), lo: per[0], hi: per[per.length - 1] });
    }
  }
  return { suite: suiteId, id: c.id, title: c.title, bytesPerRun: c.bytesPerRun, rounds, contenders: results, ratios };
}

function caseMarkdown(r: CaseResult, bw: Bandwidth | null): string {
  const lines: string[] = [`### ${r.title}`, ''];
  const hasBw = r.bytesPerRun !== undefined && bw !== null;
  const metricKeys = [...new Set(r.contenders.flatMap((c) => Object.keys(c.metrics ?? {})))];
  lines.push(
    `| contender | side | thr | median ms | p10–p90 ms | min ms |${hasBw ? ' eff. GB/s | % copy BW |' : ''}${metricKeys.map((k) => ` ${k} |`).join('')} check |`,
    `|---|---|---|---|---|---|${hasBw ? '---|---|' : ''}${metricKeys.map(() => '---|').join('')}---|`,
  );
  const sorted = [...r.contenders].sort((a, b) => (Number.isNaN(a.medianMs) ? 1 : Number.isNaN(b.medianMs) ? -1 : a.medianMs - b.medianMs));
  for (const c of sorted) {
    if (c.skipped || c.error || Number.isNaN(c.medianMs)) {
      lines.push(
        `| ${c.label} (\`${c.id}\`) | ${c.side} | ${c.threads} | — | ${c.skipped ? `skipped: ${c.skipped}` : `error: ${c.error ?? 'no timing'}`} | |${hasBw ? ' | |' : ''}${metricKeys.map(() => ' |').join('')} |`,
      );
      continue;
    }
    let bwCols = '';
    if (hasBw && r.bytesPerRun !== undefined && bw) {
      const gbs = r.bytesPerRun / (c.medianMs / 1e3) / 1e9;
      const limit = bw.gbPerS[Math.min(c.threads, 2)] ?? bw.gbPerS[1];
      bwCols = ` ${fmt(gbs)} | ${Math.round((100 * gbs) / limit)}% |`;
    }
    const check = c.checkOk === undefined ? 'ref' : c.checkOk ? 'ok' : `MISMATCH: ${c.checkNote}`;
    const metrics = metricKeys.map((k) => ` ${c.metrics?.[k] !== undefined ? fmt(c.metrics[k]) : ''} |`).join('');
    lines.push(
      `| ${c.label} (\`${c.id}\`) | ${c.side} | ${c.threads} | ${fmt(c.medianMs)} | ${fmt(c.p10Ms)}–${fmt(c.p90Ms)} | ${fmt(c.minMs)} |${bwCols}${metrics} ${check} |`,
    );
  }
  if (r.ratios.length) {
    lines.push('', `Speed-up of losslab = peer time ÷ our time, median over ${r.rounds} interleaved rounds (min–max); > 1 means losslab is faster.`, '');
    const oursIds = [...new Set(r.ratios.map((x) => x.ours))];
    const peerIds = [...new Set(r.ratios.map((x) => x.peer))];
    const thr = new Map(r.contenders.map((c) => [c.id, c.threads]));
    lines.push(`| ours \\ peer | ${peerIds.map((p) => `${p} (${thr.get(p)}T)`).join(' | ')} |`, `|---|${peerIds.map(() => '---|').join('')}`);
    for (const o of oursIds) {
      const cells = peerIds.map((p) => {
        const x = r.ratios.find((q) => q.ours === o && q.peer === p);
        return x ? `${fmt(x.speedup)}× (${fmt(x.lo)}–${fmt(x.hi)})` : '';
      });
      lines.push(`| ${o} (${thr.get(o)}T) | ${cells.join(' | ')} |`);
    }
  }
  lines.push('');
  return lines.join('\n');
}

/** Runs the given suites (bench/run.js passes every suite it could bundle) and writes the results. */
export async function main(allSuites: BenchSuite[], excluded: string[] = []): Promise<void> {
  // the kernels' relaxed-SIMD build (fused multiply-add) where Node can validate it: Node 20 needs the V8 flag, set before any kernel compiles
  enableRelaxedSimd();
  const root = process.cwd();
  const args = parseArgs(process.argv.slice(2), root);
  if (args.list) {
    for (const s of allSuites) console.log(`${s.id}\t${s.title}`);
    return;
  }
  const unknown = (args.suites ?? []).filter((id) => !allSuites.some((s) => s.id === id));
  if (unknown.length) {
    process.stderr.write(`bench: argument '--suite' is ${unknown.join(',')}, but the suites are ${allSuites.map((s) => s.id).join(', ')}\n`);
    process.exit(2);
  }
  const suites = args.suites ? allSuites.filter((s) => args.suites?.includes(s.id)) : allSuites;
  const options: SuiteOptions = { quick: args.quick, root, python: process.env.LOSSLAB_BENCH_PYTHON ?? '/usr/bin/python3', log };
  const started = new Date();
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? '?',
    node: process.version,
    v8: process.versions.v8,
    loadavgAtStart: os.loadavg().map((v) => +v.toFixed(2)),
  };
  const pool = sharedPool();
  log('measuring copy bandwidth (256 MiB arrays, 1 and 2 threads)');
  const bwStart = measureCopyBandwidth(pool, args.quick);
  const cases: CaseResult[] = [];
  for (const s of suites) {
    log(`suite ${s.id}: ${s.title}`);
    let list: readonly BenchCase[] = [];
    try {
      list = await s.cases(options);
    } catch (e) {
      log(`suite ${s.id} failed to build its cases: ${e instanceof Error ? e.message : String(e)}`);
    }
    for (const c of list) {
      log(`case ${s.id}/${c.id}: ${c.title}`);
      cases.push(await timeCase(s.id, c, options));
    }
  }
  const bwEnd = measureCopyBandwidth(pool, args.quick);
  await closeSharedPool();
  const bw: Bandwidth | null =
    bwStart && bwEnd
      ? {
          arrayMiB: bwStart.arrayMiB,
          reps: bwStart.reps * 2,
          gbPerS: Object.fromEntries(Object.keys(bwStart.gbPerS).map((k) => [k, Math.max(bwStart.gbPerS[+k], bwEnd.gbPerS[+k] ?? 0)])),
        }
      : bwStart;
  const md: string[] = [
    `# losslab benchmark — ${started.toISOString()}`,
    '',
    `Machine: ${machine.cpus} × ${machine.cpuModel}; Node ${machine.node} (V8 ${machine.v8}); load average at start ${machine.loadavgAtStart.join(' / ')}.`,
    bw
      ? `Copy bandwidth (WebAssembly SIMD copy, ${bw.arrayMiB} MiB arrays, 8 B/element, better of start and end of the run): ${Object.entries(bw.gbPerS)
          .map(([t, g]) => `${fmt(g)} GB/s on ${t} thread${t === '1' ? '' : 's'}`)
          .join(
            ', ',
          )} (start: ${bwStart ? Object.values(bwStart.gbPerS).map(fmt).join(' / ') : '—'}, end: ${bwEnd ? Object.values(bwEnd.gbPerS).map(fmt).join(' / ') : '—'}). "% copy BW" = (bytes per run ÷ median time) ÷ the copy bandwidth at the same thread count.`
      : 'Copy bandwidth: not measured (WebAssembly kernels unavailable).',
    'All rows of a table were measured in this one run, interleaved round by round; compare ratios, not times across runs (this machine drifts up to 1.7× within seconds).',
    excluded.length ? `\nSuites not run (did not build): ${excluded.join('; ')}` : '',
    '',
  ];
  let suiteId = '';
  for (const c of cases) {
    if (c.suite !== suiteId) {
      suiteId = c.suite;
      md.push(`## ${suites.find((s) => s.id === suiteId)?.title ?? suiteId}`, '');
    }
    md.push(caseMarkdown(c, bw));
  }
  const text = md.join('\n');
  console.log(text);
  mkdirSync(args.out, { recursive: true });
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  const json = JSON.stringify(
    { started: started.toISOString(), machine, bandwidth: { start: bwStart, end: bwEnd, used: bw }, quick: args.quick, cases },
    null,
    1,
  );
  writeFileAtomic(path.join(args.out, `bench-${stamp}.json`), json);
  writeFileAtomic(path.join(args.out, `bench-${stamp}.md`), text);
  writeFileAtomic(path.join(args.out, 'latest.md'), text);
  writeFileAtomic(path.join(args.out, 'latest.json'), json);
  log(`wrote ${path.relative(root, path.join(args.out, `bench-${stamp}.{json,md}`))}`);
}
