import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandIO } from '../../src/cli/command.js';
import { runCli } from '../../src/cli/main.js';

/** Runs `losslab <argv>` in-process with captured output (used by test/cli/{train,evaluate,predict}). */
export async function losslab(argv: string[], options: { signal?: AbortSignal; onStderr?: (text: string) => void; cwd?: string } = {}) {
  let stdout = '';
  let stderr = '';
  const io: CommandIO = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => {
      stderr += t;
      options.onStderr?.(t);
    },
    cwd: options.cwd ?? process.cwd(),
    isTTY: false,
    signal: options.signal,
  };
  const status = await runCli(argv, io);
  return { status, stdout, stderr };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `losslab-${prefix}-`));
}
