#!/usr/bin/env node
// The `losslab` command: runs the compiled CLI in dist/ (built by `npm run build`, or by `npm start`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write("losslab: the compiled code is missing (dist/). Run 'npm run build' first.\n");
  process.exit(2);
}
// relaxed SIMD (fused multiply-add) for the WebAssembly kernels: default from Node 22, a V8 flag on Node 20
const { enableRelaxedSimd } = await import(new URL('../dist/node/relaxedSimd.js', import.meta.url).href);
enableRelaxedSimd();
const { runCli, consoleIO } = await import(main.href);
const controller = new AbortController();
let interrupts = 0;
process.on('SIGINT', () => {
  interrupts += 1;
  if (interrupts > 1) process.exit(130);
  controller.abort();
});
const status = await runCli(process.argv.slice(2), consoleIO(controller.signal));
process.exitCode = status;
