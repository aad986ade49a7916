#!/usr/bin/env bash
# Regenerates every golden file in test/golden/ from the real libraries (PyTorch, scikit-learn,
# SciPy, NumPy). One command:  scripts/regenerate_golden.sh  [PYTHON]
# PYTHON defaults to Debian's /usr/bin/python3 (apt-get install python3-torch python3-sklearn
# python3-scipy python3-torchvision python3-pil). golden_domains.py reads losslab's dataset caches
# (it runs the compiled library from dist/ to build them: npm run build first), and
# golden_snippets.py reads the NumPy/PyTorch snippets the explanations show from
# dist/explain/snippets.js (so they have one source) and runs them as shown. Each script records
# the library versions it ran with inside its JSON.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${1:-${PYTHON:-/usr/bin/python3}}"
"$PY" -c 'import numpy, scipy, sklearn, torch; print("numpy", numpy.__version__, "scipy", scipy.__version__, "scikit-learn", sklearn.__version__, "torch", torch.__version__)'
for script in scripts/golden_*.py; do
  echo "== $script"
  "$PY" "$script"
done
