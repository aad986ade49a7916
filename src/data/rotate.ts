import { fail, formatValue } from '../errors.js';

export type RotateInterpolation = 'bilinear' | 'nearest';

/**
 * Rotates a grey-scale byte image counter-clockwise by `angle` degrees about its centre, keeping its
 * size and filling uncovered pixels with 0 — exactly (byte for byte) what DomainBed's RotatedMNIST does:
 * `torchvision.transforms.functional.rotate(ToPILImage()(img), angle, fill=(0,),
 * interpolation=BILINEAR)`, i.e. Pillow's `Image.rotate` on an 8-bit image:
 *
 * - inverse map (Pillow `Image.rotate`): a = −radians(angle), with each matrix entry rounded to 15
 *   decimals as Pillow does, M = [cos a, sin a, c; −sin a, cos a, f] with c, f chosen so the centre
 *   (w/2, h/2) maps to itself; output pixel (x, y) samples the input at M·(x + ½, y + ½);
 * - bilinear (Pillow `bilinear_filter8`): a sample outside [0, w) × [0, h) is 0; otherwise shift by −½,
 *   interpolate the four neighbours (indices clamped to the image) in x then in y, in doubles, and
 *   truncate to a byte;
 * - nearest (Pillow `affine_fixed`): 16.16 fixed-point stepping of the same map, pixel
 *   (xx >> 16, yy >> 16) when inside.
 *
 * An angle that is a multiple of 360 returns a copy (Pillow's fast path). `scripts/golden_domains.py`
 * checks the result against torchvision 0.14 / Pillow 9.4 on Fashion-MNIST and MNIST images.
 */
export function rotateImage(
  image: Uint8Array,
  width: number,
  height: number,
  angle: number,
  options: { interpolation?: RotateInterpolation; out?: Uint8Array } = {},
): Uint8Array {
  const fn = 'rotateImage';
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || image.length !== width * height) {
    fail({ fn, argument: 'image', value: `${image.length} bytes`, rule: `it must hold width × height = ${width} × ${height} pixels` });
  }
  if (!Number.isFinite(angle)) fail({ fn, argument: 'angle', value: formatValue(angle), rule: 'it must be a finite number of degrees' });
  const out = options.out ?? new Uint8Array(width * height);
  if (out.length !== width * height) fail({ fn, argument: 'out', value: `${out.length} bytes`, rule: `it must hold ${width * height} pixels` });
  const turn = pythonMod(angle, 360);
  if (turn === 0) {
    out.set(image);
    return out;
  }
  const m = rotationMatrix(turn, width, height);
  if ((options.interpolation ?? 'bilinear') === 'nearest') nearestAffine(image, width, height, m, out);
  else bilinearAffine(image, width, height, m, out);
  return out;
}

/** Pillow's inverse affine matrix for `Image.rotate(angle)` about the centre (w/2, h/2). */
export function rotationMatrix(angle: number, width: number, height: number): number[] {
  const a = -(angle * (Math.PI / 180));
  const m = [round15(Math.cos(a)), round15(Math.sin(a)), 0, round15(-Math.sin(a)), round15(Math.cos(a)), 0];
  const cx = width / 2;
  const cy = height / 2;
  m[2] = m[0] * -cx + m[1] * -cy + m[2];
  m[5] = m[3] * -cx + m[4] * -cy + m[5];
  m[2] += cx;
  m[5] += cy;
  return m;
}

/** Python's `round(x, 15)` (exact decimal rounding; ties cannot occur for the sines and cosines here). */
function round15(x: number): number {
  return Number(x.toFixed(15));
}

/** Python's `%` for floats: the result has the sign of the divisor. */
function pythonMod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

function bilinearAffine(src: Uint8Array, w: number, h: number, m: number[], out: Uint8Array): void {
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const xi = x + 0.5;
      const yi = y + 0.5;
      let sx = m[0] * xi + m[1] * yi + m[2];
      let sy = m[3] * xi + m[4] * yi + m[5];
      if (sx < 0 || sx >= w || sy < 0 || sy >= h) {
        out[y * w + x] = 0;
        continue;
      }
      sx -= 0.5;
      sy -= 0.5;
      const ix = Math.floor(sx);
      const iy = Math.floor(sy);
      const dx = sx - ix;
      const dy = sy - iy;
      const x0 = clamp(ix, w);
      const x1 = clamp(ix + 1, w);
      let row = clamp(iy, h) * w;
      let a = src[row + x0];
      const v1 = a + (src[row + x1] - a) * dx;
      let v2 = v1;
      if (iy + 1 >= 0 && iy + 1 < h) {
        row = (iy + 1) * w;
        a = src[row + x0];
        v2 = a + (src[row + x1] - a) * dx;
      }
      out[y * w + x] = Math.trunc(v1 + (v2 - v1) * dy);
    }
  }
}

function nearestAffine(src: Uint8Array, w: number, h: number, m: number[], out: Uint8Array): void {
  const fix = (v: number): number => Math.floor(v * 65536 + 0.5);
  const a0 = fix(m[0]);
  const a1 = fix(m[1]);
  const a3 = fix(m[3]);
  const a4 = fix(m[4]);
  let a2 = fix(m[2] + m[0] * 0.5 + m[1] * 0.5);
  let a5 = fix(m[5] + m[3] * 0.5 + m[4] * 0.5);
  out.fill(0);
  for (let y = 0; y < h; y++) {
    let xx = a2;
    let yy = a5;
    for (let x = 0; x < w; x++) {
      const xin = xx >> 16;
      const yin = yy >> 16;
      if (xin >= 0 && xin < w && yin >= 0 && yin < h) out[y * w + x] = src[yin * w + xin];
      xx += a0;
      yy += a3;
    }
    a2 += a1;
    a5 += a4;
  }
}

function clamp(i: number, size: number): number {
  return i < 0 ? 0 : i < size ? i : size - 1;
}
