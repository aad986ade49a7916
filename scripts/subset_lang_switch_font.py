"""Makes the web lab's tiny font for the language button's label and writes it into src/web/styles.css.

Run: python3 scripts/subset_lang_switch_font.py   (needs fontTools: pip install fonttools)

In English mode the button reads "中文" (the catalogue's `shell.otherLanguage`). On a machine without
a CJK system font the browser would draw missing-glyph boxes until the 8 MB Noto Sans Hans that the
lab ships for Chinese pages has loaded (it is only fetched when CJK text is laid out). This subset of
that same font (node_modules/@embedpdf/fonts-sc, OFL) holds just the glyphs of the label (~1.7 KB
WOFF) and replaces the data: URL of the "losslab lang switch" @font-face in styles.css, so it is
there at the first paint, with no request. Re-run it when the label changes.
"""
import base64
import io
import pathlib
import re

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCE = ROOT / 'node_modules' / '@embedpdf' / 'fonts-sc' / 'fonts' / 'NotoSansHans-Regular.otf'
CSS = ROOT / 'src' / 'web' / 'styles.css'
TEXT = '中文'

options = subset.Options()
options.flavor = 'woff'
options.layout_features = []
options.name_IDs = [0, 1, 2, 3, 4, 5, 6]
options.name_languages = [0x409]
options.notdef_outline = False
options.hinting = False
font = TTFont(str(SOURCE))
subsetter = subset.Subsetter(options)
subsetter.populate(text=TEXT)
subsetter.subset(font)
font.flavor = 'woff'
buffer = io.BytesIO()
font.save(buffer)
data = buffer.getvalue()
css = CSS.read_text()
pattern = re.compile(r'(font-family: "losslab lang switch";\n  src: url\("data:font/woff;base64,)[A-Za-z0-9+/=]*(")')
if not pattern.search(css):
    raise SystemExit('styles.css has no "losslab lang switch" @font-face with a data: URL to replace')
css = pattern.sub(lambda m: m.group(1) + base64.b64encode(data).decode('ascii') + m.group(2), css)
CSS.write_text(css)
print(f'wrote the {len(data)}-byte WOFF with the glyphs of {TEXT!r} into {CSS}')
