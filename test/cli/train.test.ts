import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeNpyFile } from '../../src/node/npyFile.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { losslab, tempDir } from './harness.js';

const SMALL = ['--limit', '2000', '--epochs', '2', '--batch-size', '16'];

function metrics(dir: string) {
  return JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as {
    epochs: { epoch: number; trainLoss: number; trainAccuracy: number; testAccuracy: number; seconds: number }[];
    testAccuracy: number;
  };
}
const withoutSeconds = (m: ReturnType<typeof metrics>) => ({ ...m, epochs: m.epochs.map(({ seconds: _s, ...rest }) => rest) });

describe('losslab train on Fashion-MNIST', () => {
  it('trains softmax regression on 2,000 images for 2 epochs to a sensible accuracy and writes every output', async () => {
    const out = tempDir('train');
    const r = await losslab(['train', ...SMALL, '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/60000 train \/ 10000 test; 2 empty entries skipped/);
    expect(r.stdout).toMatch(/epoch\s+train loss\s+train acc\s+test acc\s+seconds/);
    const m = metrics(out);
    expect(m.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(m.epochs[1].trainLoss).toBeLessThan(m.epochs[0].trainLoss);
    expect(m.testAccuracy).toBeGreaterThan(0.72);
    expect(m.testAccuracy).toBe(m.epochs[1].testAccuracy);
    for (const f of [
      'model.json',
      'model.bin',
      'training-curve.svg',
      'training-curve.png',
      'confusion-matrix.csv',
      'confusion-matrix.svg',
      'confusion-matrix.png',
      'wrong.png',
      'report.md',
      'templates/class-0.png',
      'templates/class-9.png',
    ]) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    expect(readFileSync(join(out, 'confusion-matrix.csv'), 'utf8').split('\n')[0]).toBe(
      'true\\predicted,T-shirt/top,Trouser,Pullover,Dress,Coat,Sandal,Shirt,Sneaker,Bag,Ankle boot',
    );
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/1\. test row \d+: true .+, predicted .+ \(p = 0\.\d{3}\)/);
    expect(existsSync(join(out, 'checkpoint.safetensors'))).toBe(false);
  });

  describe('interrupt and resume (MLP, momentum): bit-exact', () => {
    // 3 epochs: long enough that a SIGINT sent at 25% of epoch 1 lands mid-run (the trainer yields every 50 ms)
    const args = ['train', '--model', 'mlp', '--hidden', '32', '--momentum', '0.9', '--limit', '3000', '--epochs', '3', '--batch-size', '16', '--no-figures'];
    let full = '';
    beforeAll(async () => {
      full = tempDir('full');
      const r = await losslab([...args, '--out', full]);
      expect(r.status, r.stderr).toBe(0);
    }, 120_000);

    it('Ctrl-C (io.signal) checkpoints; --resume finishes with exactly the uninterrupted result', async () => {
      const cut = tempDir('cut');
      const controller = new AbortController();
      const first = await losslab([...args, '--out', cut], { signal: controller.signal, onStderr: (t) => t.startsWith('epoch 2/3') && controller.abort() });
      expect(first.status).toBe(130);
      expect(first.stderr).toMatch(/interrupted in epoch 2 after \d+ of 3000 rows; checkpoint written/);
      expect(existsSync(join(cut, 'checkpoint.safetensors'))).toBe(true);
      expect(existsSync(join(cut, 'model.json'))).toBe(false);

      const second = await losslab([...args, '--out', cut, '--resume']);
      expect(second.status, second.stderr).toBe(0);
      expect(second.stderr).toMatch(/resuming epoch 2 at row \d+ of 3000/);
      expect(readFileSync(join(cut, 'model.bin'))).toEqual(readFileSync(join(full, 'model.bin')));
      expect(withoutSeconds(metrics(cut))).toEqual(withoutSeconds(metrics(full)));
      expect(existsSync(join(cut, 'checkpoint.safetensors'))).toBe(false);
    }, 120_000);

    it('a subprocess sent SIGINT mid-run checkpoints and exits 130; --resume reproduces the uninterrupted run bit for bit', async () => {
      const runChild = (extra: string[], interrupt: boolean) =>
        new Promise<{ code: number | null; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, ['bin/losslab.js', ...args, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
          let stderr = '';
          let sent = false;
          child.stderr.on('data', (d: Buffer) => {
            stderr += d.toString();
            if (interrupt && !sent && /epoch 1\/3 .* 2[56]%/.test(stderr)) {
              sent = true;
              child.kill('SIGINT');
            }
          });
          child.stdout.resume();
          child.on('close', (code) => resolve({ code, stderr }));
        });
      const cut = tempDir('sub-cut');
      const b = await runChild(['--out', cut], true);
      expect(b.code, b.stderr).toBe(130);
      expect(b.stderr).toMatch(/interrupted in epoch [12] after \d+ of 3000 rows/);
      const c = await runChild(['--out', cut, '--resume'], false);
      expect(c.code, c.stderr).toBe(0);
      expect(readFileSync(join(cut, 'model.bin'))).toEqual(readFileSync(join(full, 'model.bin')));
      expect(withoutSeconds(metrics(cut))).toEqual(withoutSeconds(metrics(full)));
    }, 120_000);
  });
});

describe('losslab train --model cnn: LeNet-5 on the general stack (nn modules, WebAssembly GEMM and convolutions)', () => {
  // 1,200 images, batch 64: 19 steps per epoch; 3 epochs so a Ctrl-C in epoch 2 lands mid-run
  const args = ['train', '--model', 'cnn', '--limit', '1200', '--epochs', '3', '--no-figures'];
  let full = '';
  beforeAll(async () => {
    full = tempDir('cnn-full');
    const r = await losslab([...args, '--out', full]);
    expect(r.status, r.stderr).toBe(0);
  }, 180_000);

  it('trains, reports, and saves PyTorch-loadable weights; evaluate reloads the model', async () => {
    const m = metrics(full);
    expect(m.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(m.epochs[2].trainLoss).toBeLessThan(m.epochs[0].trainLoss);
    expect(m.testAccuracy).toBeGreaterThan(0.4); // chance is 0.1; three epochs on 1,200 images
    for (const f of ['model.json', 'model.bin', 'model.safetensors', 'report.md', 'confusion-matrix.csv', 'wrong.png'])
      expect(existsSync(join(full, f)), f).toBe(true);
    const header = JSON.parse(readFileSync(join(full, 'model.json'), 'utf8'));
    expect(header.version).toBe(2);
    expect(header.architecture).toEqual({ kind: 'lenet5', imageShape: [28, 28], classes: 10 });
    expect(header.training.batchSize).toBe(64);
    expect(header.training.lrSchedule).toBe('cosine'); // the cnn default (docs/nn.md)
    const ev = await losslab(['evaluate', '--model', full, '--limit', '1200']);
    expect(ev.status, ev.stderr).toBe(0);
    expect(ev.stdout).toMatch(/\(cnn, LeNet-5 on 28×28\)/);
    expect(ev.stdout).toContain(`accuracy ${(100 * m.testAccuracy).toFixed(2)}%`);
  });

  it('Ctrl-C checkpoints; --resume finishes with exactly the uninterrupted result', async () => {
    const cut = tempDir('cnn-cut');
    const controller = new AbortController();
    const first = await losslab([...args, '--out', cut], { signal: controller.signal, onStderr: (t) => t.startsWith('epoch 2/3') && controller.abort() });
    expect(first.status).toBe(130);
    expect(first.stderr).toMatch(/interrupted in epoch 2 after \d+ of 1200 rows; checkpoint written/);
    const second = await losslab([...args, '--out', cut, '--resume']);
    expect(second.status, second.stderr).toBe(0);
    expect(readFileSync(join(cut, 'model.bin'))).toEqual(readFileSync(join(full, 'model.bin')));
    expect(readFileSync(join(cut, 'model.safetensors'))).toEqual(readFileSync(join(full, 'model.safetensors')));
    expect(withoutSeconds(metrics(cut))).toEqual(withoutSeconds(metrics(full)));
  }, 180_000);

  it('refuses data that are not images', async () => {
    const dir = tempDir('cnn-rows');
    writeNpyFile(join(dir, 'x.npy'), new Tensor(new Float32Array(40), [10, 4]));
    writeNpyFile(join(dir, 'y.npy'), new Tensor(new Int32Array(10), [10]));
    const r = await losslab(['train', '--model', 'cnn', '--dataset', join(dir, 'x.npy'), '--labels', join(dir, 'y.npy')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /argument '--model' is "cnn", but LeNet-5 needs image data \(this dataset has plain feature rows\)\. Use --model mlp for feature rows\./,
    );
  });
});

describe('losslab train: bad input exits 2 with a message naming the argument and the rule', () => {
  describe('--threads: the fused softmax-regression step on 1 or 2 threads', () => {
    // batch 16 over 20,000 rows: 1,250 steps per epoch, so an abort in epoch 2 lands mid-epoch
    const args = ['train', '--limit', '20000', '--epochs', '3', '--batch-size', '16', '--no-figures'];

    it('both thread counts train the same model bit for bit, and say which step ran', async () => {
      const one = tempDir('threads1');
      const two = tempDir('threads2');
      const r1 = await losslab([...args, '--threads', '1', '--out', one]);
      const r2 = await losslab([...args, '--threads', '2', '--out', two]);
      expect(r1.status, r1.stderr).toBe(0);
      expect(r2.status, r2.stderr).toBe(0);
      expect(r1.stderr).toMatch(/training step: fused-sparse \(kernels: wasm\)/);
      expect(r2.stderr).toMatch(/training step: fused-sparse×2 \(kernels: wasm-2t\)/);
      expect(readFileSync(join(two, 'model.bin'))).toEqual(readFileSync(join(one, 'model.bin')));
      expect(withoutSeconds(metrics(two))).toEqual(withoutSeconds(metrics(one)));
      expect(metrics(one).testAccuracy).toBeGreaterThan(0.78);
    }, 120_000);

    it('an interrupted 2-thread run resumes to exactly the uninterrupted 2-thread result', async () => {
      const full = tempDir('threads-full');
      const r = await losslab([...args, '--threads', '2', '--out', full]);
      expect(r.status, r.stderr).toBe(0);
      const cut = tempDir('threads-cut');
      const controller = new AbortController();
      const first = await losslab([...args, '--threads', '2', '--out', cut], {
        signal: controller.signal,
        onStderr: (t) => t.startsWith('epoch 2/3') && controller.abort(),
      });
      expect(first.status).toBe(130);
      const second = await losslab([...args, '--threads', '2', '--out', cut, '--resume']);
      expect(second.status, second.stderr).toBe(0);
      expect(readFileSync(join(cut, 'model.bin'))).toEqual(readFileSync(join(full, 'model.bin')));
      expect(withoutSeconds(metrics(cut))).toEqual(withoutSeconds(metrics(full)));
    }, 120_000);

    it('rejects a thread count other than 1 or 2', async () => {
      const r = await losslab(['train', '--threads', '3', '--limit', '10']);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/argument '--threads' is 3, but it must be at most 2/);
    });
  });

  it('options', async () => {
    let r = await losslab(['train', '--hidden', '64']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/argument '--hidden' is "64", but softmax regression has no hidden layers\. Add --model mlp/);
    r = await losslab(['train', '--model', 'mlp', '--hidden', '64,x']);
    expect(r.stderr).toMatch(/argument '--hidden' is "64,x", but it must be a positive integer or a comma-separated list/);
    r = await losslab(['train', '--optimizer', 'adam', '--momentum', '0.9', '--limit', '10']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/momentum applies to SGD only/);
    r = await losslab(['train', '--lr', '0']);
    expect(r.stderr).toMatch(/argument '--lr' is 0, but it must be greater than 0/);
  });

  it('--resume without a checkpoint, or with other settings', async () => {
    const out = tempDir('noresume');
    let r = await losslab(['train', '--limit', '100', '--epochs', '1', '--out', out, '--resume']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/argument '--resume' is ".*", but the folder must hold a checkpoint \(checkpoint\.safetensors\) of an interrupted run/);
    const controller = new AbortController();
    await losslab(['train', '--limit', '600', '--epochs', '2', '--batch-size', '10', '--no-figures', '--out', out], {
      signal: controller.signal,
      onStderr: () => controller.abort(),
    });
    r = await losslab(['train', '--limit', '600', '--epochs', '2', '--batch-size', '10', '--no-figures', '--lr', '0.2', '--out', out, '--resume']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/a resumed run must use the settings of the interrupted one \(lr = 0\.1\)/);
    writeFileSync(join(out, 'checkpoint.safetensors'), 'garbage');
    r = await losslab(['train', '--limit', '600', '--epochs', '2', '--batch-size', '10', '--no-figures', '--out', out, '--resume']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/checkpoint\.safetensors', but it must be a losslab checkpoint, a safetensors file \(.*\); the file is corrupt/);
  });

  it('user data: a non-numeric CSV cell, labels out of range in .npy, a missing file', async () => {
    const dir = tempDir('userdata');
    writeFileSync(join(dir, 'bad.csv'), 'a,b,label\n1,2,0\n3,oops,1\n');
    let r = await losslab(['train', '--dataset', join(dir, 'bad.csv')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad\.csv' is row 2 \(line 3\), column "b" = "oops", but feature cells must be finite numbers/);
    writeNpyFile(join(dir, 'X.npy'), new Tensor(new Float32Array(8), [2, 4]));
    writeNpyFile(join(dir, 'y.npy'), new Tensor(Int32Array.of(0, -1), [2]));
    r = await losslab(['train', '--dataset', join(dir, 'X.npy')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/y\.npy' is -1 at row 1, but labels must be class indices: integers ≥ 0/);
    writeNpyFile(join(dir, 'y.npy'), new Tensor(Int32Array.of(0, 1, 1), [3]));
    r = await losslab(['train', '--dataset', join(dir, 'X.npy')]);
    expect(r.stderr).toMatch(/labels must be a 1-d array with one label per row of X\.npy \(2\)/);
    writeFileSync(join(dir, 'huge.csv'), `a,b,label\n${Array.from({ length: 40 }, (_, i) => `1e20,${1e20 * (i % 2)},${i % 3}`).join('\n')}\n`);
    r = await losslab(['train', '--dataset', join(dir, 'huge.csv'), '--epochs', '3', '--batch-size', '4', '--no-figures', '--out', join(dir, 'run')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/argument '--lr' is 0\.1, but training diverged: the train loss of epoch \d is (NaN|Infinity)\. Lower the learning rate/);
    r = await losslab(['train', '--dataset', join(dir, 'missing.csv')]);
    expect(r.stderr).toMatch(/argument '--dataset' is ".*missing\.csv", but the file must exist/);
  });
});
