/**
 * Suite `adapt`: the IRM paper's Colored Fashion-MNIST protocol (`reproduce_paper_results.sh`
 * hyperparameters; full-batch Adam, 501 steps for IRM and ERM, 101 for the grayscale model) in losslab
 * (`runIrmColored`: the DomainTrainer with the IRM algorithm on nn modules) and in
 * PyTorch (`bench/peers/irm_colored.py`: autograd with the double backward of the IRM penalty), on the
 * same data (written by `writeDomainFiles` to dist/bench/adapt/colored/) and the same initial weights
 * (losslab's Xavier-uniform draw, passed to the peer as a file). One timed run = the training loop;
 * building the data and the final evaluation are not timed. Checked: the initial mean training loss;
 * reported: train and test accuracy of the timed runs (they differ from PyTorch's only by float32
 * rounding in the order of operations, which the IRM penalty's 91,257× weight amplifies).
 *
 * The DANN epoch on rotated Fashion-MNIST (`bench/peers/dann_rotated.py`) joins when losslab's
 * convolutional stack (#12) can run DomainBed's MNIST CNN.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type IrmProtocolMethod, irmColoredInit, runIrmColored } from '../../src/adapt/irmProtocol.js';
import type { DomainDataset } from '../../src/data/domainDataset.js';
import { loadDomainBenchmark } from '../../src/node/domainData.js';
import { writeDomainFiles } from '../../src/node/domainFiles.js';
import { pythonPeer } from '../peerProcess.js';
import type { BenchCase, BenchSuite, Contender, OpenContender, Skipped } from '../suite.js';

function ours(data: DomainDataset, method: IrmProtocolMethod, init: Float32Array): Contender {
  return {
    id: 'losslab',
    label: 'losslab DomainTrainer (IRM on nn modules, penalty by double backward), 1 thread',
    side: 'ours',
    threads: 1,
    async open(): Promise<OpenContender | Skipped> {
      let nll0 = Number.NaN;
      runIrmColored(data, method, {
        init,
        steps: 1,
        onStep: (m) => {
          nll0 = m.terms.nll;
          return undefined;
        },
      });
      return {
        check: { nll0 },
        async time(reps: number) {
          const timesMs: number[] = [];
          let metrics: Record<string, number> = {};
          for (let r = 0; r < reps; r++) {
            const res = runIrmColored(data, method, { init });
            timesMs.push(res.seconds * 1000);
            metrics = { train_acc: res.trainAccuracy, test_acc: res.testAccuracy };
          }
          return { timesMs, metrics };
        },
        async close() {},
      };
    },
  };
}

export const suite: BenchSuite = {
  id: 'adapt',
  title: 'Domain generalisation: the IRM paper’s Colored Fashion-MNIST protocol (full-batch Adam), losslab vs PyTorch',
  async cases(options) {
    const data = loadDomainBenchmark('colored-fashion-mnist');
    const dir = path.join(options.root, 'dist', 'bench', 'adapt');
    const dataDir = path.join(dir, 'colored');
    writeDomainFiles(data, dataDir);
    const methods: IrmProtocolMethod[] = options.quick ? ['gray'] : ['gray', 'erm', 'irm'];
    return methods.map((method): BenchCase => {
      const init = irmColoredInit(data, method);
      mkdirSync(dir, { recursive: true });
      const initPath = path.join(dir, `init-${method}.f32`);
      writeFileSync(initPath, new Uint8Array(init.buffer, init.byteOffset, init.byteLength));
      const py = (threads: number): Contender =>
        pythonPeer({
          id: `torch-t${threads}`,
          label: 'PyTorch MLP + Adam, IRM penalty by double backward (autograd.grad create_graph)',
          threads,
          script: 'bench/peers/irm_colored.py',
          args: ['--threads', String(threads)],
        });
      return {
        id: `colored-fashion-mnist-${method}`,
        title: `Colored Fashion-MNIST, ${method.toUpperCase()} (${method === 'gray' ? 101 : 501} full-batch steps, 60,000 training images)`,
        params: { dataDir, method, init: initPath },
        contenders: [ours(data, method, init), py(1), py(2)],
        referenceId: 'torch-t1',
        tolerances: { nll0: { rtol: 1e-4 } },
        repsPerBlock: 1,
        rounds: options.quick ? 1 : 2,
      };
    });
  },
};
