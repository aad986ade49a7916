import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fail } from '../../errors.js';
import { optNumber, optString } from '../args.js';
import type { Command } from '../command.js';
import { startLabServer } from '../../node/server.js';
import { loadFashionMnist } from '../../node/fashionMnistCache.js';

/** The project root: dist/cli/commands/serve.js → three folders up. */
const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export const command: Command = {
  name: 'serve',
  summary: 'serve the web lab (built into dist/web by `npm start`) on 127.0.0.1',
  usage: 'serve [--port P] [--host 127.0.0.1] [--root dist/web] [--data DIR]',
  options: {
    port: { type: 'integer', description: 'TCP port (0 picks a free one)', default: 8420, min: 0, max: 65535 },
    host: { type: 'string', description: 'interface to listen on; keep 127.0.0.1 unless you mean to share the lab', default: '127.0.0.1' },
    root: { type: 'string', description: 'folder with the built lab', default: 'dist/web' },
    data: {
      type: 'string',
      description: 'cache root served under /data/ (default: the Fashion-MNIST cache root, $LOSSLAB_CACHE or ~/.cache/losslab, prepared first)',
    },
  },
  async run(args, io) {
    const root = resolve(io.cwd, optString(args, 'root') ?? join(PROJECT_ROOT, 'dist', 'web'));
    if (!existsSync(join(root, 'index.html'))) {
      fail({
        fn: 'losslab serve',
        argument: '--root',
        value: JSON.stringify(root),
        rule: 'it must hold the built web lab (index.html)',
        fix: "Run 'npm start' (builds and serves) or 'node scripts/build-web.mjs' first.",
      });
    }
    const dataOption = optString(args, 'data');
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
    if (optNumber(args, 'port') === undefined && envPort !== undefined && envPort !== '' && !/^\d{1,5}$/.test(envPort.trim())) {
      fail({
        fn: 'losslab serve',
        argument: 'PORT (environment variable)',
        value: JSON.stringify(envPort),
        rule: 'a port is an integer in [0, 65535]',
        fix: 'Set PORT=8420, or pass --port.',
      });
    }
    const port = optNumber(args, 'port') ?? (envPort ? Number(envPort) : 8420);
    const server = await startLabServer({ root, dataDir, host: optString(args, 'host') ?? '127.0.0.1', port });
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
