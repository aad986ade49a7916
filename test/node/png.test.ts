import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deflateSync } from 'node:zlib';
import { decodePngGray, encodeGrayPng, encodeRgbPng, tileGray } from '../../src/node/png.js';

/** An independent PNG writer for the test: applies filter `filter` to every row (PNG spec §9). */
function pngWithFilter(width: number, height: number, colorType: 0 | 2 | 4 | 6, pixels: Uint8Array, filter: number): Uint8Array {
  const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[colorType];
  const stride = width * channels;
  const raw: number[] = [];
  for (let y = 0; y < height; y++) {
    raw.push(filter);
    for (let i = 0; i < stride; i++) {
      const x = pixels[y * stride + i];
      const a = i >= channels ? pixels[y * stride + i - channels] : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + i] : 0;
      const c = y > 0 && i >= channels ? pixels[(y - 1) * stride + i - channels] : 0;
      const p = a + b - c;
      const pred = [
        0,
        a,
        b,
        (a + b) >> 1,
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c,
      ][filter];
      raw.push((x - pred) & 0xff);
    }
  }
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const chunk = (type: string, data: Uint8Array) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), Buffer.from(data)]);
    let c = 0xffffffff;
    for (const byte of body) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE((c ^ 0xffffffff) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = colorType;
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.from(raw))),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

describe('PNG codec', () => {
  it('gray PNGs round-trip exactly (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 1e6 }), (w, h, seed) => {
        const pixels = Uint8Array.from({ length: w * h }, (_, i) => (i * 2654435761 + seed) >>> 24);
        const back = decodePngGray(encodeGrayPng({ width: w, height: h, pixels }), 'x.png');
        expect(back.width).toBe(w);
        expect(back.height).toBe(h);
        expect(Array.from(back.pixels)).toEqual(Array.from(pixels));
      }),
      { numRuns: 30 },
    );
  });

  it('decodes all five row filters for gray, gray+alpha, RGB and RGBA', () => {
    const w = 9;
    const h = 7;
    for (const colorType of [0, 2, 4, 6] as const) {
      const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[colorType];
      const pixels = Uint8Array.from({ length: w * h * channels }, (_, i) => (i * 37 + (i % 5) * 11) & 0xff);
      const expected = Array.from({ length: w * h }, (_, p) => {
        const o = p * channels;
        return channels <= 2 ? pixels[o] : (pixels[o] * 19595 + pixels[o + 1] * 38470 + pixels[o + 2] * 7471 + 0x8000) >> 16;
      });
      for (let filter = 0; filter <= 4; filter++) {
        const decoded = decodePngGray(pngWithFilter(w, h, colorType, pixels, filter), 'f.png');
        expect(Array.from(decoded.pixels), `colour type ${colorType}, filter ${filter}`).toEqual(expected);
      }
    }
  });

  it("converts RGB to gray like Pillow's convert('L') (L24 fixed point) and keeps gray levels", () => {
    const rgb = Uint8Array.of(10, 200, 30, 77, 77, 77, 255, 255, 255, 0, 0, 0);
    const decoded = decodePngGray(encodeRgbPng({ width: 4, height: 1, pixels: rgb }), 'c.png');
    expect(Array.from(decoded.pixels)).toEqual([(10 * 19595 + 200 * 38470 + 30 * 7471 + 0x8000) >> 16, 77, 255, 0]);
  });

  it('rejects non-PNG, truncated and unsupported files naming the file', () => {
    expect(() => decodePngGray(new TextEncoder().encode('not a png'), 'a.txt')).toThrow(/readPng: argument 'a\.txt', but it must be a PNG file/);
    const good = encodeGrayPng({ width: 4, height: 4, pixels: new Uint8Array(16) });
    expect(() => decodePngGray(good.subarray(0, 40), 'cut.png')).toThrow(/cut\.png', but it is truncated/);
    const palette = Buffer.from(good);
    palette[8 + 8 + 9] = 3; // IHDR colour type → palette (CRC is not checked by the decoder)
    expect(() => decodePngGray(palette, 'pal.png')).toThrow(/palette images are not supported/);
    expect(() => encodeGrayPng({ width: 3, height: 3, pixels: new Uint8Array(8) })).toThrow(/a 3×3 image needs 9 bytes/);
  });

  it('tiles images into a grid with gaps', () => {
    const tile = { width: 2, height: 2, pixels: Uint8Array.of(1, 2, 3, 4) };
    const grid = tileGray([tile, tile, tile], 2, 1, 1, 255);
    expect(grid.width).toBe(2 * 2 + 3);
    expect(grid.height).toBe(2 * 2 + 3);
    expect(grid.pixels[1 * grid.width + 1]).toBe(1);
    expect(grid.pixels[2 * grid.width + 5]).toBe(4);
    expect(grid.pixels[4 * grid.width + 4]).toBe(255); // the empty fourth cell
  });
});
