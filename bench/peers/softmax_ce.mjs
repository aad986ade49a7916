// softmax_ce.mjs - TensorFlow.js peer of the softmax-ce suite (adapted from
// ../shared/peers/softmax_ce.mjs): tf.valueAndGrad(x => tf.losses.softmaxCrossEntropy(onehot, x)),
// mean over rows, backend cpu or wasm (SIMD build, 1 thread in Node).
// usage: node bench/peers/softmax_ce.mjs --backend {cpu,wasm}
import { createRequire } from 'node:module';
import { loadTfjs, serve } from './protocol.mjs';

const require = createRequire(import.meta.url);
const backend = process.argv[process.argv.indexOf('--backend') + 1] ?? 'wasm';

function ceInputs(N, K) {
  const x = new Float32Array(N * K);
  for (let i = 0; i < N * K; i++) x[i] = (((Math.imul(i, 2654435761) >>> 0) >>> 8) / 16777216) * 8 - 4;
  const y = new Int32Array(N);
  for (let n = 0; n < N; n++) y[n] = (n * 7919 + 13) % K;
  return [x, y];
}

function checksums(loss, g) {
  let w = 0,
    a = 0;
  for (let i = 0; i < g.length; i++) {
    w += g[i] * ((i % 7) - 3);
    a += Math.abs(g[i]);
  }
  return { loss, grad_checksum_w: w, grad_abs_sum: a };
}

const { tf, info } = await loadTfjs(require, backend);
let held = [];
await serve(info, (_caseId, params) => {
  for (const t of held) t.dispose();
  const [N, K] = params.shape;
  const [x, y] = ceInputs(N, K);
  const oh = new Float32Array(N * K);
  for (let n = 0; n < N; n++) oh[n * K + y[n]] = 1;
  const xT = tf.tensor2d(x, [N, K]);
  const ohT = tf.tensor2d(oh, [N, K]);
  held = [xT, ohT];
  const vg = tf.valueAndGrad((v) => tf.losses.softmaxCrossEntropy(ohT, v));
  const first = vg(xT);
  const check = checksums(first.value.dataSync()[0], first.grad.dataSync());
  first.value.dispose();
  first.grad.dispose();
  const step = () => {
    const { value, grad } = vg(xT);
    value.dataSync(); // forces completion, as float(loss) does in PyTorch
    value.dispose();
    grad.dispose();
  };
  return { step, check };
});
