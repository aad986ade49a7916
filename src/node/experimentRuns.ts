import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CompletedRun } from '../adapt/experiment.js';
import type { TrainerCheckpoint } from '../adapt/trainer.js';
import { fail, formatValue } from '../errors.js';
import { writeFileAtomic } from './atomicWrite.js';

/**
 * The runs file of `losslab adapt` (`--runs FILE`, or `runs.jsonl` in `--out`): one JSON line per
 * finished (method, held-out domains, seed) run, appended and flushed to disk the moment the run
 * ends, so that a stopped or killed experiment loses at most the run in progress; `--resume` reads
 * the lines back and trains only the runs that are missing. Each line carries the settings that
 * determine a run (data, model, steps, hyperparameters): a resume with other settings is refused.
 * Numbers are written as JSON writes doubles (shortest round trip), so a resumed experiment's
 * tables are bit for bit those of an uninterrupted one; NaN (an unscored split) is written as null.
 */

export const RUNS_FORMAT = 'losslab-adapt-runs/1';

/** What determines a run's records besides its method, held-out domains and seed. */
export type RunSettings = Readonly<Record<string, string | number | boolean | null | readonly (string | number)[]>>;

export interface RunLine {
  readonly format: typeof RUNS_FORMAT;
  readonly method: string;
  readonly settings: RunSettings;
  /** Domain names (test or target first), as the data names them. */
  readonly heldOut: readonly string[];
  readonly seed: number;
  readonly seconds: number;
  readonly checkpoints: readonly TrainerCheckpoint[];
}

const FN = 'losslab adapt';

const toJson = (v: number): number | null => (Number.isNaN(v) ? null : v);
const fromJson = (v: unknown): number => (v === null ? Number.NaN : (v as number));

/** One finished run as its line (with the newline). */
export function encodeRunLine(method: string, settings: RunSettings, run: CompletedRun, domainNames: readonly string[]): string {
  const line = {
    format: RUNS_FORMAT,
    method,
    settings,
    heldOut: run.heldOut.map((d) => domainNames[d]),
    seed: run.seed,
    seconds: run.seconds,
    checkpoints: run.checkpoints.map((c) => ({
      step: c.step,
      testDomains: c.testDomains,
      ...(c.hparams === undefined ? {} : { hparams: c.hparams }),
      inAcc: c.inAcc.map(toJson),
      outAcc: c.outAcc.map(toJson),
      trainLoss: toJson(c.trainLoss),
      ...(c.scores ? { scores: Object.fromEntries(Object.entries(c.scores).map(([k, v]) => [k, toJson(v as number)])) } : {}),
    })),
  };
  return `${JSON.stringify(line)}\n`;
}

function decodeCheckpoint(c: Record<string, unknown>): TrainerCheckpoint {
  const scores = c.scores as Record<string, unknown> | undefined;
  return {
    step: c.step as number,
    testDomains: c.testDomains as number[],
    ...(c.hparams === undefined ? {} : { hparams: c.hparams as number }),
    inAcc: (c.inAcc as unknown[]).map(fromJson),
    outAcc: (c.outAcc as unknown[]).map(fromJson),
    trainLoss: fromJson(c.trainLoss),
    ...(scores ? { scores: Object.fromEntries(Object.entries(scores).map(([k, v]) => [k, fromJson(v)])) } : {}),
  };
}

function isRunLine(v: unknown): v is RunLine {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    r.format === RUNS_FORMAT &&
    typeof r.method === 'string' &&
    typeof r.settings === 'object' &&
    r.settings !== null &&
    Array.isArray(r.heldOut) &&
    r.heldOut.every((d) => typeof d === 'string') &&
    Number.isInteger(r.seed) &&
    typeof r.seconds === 'number' &&
    Array.isArray(r.checkpoints) &&
    r.checkpoints.length > 0 &&
    r.checkpoints.every(
      (c) => typeof c === 'object' && c !== null && Number.isInteger((c as { step?: unknown }).step) && Array.isArray((c as { inAcc?: unknown }).inAcc),
    )
  );
}

/**
 * Reads a runs file. A last line without its newline is a line cut short by a kill while it was
 * being written: it is dropped (and `cut` says so); any other line that is not a run is an error.
 */
export function readRunsFile(path: string, argument = '--runs'): { lines: RunLine[]; cut: boolean; complete: string } {
  const text = readFileSync(path, 'utf8');
  const parts = text.split('\n');
  const cut = parts[parts.length - 1] !== '';
  const complete = parts.slice(0, -1);
  const lines: RunLine[] = [];
  complete.forEach((raw, i) => {
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      value = undefined;
    }
    if (!isRunLine(value))
      fail({
        fn: FN,
        argument,
        value: JSON.stringify(path),
        rule: `line ${i + 1} is not a run of ${RUNS_FORMAT} (a file written by losslab adapt --runs / --out)`,
        fix: 'Point --runs at the runs file of the experiment to resume, or start without --resume.',
      });
    lines.push({ ...value, checkpoints: value.checkpoints.map((c) => decodeCheckpoint(c as unknown as Record<string, unknown>)) });
  });
  return { lines, cut, complete: complete.map((l) => `${l}\n`).join('') };
}

/** The first setting that differs between a recorded run and this command, as `name: recorded → now`. */
export function settingsDifference(recorded: RunSettings, now: RunSettings): string | null {
  const names = [...new Set([...Object.keys(recorded), ...Object.keys(now)])];
  for (const name of names) {
    const a = JSON.stringify(recorded[name] ?? null);
    const b = JSON.stringify(now[name] ?? null);
    if (a !== b) return `${name}: ${a} in the file, ${b} now`;
  }
  return null;
}

/**
 * Opens the runs file of an experiment. Without `resume` the file must not hold runs (they would be
 * mixed with the new ones, or lost); with `resume` it must exist, its cut-short last line is removed,
 * and its runs are returned for the experiment to skip.
 */
export function openRunsFile(path: string, resume: boolean, argument = '--runs'): { lines: RunLine[]; append: (line: string) => void } {
  let lines: RunLine[] = [];
  if (resume) {
    if (!existsSync(path))
      fail({ fn: FN, argument: '--resume', value: JSON.stringify(path), rule: 'the runs file to resume from does not exist', fix: 'Start without --resume.' });
    const read = readRunsFile(path, argument);
    lines = read.lines;
    // rewrite without the cut-short line, so that the next line starts on a line of its own
    if (read.cut) writeFileAtomic(path, read.complete, argument);
  } else if (existsSync(path) && readFileSync(path, 'utf8').trim() !== '') {
    fail({
      fn: FN,
      argument,
      value: JSON.stringify(path),
      rule: 'the file already holds runs of an experiment, which a new one would mix with its own',
      fix: 'Add --resume to continue that experiment (its finished runs are kept), or give another file / folder.',
    });
  }
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch {
    // the append below reports an unusable folder
  }
  const append = (line: string): void => {
    let fd = -1;
    try {
      fd = openSync(path, 'a');
      writeSync(fd, line);
      fsyncSync(fd);
    } catch (error) {
      const reason = error instanceof Error && 'code' in error ? String((error as NodeJS.ErrnoException).code) : String(error);
      fail({ fn: FN, argument, value: JSON.stringify(path), rule: `the runs file must be writable (${reason})` });
    } finally {
      if (fd >= 0) closeSync(fd);
    }
  };
  return { lines, append };
}

/** The recorded runs of one method with these settings, as the experiment's completed runs; other settings are refused. */
export function completedRuns(lines: readonly RunLine[], method: string, settings: RunSettings, domainNames: readonly string[]): CompletedRun[] {
  const out: CompletedRun[] = [];
  for (const line of lines) {
    if (line.method !== method) continue;
    const difference = settingsDifference(line.settings, settings);
    if (difference !== null)
      fail({
        fn: FN,
        argument: '--resume',
        value: formatValue(method),
        rule: `the runs file recorded this method with other settings (${difference})`,
        fix: 'Resume with the settings of the recorded runs, or start a new runs file.',
      });
    const heldOut = line.heldOut.map((name) => {
      const d = domainNames.indexOf(name);
      if (d < 0)
        fail({
          fn: FN,
          argument: '--resume',
          value: JSON.stringify(name),
          rule: `the runs file holds out a domain the data does not have (${domainNames.join(', ')})`,
        });
      return d;
    });
    out.push({ heldOut, seed: line.seed, checkpoints: line.checkpoints, seconds: line.seconds });
  }
  return out;
}
