import { describe, expect, it } from 'vitest';
import { KERNELS_RELAXED_WASM_BASE64, KERNELS_SOURCE_SHA256, KERNELS_WASM_BASE64 } from '../../src/kernels/wasm/kernels.generated.js';
// @ts-expect-error: plain .mjs build script without type declarations
import { compile, RELAXED_FLAGS, sourcesHash } from '../../scripts/build-wasm.mjs';

describe('src/kernels/wasm/kernels.generated.ts', () => {
  it('was built from the current assembly/ sources and flags (else run: node scripts/build-wasm.mjs)', () => {
    expect(KERNELS_SOURCE_SHA256).toBe((sourcesHash as () => string)());
  });

  it('holds exactly the bytes the local asc produces from them', () => {
    const build = compile as (flags?: string[]) => Buffer;
    expect(Buffer.from(KERNELS_WASM_BASE64, 'base64').equals(build())).toBe(true);
    expect(Buffer.from(KERNELS_RELAXED_WASM_BASE64, 'base64').equals(build(RELAXED_FLAGS as string[]))).toBe(true);
  }, 120_000);
});
