import { describe, expect, it } from 'vitest';
import { Network } from '../../src/models/network.js';
import { decodeModel, encodeModel } from '../../src/models/serialize.js';
import { RandomState } from '../../src/tensor/random.js';

function model(hidden: number[] = []) {
  const network = new Network([12, ...hidden, 3]);
  network.initialize(new RandomState(1), 'pytorch');
  return {
    kind: hidden.length ? ('mlp' as const) : ('softmax-regression' as const),
    network,
    classNames: ['a', 'b', 'c'],
    imageShape: [3, 4] as const,
    inputScale: 1 / 255,
  };
}

describe('model format (model.json + model.bin)', () => {
  it('round-trips weights bit for bit, with the documented header', () => {
    for (const hidden of [[], [5], [6, 4]]) {
      const m = model(hidden);
      const { header, blob } = encodeModel(m);
      const h = JSON.parse(header);
      expect(h.format).toBe('losslab-model');
      expect(h.sizes).toEqual([12, ...hidden, 3]);
      expect(h.weights.tensors[0]).toEqual({ name: 'W0', dtype: 'float32', shape: [12, hidden[0] ?? 3], offset: 0 });
      const back = decodeModel(header, blob);
      back.network.params.forEach((p, i) => {
        expect(Array.from(p.data)).toEqual(Array.from(m.network.params[i].data));
      });
      expect(back.classNames).toEqual(['a', 'b', 'c']);
      expect(back.imageShape).toEqual([3, 4]);
    }
  });

  it('stores little-endian float32 at the documented offsets', () => {
    const m = model();
    const { header, blob } = encodeModel(m);
    const b0 = JSON.parse(header).weights.tensors[1];
    const view = new DataView(blob.buffer);
    expect(view.getFloat32(b0.offset + 4, true)).toBe(m.network.bias(0).data[1]);
    expect(view.getFloat32(4 * 5, true)).toBe(m.network.weight(0).data[5]);
  });

  it('refuses corrupt or mismatched files with a message naming the file and the rule', () => {
    const { header, blob } = encodeModel(model([5]));
    const flipped = blob.slice();
    flipped[3] ^= 0x10;
    expect(() => decodeModel(header, flipped, 'runs/a/model.json', 'runs/a/model.bin')).toThrow(
      /loadModel: argument 'runs\/a\/model\.bin' is \d+ bytes with checksum fnv1a32:[0-9a-f]+, but the checksum must be fnv1a32:/,
    );
    expect(() => decodeModel(header, blob.subarray(0, 40), 'runs/a/model.json', 'runs/a/model.bin')).toThrow(
      /model\.bin' is 40 bytes, but it must hold \d+ bytes as runs\/a\/model\.json says/,
    );
    expect(() => decodeModel('{"format": 1', blob)).toThrow(/model\.json', but it must be valid JSON/);
    expect(() => decodeModel('{"format": "other"}', blob)).toThrow(/its 'format' must be "losslab-model"/);
    const h = JSON.parse(header);
    h.sizes = [12, 5, 4];
    expect(() => decodeModel(JSON.stringify(h), blob)).toThrow(/'W1' of shape \[5, 3\], but the model's 'W1' has shape \[5, 4\]/);
  });

  it('refuses non-finite weights', () => {
    const m = model();
    m.network.weight(0).data[2] = NaN;
    const { header, blob } = encodeModel(m);
    expect(() => decodeModel(header, blob)).toThrow(/NaN in 'W0' at 2.*weights must be finite/);
  });
});
