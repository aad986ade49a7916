import { fail, formatValue } from '../errors.js';
import type { FloatBuffer } from '../kernels/linear.js';
import type { RandomStateSnapshot } from '../tensor/random.js';
import { decodeBundle, encodeBundle, type BundleArray } from './bundle.js';
import type { OptimizerState } from './optimizers.js';
import type { EpochResult, TrainerSnapshot } from './trainer.js';

/**
 * The checkpoint format (`checkpoint.json` + `checkpoint.bin`), written when a run is interrupted:
 * the JSON holds the run's settings (`config`, compared on `--resume`), the position (epoch, rows
 * done), the running loss/accuracy sums, the finished epochs' metrics, the optimizer step counter and
 * the NumPy-style RNG state; the blob (a tensor bundle, little-endian) holds the weights
 * (`param:W0` …), the optimizer buffers (`opt:<slot>:<i>`) and the epoch's row order (`order`).
 * Arrays keep their dtype, so a resumed run continues bit-exactly.
 */
export interface Checkpoint {
  /** Settings the run was started with; a resume must use the same. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly snapshot: TrainerSnapshot;
}

export function encodeCheckpoint(checkpoint: Checkpoint): { header: string; blob: Uint8Array } {
  const s = checkpoint.snapshot;
  const arrays: { name: string; shape: number[]; data: BundleArray }[] = [];
  for (const [i, p] of s.params.entries()) arrays.push({ name: `param:${i}`, shape: [p.length], data: p });
  for (const [slot, buffers] of Object.entries(s.optimizer.slots)) {
    for (const [i, b] of buffers.entries()) arrays.push({ name: `opt:${slot}:${i}`, shape: [b.length], data: b });
  }
  if (s.order) arrays.push({ name: 'order', shape: [s.order.length], data: s.order });
  const bundle = encodeBundle(arrays);
  const header = {
    format: 'losslab-checkpoint',
    version: 1,
    config: checkpoint.config,
    epoch: s.epoch,
    position: s.position,
    lossSum: s.lossSum,
    correct: s.correct,
    seconds: s.seconds,
    history: s.history,
    rng: s.rng,
    optimizer: { kind: s.optimizer.kind, step: s.optimizer.step, slots: Object.fromEntries(Object.entries(s.optimizer.slots).map(([k, v]) => [k, v.length])) },
    paramCount: s.params.length,
    blob: { byteLength: bundle.blob.length, checksum: bundle.checksum, tensors: bundle.entries },
  };
  return { header: `${JSON.stringify(header)}\n`, blob: bundle.blob };
}

/** Decodes a checkpoint, naming `headerName` / `blobName` in errors. */
export function decodeCheckpoint(headerText: string, blob: Uint8Array, headerName: string, blobName: string): Checkpoint {
  const fn = 'resume';
  let raw: unknown;
  try {
    raw = JSON.parse(headerText);
  } catch {
    return fail({ fn, argument: headerName, rule: 'it must be valid JSON (the checkpoint is corrupt)' });
  }
  const h = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  if (h.format !== 'losslab-checkpoint' || h.version !== 1) {
    fail({ fn, argument: headerName, value: formatValue(h.format ?? null), rule: 'its \'format\' must be "losslab-checkpoint" version 1' });
  }
  const b = (h.blob ?? {}) as Record<string, unknown>;
  if (b.byteLength !== blob.length)
    fail({
      fn,
      argument: blobName,
      value: `${blob.length} bytes`,
      rule: `it must hold ${formatValue(b.byteLength ?? null)} bytes; the checkpoint is truncated`,
    });
  const arrays = decodeBundle(b.tensors, blob, b.checksum, blobName);
  const get = (name: string): BundleArray => {
    const a = arrays.get(name);
    if (!a) return fail({ fn, argument: blobName, rule: `it must hold the array '${name}'` });
    return a;
  };
  const asFloat = (name: string): FloatBuffer => {
    const a = get(name);
    if (a instanceof Int32Array) return fail({ fn, argument: blobName, rule: `array '${name}' must be float32 or float64` });
    return a;
  };
  const opt = (h.optimizer ?? {}) as { kind?: unknown; step?: unknown; slots?: Record<string, number> };
  if ((opt.kind !== 'sgd' && opt.kind !== 'adam') || !Number.isInteger(opt.step))
    fail({ fn, argument: headerName, rule: 'it must record the optimizer kind and step' });
  const slots: Record<string, FloatBuffer[]> = {};
  for (const [slot, count] of Object.entries(opt.slots ?? {})) slots[slot] = Array.from({ length: count }, (_, i) => asFloat(`opt:${slot}:${i}`));
  const paramCount = Number(h.paramCount);
  const params = Array.from({ length: paramCount }, (_, i) => asFloat(`param:${i}`));
  const order = arrays.get('order');
  if (order !== undefined && !(order instanceof Int32Array)) fail({ fn, argument: blobName, rule: "array 'order' must be int32" });
  for (const key of ['epoch', 'position', 'lossSum', 'correct', 'seconds'] as const) {
    if (typeof h[key] !== 'number') fail({ fn, argument: headerName, value: formatValue(h[key] ?? null), rule: `its '${key}' must be a number` });
  }
  const snapshot: TrainerSnapshot = {
    epoch: h.epoch as number,
    position: h.position as number,
    order: order ?? null,
    lossSum: h.lossSum as number,
    correct: h.correct as number,
    seconds: h.seconds as number,
    history: (h.history ?? []) as EpochResult[],
    rng: h.rng as RandomStateSnapshot,
    optimizer: { kind: opt.kind as OptimizerState['kind'], step: opt.step as number, slots },
    params,
  };
  return { config: (h.config ?? {}) as Record<string, unknown>, snapshot };
}
