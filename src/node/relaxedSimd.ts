import { setFlagsFromString } from 'node:v8';

/**
 * Lets this Node process validate WebAssembly relaxed SIMD, so the kernels load their fused
 * multiply-add build (src/kernels/wasm/module.ts picks it when the engine validates it). Node ≥ 22
 * has relaxed SIMD by default; Node 20 (V8 11.3) has it behind `--experimental-wasm-relaxed-simd`,
 * which a running process can still switch on with `v8.setFlagsFromString` as long as no kernel
 * module has been compiled yet — the CLI and the benchmark call this first thing. Worker threads
 * share the process's V8 flags and receive the compiled module, so they run the same build.
 * Returns whether the flag could be set.
 */
export function enableRelaxedSimd(): boolean {
  try {
    setFlagsFromString('--experimental-wasm-relaxed-simd');
    return true;
  } catch {
    return false;
  }
}
