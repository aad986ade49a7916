import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fail } from '../errors.js';
import { type Checkpoint, decodeCheckpoint, encodeCheckpoint } from '../models/checkpoint.js';
import { writeFileAtomic } from './atomicWrite.js';

/** The checkpoint of an interrupted `losslab train` run, in its `--out` folder. */
export const CHECKPOINT_HEADER = 'checkpoint.json';
export const CHECKPOINT_BLOB = 'checkpoint.bin';

/**
 * Reads the checkpoint in `out` for `--resume`, checking that the run's settings (`config`) are
 * those of the interrupted one. Errors name the folder, the file or the differing setting.
 */
export function readCheckpoint(out: string, config: Readonly<Record<string, unknown>>, fn: string): Checkpoint {
  const headerPath = join(out, CHECKPOINT_HEADER);
  const blobPath = join(out, CHECKPOINT_BLOB);
  if (!existsSync(headerPath)) {
    fail({
      fn,
      argument: '--resume',
      value: JSON.stringify(out),
      rule: `the folder must hold a checkpoint (${CHECKPOINT_HEADER}) of an interrupted run`,
      fix: existsSync(join(out, 'metrics.json')) ? 'That run has finished already.' : 'Start the run without --resume.',
    });
  }
  let blob: Uint8Array;
  try {
    blob = readFileSync(blobPath);
  } catch {
    return fail({ fn, argument: blobPath, rule: 'the checkpoint weights must exist and be readable' });
  }
  const checkpoint = decodeCheckpoint(readFileSync(headerPath, 'utf8'), blob, headerPath, blobPath);
  for (const [key, value] of Object.entries(config)) {
    if (JSON.stringify(checkpoint.config[key]) !== JSON.stringify(value)) {
      fail({
        fn,
        argument: `--resume`,
        value: `${key} = ${JSON.stringify(value)}`,
        rule: `a resumed run must use the settings of the interrupted one (${key} = ${JSON.stringify(checkpoint.config[key])})`,
        fix: 'Repeat the original command line with --resume.',
      });
    }
  }
  return checkpoint;
}

/** Writes the checkpoint into `out` (weights first, then the header that names them; both atomic). Returns the header's path. */
export function writeCheckpoint(out: string, checkpoint: Checkpoint): string {
  const { header, blob } = encodeCheckpoint(checkpoint);
  writeFileAtomic(join(out, CHECKPOINT_BLOB), blob);
  writeFileAtomic(join(out, CHECKPOINT_HEADER), header);
  return join(out, CHECKPOINT_HEADER);
}

/** Removes the checkpoint of a run that has finished. */
export function removeCheckpoint(out: string): void {
  rmSync(join(out, CHECKPOINT_HEADER), { force: true });
  rmSync(join(out, CHECKPOINT_BLOB), { force: true });
}
