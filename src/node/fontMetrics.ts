/**
 * Advance widths from an OpenType/TrueType font file (the `cmap`, `hhea`, `hmtx` and `head` tables),
 * so that Vega can lay out text in Node exactly as resvg will draw it with the same font. Without a
 * canvas, Vega estimates every character as 0.8 em wide, which leaves wide empty margins beside
 * Latin titles; this measures the real glyphs instead.
 */
export interface FontMetrics {
  /** Width of `text` at `fontSize` pixels (characters without a glyph count as the .notdef glyph). */
  width(text: string, fontSize: number): number;
}

interface TableRecord {
  readonly offset: number;
  readonly length: number;
}

function tables(view: DataView): Map<string, TableRecord> {
  const count = view.getUint16(4);
  const found = new Map<string, TableRecord>();
  for (let i = 0; i < count; i++) {
    const at = 12 + i * 16;
    const tag = String.fromCharCode(view.getUint8(at), view.getUint8(at + 1), view.getUint8(at + 2), view.getUint8(at + 3));
    found.set(tag, { offset: view.getUint32(at + 8), length: view.getUint32(at + 12) });
  }
  return found;
}

function required(map: Map<string, TableRecord>, tag: string): TableRecord {
  const table = map.get(tag);
  if (!table) throw new Error(`font has no '${tag}' table`);
  return table;
}

/** Code point → glyph id from a format 12 (full Unicode) or format 4 (BMP) cmap subtable. */
function readCmap(view: DataView, cmap: TableRecord): Map<number, number> {
  const glyphs = new Map<number, number>();
  const count = view.getUint16(cmap.offset + 2);
  let best: { format: number; offset: number } | undefined;
  for (let i = 0; i < count; i++) {
    const at = cmap.offset + 4 + i * 8;
    const platform = view.getUint16(at);
    const encoding = view.getUint16(at + 2);
    const offset = cmap.offset + view.getUint32(at + 4);
    const format = view.getUint16(offset);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (unicode && (format === 12 || (format === 4 && best?.format !== 12))) best = { format, offset };
  }
  if (!best) throw new Error('font has no Unicode cmap');
  const o = best.offset;
  if (best.format === 12) {
    const groups = view.getUint32(o + 12);
    for (let g = 0; g < groups; g++) {
      const at = o + 16 + g * 12;
      const start = view.getUint32(at);
      const end = view.getUint32(at + 4);
      const glyph = view.getUint32(at + 8);
      for (let c = start; c <= end; c++) glyphs.set(c, glyph + (c - start));
    }
    return glyphs;
  }
  const segments = view.getUint16(o + 6) / 2;
  const ends = o + 14;
  const starts = ends + segments * 2 + 2;
  const deltas = starts + segments * 2;
  const ranges = deltas + segments * 2;
  for (let s = 0; s < segments; s++) {
    const end = view.getUint16(ends + s * 2);
    const start = view.getUint16(starts + s * 2);
    const delta = view.getInt16(deltas + s * 2);
    const rangeOffset = view.getUint16(ranges + s * 2);
    for (let c = start; c <= end && c !== 0xffff; c++) {
      let glyph: number;
      if (rangeOffset === 0) glyph = (c + delta) & 0xffff;
      else {
        const raw = view.getUint16(ranges + s * 2 + rangeOffset + (c - start) * 2);
        glyph = raw === 0 ? 0 : (raw + delta) & 0xffff;
      }
      if (glyph !== 0) glyphs.set(c, glyph);
    }
  }
  return glyphs;
}

/** Reads the metrics of a font file's bytes. */
export function readFontMetrics(bytes: Uint8Array): FontMetrics {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const map = tables(view);
  const unitsPerEm = view.getUint16(required(map, 'head').offset + 18);
  const longMetrics = view.getUint16(required(map, 'hhea').offset + 34);
  const hmtx = required(map, 'hmtx').offset;
  const glyphs = readCmap(view, required(map, 'cmap'));
  const advance = (glyph: number): number => view.getUint16(hmtx + Math.min(glyph, longMetrics - 1) * 4);
  const cache = new Map<number, number>();
  return {
    width(text: string, fontSize: number): number {
      let units = 0;
      for (const char of text) {
        const code = char.codePointAt(0) ?? 0;
        let w = cache.get(code);
        if (w === undefined) {
          w = advance(glyphs.get(code) ?? 0);
          cache.set(code, w);
        }
        units += w;
      }
      return (units / unitsPerEm) * fontSize;
    },
  };
}

/**
 * The font family name a `font-family` must use to select the font: the typographic family
 * (name ID 16) when the font has one, else the legacy family (name ID 1) — the rule of fontdb
 * (which resvg uses) and of CSS. Windows/Unicode UTF-16 records are preferred over Macintosh ones.
 * For NotoSansHans-Regular.otf: ID 16 "Noto Sans S Chinese", ID 1 "Noto Sans S Chinese Regular".
 */
export function readFontFamily(bytes: Uint8Array): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const name = required(tables(view), 'name');
  const count = view.getUint16(name.offset + 2);
  const strings = name.offset + view.getUint16(name.offset + 4);
  const found = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const at = name.offset + 6 + i * 12;
    const platform = view.getUint16(at);
    const nameId = view.getUint16(at + 6);
    if (nameId !== 1 && nameId !== 16) continue;
    const length = view.getUint16(at + 8);
    const start = strings + view.getUint16(at + 10);
    const unicode = platform === 3 || platform === 0;
    let text = '';
    if (unicode) for (let k = 0; k < length; k += 2) text += String.fromCharCode(view.getUint16(start + k));
    else text = String.fromCharCode(...bytes.subarray(start, start + length));
    const key = `${nameId}:${unicode ? 'unicode' : 'mac'}`;
    if (!found.has(key)) found.set(key, text);
  }
  const family = found.get('16:unicode') ?? found.get('16:mac') ?? found.get('1:unicode') ?? found.get('1:mac');
  if (family === undefined) throw new Error('font has no family name (name ID 16 or 1)');
  return family;
}
