import { readFileSync } from 'node:fs';
import { fail } from '../errors.js';
import type { Module } from '../nn/module.js';
import { loadSafetensors, saveSafetensors, type SafetensorsContents } from '../nn/safetensors.js';
import type { Tensor } from '../tensor/tensor.js';
import { writeFileAtomic } from './atomicWrite.js';

/** Reads a `.safetensors` file (`safetensors.torch.load_file`). */
export function readSafetensorsFile(path: string): SafetensorsContents {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    return fail({
      fn: 'readSafetensorsFile',
      argument: 'path',
      value: JSON.stringify(path),
      rule: `the file must be readable (${e instanceof Error && 'code' in e ? String((e as NodeJS.ErrnoException).code) : String(e)})`,
    });
  }
  return loadSafetensors(bytes);
}

/** Writes tensors (a state dict) to a `.safetensors` file atomically (`safetensors.torch.save_file`). */
export function writeSafetensorsFile(path: string, tensors: Record<string, Tensor>, metadata: Record<string, string> = {}): void {
  writeFileAtomic(path, saveSafetensors(tensors, metadata), 'path');
}

/** Loads a `.safetensors` state dict into `model` (strict: the keys and shapes must be the model's). */
export function loadModelWeights(model: Module, path: string, options: { strict?: boolean } = {}): void {
  model.loadStateDict(readSafetensorsFile(path).tensors, options);
}

/** Saves `model.stateDict()` to a `.safetensors` file that PyTorch loads into the same architecture. */
export function saveModelWeights(model: Module, path: string, metadata: Record<string, string> = {}): void {
  writeSafetensorsFile(path, model.stateDict(), { format: 'pt', ...metadata });
}
