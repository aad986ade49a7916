import { join, resolve } from 'node:path';
import { EXPERIMENT_METHODS, type ExperimentResult, runDomainExperiment } from '../../adapt/experiment.js';
import { domainCounts, type DomainDataset } from '../../data/domainDataset.js';
import { fail, formatValue } from '../../errors.js';
import type { LogitMethod } from '../../adapt/mlpDomainTrainer.js';
import type { SelectionRule } from '../../adapt/modelSelection.js';
import { writeFileAtomic } from '../../node/atomicWrite.js';
import { DOMAIN_BENCHMARKS, isDomainBenchmark, loadDomainBenchmark, loadUserDomainDataset } from '../../node/domainData.js';
import { optNumber, optString, type ParsedArgs } from '../args.js';
import type { Command, CommandIO } from '../command.js';

const FN = 'losslab adapt';

function list(text: string | undefined): string[] {
  return text === undefined
    ? []
    : text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
}

function domainIndices(data: DomainDataset, values: string[], option: string): number[] {
  return values.map((v) => {
    const i = data.domainNames.indexOf(v);
    if (i < 0)
      fail({ fn: FN, argument: option, value: formatValue(v), rule: `it must name a domain (${data.domainNames.map((d) => JSON.stringify(d)).join(', ')})` });
    return i;
  });
}

async function loadData(args: ParsedArgs, io: CommandIO): Promise<DomainDataset> {
  const dataset = optString(args, 'dataset');
  if (dataset === undefined)
    fail({ fn: FN, argument: '--dataset', rule: `it is required: one of ${DOMAIN_BENCHMARKS.join(', ')}, or a CSV/.npy file with --domain` });
  const variant = optString(args, 'variant') as 'irm' | 'domainbed' | undefined;
  const seed = optNumber(args, 'data-seed');
  if (isDomainBenchmark(dataset)) return loadDomainBenchmark(dataset, { variant, seed });
  const domain = optString(args, 'domain');
  if (domain === undefined) fail({ fn: FN, argument: '--domain', rule: 'a CSV or .npy dataset needs --domain COL (the column that names each row’s domain)' });
  return loadUserDomainDataset(resolve(io.cwd, dataset), {
    domain,
    label: optString(args, 'label'),
    testDomains: list(optString(args, 'test-domain')),
    targetDomains: list(optString(args, 'target-domain')),
  });
}

const pct = (v: number) => (100 * v).toFixed(1);

/** The DomainBed-style table: one row per method, one column per test domain (mean ± sd over seeds), and the average. */
export function resultTable(results: readonly ExperimentResult[], format: 'text' | 'markdown' | 'csv'): string {
  const domains = results[0].summary.map((s) => s.domain);
  const header = ['method', ...domains, 'Avg'];
  const rows = results.map((r) => {
    const avg = r.summary.reduce((s, d) => s + d.mean, 0) / r.summary.length;
    if (format === 'csv') return [r.method, ...r.summary.flatMap((d) => [String(d.mean), String(d.sd)]), String(avg)];
    return [r.method.toUpperCase(), ...r.summary.map((d) => `${pct(d.mean)} ± ${pct(d.sd)}`), pct(avg)];
  });
  if (format === 'csv')
    return `${['method', ...domains.flatMap((d) => [`${d} mean`, `${d} sd`]), 'avg'].join(',')}\n${rows.map((r) => r.join(',')).join('\n')}\n`;
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (cells: string[]) =>
    format === 'markdown'
      ? `| ${cells.map((c, j) => c.padEnd(widths[j])).join(' | ')} |`
      : cells
          .map((c, j) => c.padEnd(widths[j]))
          .join('  ')
          .trimEnd();
  const out = [line(header)];
  if (format === 'markdown') out.push(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) out.push(line(r));
  return `${out.join('\n')}\n`;
}

function progressBar(io: CommandIO, label: () => string): { update: (frac: number, text: string) => void; clear: () => void } {
  let last = 0;
  let lastTenth = -1;
  let drawn = false;
  return {
    update(frac, text) {
      const width = 24;
      const full = Math.round(frac * width);
      const line = `${label()} [${'#'.repeat(full)}${'.'.repeat(width - full)}] ${(100 * frac).toFixed(0).padStart(3)}%  ${text}`;
      if (io.isTTY) {
        const now = performance.now();
        if (now - last < 100 && frac < 1) return;
        last = now;
        io.stderr(`\r${line}\x1b[K`);
        drawn = true;
      } else {
        const tenth = Math.floor(frac * 10);
        if (tenth !== lastTenth) io.stderr(`${line}\n`);
        lastTenth = tenth;
      }
    },
    clear() {
      if (drawn) io.stderr('\r\x1b[K');
      drawn = false;
    },
  };
}

export const command: Command = {
  name: 'adapt',
  summary: 'train across domains (ERM, IRM, V-REx, GroupDRO) and report test-domain accuracy as DomainBed does',
  usage:
    'adapt --dataset NAME|FILE (--method NAME | --compare erm,irm,...) [--domain COL --label COL] [--test-domain V] [--target-domain V] [--select RULE] [--seeds N] [--steps N] [--out DIR] [--json FILE]',
  options: {
    dataset: { type: 'string', description: `${DOMAIN_BENCHMARKS.join(', ')}, or a CSV / .npy file with a domain column` },
    variant: { type: 'string', choices: ['irm', 'domainbed'], description: 'colored benchmarks: the IRM paper’s 2+1 environments (default) or DomainBed’s 3' },
    'data-seed': { type: 'integer', min: 0, description: 'seed of the benchmark construction', default: 0 },
    method: { type: 'string', choices: EXPERIMENT_METHODS, description: 'the algorithm', default: 'erm' },
    compare: { type: 'string', description: 'several methods on the same seeds, comma-separated (e.g. erm,irm,vrex,groupdro)' },
    domain: { type: 'string', description: 'CSV: the domain column (.npy: its index)' },
    label: { type: 'string', description: 'CSV: the label column (default label)' },
    'test-domain': { type: 'string', description: 'test domain value(s), comma-separated; each is held out in turn' },
    'target-domain': { type: 'string', description: 'domain(s) whose labels are never used for training (scored as test domains)' },
    select: { type: 'string', choices: ['training-domain', 'leave-one-domain-out', 'oracle'], description: 'model selection rule', default: 'training-domain' },
    seeds: { type: 'integer', min: 1, description: 'trial seeds (runs per test domain)', default: 3 },
    steps: { type: 'integer', min: 1, description: 'training steps (one minibatch per training domain each)', default: 1000 },
    'checkpoint-every': { type: 'integer', min: 1, description: 'steps between evaluations', default: 100 },
    'batch-size': { type: 'integer', min: 1, description: 'rows per domain per step', default: 64 },
    hidden: { type: 'string', description: 'hidden layer widths of the MLP', default: '256,256' },
    lr: { type: 'number', min: 0, exclusiveMin: true, description: 'Adam learning rate', default: 0.001 },
    'penalty-weight': { type: 'number', min: 0, description: 'IRM / V-REx penalty weight after the anneal steps (DomainBed: IRM 100, V-REx 10)' },
    anneal: { type: 'integer', min: 0, description: 'steps with penalty weight 1 before --penalty-weight applies (DomainBed: 500)' },
    'groupdro-eta': { type: 'number', min: 0, description: 'GroupDRO step size of the domain weights (DomainBed: 0.01)' },
    out: { type: 'string', description: 'folder for results.json, table.csv/.md, curves.csv' },
    json: { type: 'string', description: 'write the results as JSON to this file' },
  },
  async run(args, io) {
    const data = await loadData(args, io);
    const compare = list(optString(args, 'compare'));
    const methods = (compare.length > 0 ? compare : [optString(args, 'method') ?? 'erm']) as LogitMethod[];
    for (const m of methods) {
      if (!EXPERIMENT_METHODS.includes(m))
        fail({ fn: FN, argument: compare.length ? '--compare' : '--method', value: formatValue(m), rule: `methods are ${EXPERIMENT_METHODS.join(', ')}` });
    }
    const tests = [
      ...domainIndices(data, list(optString(args, 'test-domain')), '--test-domain'),
      ...domainIndices(data, list(optString(args, 'target-domain')), '--target-domain'),
    ];
    const testDomains = tests.length > 0 ? [...new Set(tests)] : [...data.defaultTestDomains];
    if (testDomains.length === 0)
      fail({ fn: FN, argument: '--test-domain', rule: `this dataset has no default test domain: name one (${data.domainNames.join(', ')})` });
    const hidden = list(optString(args, 'hidden') ?? '256,256').map(Number);
    if (!hidden.every((h) => Number.isInteger(h) && h >= 1))
      fail({ fn: FN, argument: '--hidden', value: formatValue(optString(args, 'hidden')), rule: 'it must list positive integer widths' });
    const select = (optString(args, 'select') ?? 'training-domain') as SelectionRule;
    io.stdout(`data: ${data.description}\n`);
    io.stdout(
      `domains: ${data.domainNames.map((d, i) => `${d} (${domainCounts(data)[i]} rows)`).join(', ')}; test: ${testDomains.map((t) => data.domainNames[t]).join(', ')}\n`,
    );
    const results: ExperimentResult[] = [];
    for (const method of methods) {
      let current = '';
      const bar = progressBar(io, () => current);
      const result = runDomainExperiment(data, {
        method,
        testDomains,
        seeds: optNumber(args, 'seeds') ?? 3,
        steps: optNumber(args, 'steps') ?? 1000,
        checkpointEvery: optNumber(args, 'checkpoint-every') ?? 100,
        batchSize: optNumber(args, 'batch-size') ?? 64,
        hidden,
        lr: optNumber(args, 'lr'),
        penaltyWeight: optNumber(args, 'penalty-weight'),
        anneal: optNumber(args, 'anneal'),
        groupDroEta: optNumber(args, 'groupdro-eta'),
        select,
        onStep: (p) => {
          current = `${method} run ${p.run + 1}/${p.runs}`;
          bar.update((p.run + p.step / p.steps) / p.runs, `loss ${p.loss.toFixed(4)}`);
          return io.signal?.aborted ? false : undefined;
        },
      });
      bar.clear();
      results.push(result);
    }
    const r0 = results[0];
    io.stdout(
      `model: ${r0.hparams.model}; Adam lr ${r0.hparams.lr}, batch ${r0.hparams.batchSize} per domain, ${r0.hparams.steps} steps, checkpoint every ${r0.hparams.checkpointEvery}\n`,
    );
    io.stdout(`test-domain accuracy (%), mean ± sd over ${r0.hparams.seeds} seed(s); model chosen by: ${r0.selectLabel}\n\n`);
    io.stdout(resultTable(results, 'text'));
    const doc = results.map((r) => ({
      method: r.method,
      dataset: optString(args, 'dataset'),
      description: data.description,
      testDomains: r.testDomains.map((t) => data.domainNames[t]),
      select: r.select,
      selectLabel: r.selectLabel,
      oracle: r.select === 'oracle',
      hparams: r.hparams,
      summary: Object.fromEntries(r.summary.map((s) => [s.domain, { mean: s.mean, sd: s.sd, n: s.n }])),
      runs: r.runs.map((run) => ({
        testDomain: data.domainNames[run.testDomain],
        seed: run.seed,
        selectedStep: run.selection.step,
        valAcc: run.selection.valAcc,
        testAcc: run.selection.testAcc,
        checkpoints: run.checkpoints.map((c) => ({ step: c.step, inAcc: c.inAcc, outAcc: c.outAcc })),
      })),
    }));
    const json = `${JSON.stringify(doc.length === 1 ? doc[0] : doc, null, 1)}\n`;
    const jsonPath = optString(args, 'json');
    if (jsonPath) writeFileAtomic(resolve(io.cwd, jsonPath), json, '--json');
    const out = optString(args, 'out');
    if (out) {
      const dir = resolve(io.cwd, out);
      writeFileAtomic(join(dir, 'results.json'), json);
      writeFileAtomic(join(dir, 'table.csv'), resultTable(results, 'csv'));
      writeFileAtomic(join(dir, 'table.md'), `Model selection: ${r0.selectLabel}\n\n${resultTable(results, 'markdown')}`);
      const curves = ['method,test_domain,seed,step,domain,split,accuracy'];
      for (const r of results)
        for (const run of r.runs)
          for (const c of run.checkpoints)
            for (const [split, accs] of [
              ['in', c.inAcc],
              ['out', c.outAcc],
            ] as const)
              for (let d = 0; d < accs.length; d++)
                curves.push(`${r.method},${data.domainNames[run.testDomain]},${run.seed},${c.step},${data.domainNames[d]},${split},${accs[d]}`);
      writeFileAtomic(join(dir, 'curves.csv'), `${curves.join('\n')}\n`);
      io.stdout(`\nwrote ${dir}/results.json, table.csv, table.md, curves.csv\n`);
    }
    return 0;
  },
};
