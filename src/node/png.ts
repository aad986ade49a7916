import { deflateSync, inflateSync } from 'node:zlib';
import { fail } from '../errors.js';

/**
 * Minimal PNG (ISO/IEC 15948) encoder and decoder on `node:zlib`, for the weight templates, the
 * wrong-image grids and `losslab predict IMAGE.png`.
 * - Encode: 8-bit grayscale (colour type 0) or RGB (colour type 2), filter 0 on every row.
 * - Decode: 8-bit grayscale, gray + alpha, RGB or RGBA, non-interlaced, all five row filters; the
 *   result is converted to one gray byte per pixel exactly as Pillow's `Image.convert('L')`: ITU-R
 *   BT.601 luma `(19595 R + 38470 G + 7471 B + 32768) >> 16` (0.299 R + 0.587 G + 0.114 B), alpha
 *   dropped.
 */
export interface GrayImage {
  readonly width: number;
  readonly height: number;
  /** One byte per pixel, row-major. */
  readonly pixels: Uint8Array;
}

export interface RgbImage {
  readonly width: number;
  readonly height: number;
  /** Three bytes (R, G, B) per pixel, row-major. */
  readonly pixels: Uint8Array;
}

/**
 * The most pixels a PNG may have: Pillow's `Image.MAX_IMAGE_PIXELS` (89,478,485, about 0.5 GB of
 * RGBA). Larger headers are refused before any inflating, as Pillow's DecompressionBombError does.
 */
export const MAX_PNG_PIXELS = 89_478_485;

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function encode(width: number, height: number, channels: 1 | 3, pixels: Uint8Array): Uint8Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || pixels.length !== width * height * channels) {
    fail({ fn: 'encodePng', argument: 'pixels', value: `${pixels.length} bytes`, rule: `a ${width}×${height} image needs ${width * height * channels} bytes` });
  }
  const stride = width * channels;
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr[8] = 8;
  ihdr[9] = channels === 1 ? 0 : 2;
  const parts = [SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Encodes an 8-bit grayscale PNG. */
export function encodeGrayPng(image: GrayImage): Uint8Array {
  return encode(image.width, image.height, 1, image.pixels);
}

/** Encodes an 8-bit RGB PNG. */
export function encodeRgbPng(image: RgbImage): Uint8Array {
  return encode(image.width, image.height, 3, image.pixels);
}

/** Decodes an 8-bit PNG (gray, gray+alpha, RGB, RGBA) to grayscale; `source` names the file in errors. */
export function decodePngGray(bytes: Uint8Array, source: string): GrayImage {
  const fn = 'readPng';
  const bad = (rule: string): never => fail({ fn, argument: source, rule });
  if (bytes.length < 8 || SIGNATURE.some((b, i) => bytes[i] !== b)) bad('it must be a PNG file (the PNG signature is missing)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 8;
  let width = 0;
  let height = 0;
  let colorType = -1;
  const idat: Uint8Array[] = [];
  let sawEnd = false;
  while (at + 8 <= bytes.length) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (at + 12 + length > bytes.length) bad(`it is truncated (chunk ${type} runs past the end)`);
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      if (length !== 13) bad(`its IHDR chunk must be 13 bytes long (it is ${length})`);
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
      const bitDepth = data[8];
      colorType = data[9];
      if (bitDepth !== 8) bad(`it must have 8 bits per channel (it has ${bitDepth})`);
      if (![0, 2, 4, 6].includes(colorType)) bad(`it must be grayscale, RGB or RGBA (colour type ${colorType}; palette images are not supported)`);
      if (data[12] !== 0) bad('it must not be interlaced');
      if (width === 0 || height === 0) bad(`its width and height must be at least 1 (the header says ${width}×${height})`);
      if (width * height > MAX_PNG_PIXELS)
        bad(`it must have at most ${MAX_PNG_PIXELS} pixels, Pillow's limit against decompression bombs (the header says ${width}×${height})`);
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      sawEnd = true;
      break;
    }
    at += 12 + length;
  }
  if (!sawEnd) bad('it is truncated (the IEND chunk is missing)');
  if (colorType < 0 || idat.length === 0) bad('it must hold an IHDR and image data');
  const channels = colorType === 0 ? 1 : colorType === 4 ? 2 : colorType === 2 ? 3 : 4;
  const stride = width * channels;
  // Inflating stops at the size the header allows: a small file whose data inflates to gigabytes
  // (a decompression bomb) is refused after that many bytes, not after the gigabytes.
  const expected = (stride + 1) * height;
  let raw: Uint8Array;
  try {
    raw = inflateSync(Buffer.concat(idat), { maxOutputLength: expected });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      return bad(
        `its image data must inflate to the ${expected} bytes its ${width}×${height} header allows (it inflates to more: a decompression bomb or a corrupt file)`,
      );
    return bad('its image data must be valid zlib (the file is corrupt)');
  }
  if (raw.length < (stride + 1) * height) bad('its image data is shorter than the image');
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = pixels.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : null;
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? row[i - channels] : 0;
      const b = prev ? prev[i] : 0;
      const c = prev && i >= channels ? prev[i - channels] : 0;
      let v = src[i];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) v += paeth(a, b, c);
      else if (filter !== 0) bad(`row ${y} has an unknown filter type ${filter}`);
      row[i] = v & 0xff;
    }
  }
  const gray = new Uint8Array(width * height);
  for (let p = 0; p < width * height; p++) {
    const o = p * channels;
    gray[p] = channels <= 2 ? pixels[o] : (pixels[o] * 19595 + pixels[o + 1] * 38470 + pixels[o + 2] * 7471 + 0x8000) >> 16;
  }
  return { width, height, pixels: gray };
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * Tiles grayscale images into one grid image (row-major, `columns` per row, `gap` pixels of
 * `background` between tiles), each tile upscaled by an integer `zoom` (nearest neighbour).
 */
export function tileGray(tiles: readonly GrayImage[], columns: number, zoom = 1, gap = 2, background = 255): GrayImage {
  if (tiles.length === 0) return { width: 1, height: 1, pixels: Uint8Array.of(background) };
  const tw = tiles[0].width * zoom;
  const th = tiles[0].height * zoom;
  const cols = Math.min(columns, tiles.length);
  const rows = Math.ceil(tiles.length / cols);
  const width = cols * tw + (cols + 1) * gap;
  const height = rows * th + (rows + 1) * gap;
  const pixels = new Uint8Array(width * height).fill(background);
  tiles.forEach((tile, t) => {
    const x0 = gap + (t % cols) * (tw + gap);
    const y0 = gap + Math.floor(t / cols) * (th + gap);
    for (let y = 0; y < th; y++) {
      for (let x = 0; x < tw; x++) pixels[(y0 + y) * width + x0 + x] = tile.pixels[Math.floor(y / zoom) * tile.width + Math.floor(x / zoom)];
    }
  });
  return { width, height, pixels };
}
