"""fit_exp_polynomial.py - the coefficients Q0..Q3 of the WebAssembly exp (assembly/exp.ts).

e^r ~ 1 + r + r^2 (Q0 + Q1 r + Q2 r^2 + Q3 r^3) on [-ln2/2, ln2/2], fitted by iteratively
reweighted least squares (Lawson) on Chebyshev nodes, minimising the relative error of e^r.
Prints the float32 coefficients and the max relative error of the float32 evaluation. numpy only;
deterministic; no output files.  usage: python3 scripts/fit_exp_polynomial.py
"""
import numpy as np

a = np.log(2) / 2
n = 4000
t = np.cos(np.pi * (np.arange(n) + 0.5) / n) * a
f = (np.expm1(t) - t) / t**2
w = t**2 / np.exp(t)  # relative error of e^r
A = np.vstack([t**k for k in range(4)]).T
c, *_ = np.linalg.lstsq(A * w[:, None], f * w, rcond=None)
for _ in range(50):
    ww = np.abs((A @ c - f) * w) ** 0.5 + 1e-30
    c, *_ = np.linalg.lstsq(A * (w * ww)[:, None], f * w * ww, rcond=None)
c32 = np.float32(c)
r = np.float32(np.linspace(-a, a, 200001))
p = np.float32(0)
for k in reversed(range(4)):
    p = np.float32(p * r + c32[k])
e = np.float32(np.float32(1) + r + np.float32(r * r) * p)
exact = np.exp(r.astype(np.float64))
print("Q0..Q3 =", [repr(float(x)) for x in c32])
print("max relative error (float32 evaluation):", float((np.abs(e - exact) / exact).max()))
