"""peak_flops.py - the machine's float32 FMA peak as a peer of the `nn` suite's GEMM case.

usage: python3 bench/peers/peak_flops.py --threads N

Compiles bench/peers/peak_flops.c (gcc -O3 -mavx2 -mfma -fopenmp) into dist/bench/ on start and runs
it: every rep performs the case's 2·n³ flops as register-only 256-bit fused multiply-adds, so the
speed-up column against it reads as losslab's fraction of the machine's peak (AVX2 + FMA; AVX-512 on
this Zen 4 issues as two 256-bit halves, so it has the same peak).
"""
import argparse
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import json  # noqa: E402

from protocol import send, skip  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--threads', type=int, default=1)
    a = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    gcc = shutil.which('gcc')
    if not gcc:
        skip('gcc is not installed (apt-get install gcc)')
    out = os.path.join(root, 'dist', 'bench', 'peak_flops')
    os.makedirs(os.path.dirname(out), exist_ok=True)
    r = subprocess.run([gcc, '-O3', '-mavx2', '-mfma', '-fopenmp', os.path.join(here, 'peak_flops.c'), '-o', out], capture_output=True, text=True)
    if r.returncode != 0:
        skip('peak_flops.c does not compile here: %s' % r.stderr.strip()[:200])
    info = {'gcc': subprocess.run([gcc, '--version'], capture_output=True, text=True).stdout.splitlines()[0]}

    # the protocol of bench/suite.ts, with the times measured inside the binary (not around its start-up)
    send({'ok': True, 'info': info})
    flops = None
    for line in sys.stdin:
        req = json.loads(line) if line.strip() else {}
        op = req.get('op')
        if op == 'quit':
            break
        if op == 'prepare':
            if req.get('case') != 'gemm-1024':
                send({'ok': False, 'skip': 'the peak applies to the GEMM case only'})
                continue
            flops = 2.0 * float(req['params']['n']) ** 3
            send({'ok': True, 'check': {}})
        elif op == 'time' and flops:
            p = subprocess.run([out, str(a.threads), str(int(req['reps'])), repr(flops)], capture_output=True, text=True)
            if p.returncode != 0:
                send({'ok': False, 'error': p.stderr.strip()[:200]})
                continue
            times = [float(x) for x in p.stdout.split()]
            send({'ok': True, 'timesMs': times, 'metrics': {'gflops': flops / (min(times) / 1e3) / 1e9}})
        else:
            send({'ok': False, 'error': 'unexpected request %r' % op})


if __name__ == '__main__':
    main()
