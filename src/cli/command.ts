import type { OptionSpecs, ParsedArgs } from './args.js';

/** Where a command writes; tests pass their own to capture output without a subprocess. */
export interface CommandIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  /** True when stderr is an interactive terminal (progress bars redraw in place). */
  readonly isTTY: boolean;
  /** Aborted on Ctrl-C; long commands checkpoint and stop cleanly. */
  readonly signal?: AbortSignal;
}

/**
 * Lets a pending Ctrl-C be seen (signal handlers run only when the event loop turns, never inside
 * synchronous work), then stops the command if it came: `signal.throwIfAborted()` throws the
 * signal's reason, which `runCli` turns into exit status 130. Call it between long steps and before
 * writing outputs, so an interrupted command writes nothing.
 */
export async function stopIfInterrupted(io: CommandIO): Promise<void> {
  if (!io.signal) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  io.signal.throwIfAborted();
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Usage line(s) after `losslab `, e.g. `softmax <logits...> [--temperature T] [--target K]`. */
  readonly usage: string;
  readonly options: OptionSpecs;
  /** Runs the command; returns the exit status. */
  run(args: ParsedArgs, io: CommandIO): Promise<number>;
}
