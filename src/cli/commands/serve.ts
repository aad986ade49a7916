import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fail } from '../../errors.js';
import { optGiven, optionValues, type OptionSpecs } from '../args.js';
import type { Command } from '../command.js';
import { startLabServer } from '../../node/server.js';
import { loadFashionMnist } from '../../node/fashionMnistCache.js';

/** The project root: dist/cli/commands/serve.js → three folders up. */
const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const options = {
  port: { type: 'integer', description: 'TCP port (0 picks a free one)', default: 8420, min: 0, max: 65535 },
  host: { type: 'string', description: 'interface to listen on; keep 127.0.0.1 unless you mean to share the lab', default: '127.0.0.1' },
  root: { type: 'string', description: 'folder with the built lab', default: 'dist/web' },
  data: {
    type: 'string',
    description: 'cache root served under /data/ (default: the Fashion-MNIST cache root, $LOSSLAB_CACHE or ~/.cache/losslab, prepared first)',
  },
} as const satisfies OptionSpecs;

export const command: Command = {
  name: 'serve',
  summary: 'serve the web lab (built into dist/web by `npm start`) on 127.0.0.1',
  usage: 'serve [--port P] [--host 127.0.0.1] [--root dist/web] [--data DIR]',
  options,
  async run(args, io) {
    const o = optionValues(args, options);
    // --root given: relative to the working folder; the default: the lab built inside losslab itself.
    const root = resolve(optGiven(args, options, 'root') ? io.cwd : PROJECT_ROOT, o.root);
    if (!existsSync(join(root, 'index.html'))) {
      fail({
        fn: 'losslab serve',
        argument: '--root',
        value: JSON.stringify(root),
        rule: 'it must hold the built web lab (index.html)',
        fix: "Run 'npm start' (builds and serves) or 'node scripts/build-web.mjs' first.",
      });
    }
    const dataOption = o.data;
    let dataDir: string;
    if (dataOption === undefined) {
      // Prepares (once) and checks the Fashion-MNIST cache that the Train page downloads.
      const { info } = loadFashionMnist({});
      if (info.rebuilt) io.stderr(`prepared the Fashion-MNIST cache in ${info.dir} (${info.seconds.toFixed(1)} s)\n`);
      dataDir = dirname(info.dir);
    } else {
      dataDir = resolve(io.cwd, dataOption);
    }
    const envPort = process.env.PORT;
    const portGiven = optGiven(args, options, 'port');
    if (!portGiven && envPort !== undefined && envPort !== '' && !/^\d{1,5}$/.test(envPort.trim())) {
      fail({
        fn: 'losslab serve',
        argument: 'PORT (environment variable)',
        value: JSON.stringify(envPort),
        rule: 'a port is an integer in [0, 65535]',
        fix: 'Set PORT=8420, or pass --port.',
      });
    }
    const port = !portGiven && envPort ? Number(envPort) : o.port;
    const server = await startLabServer({ root, dataDir, host: o.host, port });
    io.stdout(`losslab web lab: ${server.url}\n(press Ctrl-C to stop)\n`);
    await new Promise<void>((done) => {
      if (io.signal?.aborted) done();
      io.signal?.addEventListener('abort', () => done(), { once: true });
    });
    await server.close();
    io.stderr('stopped the web lab\n');
    return 0;
  },
};
