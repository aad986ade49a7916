import { spawnSync } from 'node:child_process';

/**
 * Compiles src/ to dist/ once, so tests can run the real `losslab` command as a subprocess.
 * Type errors are reported by `npm run typecheck` (part of `npm test`); here they only warn, since
 * tsc still emits JavaScript.
 */
export default function setup(): void {
  const r = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { encoding: 'utf8' });
  if (r.status !== 0) process.stderr.write(`warning: tsc reported errors while building dist/:\n${r.stdout}${r.stderr}\n`);
}
