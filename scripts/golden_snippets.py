"""Golden output of the NumPy and PyTorch snippets that `losslab explain softmax` shows beside losslab's.

Run: npm run build && python3 scripts/golden_snippets.py   (writes test/golden/snippets.json)

The snippets have one source, src/explain/snippets.ts; this script reads them from the compiled
dist/explain/snippets.js (through node), executes each NumPy and PyTorch snippet exactly as shown,
and records its code and what it printed. test/explain/snippets.test.ts checks that the recorded
code is still the code shown (so this file cannot go stale silently) and compares the printed
numbers with what losslab computes for the same snippet.
Works with PyTorch 1.13 / 2.x, NumPy 1.x / 2.x.
"""
import contextlib
import io
import json
import pathlib
import subprocess

import numpy as np
import torch

ROOT = pathlib.Path(__file__).resolve().parent.parent
READ = "import('./dist/explain/snippets.js').then((m) => process.stdout.write(JSON.stringify(m.SNIPPETS)))"


def run(code):
    """Executes one snippet in a fresh namespace and returns what it printed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, '<snippet>', 'exec'), {'__name__': '__snippet__'})
    return out.getvalue()


def main():
    if not (ROOT / 'dist' / 'explain' / 'snippets.js').exists():
        raise SystemExit('golden_snippets.py: dist/explain/snippets.js is missing: run npm run build first')
    snippets = json.loads(subprocess.run(['node', '-e', READ], cwd=ROOT, check=True, capture_output=True, text=True).stdout)
    records = []
    for snippet in snippets:
        record = {'id': snippet['id']}
        for language in ('numpy', 'pytorch'):
            code = '\n'.join(snippet[language])
            record[language] = {'code': code, 'stdout': run(code)}
        records.append(record)
    golden = {'versions': {'numpy': np.__version__, 'torch': torch.__version__}, 'snippets': records}
    path = ROOT / 'test' / 'golden' / 'snippets.json'
    path.write_text(json.dumps(golden, indent=1) + '\n')
    print(f'wrote {path}: {len(records)} snippets')


if __name__ == '__main__':
    main()
