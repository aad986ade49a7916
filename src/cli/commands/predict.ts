import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { fail, formatValue } from '../../errors.js';
import { argmaxRows, probabilitiesFromLogits, topK } from '../../models/inference.js';
import { readNpyFile } from '../../node/npyFile.js';
import { decodePngGray } from '../../node/png.js';
import { optionValues, type OptionSpecs } from '../args.js';
import type { Command } from '../command.js';
import { loadModelDir } from './evaluate.js';

const FN = 'losslab predict';

/**
 * Model inputs from the positional file:
 * - `IMAGE.png`: an 8-bit gray/RGB/RGBA PNG of exactly the model's image size (28×28 for
 *   Fashion-MNIST), converted to gray; pixel bytes × the model's `inputScale` (1/255), as in training.
 *   Fashion-MNIST images are light clothes on a black background.
 * - `X.npy`: `[n, features]`, `[features]` or `[n, height, width]`. Integer arrays are raw values
 *   (bytes) and are scaled like the training data; float arrays are taken as model inputs already.
 */
function readInputs(path: string, inputSize: number, inputScale: number, imageShape: readonly [number, number] | null): { x: Float32Array; n: number } {
  const ext = extname(path).toLowerCase();
  if (ext === '.png') {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch (error) {
      return fail({
        fn: FN,
        argument: JSON.stringify(path),
        rule: `the image must exist and be readable (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      });
    }
    const image = decodePngGray(bytes, path);
    if (!imageShape) fail({ fn: FN, argument: path, rule: 'this model was not trained on images; pass an X.npy of feature rows' });
    const [h, w] = imageShape;
    if (image.width !== w || image.height !== h) {
      fail({
        fn: FN,
        argument: path,
        value: `a ${image.width}×${image.height} image`,
        rule: `the model takes ${w}×${h} images (width × height)`,
        fix: `Resize it to ${w}×${h} first.`,
      });
    }
    const x = new Float32Array(inputSize);
    for (let k = 0; k < inputSize; k++) x[k] = image.pixels[k] * inputScale;
    return { x, n: 1 };
  }
  if (ext !== '.npy') fail({ fn: FN, argument: JSON.stringify(path), rule: 'the input must be a .png image or a .npy array' });
  const t = readNpyFile(path, 'input');
  const features = t.ndim === 1 ? t.shape[0] : t.ndim === 2 ? t.shape[1] : t.ndim === 3 ? t.shape[1] * t.shape[2] : -1;
  if (features !== inputSize) {
    fail({
      fn: FN,
      argument: path,
      value: `shape [${t.shape.join(', ')}]`,
      rule: `rows must hold ${inputSize} features (the model's input size)${imageShape ? `, or be ${imageShape[0]}×${imageShape[1]} images` : ''}`,
    });
  }
  const n = t.ndim === 1 ? 1 : t.shape[0];
  const scale = t.dtype === 'int32' ? inputScale : 1;
  const x = new Float32Array(t.size);
  for (let i = 0; i < t.size; i++) {
    const v = t.data[i] * scale;
    if (!Number.isFinite(v))
      fail({ fn: FN, argument: path, value: `${formatValue(t.data[i])} at row ${Math.floor(i / inputSize)}`, rule: 'inputs must be finite numbers' });
    x[i] = v;
  }
  return { x, n };
}

const options = {
  model: { type: 'string', description: 'model folder written by losslab train --out' },
  top: { type: 'integer', min: 1, description: 'how many classes to list per input', default: 3 },
  json: { type: 'boolean', description: 'print JSON instead of text' },
} as const satisfies OptionSpecs;

export const command: Command = {
  name: 'predict',
  summary: 'top classes of an image or a .npy batch with a saved model',
  usage: 'predict --model DIR IMAGE.png|X.npy [--top K] [--json]',
  options,

  async run(args, io) {
    const { model: dir, top, json } = optionValues(args, options);
    if (dir === undefined) fail({ fn: FN, argument: '--model', rule: 'it is required (the folder written by losslab train --out)' });
    if (args.positionals.length !== 1) {
      fail({
        fn: FN,
        argument: 'INPUT',
        value: args.positionals.length === 0 ? 'missing' : formatValue(args.positionals),
        rule: 'give exactly one IMAGE.png or X.npy',
      });
    }
    const model = loadModelDir(resolve(io.cwd, dir), FN);
    const input = resolve(io.cwd, args.positionals[0]);
    const net = model.network;
    const c = net.numClasses;
    const { x, n } = readInputs(input, net.inputSize, model.inputScale, model.imageShape);
    const logits = new Float32Array(n * c);
    net.forward(x, n, logits);
    const probabilities = probabilitiesFromLogits(logits, n, c);
    const predicted = argmaxRows(logits, n, c);
    const k = Math.min(top, c);
    const name = (j: number): string => model.classNames?.[j] ?? String(j);
    const rows = Array.from({ length: n }, (_, i) => ({
      row: i,
      predicted: predicted[i],
      className: name(predicted[i]),
      top: topK(probabilities, i, c, k).map((t) => ({ classIndex: t.classIndex, className: name(t.classIndex), probability: t.probability })),
    }));
    if (json) {
      io.stdout(`${JSON.stringify({ input, predictions: rows }, null, 2)}\n`);
      return 0;
    }
    for (const r of rows) {
      io.stdout(`${n > 1 ? `row ${r.row}: ` : ''}${r.className}\n`);
      for (const t of r.top) io.stdout(`  ${(100 * t.probability).toFixed(2).padStart(6)}%  ${t.classIndex}  ${t.className}\n`);
    }
    return 0;
  },
};
