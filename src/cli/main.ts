import { LosslabError } from '../errors.js';
import { enableRelaxedSimd } from '../node/relaxedSimd.js';
import { onWarning } from '../warnings.js';
import { formatOptions, parseArgs } from './args.js';
import type { Command, CommandIO } from './command.js';

/**
 * The `losslab` command. Each subcommand lives in `commands/<name>.ts` and is loaded on demand, so
 * `losslab softmax` does not pay for the figure renderer. One error boundary: a `LosslabError`
 * (a user mistake) prints its message and exits 2; anything else is a bug and prints in full.
 */
const COMMANDS: Record<string, { summary: string; load: () => Promise<{ command: Command }> }> = {
  tour: { summary: 'a guided tour of losslab in the terminal', load: () => loadCommand('tour') },
  softmax: { summary: 'softmax probabilities of logits (and cross-entropy with --target)', load: () => loadCommand('softmax') },
  loss: { summary: 'a loss value and its gradient for tensors in .npy/.json files', load: () => loadCommand('loss') },
  plot: { summary: 'loss / likelihood / gradient figures as SVG, PNG, CSV or JSON', load: () => loadCommand('plot') },
  explain: { summary: 'derivations: likelihood, gradient, softmax, cross-entropy', load: () => loadCommand('explain') },
  train: { summary: 'train softmax regression or an MLP on Fashion-MNIST or your data', load: () => loadCommand('train') },
  evaluate: { summary: 'accuracy, per-class precision/recall and confusion matrix of a saved model', load: () => loadCommand('evaluate') },
  predict: { summary: 'top classes of an image or a .npy batch with a saved model', load: () => loadCommand('predict') },
  split: { summary: 'cross-validation folds of a CSV (scikit-learn-identical splitters)', load: () => loadCommand('split') },
  shift: { summary: 'is my validation set like my training set? shift and leakage report', load: () => loadCommand('shift') },
  adapt: { summary: 'train across domains (ERM, IRM, V-REx, GroupDRO) and report test-domain accuracy as DomainBed does', load: () => loadCommand('adapt') },
  errors: { summary: 'where does a model fail? error slices, confusion pairs, confident mistakes', load: () => loadCommand('errors') },
  serve: { summary: 'serve the web lab on 127.0.0.1', load: () => loadCommand('serve') },
};

/** Commands are loaded by name so a new command is one file plus one line above. */
async function loadCommand(name: string): Promise<{ command: Command }> {
  const module: unknown = await import(/* @vite-ignore */ `./commands/${name}.js`);
  if (typeof module !== 'object' || module === null || !('command' in module)) {
    throw new Error(`src/cli/commands/${name}.ts must export 'command'`);
  }
  return module as { command: Command };
}

export function consoleIO(signal?: AbortSignal): CommandIO {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    isTTY: Boolean(process.stderr.isTTY),
    signal,
  };
}

function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `losslab — loss functions, softmax and honest validation\n\nUsage: losslab <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'losslab <command> --help' for a command's options.\n`;
}

export async function runCli(argv: readonly string[], io: CommandIO): Promise<number> {
  // the kernels' fused multiply-add build, before any of them compiles (Node 20 needs the V8 flag)
  enableRelaxedSimd();
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(mainHelp());
    return 0;
  }
  if (name === '--version') {
    io.stdout('losslab 0.1.0\n');
    return 0;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    io.stderr(`losslab: unknown command ${JSON.stringify(name)}; the commands are ${Object.keys(COMMANDS).join(', ')}. Run 'losslab --help'.\n`);
    return 2;
  }
  // The library's warnings go to the command's stderr. A NaN mean over zero elements is explained
  // by the commands themselves (losslab loss says which input is empty), so that one is not repeated.
  const stopWarnings = onWarning((warning) => {
    if (warning.code !== 'empty-mean') io.stderr(`warning: ${warning.message}\n`);
  });
  try {
    const { command } = await entry.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(`Usage: losslab ${command.usage}\n\n${command.summary}\n\nOptions:\n${formatOptions(command.options)}\n`);
      return 0;
    }
    const args = parseArgs(rest, command.options, name);
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof LosslabError) {
      io.stderr(`error: ${error.message}\n`);
      return 2;
    }
    if (io.signal?.aborted && error === io.signal.reason) {
      io.stderr(`losslab ${name}: interrupted (Ctrl-C); no partial output was written.\n`);
      return 130;
    }
    throw error;
  } finally {
    stopWarnings();
  }
}
