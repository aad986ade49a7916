import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fail } from '../errors.js';
import { decodeTrainingCheckpoint, encodeTrainingCheckpoint, type DataSummary, type JsonObject, type TrainingCheckpoint } from '../models/checkpoint.js';
import type { Trainer } from '../models/trainer.js';
import { removeStaleTemporaries, writeFileAtomicAsync } from './atomicWrite.js';

/**
 * Checkpoint files of a run folder (format: src/models/checkpoint.ts). `Checkpointer` writes one
 * atomically at every epoch end and, within long epochs, every `everySteps` steps or
 * `everySeconds` seconds, whichever comes first; each write replaces the last, so a run killed at
 * any moment (SIGKILL, a power cut, the out-of-memory killer) resumes from the newest one. The
 * state is encoded at once; the bytes reach the disk in the background (flushing takes ~10 ms on
 * this machine's disk, longer than an epoch of softmax regression), newest first: a checkpoint
 * still waiting when a newer one comes is dropped. `flush()` waits for the last one.
 */
export const CHECKPOINT_FILE = 'checkpoint.safetensors';
/** The files of format 1 (written only on Ctrl-C by losslab before 0.2): recognised, to say so. */
const LEGACY_FILES = ['checkpoint.json', 'checkpoint.bin'];

export interface CheckpointPolicy {
  /** Also write within an epoch after this many steps since the last checkpoint (default: never by count). */
  readonly everySteps?: number;
  /** Also write within an epoch after this many seconds since the last checkpoint (default 60). */
  readonly everySeconds?: number;
}

/** Writes the checkpoints of one training run into `dir`; call `afterStep` from `TrainerOptions.afterStep`. */
export class Checkpointer {
  private steps = 0;
  private last = performance.now();
  private queued: Uint8Array | null = null;
  private writing: Promise<void> | null = null;
  private failure: unknown = null;
  /** Checkpoints written to disk so far. */
  written = 0;

  constructor(
    readonly dir: string,
    private readonly trainer: Trainer,
    private readonly config: JsonObject,
    private readonly data: DataSummary,
    private readonly policy: CheckpointPolicy = {},
  ) {}

  get path(): string {
    return join(this.dir, CHECKPOINT_FILE);
  }

  /** Writes a checkpoint when one is due: at an epoch end, or after enough steps or seconds. */
  afterStep(epochEnded: boolean): void {
    this.steps++;
    const { everySteps, everySeconds = 60 } = this.policy;
    const due = epochEnded || (everySteps !== undefined && this.steps >= everySteps) || performance.now() - this.last >= everySeconds * 1000;
    if (due) this.save();
  }

  /** Writes a checkpoint of the trainer's current state (unless its running loss is no longer finite). */
  save(): void {
    if (this.failure) throw this.failure;
    const trainer = this.trainer;
    const snapshot = trainer.snapshot();
    this.steps = 0;
    this.last = performance.now();
    if (!Number.isFinite(snapshot.lossSum)) return; // a diverging run: keep the last good checkpoint
    this.queued = encodeTrainingCheckpoint(trainer, this.config, this.data, snapshot);
    if (!this.writing) this.writing = this.drain();
  }

  private async drain(): Promise<void> {
    try {
      while (this.queued) {
        const bytes = this.queued;
        this.queued = null;
        await writeFileAtomicAsync(this.path, bytes, '--out');
        this.written++;
      }
    } catch (error) {
      this.failure = error;
      this.queued = null;
    } finally {
      this.writing = null;
    }
  }

  /** Waits until the newest checkpoint is on disk; throws if a write failed (e.g. the disk is full). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.failure) throw this.failure;
  }

  /** Removes the checkpoint (after the run's outputs are written) and stale temporaries of it. */
  async remove(): Promise<void> {
    await this.flush();
    rmSync(this.path, { force: true });
    for (const legacy of LEGACY_FILES) rmSync(join(this.dir, legacy), { force: true });
    removeStaleTemporaries(this.path);
  }
}

/**
 * Reads and validates the checkpoint in `dir` against `trainer` (src/models/checkpoint.ts); `fn`
 * names the command in errors. A missing checkpoint is a `LosslabError` that says what to do.
 */
export function readCheckpoint(dir: string, trainer: Trainer, fn: string): TrainingCheckpoint {
  const path = join(dir, CHECKPOINT_FILE);
  if (!existsSync(path)) {
    const legacy = LEGACY_FILES.some((f) => existsSync(join(dir, f)));
    return fail({
      fn,
      argument: '--resume',
      value: JSON.stringify(dir),
      rule: legacy
        ? `the folder holds a checkpoint of an older losslab (${LEGACY_FILES.join(' + ')}), which this version cannot resume`
        : `the folder must hold a checkpoint (${CHECKPOINT_FILE}) of an interrupted run`,
      fix: legacy || !existsSync(join(dir, 'metrics.json')) ? 'Start the run without --resume.' : 'That run has finished already.',
    });
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    return fail({ fn, argument: path, rule: `the checkpoint must be readable (${(error as NodeJS.ErrnoException).code ?? String(error)})` });
  }
  return decodeTrainingCheckpoint(bytes, path, trainer);
}
