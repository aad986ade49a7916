import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandIO } from '../../src/cli/command.js';
import { runCli } from '../../src/cli/main.js';

export interface CliResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  /** The working directory relative paths resolve against (default: the process's). */
  readonly cwd?: string;
  readonly signal?: AbortSignal;
  /** Called with each piece of stderr as it is written (e.g. to abort at a given epoch). */
  readonly onStderr?: (text: string) => void;
}

/** Runs `losslab <argv>` in-process with captured output: the one CLI harness of the tests. */
export async function losslab(argv: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CommandIO = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
      options.onStderr?.(text);
    },
    cwd: options.cwd ?? process.cwd(),
    isTTY: false,
    signal: options.signal,
  };
  const status = await runCli(argv, io);
  return { status, stdout, stderr };
}

/** A fresh temporary folder, `losslab-<prefix>-XXXXXX`. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `losslab-${prefix}-`));
}
