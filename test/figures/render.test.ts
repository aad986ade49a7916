import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FONT_FAMILY, lossFigure, softmaxFigure } from '../../src/figures/index.js';
import { renderFigure, renderPng, renderSvg, rasterizeSvg, type RasterImage } from '../../src/node/render.js';
import { bundledFontPath } from '../../src/node/fonts.js';
import { readFontFamily, readFontMetrics } from '../../src/node/fontMetrics.js';
import { LosslabError } from '../../src/errors.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const MISSING_GLYPH = '\uE000'; // a private-use code point: the font has no glyph, resvg draws .notdef (a box)
const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/g;

function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** The number of pixels whose RGB differs by more than 64 in some channel. */
function differingPixels(a: RasterImage, b: RasterImage): number {
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  let n = 0;
  for (let i = 0; i < a.pixels.length; i += 4) {
    if (Math.abs(a.pixels[i] - b.pixels[i]) > 64 || Math.abs(a.pixels[i + 1] - b.pixels[i + 1]) > 64 || Math.abs(a.pixels[i + 2] - b.pixels[i + 2]) > 64) n++;
  }
  return n;
}

function ink(image: RasterImage, x0: number, y0: number, size: number): Uint8Array {
  const cell = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) cell[y * size + x] = image.pixels[((y0 + y) * image.width + x0 + x) * 4] < 128 ? 1 : 0;
  }
  return cell;
}

describe('the bundled font', () => {
  it('ships with the install and its family name is the one every figure asks for', () => {
    const bytes = readFileSync(bundledFontPath());
    expect(bundledFontPath()).toMatch(/node_modules\/@embedpdf\/fonts-sc\/fonts\/NotoSansHans-Regular\.otf$/);
    expect(readFontFamily(bytes)).toBe(FONT_FAMILY);
  });

  it('metrics: ideographs are 1 em wide, Latin letters narrower, W wider than i', () => {
    const metrics = readFontMetrics(readFileSync(bundledFontPath()));
    expect(metrics.width('损', 20)).toBeCloseTo(20, 6);
    expect(metrics.width('i', 20)).toBeLessThan(metrics.width('W', 20));
    expect(metrics.width('loss', 10)).toBeLessThan(0.8 * 4 * 10); // Vega's no-canvas estimate is 0.8 em per character
  });
});

describe('renderSvg / renderPng', () => {
  it('SVG: every text uses the bundled family and the title carries the formula', async () => {
    const svg = await renderSvg(lossFigure({ loss: 'l2', points: 100 }));
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('L2 loss: l(y, y′) = ½(y − y′)²');
    expect(svg).toContain('prediction y′ (target y = 0)');
    expect(svg).toContain('value of each curve');
    const families = new Set([...svg.matchAll(/font-family="([^"]*)"/g)].map((m) => m[1]));
    expect([...families]).toEqual([FONT_FAMILY]);
  });

  it('PNG: a real PNG at scale × the SVG size', async () => {
    const spec = lossFigure({ loss: 'huber', points: 100, width: 300, height: 200 });
    const svg = await renderSvg(spec);
    const [, w, h] = /<svg[^>]*width="(\d+)" height="(\d+)"/.exec(svg) ?? [];
    const png = await renderPng(spec, { scale: 1.5 });
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(pngSize(png)).toEqual({ width: Math.round(Number(w) * 1.5), height: Math.round(Number(h) * 1.5) });
    await expect(renderPng(spec, { scale: 0 })).rejects.toThrow(/argument 'scale' is 0/);
  });

  it('--lang zh: every Chinese character of the figure has a real glyph, not the missing-glyph box', async () => {
    const svg = await renderSvg(lossFigure({ loss: 'huber', lang: 'zh', points: 100 }));
    const chars = [...new Set(svg.match(CJK) ?? [])];
    expect(chars.length).toBeGreaterThan(10);
    // One cell per character, the last one the missing glyph, drawn at 40 px in 48 px cells.
    const size = 48;
    const all = [...chars, MISSING_GLYPH];
    const cells = all.map((c, i) => `<text x="${i * size + 4}" y="40" font-size="40" font-family="${FONT_FAMILY}">${c}</text>`).join('');
    const grid = rasterizeSvg(`<svg xmlns="http://www.w3.org/2000/svg" width="${all.length * size}" height="${size}">${cells}</svg>`, 1);
    const box = ink(grid, chars.length * size, 0, size);
    const boxInk = box.reduce((a, b) => a + b, 0);
    expect(boxInk).toBeGreaterThan(50); // the box is drawn, so a missing glyph would be visible
    const shapes = new Set<string>();
    chars.forEach((c, i) => {
      const glyph = ink(grid, i * size, 0, size);
      let diff = 0;
      for (let k = 0; k < glyph.length; k++) diff += glyph[k] ^ box[k];
      expect(diff, `glyph of ${c} looks like the missing-glyph box`).toBeGreaterThan(60);
      shapes.add(glyph.join(''));
    });
    expect(shapes.size).toBe(chars.length); // every character has its own shape
  });

  it('--lang zh: the figure PNG changes when its Chinese is replaced by missing glyphs (so it drew real ones)', async () => {
    const svg = await renderSvg(lossFigure({ loss: 'l2', lang: 'zh', points: 100 }));
    const real = rasterizeSvg(svg, 1);
    const boxes = rasterizeSvg(svg.replace(CJK, MISSING_GLYPH), 1);
    expect(differingPixels(real, boxes)).toBeGreaterThan(500);
  });
});

describe('renderFigure', () => {
  const dir = mkdtempSync(join(tmpdir(), 'losslab-render-'));

  it('chooses the format by extension and writes atomically (no temporary files left)', async () => {
    const spec = softmaxFigure({ naive: true });
    for (const ext of ['svg', 'png', 'csv', 'json']) await renderFigure(spec, join(dir, `f.${ext}`), { scale: 1 });
    expect(readFileSync(join(dir, 'f.svg'), 'utf8')).toMatch(/^<svg/);
    expect([...readFileSync(join(dir, 'f.png')).subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(readFileSync(join(dir, 'f.csv'), 'utf8').split('\n')[0]).toBe('class,logit,expFloat64,expFloat32,stable,naiveFloat64,naiveFloat32');
    const json = JSON.parse(readFileSync(join(dir, 'f.json'), 'utf8'));
    expect(json.datasets[0].rows[2].naiveFloat64).toBe('NaN');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('an unknown extension names the argument and the formats', async () => {
    await expect(renderFigure(lossFigure({ loss: 'bce', points: 10 }), join(dir, 'f.gif'))).rejects.toThrow(
      /argument '--out' is ".*f\.gif", but the file name must end in \.svg, \.png, \.csv, \.json/,
    );
  });

  it('an unwritable path is a LosslabError naming the argument', async () => {
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'x');
    const error = await renderFigure(softmaxFigure(), join(file, 'inside.svg'), { argument: 'path' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LosslabError);
    expect(String(error)).toMatch(/argument 'path' is ".*inside\.svg", but the file must be writable/);
    expect(existsSync(join(file, 'inside.svg'))).toBe(false);
  });
});
