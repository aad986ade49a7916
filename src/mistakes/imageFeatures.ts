import type { Column } from '../shift/table.js';

/**
 * Simple, interpretable features of grey-level images, for slicing a classifier's errors:
 * - `ink`: fraction of pixels that are not blank (> 0);
 * - `brightness`: mean intensity of the non-blank pixels, 0…1;
 * - `centre_row`, `centre_col`: centre of mass of the intensity, in pixels from the top / left;
 * - `height`, `width`: extent of the bounding box of the non-blank pixels.
 * `pixels` is [n, h·w] row-major, values 0…255 (bytes) or 0…1 with `scale` 1.
 */
export function imageFeatures(pixels: ArrayLike<number>, n: number, shape: readonly [number, number], scale = 1 / 255): Column[] {
  const [h, w] = shape;
  const names = ['ink', 'brightness', 'centre_row', 'centre_col', 'height', 'width'] as const;
  const out = names.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const o = i * h * w;
    let count = 0;
    let sum = 0;
    let sr = 0;
    let sc = 0;
    let r0 = h;
    let r1 = -1;
    let c0 = w;
    let c1 = -1;
    for (let r = 0; r < h; r++)
      for (let c = 0; c < w; c++) {
        const v = pixels[o + r * w + c] * scale;
        if (!(v > 0)) continue;
        count++;
        sum += v;
        sr += v * r;
        sc += v * c;
        if (r < r0) r0 = r;
        if (r > r1) r1 = r;
        if (c < c0) c0 = c;
        if (c > c1) c1 = c;
      }
    out[0][i] = count / (h * w);
    out[1][i] = count > 0 ? sum / count : 0;
    out[2][i] = sum > 0 ? sr / sum : (h - 1) / 2;
    out[3][i] = sum > 0 ? sc / sum : (w - 1) / 2;
    out[4][i] = count > 0 ? r1 - r0 + 1 : 0;
    out[5][i] = count > 0 ? c1 - c0 + 1 : 0;
  }
  return names.map((name, k) => ({ name, kind: 'numeric', values: out[k] }));
}
