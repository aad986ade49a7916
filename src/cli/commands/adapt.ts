import { join, resolve } from 'node:path';
import { umapFeatures } from '../../adapt/embedding.js';
import { ADAPTATION_METHODS, type ExperimentResult, METHODS, resolveMethod, runExperiment, TARGET_FREE_RULES } from '../../adapt/experiment.js';
import { type HparamValue, hparamSpecs } from '../../adapt/hparams.js';
import { SELECTION_RULES, type SelectionRule } from '../../adapt/modelSelection.js';
import type { DomainTrainer } from '../../adapt/trainer.js';
import { type DomainDataset, domainCounts } from '../../data/domainDataset.js';
import { fail, formatValue, LosslabError } from '../../errors.js';
import { type DomainCurveRow, type DomainEmbeddingRow, domainCurvesSpec, domainEmbeddingSpec } from '../../figures/adaptFigures.js';
import type { StateDict } from '../../nn/module.js';
import { writeFileAtomic } from '../../node/atomicWrite.js';
import { DOMAIN_BENCHMARKS, isDomainBenchmark, loadDomainBenchmark, loadUserDomainDataset } from '../../node/domainData.js';
import { completedRuns, encodeRunLine, openRunsFile, type RunSettings } from '../../node/experimentRuns.js';
import { renderFigure } from '../../node/render.js';
import { RandomState } from '../../tensor/random.js';
import { type OptionSpecs, type OptionValues, optionValues } from '../args.js';
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

const options = {
  dataset: { type: 'string', description: `${DOMAIN_BENCHMARKS.join(', ')}, or a CSV / .npy file with a domain column` },
  variant: { type: 'string', choices: ['irm', 'domainbed'], description: 'colored benchmarks: the IRM paper’s 2+1 environments (default) or DomainBed’s 3' },
  'data-seed': { type: 'integer', min: 0, description: 'seed of the benchmark construction', default: 0 },
  method: { type: 'string', choices: METHODS, description: 'the algorithm', default: 'erm' },
  compare: { type: 'string', description: 'several methods on the same seeds, comma-separated (e.g. erm,irm,vrex,groupdro)' },
  domain: { type: 'string', description: 'CSV: the domain column (.npy: its index)' },
  label: { type: 'string', description: 'CSV: the label column (default label)' },
  'test-domain': { type: 'string', description: 'domain generalisation: test domain value(s), comma-separated; each is held out in turn' },
  'target-domain': {
    type: 'string',
    description: 'domain adaptation: target domain(s) whose rows train without their labels (each in turn) and are scored',
  },
  'source-domain': { type: 'string', description: 'domain adaptation: the labelled source domain(s) (default: every other domain)' },
  select: {
    type: 'string',
    choices: Object.keys(SELECTION_RULES) as SelectionRule[],
    description: 'model selection: training-domain, leave-one-domain-out, oracle, or (with a target) entropy, snd, iwcv, dev',
    default: 'training-domain',
  },
  seeds: { type: 'integer', min: 1, description: 'trial seeds (runs per test domain)', default: 3 },
  steps: { type: 'integer', min: 1, description: 'training steps (one minibatch per domain each)', default: 1000 },
  'checkpoint-every': { type: 'integer', min: 1, description: 'steps between evaluations', default: 100 },
  'eval-rows': { type: 'integer', min: 1, description: 'score at most this many rows per domain and split at a checkpoint (default all)' },
  model: { type: 'string', choices: ['mlp', 'cnn'], description: 'featurizer: DomainBed’s MLP or its MNIST CNN (images)', default: 'mlp' },
  'mlp-width': { type: 'integer', min: 1, description: 'width of the MLP featurizer (DomainBed mlp_width)', default: 256 },
  'mlp-depth': { type: 'integer', min: 2, description: 'linear layers of the MLP featurizer (DomainBed mlp_depth)', default: 3 },
  hparams: { type: 'string', description: 'hyperparameters, name=value comma-separated (DomainBed’s or losslab’s names, e.g. irm_lambda=1000)' },
  'batch-size': { type: 'integer', min: 1, description: 'rows per domain per step (DomainBed: 64)' },
  lr: { type: 'number', min: 0, exclusiveMin: true, description: 'Adam learning rate (DomainBed: 0.001)' },
  'penalty-weight': {
    type: 'number',
    min: 0,
    description: 'the method’s penalty weight: IRM irm_lambda (100), VREx vrex_lambda (10), CORAL/MMD/DAN mmd_gamma (1), DANN lambda (1)',
  },
  anneal: { type: 'integer', min: 0, description: 'IRM / VREx steps with penalty weight 1 first (DomainBed: 500)' },
  'groupdro-eta': { type: 'number', min: 0, description: 'GroupDRO step size of the domain weights (DomainBed: 0.01)' },
  out: { type: 'string', description: 'folder for results.json, table.csv/.md, curves (CSV, PNG) and UMAP embeddings before/after' },
  json: { type: 'string', description: 'write the results as JSON to this file' },
  runs: {
    type: 'string',
    description: 'append each finished run to this JSONL file the moment it ends (default with --out: DIR/runs.jsonl); a stopped experiment keeps them',
  },
  resume: { type: 'boolean', description: 'continue the experiment of the runs file (--runs or --out): its finished runs are read back, not trained again' },
} as const satisfies OptionSpecs;

type AdaptOptions = OptionValues<typeof options>;

function domainIndices(data: DomainDataset, values: string[], option: string): number[] {
  return values.map((v) => {
    const i = data.domainNames.indexOf(v);
    if (i < 0)
      fail({
        fn: FN,
        argument: option,
        value: formatValue(v),
        rule: `it must name a domain of the data (${data.domainNames.map((d) => JSON.stringify(d)).join(', ')})`,
      });
    return i;
  });
}

async function loadData(o: AdaptOptions, io: CommandIO): Promise<{ data: DomainDataset; labelled?: Uint8Array }> {
  const { dataset, variant, domain } = o;
  if (dataset === undefined)
    fail({ fn: FN, argument: '--dataset', rule: `it is required: one of ${DOMAIN_BENCHMARKS.join(', ')}, or a CSV/.npy file with --domain` });
  if (isDomainBenchmark(dataset)) return { data: loadDomainBenchmark(dataset, { variant, seed: o['data-seed'] }) };
  if (domain === undefined) fail({ fn: FN, argument: '--domain', rule: 'a CSV or .npy dataset needs --domain COL (the column that names each row’s domain)' });
  const data = await loadUserDomainDataset(resolve(io.cwd, dataset), {
    domain,
    label: o.label,
    testDomains: list(o['test-domain']),
    targetDomains: list(o['target-domain']),
  });
  return { data, labelled: data.labelled };
}

/** `--hparams name=value,…` (losslab's or DomainBed's names) plus the shorthand options, for one method. */
function hparamsFor(o: AdaptOptions, method: string): Record<string, HparamValue | undefined> {
  const algorithm = resolveMethod(method, FN, '--method');
  const specs = hparamSpecs(algorithm);
  const out: Record<string, HparamValue | undefined> = {
    lr: o.lr,
    batchSize: o['batch-size'],
  };
  const { 'penalty-weight': weight, anneal } = o;
  if (algorithm === 'irm') Object.assign(out, { irmLambda: weight, irmPenaltyAnnealIters: anneal });
  if (algorithm === 'vrex') Object.assign(out, { vrexLambda: weight, vrexPenaltyAnnealIters: anneal });
  if (['coral', 'mmd', 'dan'].includes(algorithm)) out.mmdGamma = weight;
  if (algorithm === 'dann') out.lambda = weight;
  if (algorithm === 'groupdro') out.groupdroEta = o['groupdro-eta'];
  for (const item of list(o.hparams)) {
    const eq = item.indexOf('=');
    if (eq < 1) fail({ fn: FN, argument: '--hparams', value: formatValue(item), rule: 'it must list name=value pairs, comma-separated' });
    const name = item.slice(0, eq).trim();
    const raw = item.slice(eq + 1).trim();
    const spec = specs.find((s) => s.name === name || s.domainbedName === name);
    // a name of another method in --compare is skipped; a name no method has is an error
    if (!spec) {
      if (!METHODS.some((m) => hparamSpecs(resolveMethod(m)).some((s) => s.name === name || s.domainbedName === name)))
        fail({
          fn: FN,
          argument: '--hparams',
          value: formatValue(name),
          rule: `no method has this hyperparameter (${method}: ${specs.map((s) => s.name).join(', ')})`,
        });
      continue;
    }
    const value = typeof spec.default === 'number' ? Number(raw) : typeof spec.default === 'boolean' ? raw === 'true' : raw;
    if (typeof value === 'number' && !Number.isFinite(value))
      fail({ fn: FN, argument: '--hparams', value: formatValue(item), rule: `${name} must be a number` });
    out[spec.name] = value;
  }
  return out;
}

const pct = (v: number) => (Number.isNaN(v) ? 'n/a' : (100 * v).toFixed(1));

/** The DomainBed-style table: one row per method, one column per test domain (mean ± sd over seeds), and the average. */
export function resultTable(results: readonly ExperimentResult[], format: 'text' | 'markdown' | 'csv', which: 'summary' | 'oracleSummary' = 'summary'): string {
  const domains = results[0][which].map((s) => s.domain);
  const header = ['method', ...domains, 'Avg'];
  const rows = results.map((r) => {
    const summary = r[which];
    const avg = summary.reduce((s, d) => s + d.mean, 0) / summary.length;
    if (format === 'csv') return [r.method, ...summary.flatMap((d) => [String(d.mean), String(d.sd)]), String(avg)];
    return [r.title, ...summary.map((d) => `${pct(d.mean)} ± ${pct(d.sd)}`), pct(avg)];
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

/** What `--out` keeps of a method's first run: the features before training and the trainer with its checkpoints' weights. */
interface FirstRun {
  trainer: DomainTrainer;
  rows: Int32Array;
  before: Float32Array;
  snapshots: Map<number, StateDict>;
}

/** Up to `per` rows of each domain's "in" split (the same rows before and after). */
function embeddingRows(trainer: DomainTrainer, per: number): Int32Array {
  const rng = new RandomState(0);
  const out: number[] = [];
  for (const rows of trainer.split.in) {
    const pick = rows.length > per ? Array.from(rng.choice(rows.length, per), (i) => rows[i]) : Array.from(rows);
    out.push(...pick);
  }
  return Int32Array.from(out);
}

function roleOf(trainer: DomainTrainer, d: number): string {
  return trainer.targetDomains.includes(d) ? 'target' : trainer.testDomains.includes(d) ? 'test' : trainer.trainDomains.includes(d) ? 'train' : 'unused';
}

async function writeOutputs(
  dir: string,
  data: DomainDataset,
  results: ExperimentResult[],
  firstRuns: Map<string, FirstRun>,
  json: string,
  io: CommandIO,
): Promise<void> {
  const r0 = results[0];
  writeFileAtomic(join(dir, 'results.json'), json);
  writeFileAtomic(join(dir, 'table.csv'), resultTable(results, 'csv'));
  const oracleNote = r0.select === 'oracle' ? '' : `\n\nBeside it, ${SELECTION_RULES.oracle}:\n\n${resultTable(results, 'markdown', 'oracleSummary')}`;
  writeFileAtomic(join(dir, 'table.md'), `Model selection: ${r0.selectLabel}\n\n${resultTable(results, 'markdown')}${oracleNote}`);
  const curves = ['method,test_domain,seed,step,domain,split,accuracy'];
  const steps = ['method,test_domain,seed,step,train_loss'];
  for (const r of results)
    for (const run of r.runs) {
      for (const c of run.checkpoints) {
        for (const [split, accs] of [
          ['in', c.inAcc],
          ['out', c.outAcc],
        ] as const)
          for (let d = 0; d < accs.length; d++)
            curves.push(`${r.method},${data.domainNames[run.testDomain]},${run.seed},${c.step},${data.domainNames[d]},${split},${accs[d]}`);
        steps.push(`${r.method},${data.domainNames[run.testDomain]},${run.seed},${c.step},${c.trainLoss}`);
      }
    }
  writeFileAtomic(join(dir, 'curves.csv'), `${curves.join('\n')}\n`);
  writeFileAtomic(join(dir, 'train_loss.csv'), `${steps.join('\n')}\n`);
  const written = ['results.json', 'table.csv', 'table.md', 'curves.csv', 'train_loss.csv'];
  for (const r of results) {
    // curves of the first test domain, mean over seeds, per domain and split
    const t = r.testDomains[0];
    const runs = r.runs.filter((run) => run.testDomain === t);
    const first = firstRuns.get(r.method);
    const rows: DomainCurveRow[] = [];
    for (let c = 0; c < runs[0].checkpoints.length; c++) {
      for (let d = 0; d < data.domainNames.length; d++) {
        for (const split of ['in', 'out'] as const) {
          const values = runs.map((run) => (split === 'in' ? run.checkpoints[c].inAcc[d] : run.checkpoints[c].outAcc[d])).filter((v) => !Number.isNaN(v));
          if (values.length === 0) continue;
          const role = first ? roleOf(first.trainer, d) : d === t ? 'test' : 'train';
          if (role === 'unused') continue;
          rows.push({
            step: runs[0].checkpoints[c].step,
            domain: data.domainNames[d],
            split,
            role,
            accuracy: values.reduce((s, v) => s + v, 0) / values.length,
          });
        }
      }
    }
    const what = r.adaptation ? `target ${data.domainNames[t]}` : `test domain ${data.domainNames[t]}`;
    await renderFigure(
      domainCurvesSpec(rows, `${r.title}: accuracy per domain (${what}; mean of ${runs.length} seed(s))`),
      join(dir, `curves-${r.method}.png`),
    );
    written.push(`curves-${r.method}.png`);
    if (!first) continue;
    const run = r.runs.find((x) => x.testDomain === t && x.seed === first.trainer.seed);
    const step = run?.selection.step ?? -1;
    const state = first.snapshots.get(step);
    if (state) first.trainer.restore(state);
    const after = first.trainer.features(first.rows);
    for (const [name, features, title] of [
      ['before', first.before, 'before training (initial weights)'],
      ['after', after, `after training (step ${step}, chosen by ${r.selectLabel})`],
    ] as const) {
      const xy = umapFeatures(features, first.rows.length, { seed: 0 });
      const points: DomainEmbeddingRow[] = xy.map((p, i) => {
        const row = first.rows[i];
        const d = data.domains[row];
        return { ...p, domain: `${data.domainNames[d]} (${roleOf(first.trainer, d)})`, label: data.classNames?.[data.y[row]] ?? String(data.y[row]) };
      });
      const file = `embedding-${r.method}-${name}`;
      await renderFigure(domainEmbeddingSpec(points, `${r.title}: UMAP of the learned features ${title}`), join(dir, `${file}.png`));
      writeFileAtomic(
        join(dir, `${file}.csv`),
        `x,y,domain,label\n${points.map((p) => `${p.x},${p.y},${JSON.stringify(p.domain)},${JSON.stringify(p.label)}`).join('\n')}\n`,
      );
      written.push(`${file}.png`, `${file}.csv`);
    }
  }
  io.stdout(`\nwrote ${dir}/: ${written.join(', ')}\n`);
}

export const command: Command = {
  name: 'adapt',
  summary:
    'train across domains (ERM, IRM, VREx, GroupDRO, Mixup, MLDG, CORAL, MMD, DANN) or adapt to a target domain (DANN, Deep CORAL, DAN, importance weighting), reported as DomainBed does',
  usage:
    'adapt --dataset NAME|FILE (--method NAME | --compare erm,irm,...) [--domain COL --label COL] [--test-domain V | --target-domain V [--source-domain V]] [--select RULE] [--seeds N] [--steps N] [--model mlp|cnn] [--hparams k=v,...] [--out DIR] [--json FILE] [--runs FILE] [--resume]',
  options,
  async run(args, io) {
    const o = optionValues(args, options);
    const { data, labelled } = await loadData(o, io);
    const compare = list(o.compare);
    const methods = compare.length > 0 ? compare : [o.method];
    for (const m of methods) {
      if (!METHODS.includes(m))
        fail({ fn: FN, argument: compare.length ? '--compare' : '--method', value: formatValue(m), rule: `methods are ${METHODS.join(', ')}` });
    }
    const targets = domainIndices(data, list(o['target-domain']), '--target-domain');
    const sources = domainIndices(data, list(o['source-domain']), '--source-domain');
    const tests = domainIndices(data, list(o['test-domain']), '--test-domain');
    const adaptation = targets.length > 0;
    if (sources.length > 0 && !adaptation) fail({ fn: FN, argument: '--source-domain', rule: 'it goes with --target-domain (domain adaptation)' });
    if (adaptation && tests.length > 0)
      fail({ fn: FN, argument: '--test-domain', rule: 'with --target-domain the target is the test domain: give one or the other' });
    const testDomains = adaptation ? targets : tests.length > 0 ? [...new Set(tests)] : [...data.defaultTestDomains];
    if (testDomains.length === 0)
      fail({ fn: FN, argument: '--test-domain', rule: `this dataset has no default test domain: name one (${data.domainNames.join(', ')})` });
    const { select, out } = o;
    if (TARGET_FREE_RULES.includes(select) && !adaptation)
      fail({ fn: FN, argument: '--select', value: formatValue(select), rule: 'target-free rules score unlabelled target rows: give --target-domain' });
    for (const m of methods) {
      if (m !== 'erm' && ADAPTATION_METHODS.includes(m) && !adaptation && ['source-only', 'deep-coral', 'dan', 'importance-weighting', 'iw'].includes(m))
        fail({ fn: FN, argument: '--method', value: formatValue(m), rule: 'this adaptation method needs --target-domain' });
    }
    io.stdout(`data: ${data.description}\n`);
    const counts = domainCounts(data);
    io.stdout(`domains: ${data.domainNames.map((d, i) => `${d} (${counts[i]} rows)`).join(', ')}\n`);
    if (adaptation) {
      const src = sources.length > 0 ? sources : data.domainNames.map((_, i) => i).filter((i) => !targets.includes(i));
      io.stdout(
        `domain adaptation: source ${src.map((d) => data.domainNames[d]).join(', ')} (labelled) → target ${targets.map((d) => data.domainNames[d]).join(', ')} (labels never used for training; each target in turn)\n`,
      );
    } else io.stdout(`domain generalisation: test domain ${testDomains.map((t) => data.domainNames[t]).join(', ')} (each held out in turn)\n`);
    // every finished run goes to the runs file at once; --resume reads them back instead of training again
    const runsPath = o.runs !== undefined ? resolve(io.cwd, o.runs) : out ? join(resolve(io.cwd, out), 'runs.jsonl') : undefined;
    const runsArgument = o.runs !== undefined ? '--runs' : '--out';
    if (o.resume === true && runsPath === undefined)
      fail({ fn: FN, argument: '--resume', rule: 'it continues from a runs file: give --runs FILE or the --out folder of the experiment' });
    const runsFile = runsPath === undefined ? null : openRunsFile(runsPath, o.resume === true, runsArgument);
    const settingsOf = (method: string): RunSettings => ({
      dataset: isDomainBenchmark(o.dataset ?? '') ? (o.dataset ?? '') : resolve(io.cwd, o.dataset ?? ''),
      variant: o.variant ?? null,
      dataSeed: o['data-seed'],
      domain: o.domain ?? null,
      label: o.label ?? null,
      domains: data.domainNames,
      rows: counts,
      adaptation,
      sourceDomains: sources.map((d) => data.domainNames[d]),
      steps: o.steps,
      checkpointEvery: o['checkpoint-every'],
      evalRows: o['eval-rows'] ?? null,
      model: o.model,
      mlpWidth: o['mlp-width'],
      mlpDepth: o['mlp-depth'],
      hparams: Object.entries(hparamsFor(o, method))
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
    });
    const results: ExperimentResult[] = [];
    const firstRuns = new Map<string, FirstRun>();
    for (const method of methods) {
      let current = '';
      const bar = progressBar(io, () => current);
      let first: FirstRun | null = null;
      const settings = settingsOf(method);
      const completed = runsFile ? completedRuns(runsFile.lines, method, settings, data.domainNames) : [];
      // the recorded runs this experiment needs (the file may hold other test domains or seeds too)
      const reused = completed.filter((r) => testDomains.includes(r.heldOut[0]) && r.seed < o.seeds).length;
      if (reused > 0) io.stdout(`${method}: ${reused} finished run(s) read from ${runsPath}\n`);
      const experiment = () =>
        runExperiment(data, {
          method,
          testDomains: adaptation ? undefined : testDomains,
          targetDomains: adaptation ? targets : undefined,
          trainDomains: adaptation && sources.length > 0 ? sources : undefined,
          seeds: o.seeds,
          steps: o.steps,
          checkpointEvery: o['checkpoint-every'],
          evalRows: o['eval-rows'],
          select,
          hparams: hparamsFor(o, method),
          model: o.model,
          mlpWidth: o['mlp-width'],
          mlpDepth: o['mlp-depth'],
          labelled,
          onRunStart: (trainer, run) => {
            if (!out || run.index !== 0) return;
            const rows = embeddingRows(trainer, 150);
            first = { trainer, rows, before: trainer.features(rows), snapshots: new Map() };
          },
          onStep: (p) => {
            const f = first as FirstRun | null;
            if (f && p.index === 0 && f.trainer.checkpointDue) f.snapshots.set(p.step - 1, f.trainer.snapshot());
            current = `${method} run ${p.index + 1}/${p.total}`;
            bar.update((p.index + p.step / p.steps) / p.total, `loss ${p.record.loss.toFixed(4)}`);
            return io.signal?.aborted ? false : undefined;
          },
          completed,
          onRunRecorded: (run) => runsFile?.append(encodeRunLine(method, settings, run, data.domainNames)),
        });
      let result: ExperimentResult;
      try {
        result = experiment();
      } catch (error) {
        bar.clear();
        if (runsFile && error instanceof LosslabError && io.signal?.aborted)
          fail({
            fn: FN,
            argument: runsArgument,
            value: JSON.stringify(runsPath),
            rule: 'the experiment was stopped before its runs finished (the finished ones are in this file)',
            fix: 'Run the same command with --resume to continue: only the missing runs are trained.',
          });
        throw error;
      }
      bar.clear();
      results.push(result);
      if (first) firstRuns.set(method, first);
    }
    const r0 = results[0];
    io.stdout(`model: ${r0.settings.model}; ${r0.settings.steps} steps, checkpoint every ${r0.settings.checkpointEvery}\n`);
    for (const r of results) {
      const h = Object.entries(r.hparams)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      io.stdout(`${r.title}: ${h}\n`);
    }
    const what = adaptation ? 'target-domain' : 'test-domain';
    io.stdout(`\n${what} accuracy (%), mean ± sd over ${r0.settings.seeds} seed(s); model chosen by: ${r0.selectLabel}\n\n`);
    io.stdout(resultTable(results, 'text'));
    if (select !== 'oracle') {
      io.stdout(`\nbeside it, ${SELECTION_RULES.oracle} — peeks at the test labels:\n\n`);
      io.stdout(resultTable(results, 'text', 'oracleSummary'));
    }
    const doc = results.map((r) => ({
      method: r.method,
      algorithm: r.algorithm,
      dataset: o.dataset,
      description: data.description,
      adaptation: r.adaptation,
      testDomains: r.testDomains.map((t) => data.domainNames[t]),
      select: r.select,
      selectLabel: r.selectLabel,
      oracle: r.select === 'oracle',
      hparams: r.hparams,
      settings: r.settings,
      summary: Object.fromEntries(r.summary.map((s) => [s.domain, { mean: s.mean, sd: s.sd, n: s.n }])),
      oracleSummary: Object.fromEntries(r.oracleSummary.map((s) => [s.domain, { mean: s.mean, sd: s.sd, n: s.n }])),
      runs: r.runs.map((run) => ({
        testDomain: data.domainNames[run.testDomain],
        seed: run.seed,
        selectedStep: run.selection.step,
        valAcc: run.selection.valAcc,
        testAcc: run.selection.testAcc,
        oracleTestAcc: run.oracle.testAcc,
        seconds: run.seconds,
        checkpoints: run.checkpoints.map((c) => ({
          step: c.step,
          inAcc: c.inAcc,
          outAcc: c.outAcc,
          trainLoss: c.trainLoss,
          ...(c.scores ? { scores: c.scores } : {}),
        })),
      })),
    }));
    const json = `${JSON.stringify(doc.length === 1 ? doc[0] : doc, null, 1)}\n`;
    const jsonPath = o.json;
    if (jsonPath) writeFileAtomic(resolve(io.cwd, jsonPath), json, '--json');
    if (out) await writeOutputs(resolve(io.cwd, out), data, results, firstRuns, json, io);
    return 0;
  },
};
