// softmax_regression.mjs - TensorFlow.js peer of the `training` suite (adapted from
// ../shared/peers/softmax_regression.mjs to the JSON-lines protocol of bench/suite.ts).
// Same protocol as softmax_regression.py: pixels/255 float32, W0 = init-W.f32 ([784][10]), bias 0,
// tf.train.sgd(lr).minimize(tf.losses.softmaxCrossEntropy) over batches of `batch` rows in the order
// perms.u32[e]; minibatches assembled in plain JS (tf.gather is ~10× slower in tfjs 4.22); the
// batch loss read back every step. One timed run = the whole training loop.
// usage: node bench/peers/softmax_regression.mjs --backend {wasm,cpu}
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { loadTfjs, serve } from './protocol.mjs';

const require = createRequire(import.meta.url);
const backend = process.argv[process.argv.indexOf('--backend') + 1] ?? 'wasm';
const { tf, info } = await loadTfjs(require, backend);

const readU8 = (f) => new Uint8Array(fs.readFileSync(f));
const toFloat = (u8) => Float32Array.from(u8, (v) => v / 255);

await serve(info, (_caseId, params) => {
  const { dataDir, srDir } = params;
  const epochs = Number(params.epochs),
    B = Number(params.batch),
    lr = Number(params.lr);
  const trL = readU8(path.join(dataDir, 'train-labels.u8'));
  const teL = readU8(path.join(dataDir, 'test-labels.u8'));
  const Xf = toFloat(readU8(path.join(dataDir, 'train-images.u8')));
  const n = trL.length,
    nt = teL.length;
  const Xt = tf.tensor2d(toFloat(readU8(path.join(dataDir, 'test-images.u8'))), [nt, 784]);
  const X = tf.tensor2d(Xf, [n, 784]);
  const yIdx = tf.tensor1d(Int32Array.from(trL), 'int32');
  const ytIdx = tf.tensor1d(Int32Array.from(teL), 'int32');
  const Yoh = tf.tidy(() => tf.oneHot(yIdx, 10).toFloat());
  const W0 = new Float32Array(fs.readFileSync(path.join(srDir, 'init-W.f32')).buffer.slice(0));
  const perms = new Uint32Array(fs.readFileSync(path.join(srDir, 'perms.u32')).buffer.slice(0));
  const xBatch = new Float32Array(B * 784),
    yBatch = new Float32Array(B * 10);
  let W = null,
    b = null,
    last = 0;

  function run() {
    if (W) {
      W.dispose();
      b.dispose();
    }
    W = tf.variable(tf.tensor2d(W0, [784, 10]), true);
    b = tf.variable(tf.zeros([10]), true);
    const opt = tf.train.sgd(lr);
    for (let e = 0; e < epochs; e++) {
      const perm = perms.subarray(e * n, (e + 1) * n);
      let tot = 0;
      for (let i = 0; i < n; i += B) {
        const m = Math.min(B, n - i);
        const lossT = tf.tidy(() => {
          yBatch.fill(0);
          for (let r = 0; r < m; r++) {
            const j = perm[i + r];
            xBatch.set(Xf.subarray(j * 784, (j + 1) * 784), r * 784);
            yBatch[r * 10 + trL[j]] = 1;
          }
          const xb = tf.tensor2d(xBatch.subarray(0, m * 784), [m, 784]);
          const yb = tf.tensor2d(yBatch.subarray(0, m * 10), [m, 10]);
          return opt.minimize(() => tf.losses.softmaxCrossEntropy(yb, tf.add(tf.matMul(xb, W), b)), true, [W, b]);
        });
        tot += lossT.dataSync()[0] * m;
        lossT.dispose();
      }
      last = tot / n;
    }
    opt.dispose();
  }

  function metrics() {
    return tf.tidy(() => {
      const lg = tf.add(tf.matMul(X, W), b);
      const full = tf.losses.softmaxCrossEntropy(Yoh, lg).dataSync()[0];
      const acc = tf.mean(tf.equal(tf.argMax(tf.add(tf.matMul(Xt, W), b), 1), ytIdx).toFloat()).dataSync()[0];
      return { last_epoch_mean_batch_loss: last, train_loss_full: full, test_acc: acc };
    });
  }

  run();
  const check = metrics();
  return {
    check,
    step: () => {
      run();
      return { test_acc: metrics().test_acc };
    },
  };
});
