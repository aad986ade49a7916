import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fail } from '../errors.js';
import { FONT_FAMILY } from '../figures/theme.js';

/** The font file losslab renders PNG text with; its family name is `FONT_FAMILY`. */
export const BUNDLED_FONT_FILE = 'NotoSansHans-Regular.otf';

let cached: string | undefined;

/**
 * The path of the bundled font (Noto Sans Hans from the npm package `@embedpdf/fonts-sc`, SIL OFL),
 * which covers Latin and CJK, so PNGs never depend on the fonts of the user's system.
 *
 * The package's `exports` map does not expose `package.json`, so
 * `require.resolve('@embedpdf/fonts-sc/package.json')` throws ERR_PACKAGE_PATH_NOT_EXPORTED; we
 * resolve the package's main file (`dist/index.cjs`) and go up to `fonts/`.
 */
export function bundledFontPath(): string {
  if (cached !== undefined) return cached;
  const require = createRequire(import.meta.url);
  let main: string;
  try {
    main = require.resolve('@embedpdf/fonts-sc');
  } catch {
    return fail({
      fn: 'renderPng',
      argument: 'font',
      value: '"@embedpdf/fonts-sc"',
      rule: 'the font package must be installed',
      fix: "Run 'npm install' in the losslab folder.",
    });
  }
  const path = join(dirname(main), '..', 'fonts', BUNDLED_FONT_FILE);
  if (!existsSync(path)) {
    return fail({
      fn: 'renderPng',
      argument: 'font',
      value: JSON.stringify(path),
      rule: 'the bundled font file must exist',
      fix: "Reinstall with 'npm install'.",
    });
  }
  cached = path;
  return path;
}

/** The family name to ask for: the name inside the bundled font file. */
export { FONT_FAMILY };
