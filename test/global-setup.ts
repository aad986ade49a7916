import { execFileSync } from 'node:child_process';

/** Compiles src/ to dist/ once, so tests can run the real `losslab` command as a subprocess. */
export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
