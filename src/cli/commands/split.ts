import { extname, resolve } from 'node:path';
import type { CsvColumn, CsvColumnRequest } from '../../data/csv.js';
import type { TextEncoding } from '../../data/textDecoding.js';
import { fail } from '../../errors.js';
import { foldsFigure } from '../../figures/foldsFigure.js';
import { writeFileAtomic } from '../../node/atomicWrite.js';
import { appendCsvColumns, readCsvColumns } from '../../node/csvFile.js';
import { renderFigure } from '../../node/render.js';
import { type CrossValidator, type FoldSummary, type Labels, summarizeFolds, type TrainTest } from '../../validation/index.js';
import {
  createSplitter,
  SPLIT_STRATEGIES,
  type SplitStrategy,
  type StrategyNeed,
  type StrategyParameter,
  type StrategyValues,
} from '../../validation/strategies.js';
import { ENCODING_OPTION, type OptionSpecs, type OptionValues, optGiven, optionValues, type ParsedArgs } from '../args.js';
import { type Command, type CommandIO, stopIfInterrupted } from '../command.js';

const FN = 'losslab split';

/** The strategies by command-line name, from the registry (src/validation/strategies.ts). */
const STRATEGIES: Readonly<Record<string, SplitStrategy>> = Object.fromEntries(SPLIT_STRATEGIES.map((s) => [s.id, s]));

/** The options that set a splitter parameter (scikit-learn's name in the summary and errors). */
const OPTION_PARAMETER = {
  folds: 'nSplits',
  shuffle: 'shuffle',
  seed: 'randomState',
  'test-size': 'testSize',
  'train-size': 'trainSize',
  gap: 'gap',
  'max-train-size': 'maxTrainSize',
  'p-groups': 'nGroups',
  p: 'p',
  embargo: 'embargo',
  repeats: 'nRepeats',
} as const satisfies Partial<Record<keyof SplitOptions, StrategyParameter>>;

type ParameterOption = keyof typeof OPTION_PARAMETER;
const PARAMETER_OPTIONS = Object.keys(OPTION_PARAMETER) as ParameterOption[];

/** The column option of each need. */
const NEED_OPTION: Readonly<Record<StrategyNeed, 'label' | 'group' | 'time' | 'test-fold'>> = {
  label: 'label',
  group: 'group',
  time: 'time',
  testFold: 'test-fold',
};

/** The options a strategy takes: its parameters' options, --time where rows are in time order, --time-end with a time interval. */
function acceptedOptions(strategy: SplitStrategy): (keyof SplitOptions)[] {
  const options: (keyof SplitOptions)[] = PARAMETER_OPTIONS.filter((option) => strategy.accepts.includes(OPTION_PARAMETER[option]));
  if (strategy.timeOrdered && !strategy.needs.includes('time')) options.push('time');
  if (strategy.needs.includes('time')) options.push('time-end');
  return options;
}

interface Data {
  readonly n: number;
  readonly labels: Labels | null;
  readonly groups: Labels | null;
  readonly times: Float64Array | null;
  readonly timeEnds: Float64Array | null;
  readonly testFold: Float64Array | null;
}

function columnValues(column: CsvColumn | undefined): Labels | null {
  if (!column) return null;
  return column.kind === 'number' ? column.values : (column.values as string[]);
}

async function readData(path: string, o: SplitOptions, signal: AbortSignal | undefined): Promise<Data> {
  const requests: CsvColumnRequest[] = [];
  const { label, group, time, 'time-end': timeEnd, 'test-fold': testFold } = o;
  if (label !== undefined) requests.push({ name: label, missing: 'error', argument: '--label' });
  if (group !== undefined && group !== label) requests.push({ name: group, missing: 'error', argument: '--group' });
  for (const [name, argument] of [
    [time, '--time'],
    [timeEnd, '--time-end'],
    [testFold, '--test-fold'],
  ] as const) {
    if (name !== undefined && !requests.some((r) => r.name === name)) requests.push({ name, type: 'number', missing: 'error', argument });
  }
  const table = await readCsvColumns(path, requests, { source: path, delimiter: o.delimiter, encoding: o.encoding, signal });
  if (table.rowCount === 0) fail({ fn: FN, argument: path, rule: 'the file has a header but no data rows', fix: 'Splitting needs at least 2 rows.' });
  const numbers = (name: string | undefined, argument: string): Float64Array | null => {
    if (name === undefined) return null;
    const column = table.columns.get(name);
    if (column?.kind !== 'number') {
      return fail({
        fn: FN,
        argument,
        value: JSON.stringify(name),
        rule: 'the time column must hold numbers (e.g. seconds, days or a Unix timestamp)',
        fix: 'Convert dates to numbers first.',
      });
    }
    return column.values;
  };
  return {
    n: table.rowCount,
    labels: label === undefined ? null : columnValues(table.columns.get(label)),
    groups: group === undefined ? null : columnValues(table.columns.get(group)),
    times: numbers(time, '--time'),
    timeEnds: numbers(timeEnd, '--time-end'),
    testFold: numbers(testFold, '--test-fold'),
  };
}

/** The splitter of a strategy with the values of the options it accepts (the defaults are those of the option specs). */
function makeSplitter(strategy: SplitStrategy, o: SplitOptions, data: Data, seed: number | undefined, onWarning: (m: string) => void): CrossValidator {
  const given = (parameter: StrategyParameter, option: Exclude<ParameterOption, 'shuffle' | 'seed'>): number | undefined =>
    strategy.accepts.includes(parameter) ? o[option] : undefined;
  const values: StrategyValues = {
    nSplits: given('nSplits', 'folds'),
    shuffle: strategy.accepts.includes('shuffle') ? o.shuffle === true : undefined,
    randomState: strategy.accepts.includes('randomState') ? seed : undefined,
    testSize: given('testSize', 'test-size'),
    trainSize: given('trainSize', 'train-size'),
    gap: given('gap', 'gap'),
    maxTrainSize: given('maxTrainSize', 'max-train-size'),
    nGroups: given('nGroups', 'p-groups'),
    p: given('p', 'p'),
    embargo: given('embargo', 'embargo'),
    nRepeats: given('nRepeats', 'repeats'),
    t0: data.times ?? undefined,
    t1: data.timeEnds,
    testFold: data.testFold ?? undefined,
    onWarning,
  };
  return createSplitter(strategy, values);
}

function checkOptions(key: string, strategy: SplitStrategy, args: ParsedArgs, o: SplitOptions): void {
  for (const need of strategy.needs) {
    const option = NEED_OPTION[need];
    if (o[option] === undefined) {
      fail({
        fn: FN,
        argument: `--${option}`,
        rule: `--strategy ${key} needs it (the ${option.replace('-', ' ')} column)`,
        fix: `Name the column, e.g. --${option} ${need === 'label' ? 'y' : need === 'group' ? 'user_id' : need === 'time' ? 'timestamp' : 'fold'}.`,
      });
    }
  }
  const accepted = acceptedOptions(strategy);
  for (const option of [...PARAMETER_OPTIONS, 'time-end', 'test-fold'] as const) {
    if (
      optGiven(args, options, option) &&
      o[option] !== false &&
      !accepted.includes(option) &&
      !(option === 'test-fold' && strategy.needs.includes('testFold'))
    ) {
      fail({
        fn: FN,
        argument: `--${option}`,
        rule: `it has no effect with --strategy ${key}`,
        fix: accepted.length > 0 ? `--strategy ${key} takes ${accepted.map((o) => `--${o}`).join(', ')}.` : `--strategy ${key} takes none of the fold options.`,
      });
    }
  }
  if (o['time-end'] !== undefined && o.time === undefined) fail({ fn: FN, argument: '--time-end', rule: 'it needs --time (the start of each label interval)' });
}

function sortedByTime(times: Float64Array): number {
  for (let i = 1; i < times.length; i++) if (times[i] < times[i - 1]) return i;
  return -1;
}

function formatTime(range: readonly [number, number] | undefined): string {
  return range ? `${range[0]}…${range[1]}` : '–';
}

/** The per-split table printed to stdout. */
export function formatSummary(title: string, summaries: readonly FoldSummary[], n: number): string {
  const lines = [`${title}: ${summaries.length} split${summaries.length === 1 ? '' : 's'} of ${n} rows`];
  for (const s of summaries) {
    const parts = [`split ${s.split}`, `train ${s.trainSize}`, `test ${s.testSize}`];
    if (s.testClasses) {
      const mix = [...s.testClasses].slice(0, 6).map(([k, c]) => `${k}:${s.testSize ? ((100 * c) / s.testSize).toFixed(0) : 0}%`);
      if (s.testClasses.size > 6) mix.push(`… ${s.testClasses.size} classes`);
      parts.push(`classes ${mix.join(' ')}`);
    }
    if (s.testGroups !== undefined)
      parts.push(`groups test ${s.testGroups} / train ${s.trainGroups}${s.sharedGroups ? ` (${s.sharedGroups} on both sides!)` : ''}`);
    if (s.testTime || s.trainTime) parts.push(`time train ${formatTime(s.trainTime)} test ${formatTime(s.testTime)}`);
    lines.push(`  ${parts.join('  ')}`);
    for (const flag of s.flags) lines.push(`    ! split ${s.split}: ${flag}`);
  }
  const flagged = summaries.filter((s) => s.flags.length > 0).length;
  lines.push(flagged === 0 ? 'no empty or badly stratified splits' : `${flagged} split${flagged === 1 ? '' : 's'} flagged`);
  return `${lines.join('\n')}\n`;
}

function splitsJson(splits: readonly TrainTest[]): string {
  return `[\n${splits.map((s) => `{"train":[${s.train.join(',')}],"test":[${s.test.join(',')}]}`).join(',\n')}\n]\n`;
}

async function writeOut(
  path: string,
  dataPath: string,
  splits: readonly TrainTest[],
  n: number,
  partition: boolean,
  delimiter: string | undefined,
  encoding: TextEncoding,
  signal: AbortSignal | undefined,
): Promise<void> {
  const ext = extname(path).toLowerCase();
  if (ext === '.json') {
    writeFileAtomic(path, splitsJson(splits), '--out');
    return;
  }
  if (partition) {
    const fold = new Int32Array(n).fill(-1);
    splits.forEach((s, f) => {
      for (const i of s.test) fold[i] = f;
    });
    await appendCsvColumns(dataPath, path, [{ name: 'fold', value: (row) => String(fold[row]) }], { argument: '--out', delimiter, encoding, signal });
    return;
  }
  const columns = splits.map((s, f) => {
    const side = new Uint8Array(n);
    for (const i of s.train) side[i] = 1;
    for (const i of s.test) side[i] = 2;
    return { name: `split_${f}`, value: (row: number) => (side[row] === 2 ? 'test' : side[row] === 1 ? 'train' : '') };
  });
  await appendCsvColumns(dataPath, path, columns, { argument: '--out', delimiter, encoding, signal });
}

/** A parameter's default where the class has none, from the registry (the lab shows the same value). */
function registryDefault(parameter: keyof SplitStrategy['defaults']): number {
  const value = SPLIT_STRATEGIES.find((s) => s.defaults[parameter] !== undefined)?.defaults[parameter];
  if (value === undefined) throw new Error(`no split strategy has a default ${parameter}`);
  return value;
}

const options = {
  strategy: { type: 'string', choices: Object.keys(STRATEGIES), description: 'which splitter (scikit-learn name in the summary)', default: 'kfold' },
  label: { type: 'string', description: 'class label column (stratified strategies; also summarised when given)' },
  group: { type: 'string', description: 'group column (a user, patient or device id): no group on both sides' },
  time: { type: 'string', description: 'numeric time column: checked sorted for time-series, label start for purged' },
  'time-end': { type: 'string', description: 'purged: numeric column where each label interval ends (default: = --time)' },
  folds: { type: 'integer', min: 1, description: 'number of splits (n_splits); default 5, 10 for shuffle and stratified-shuffle' },
  'test-size': {
    type: 'number',
    exclusiveMin: true,
    min: 0,
    description: 'shuffle strategies: fraction in (0, 1) or number of rows (group-shuffle: of groups); time-series: rows per test set',
  },
  gap: { type: 'integer', min: 0, description: 'time-series: rows left out between train and test', default: 0 },
  'max-train-size': { type: 'integer', min: 1, description: 'time-series: keep at most this many latest training rows' },
  'train-size': {
    type: 'number',
    exclusiveMin: true,
    min: 0,
    description: 'shuffle strategies: fraction in (0, 1) or number of rows in train (default: the rest)',
  },
  'p-groups': { type: 'integer', min: 1, description: 'leave-p-groups-out: groups per test set', default: registryDefault('nGroups') },
  p: { type: 'integer', min: 1, description: 'leave-p-out: rows per test set', default: registryDefault('p') },
  'test-fold': { type: 'string', description: 'predefined: integer column with the test fold of each row (-1: always in train)' },
  embargo: { type: 'number', min: 0, description: 'purged: fraction of rows embargoed after each test block', default: 0 },
  repeats: { type: 'integer', min: 1, description: 'repeated strategies: number of repetitions', default: 10 },
  shuffle: { type: 'boolean', description: 'k-fold strategies: shuffle before splitting' },
  seed: { type: 'integer', min: 0, max: 4294967295, description: "seed (NumPy RandomState, so folds equal scikit-learn's random_state=S)" },
  delimiter: { type: 'string', description: 'CSV field delimiter', default: ',' },
  encoding: ENCODING_OPTION,
  out: {
    type: 'string',
    alias: 'o',
    description: '.json: [{"train": [...], "test": [...]}, ...]; .csv: the rows plus a fold column (or one column per split)',
  },
  figure: { type: 'string', description: 'fold membership per row as .svg, .png, .json or .csv' },
} as const satisfies OptionSpecs;

type SplitOptions = OptionValues<typeof options>;

export const command: Command = {
  name: 'split',
  summary: 'cross-validation folds of a CSV (scikit-learn-identical splitters)',
  usage: `split DATA.csv --strategy ${Object.keys(STRATEGIES).join('|')} [--label COL] [--group COL] [--time COL] [--folds K] [--test-size X] [--gap G] [--max-train-size M] [--shuffle --seed S] [--out folds.csv|folds.json] [--figure folds.png|svg]`,
  options,

  async run(args, io: CommandIO) {
    const [file, ...extra] = args.positionals;
    if (file === undefined) fail({ fn: FN, argument: 'DATA.csv', rule: 'it is required: the CSV file to split', fix: "Run 'losslab split --help'." });
    if (extra.length > 0) fail({ fn: FN, argument: extra[0], rule: 'split takes one CSV file' });
    const o = optionValues(args, options);
    const key = o.strategy;
    const strategy = STRATEGIES[key];
    checkOptions(key, strategy, args, o);
    const path = resolve(io.cwd, file);
    const data = await readData(path, o, io.signal);
    await stopIfInterrupted(io);
    if (strategy.timeOrdered && !strategy.needs.includes('time') && data.times) {
      const at = sortedByTime(data.times);
      if (at >= 0)
        fail({
          fn: FN,
          argument: '--time',
          value: `${data.times[at]} at row ${at + 1} after ${data.times[at - 1]}`,
          rule: 'time-series splits need the rows in time order',
          fix: 'Sort the file by the time column first.',
        });
    }
    let seed = o.seed;
    const randomised = strategy.accepts.includes('randomState') && (o.shuffle === true || !strategy.accepts.includes('shuffle'));
    if (randomised && seed === undefined) {
      seed = Math.floor(Math.random() * 0x100000000);
      io.stderr(`seed ${seed} (pass --seed ${seed} to get these splits again)\n`);
    }
    const splitter = makeSplitter(strategy, o, data, seed, (m) => io.stderr(`warning: ${m}\n`));
    const splits = [...splitter.split({ n: data.n }, data.labels, data.groups)];
    const summaries = summarizeFolds(splits, { labels: data.labels, groups: data.groups, times: data.times });
    await stopIfInterrupted(io);
    io.stdout(formatSummary(strategy.className, summaries, data.n));
    const { out, figure } = o;
    if (out !== undefined) {
      const ext = extname(out).toLowerCase();
      if (ext !== '.json' && ext !== '.csv') fail({ fn: FN, argument: '--out', value: JSON.stringify(out), rule: 'it must end in .json or .csv' });
      await writeOut(resolve(io.cwd, out), path, splits, data.n, strategy.partition, o.delimiter, o.encoding, io.signal);
      io.stdout(`wrote ${out}\n`);
    }
    if (figure !== undefined) {
      const spec = foldsFigure({
        n: data.n,
        splits,
        classes: data.labels,
        groups: data.groups,
        title: `${strategy.className}: ${splits.length} splits of ${data.n} rows`,
      });
      await stopIfInterrupted(io);
      await renderFigure(spec, resolve(io.cwd, figure), { argument: '--figure' });
      io.stdout(`wrote ${figure}\n`);
    }
    return 0;
  },
};
