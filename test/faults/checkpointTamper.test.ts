/**
 * Fault injection: corrupt and edited checkpoints (issue #13: "an edited checkpoint is believed" —
 * `"position": -5` resumed and reported 146.22% accuracy, 10⁹ ended the epoch at once, a flipped bit
 * in `lossSum` changed the result silently). Every flipped bit must be refused by the checksum; an
 * edit that also forges the checksum must be refused by the range check of the field it touched.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDataset } from '../../src/data/dataset.js';
import { LosslabError } from '../../src/errors.js';
import {
  decodeCheckpointFile,
  decodeTrainingCheckpoint,
  encodeCheckpointFile,
  encodeTrainingCheckpoint,
  summarizeData,
  type JsonObject,
  type JsonValue,
} from '../../src/models/checkpoint.js';
import { Network } from '../../src/models/network.js';
import { SGD } from '../../src/models/optimizers.js';
import { Trainer } from '../../src/models/trainer.js';
import { RandomState } from '../../src/tensor/random.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { losslab, tempDir } from '../cli/harness.js';

function makeTrainer(): Trainer {
  const rs = new RandomState(1);
  const x = Float32Array.from({ length: 50 * 6 }, () => rs.standardNormal());
  const y = Int32Array.from({ length: 50 }, () => rs.randint(0, 3));
  const data = createDataset(x, y, { features: 6, numClasses: 3 });
  const network = new Network([6, 4, 3]);
  network.initialize(new RandomState(2));
  return new Trainer(network, data, new SGD({ lr: 0.1, momentum: 0.9 }), { epochs: 3, batchSize: 8, rng: new RandomState(3) });
}

/** A checkpoint 1 epoch + 2 batches into the run (mid-epoch: the order and momentum are stored). */
function checkpoint(): { trainer: Trainer; bytes: Uint8Array } {
  const trainer = makeTrainer();
  for (let i = 0; i < 9; i++) trainer.step();
  return { trainer, bytes: encodeTrainingCheckpoint(trainer, { seed: 3 }, summarizeData(trainer.data)) };
}

/** Decoding into a fresh trainer of the same run: the error message, or '' when accepted. */
function refusal(bytes: Uint8Array): string {
  try {
    decodeTrainingCheckpoint(bytes, 'ck.safetensors', makeTrainer());
    return '';
  } catch (error) {
    if (!(error instanceof LosslabError)) throw error;
    return error.message;
  }
}

type Edit = (state: Record<string, JsonValue>, tensors: Map<string, Tensor>) => void;

/** Edits the state and tensors, then forges a valid checksum (what a careful vandal or a bug would do). */
function forged(bytes: Uint8Array, edit: Edit): Uint8Array {
  const c = decodeCheckpointFile(bytes, 'ck', 'training');
  const state = JSON.parse(JSON.stringify(c.state)) as Record<string, JsonValue>;
  const tensors = new Map(c.tensors);
  edit(state, tensors);
  return encodeCheckpointFile({ kind: 'training', state: state as JsonObject, tensors });
}

const obj = (v: JsonValue): Record<string, JsonValue> => v as Record<string, JsonValue>;

describe('a corrupt checkpoint is refused', () => {
  it('the untouched checkpoint restores', () => {
    const { bytes } = checkpoint();
    expect(refusal(bytes)).toBe('');
  });

  it('every flipped bit is refused (property over positions and bits)', () => {
    const { bytes } = checkpoint();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), fc.integer({ min: 0, max: 7 }), (at, bit) => {
        const bad = bytes.slice();
        bad[at] ^= 1 << bit;
        expect(refusal(bad)).toMatch(/^resume: argument '(ck\.safetensors|.* in ck\.safetensors)'/);
      }),
      { numRuns: 400, seed: 13 },
    );
  });

  it('a bit flipped in lossSum, in a weight or in the row order is caught by the checksum', () => {
    const { bytes } = checkpoint();
    const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Record<string, { data_offsets: number[] }>;
    const dataByte = (name: string): number => 8 + headerLength + header[name].data_offsets[0] + 2;
    const positions: Record<string, number> = {
      lossSum: new TextDecoder('latin1').decode(bytes).indexOf('lossSum') + 12,
      'model.W0': dataByte('model.W0'),
      'optimizer.momentum.W1': dataByte('optimizer.momentum.W1'),
      'trainer.order': dataByte('trainer.order'),
    };
    for (const [what, at] of Object.entries(positions)) {
      const bad = bytes.slice();
      bad[at] ^= 0x04;
      expect(refusal(bad), what).toMatch(/checksum must be "crc32:[0-9a-f]{8}": the checkpoint is corrupt or was edited/);
    }
  });

  it('truncation at any length is refused', () => {
    const { bytes } = checkpoint();
    for (const length of [0, 7, 8, 9, 100, bytes.length >> 1, bytes.length - 1]) {
      expect(refusal(bytes.subarray(0, length)), `${length} bytes`).toMatch(/ck\.safetensors/);
    }
  });
});

describe('an edited checkpoint with a forged checksum is refused by the field it touched', () => {
  const cases: readonly [string, Edit, RegExp][] = [
    ['position −5', (s) => (s.position = -5), /argument 'position in ck\.safetensors' is -5, but it must be an integer in \[0, 49\]/],
    ['position 10⁹', (s) => (s.position = 1e9), /'position in ck\.safetensors' is 1000000000, but it must be an integer in \[0, 49\]/],
    [
      'position off the batch grid',
      (s) => (s.position = 12),
      /'position in ck\.safetensors' is 12, but it must be a whole number of batches \(a multiple of 8\)/,
    ],
    ['position a string', (s) => (s.position = '16'), /'position in ck\.safetensors' is "16"/],
    ['epoch past the end', (s) => (s.epoch = 4), /'epoch in ck\.safetensors' is 4, but it must be an integer in \[0, 3\]/],
    ['lossSum negative', (s) => (s.lossSum = -1), /'lossSum in ck\.safetensors' is -1, but it must be a finite number in \[0, ∞\]/],
    ['lossSum not a number', (s) => (s.lossSum = null), /'lossSum in ck\.safetensors' is null/],
    ['more correct rows than seen', (s) => (s.correct = 17), /'correct in ck\.safetensors' is 17, but it must be an integer in \[0, 16\]/],
    ['seconds negative', (s) => (s.seconds = -0.5), /'seconds in ck\.safetensors' is -0\.5/],
    [
      '146% accuracy in the history',
      (s) => (obj((s.history as JsonValue[])[0]).trainAccuracy = 1.4622),
      /'history\[0\]\.trainAccuracy in ck\.safetensors' is 1\.4622, but it must be a finite number in \[0, 1\]/,
    ],
    ['a history entry missing', (s) => (s.history = []), /'history in ck\.safetensors' is a list of 0, but it must be a list of 1 entries/],
    ['history numbered wrongly', (s) => (obj((s.history as JsonValue[])[0]).epoch = 2), /'history\[0\]\.epoch in ck\.safetensors' is 2, but it must be 1/],
    ['RNG position 700', (s) => (obj(s.rng).pos = 700), /'rng\.pos in ck\.safetensors' is 700, but it must be an integer in \[0, 624\]/],
    ['RNG key too short', (s) => (obj(s.rng).key = [1, 2, 3]), /'rng\.key in ck\.safetensors' is a list of 3, but it must be a list of 624 entries/],
    ['RNG key word out of range', (s) => ((obj(s.rng).key as number[])[5] = 2 ** 32), /'rng\.key\[5\] in ck\.safetensors' is 4294967296/],
    ['optimizer steps do not match the position', (s) => (obj(s.optimizer).step = 3), /'optimizer\.step in ck\.safetensors' is 3, but it must be 9/],
    ['another optimizer', (s) => (obj(s.optimizer).kind = 'adam'), /'optimizer\.kind in ck\.safetensors' is adam, but it must be "sgd"/],
    ['another batch size', (s) => (s.batchSize = 16), /'batchSize in ck\.safetensors' is 16, but it must be 8/],
    ['other data', (s) => (obj(s.data).rows = 60), /'data\.rows in ck\.safetensors' is 60, but it must equal the 50 training rows/],
    [
      'a transposed weight',
      (_s, t) => t.set('model.W0', new Tensor(new Float32Array(24), [4, 6])),
      /'model\.W0 in ck\.safetensors' is float32 \[4, 6\], but it must be float32 \[6, 4\]/,
    ],
    [
      'a NaN weight',
      (_s, t) => {
        const w = (t.get('model.b1') as Tensor).data.slice();
        w[1] = Number.NaN;
        t.set('model.b1', new Tensor(w, [3]));
      },
      /'model\.b1\[1\] in ck\.safetensors' is NaN, but it must be finite/,
    ],
    ['a missing momentum buffer', (_s, t) => t.delete('optimizer.momentum.b0'), /'optimizer\.momentum\.b0 in ck\.safetensors' is missing/],
    [
      'a row index out of range',
      (_s, t) => ((t.get('trainer.order') as Tensor).data[3] = 50),
      /'trainer\.order\[3\] in ck\.safetensors' is 50, but row indices must lie in \[0, 49\]/,
    ],
    [
      'a tensor of another model',
      (_s, t) => t.set('model.W9', new Tensor(new Float32Array(2), [2])),
      /'model\.W9 in ck\.safetensors' is present, but the checkpoint holds no other tensors/,
    ],
  ];
  it.each(cases)('%s', (_name, edit, message) => {
    const { bytes } = checkpoint();
    expect(refusal(forged(bytes, edit))).toMatch(message);
  });
});

describe('losslab train --resume refuses an edited checkpoint file with exit 2 and one message', () => {
  it('position −5 written into the file', async () => {
    const out = tempDir('tamper');
    const args = ['train', '--limit', '600', '--epochs', '2', '--batch-size', '10', '--checkpoint-steps', '7', '--no-figures', '--out', out];
    const controller = new AbortController();
    const first = await losslab(args, { signal: controller.signal, onStderr: (t) => t.startsWith('epoch 1/2') && controller.abort() });
    expect(first.status).toBe(130);
    const path = join(out, 'checkpoint.safetensors');
    const bytes = readFileSync(path);
    writeFileSync(
      path,
      forged(bytes, (s) => (s.position = -5)),
    );
    let r = await losslab([...args, '--resume']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/\nerror: resume: argument 'position in .*checkpoint\.safetensors' is -5, but it must be an integer in \[0, 599\]\.\n$/);
    // a naive edit of the JSON text (no forged checksum): the checksum says so
    const text = new TextDecoder('latin1').decode(bytes);
    const edited = text.replace(/(\\"position\\":)(\d)/, (_m, key: string, digit: string) => `${key}${(Number(digit) + 1) % 10}`);
    expect(edited).not.toBe(text);
    writeFileSync(path, Buffer.from(edited, 'latin1'));
    r = await losslab([...args, '--resume']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/checksum must be .*: the checkpoint is corrupt or was edited\. Start the run again without --resume\.\n$/);
  });
});
