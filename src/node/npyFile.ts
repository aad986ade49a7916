import { readFileSync } from 'node:fs';
import { fail } from '../errors.js';
import { parseNpy, toNpy } from '../tensor/npy.js';
import type { Tensor } from '../tensor/tensor.js';
import { writeFileAtomic } from './atomicWrite.js';

/** Reads a `.npy` file into a tensor, with errors that name the file. */
export function readNpyFile(path: string, argument = 'file'): Tensor {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return fail({ fn: 'readNpy', argument, value: JSON.stringify(path), rule: `the file must exist and be readable (${code})` });
  }
  return parseNpy(bytes, `${argument} ${JSON.stringify(path)}`);
}

/** Writes a tensor as a `.npy` file (atomically), readable by `np.load`. */
export function writeNpyFile(path: string, t: Tensor, argument = '--out'): void {
  writeFileAtomic(path, toNpy(t), argument);
}
