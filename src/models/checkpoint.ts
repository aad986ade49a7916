import { LosslabError, fail, formatValue } from '../errors.js';
import type { FloatBuffer } from '../kernels/linear.js';
import { loadSafetensors, saveSafetensors } from '../nn/safetensors.js';
import type { RandomStateSnapshot } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { CRC32_START, crc32Final, crc32Update } from './crc32.js';
import type { OptimizerState } from './optimizers.js';
import type { EpochResult, Trainer, TrainerSnapshot } from './trainer.js';

/**
 * Checkpoints: everything a run needs to continue bit-exactly, in one safetensors file
 * (`safetensors.torch.load_file` reads its tensors), written atomically at every epoch end and
 * every N steps or seconds (src/node/checkpointFile.ts), so a killed run loses at most that much.
 *
 * Format, version 2 (the container is model-agnostic; the nn modules can store theirs the same way):
 * - tensors: the named state — for the Trainer `model.<param>` (W0, b0, W1, …), `optimizer.<slot>.<param>`
 *   (momentum; expAvg and expAvgSq for Adam) and `trainer.order` (int32, the epoch's row order once
 *   an epoch has started);
 * - `__metadata__` (strings, as safetensors requires): `format` = "losslab-checkpoint", `version` =
 *   "2", `kind` (what the state describes: "training"), `state` (JSON: the run's settings, the
 *   training data's summary, the position, the running sums, the finished epochs' metrics, the
 *   optimizer's kind and step and the NumPy-style RNG state) and `checksum`;
 * - `checksum` = "crc32:" + 8 hex digits of CRC-32 over the kind, the state text and every tensor
 *   (name, dtype, shape and little-endian bytes, in name order): a flipped bit anywhere is caught.
 * Reading checks the checksum first, then every field's type and range against the run being
 * resumed (`decodeTrainingCheckpoint`), so neither corruption nor an edited file is believed.
 */
export const CHECKPOINT_FORMAT = 'losslab-checkpoint';
export const CHECKPOINT_VERSION = '2';

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };
export type JsonObject = { readonly [key: string]: JsonValue };

/** The generic content of a checkpoint: a JSON state and named tensors, under one checksum. */
export interface CheckpointContents {
  /** What the state describes (readers check it), e.g. "training". */
  readonly kind: string;
  readonly state: JsonObject;
  readonly tensors: ReadonlyMap<string, Tensor>;
}

const textBytes = (s: string): Uint8Array => new TextEncoder().encode(s);

function contentChecksum(kind: string, state: string, tensors: ReadonlyMap<string, Tensor>): string {
  let crc = crc32Update(CRC32_START, textBytes(`${kind}\0${state}\0`));
  for (const name of [...tensors.keys()].sort()) {
    const t = tensors.get(name) as Tensor;
    crc = crc32Update(crc, textBytes(`${name}\0${t.dtype}\0${t.shape.join(',')}\0`));
    crc = crc32Update(crc, littleEndianBytes(t.data));
  }
  return `crc32:${crc32Final(crc).toString(16).padStart(8, '0')}`;
}

const littleEndian = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** The array's bytes in little-endian order (a view where the platform is little-endian). */
function littleEndianBytes(a: Float32Array | Float64Array | Int32Array): Uint8Array {
  if (littleEndian) return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const out = new Uint8Array(a.byteLength);
  const view = new DataView(out.buffer);
  if (a instanceof Float64Array) for (let i = 0; i < a.length; i++) view.setFloat64(8 * i, a[i], true);
  else if (a instanceof Float32Array) for (let i = 0; i < a.length; i++) view.setFloat32(4 * i, a[i], true);
  else for (let i = 0; i < a.length; i++) view.setInt32(4 * i, a[i], true);
  return out;
}

/** Serialises a checkpoint (safetensors bytes with the state and checksum in `__metadata__`). */
export function encodeCheckpointFile(contents: CheckpointContents): Uint8Array {
  const state = JSON.stringify(contents.state);
  return saveSafetensors(contents.tensors, {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    kind: contents.kind,
    state,
    checksum: contentChecksum(contents.kind, state, contents.tensors),
  });
}

/** Reads a checkpoint of `kind`, verifying its format and checksum; `source` names the file in errors. */
export function decodeCheckpointFile(bytes: Uint8Array, source: string, kind: string): CheckpointContents {
  const fn = 'resume';
  let file: ReturnType<typeof loadSafetensors>;
  try {
    file = loadSafetensors(bytes);
  } catch (error) {
    if (!(error instanceof LosslabError)) throw error;
    return fail({ fn, argument: source, rule: `it must be a losslab checkpoint, a safetensors file (${error.argument}: ${error.rule}); the file is corrupt` });
  }
  const m = file.metadata;
  if (m.format !== CHECKPOINT_FORMAT || m.version !== CHECKPOINT_VERSION || m.kind !== kind) {
    fail({
      fn,
      argument: source,
      value: `format ${formatValue(m.format ?? null)}, version ${formatValue(m.version ?? null)}, kind ${formatValue(m.kind ?? null)}`,
      rule: `it must be a "${CHECKPOINT_FORMAT}" version ${CHECKPOINT_VERSION} of kind "${kind}"`,
    });
  }
  const tensors = new Map(Object.entries(file.tensors));
  const state = m.state ?? '';
  const expected = contentChecksum(kind, state, tensors);
  if (m.checksum !== expected) {
    fail({
      fn,
      argument: source,
      value: `content with checksum ${expected}`,
      rule: `the checksum must be ${formatValue(m.checksum ?? null)}: the checkpoint is corrupt or was edited`,
      fix: 'Start the run again without --resume.',
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(state);
  } catch {
    parsed = null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) fail({ fn, argument: source, rule: "its 'state' must be a JSON object" });
  return { kind, state: parsed as JsonObject, tensors };
}

// ---------------------------------------------------------------------------------------------
// the Trainer's checkpoint

/** What identifies the training rows: their count, shape and a checksum of their bytes and labels. */
export interface DataSummary {
  readonly rows: number;
  readonly features: number;
  readonly classes: number;
  readonly checksum: string;
}

export interface TrainingCheckpoint {
  /** The run's settings (command-line options); a resume must use the same. */
  readonly config: JsonObject;
  readonly data: DataSummary;
  readonly snapshot: TrainerSnapshot;
}

/** Summarises training rows for `DataSummary` (one pass over the bytes: a CRC-32). */
export function summarizeData(data: { x: ArrayBufferView; y: Int32Array; n: number; features: number; numClasses: number }): DataSummary {
  const view = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const crc = crc32Update(crc32Update(CRC32_START, view(data.x)), view(data.y.subarray(0, data.n)));
  return { rows: data.n, features: data.features, classes: data.numClasses, checksum: `crc32:${crc32Final(crc).toString(16).padStart(8, '0')}` };
}

/** The checkpoint of `trainer` now (call between steps: from `afterStep`, or after `run()` stops). */
export function encodeTrainingCheckpoint(trainer: Trainer, config: JsonObject, data: DataSummary, s: TrainerSnapshot = trainer.snapshot()): Uint8Array {
  const params = trainer.network.params;
  const tensors = new Map<string, Tensor>();
  params.forEach((p, i) => {
    tensors.set(`model.${p.name}`, new Tensor(s.params[i], [...p.shape]));
    for (const [slot, buffers] of Object.entries(s.optimizer.slots)) tensors.set(`optimizer.${slot}.${p.name}`, new Tensor(buffers[i], [...p.shape]));
  });
  if (s.order) tensors.set('trainer.order', new Tensor(s.order, [s.order.length]));
  const state: JsonObject = {
    config,
    data: { ...data },
    epochs: trainer.epochs,
    batchSize: trainer.batchSize,
    epoch: s.epoch,
    position: s.position,
    lossSum: s.lossSum,
    correct: s.correct,
    seconds: s.seconds,
    history: s.history.map((r) => ({ ...r })),
    rng: { key: [...s.rng.key], pos: s.rng.pos, hasGauss: s.rng.hasGauss, gauss: s.rng.gauss },
    optimizer: { kind: s.optimizer.kind, step: s.optimizer.step },
  };
  return encodeCheckpointFile({ kind: 'training', state, tensors });
}

/**
 * Decodes a training checkpoint and checks every field against `trainer` (same network shapes and
 * dtypes, rows, epochs, batch size and optimizer): types, ranges and consistency (e.g. the
 * optimizer has taken exactly the steps the position implies). `restore` it with `trainer.restore`.
 */
export function decodeTrainingCheckpoint(bytes: Uint8Array, source: string, trainer: Trainer): TrainingCheckpoint {
  const { state, tensors } = decodeCheckpointFile(bytes, source, 'training');
  const check = new FieldChecker(source);
  const rows = trainer.data.n;
  const batchSize = trainer.batchSize;
  const batches = Math.ceil(rows / batchSize);
  const config = check.object(state, 'config');
  const dataState = check.object(state, 'data');
  const data: DataSummary = {
    rows: check.integer(dataState, 'data.rows', 1, Number.MAX_SAFE_INTEGER),
    features: check.integer(dataState, 'data.features', 1, Number.MAX_SAFE_INTEGER),
    classes: check.integer(dataState, 'data.classes', 1, Number.MAX_SAFE_INTEGER),
    checksum: check.string(dataState, 'data.checksum', /^crc32:[0-9a-f]{8}$/),
  };
  check.equal(state, 'epochs', trainer.epochs, 'the epochs of the run being resumed');
  check.equal(state, 'batchSize', batchSize, 'the batch size of the run being resumed');
  if (data.rows !== rows) check.reject('data.rows', data.rows, `it must equal the ${rows} training rows of the run being resumed`);
  const epoch = check.integer(state, 'epoch', 0, trainer.epochs);
  const position = check.integer(state, 'position', 0, epoch === trainer.epochs ? 0 : rows - 1);
  if (position % batchSize !== 0) check.reject('position', position, `it must be a whole number of batches (a multiple of ${batchSize})`);
  const lossSum = check.number(state, 'lossSum', 0, Infinity);
  const correct = check.integer(state, 'correct', 0, position);
  const seconds = check.number(state, 'seconds', 0, Infinity);
  const history = check.array(state, 'history', epoch).map((entry, i) => historyEntry(check, entry, i));
  const rngState = check.object(state, 'rng');
  const key = check.array(rngState, 'rng.key', 624).map((k, i) => check.integerValue(k, `rng.key[${i}]`, 0, 0xffffffff));
  const rng: RandomStateSnapshot = {
    key,
    pos: check.integer(rngState, 'rng.pos', 0, 624),
    hasGauss: check.boolean(rngState, 'rng.hasGauss'),
    gauss: check.number(rngState, 'rng.gauss', -Infinity, Infinity),
  };
  const opt = check.object(state, 'optimizer');
  const kind = check.string(opt, 'optimizer.kind', /^(sgd|adam)$/) as OptimizerState['kind'];
  if (kind !== trainer.optimizer.kind) check.reject('optimizer.kind', kind, `it must be "${trainer.optimizer.kind}", the optimizer of the run being resumed`);
  const steps = epoch * batches + position / batchSize;
  const step = check.integer(opt, 'optimizer.step', steps, steps);

  const used = new Set<string>();
  const take = (name: string, like: { dtype: string; shape: readonly number[] }): Tensor => {
    const t = tensors.get(name);
    if (!t) return check.reject(name, 'missing', 'the checkpoint must hold it');
    if (t.dtype !== like.dtype || t.shape.length !== like.shape.length || t.shape.some((d, i) => d !== like.shape[i])) {
      check.reject(name, `${t.dtype} [${t.shape.join(', ')}]`, `it must be ${like.dtype} [${like.shape.join(', ')}], as in the run being resumed`);
    }
    const bad = t.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) check.reject(`${name}[${bad}]`, formatValue(t.data[bad]), 'it must be finite');
    used.add(name);
    return t;
  };
  const params = trainer.network.params;
  const paramBuffers = params.map(
    (p) => take(`model.${p.name}`, { dtype: p.data instanceof Float32Array ? 'float32' : 'float64', shape: p.shape }).data as FloatBuffer,
  );
  const slotNames = trainer.optimizer.kind === 'sgd' ? ['momentum'] : ['expAvg', 'expAvgSq'];
  const slots: Record<string, FloatBuffer[]> = {};
  for (const slot of slotNames) {
    const present = params.filter((p) => tensors.has(`optimizer.${slot}.${p.name}`)).length;
    if (present === 0) continue;
    if (step === 0) check.reject(`optimizer.${slot}`, `${present} buffers`, 'an optimizer that has not stepped has no buffers');
    slots[slot] = params.map(
      (p) => take(`optimizer.${slot}.${p.name}`, { dtype: p.data instanceof Float32Array ? 'float32' : 'float64', shape: p.shape }).data as FloatBuffer,
    );
  }
  let order: Int32Array | null = null;
  if (position > 0) {
    order = take('trainer.order', { dtype: 'int32', shape: [rows] }).data as Int32Array;
    const bad = order.findIndex((k) => k < 0 || k >= rows);
    if (bad >= 0) check.reject(`trainer.order[${bad}]`, order[bad], `row indices must lie in [0, ${rows - 1}]`);
  }
  const extra = [...tensors.keys()].find((name) => !used.has(name));
  if (extra !== undefined) check.reject(extra, 'present', 'the checkpoint holds no other tensors (it belongs to another model or position)');
  return {
    config,
    data,
    snapshot: { epoch, position, order, lossSum, correct, seconds, history, rng, optimizer: { kind, step, slots }, params: paramBuffers },
  };
}

function historyEntry(check: FieldChecker, entry: JsonValue, i: number): EpochResult {
  const e = check.objectValue(entry, `history[${i}]`);
  check.integer(e, `history[${i}].epoch`, i + 1, i + 1);
  const testAccuracy = e.testAccuracy === null ? null : check.number(e, `history[${i}].testAccuracy`, 0, 1);
  return {
    epoch: i + 1,
    trainLoss: check.number(e, `history[${i}].trainLoss`, 0, Number.MAX_VALUE),
    trainAccuracy: check.number(e, `history[${i}].trainAccuracy`, 0, 1),
    testAccuracy,
    seconds: check.number(e, `history[${i}].seconds`, 0, Number.MAX_VALUE),
  };
}

/**
 * Refuses to resume a run with other settings or other data than the checkpoint's; `fn` is the
 * command, `names` maps a setting to the option the user types (for the message).
 */
export function checkSameRun(checkpoint: TrainingCheckpoint, config: JsonObject, data: DataSummary, fn: string): void {
  for (const [key, value] of Object.entries(config)) {
    if (JSON.stringify(checkpoint.config[key]) !== JSON.stringify(value)) {
      fail({
        fn,
        argument: '--resume',
        value: `${key} = ${JSON.stringify(value)}`,
        rule: `a resumed run must use the settings of the interrupted one (${key} = ${JSON.stringify(checkpoint.config[key] ?? null)})`,
        fix: 'Repeat the original command line with --resume.',
      });
    }
  }
  const d = checkpoint.data;
  if (d.rows !== data.rows || d.features !== data.features || d.classes !== data.classes || d.checksum !== data.checksum) {
    fail({
      fn,
      argument: '--resume',
      value: `training data of ${data.rows} rows × ${data.features} features, ${data.checksum}`,
      rule: `a resumed run must train on the data of the interrupted one (${d.rows} rows × ${d.features} features, ${d.checksum}): the data changed`,
      fix: 'Restore the original data, or start the run again without --resume.',
    });
  }
}

/** Type and range checks of checkpoint fields, with messages that name the field and the file. */
class FieldChecker {
  constructor(private readonly source: string) {}

  reject(field: string, value: unknown, rule: string): never {
    return fail({ fn: 'resume', argument: `${field} in ${this.source}`, value: typeof value === 'string' ? value : formatValue(value), rule });
  }

  objectValue(v: JsonValue | undefined, field: string): JsonObject {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return this.reject(field, JSON.stringify(v ?? null), 'it must be a JSON object');
    return v as JsonObject;
  }

  object(o: JsonObject, field: string): JsonObject {
    return this.objectValue(o[last(field)], field);
  }

  array(o: JsonObject, field: string, length: number): readonly JsonValue[] {
    const v = o[last(field)];
    if (!Array.isArray(v) || v.length !== length) {
      this.reject(field, Array.isArray(v) ? `a list of ${v.length}` : JSON.stringify(v ?? null), `it must be a list of ${length} entries`);
    }
    return v as readonly JsonValue[];
  }

  number(o: JsonObject, field: string, min: number, max: number): number {
    const v = o[last(field)];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
      this.reject(
        field,
        typeof v === 'number' ? v : JSON.stringify(v ?? null),
        `it must be a finite number in [${min}, ${max >= Number.MAX_VALUE ? '∞' : max}]`,
      );
    }
    return v as number;
  }

  integerValue(v: JsonValue | undefined, field: string, min: number, max: number): number {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      this.reject(
        field,
        typeof v === 'number' ? v : JSON.stringify(v ?? null),
        min === max ? `it must be ${min}` : `it must be an integer in [${min}, ${max}]`,
      );
    }
    return v as number;
  }

  integer(o: JsonObject, field: string, min: number, max: number): number {
    return this.integerValue(o[last(field)], field, min, max);
  }

  boolean(o: JsonObject, field: string): boolean {
    const v = o[last(field)];
    if (typeof v !== 'boolean') this.reject(field, JSON.stringify(v ?? null), 'it must be true or false');
    return v as boolean;
  }

  string(o: JsonObject, field: string, pattern: RegExp): string {
    const v = o[last(field)];
    if (typeof v !== 'string' || !pattern.test(v)) this.reject(field, JSON.stringify(v ?? null), `it must match ${pattern}`);
    return v as string;
  }

  equal(o: JsonObject, field: string, expected: number, what: string): void {
    if (o[field] !== expected) this.reject(field, JSON.stringify(o[field] ?? null), `it must be ${expected}, ${what}`);
  }
}

/** The last segment of a dotted field name (`rng.pos` → `pos`): the key inside its object. */
function last(field: string): string {
  return field.slice(field.lastIndexOf('.') + 1);
}
