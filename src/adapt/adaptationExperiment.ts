import { domainHoldout, domainRows, type DomainDataset } from '../data/domainDataset.js';
import { fail, formatValue } from '../errors.js';
import { RandomState } from '../tensor/random.js';
import { type AdaptationMethod, AdaptationTrainer } from './adaptationTrainer.js';
import { meanSd } from './experiment.js';
import { meanPredictionEntropy, softNeighborhoodDensity } from './validators.js';

/**
 * Source → target adaptation as measured in the literature: train on the labelled source domain's
 * "in" rows and the target domain's rows without their labels; every `checkpointEvery` steps record
 * the target accuracy (for the report and the oracle only), the source "out" accuracy, and the
 * target-free validators — negative mean prediction entropy and soft neighbourhood density on (a
 * subset of) the target rows. The reported model is the checkpoint the chosen validator scores best;
 * beside it the oracle (best target accuracy over checkpoints, which peeks at target labels) and the
 * last checkpoint.
 */
export interface AdaptationRunResult {
  readonly method: AdaptationMethod;
  readonly seed: number;
  readonly checkpoints: { step: number; targetAcc: number; sourceValAcc: number; entropy: number; snd: number }[];
  /** Target accuracy of the checkpoint picked by the validator, by the oracle, and of the last one. */
  readonly selected: number;
  readonly selectedStep: number;
  readonly oracle: number;
  readonly last: number;
}

export interface AdaptationExperimentResult {
  readonly method: AdaptationMethod;
  readonly validator: 'entropy' | 'snd';
  readonly runs: AdaptationRunResult[];
  readonly selected: { mean: number; sd: number };
  readonly oracle: { mean: number; sd: number };
  readonly last: { mean: number; sd: number };
}

function floats(data: DomainDataset, rows: ArrayLike<number>): Float32Array {
  const d = data.features;
  const out = new Float32Array(rows.length * d);
  const scale = Math.fround(data.scale);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (data.x instanceof Uint8Array) for (let j = 0; j < d; j++) out[i * d + j] = Math.fround(data.x[r * d + j] * scale);
    else out.set(data.x.subarray(r * d, (r + 1) * d), i * d);
  }
  return out;
}

function softmaxRows(z: Float32Array, k: number): Float64Array {
  const out = new Float64Array(z.length);
  for (let i = 0; i < z.length / k; i++) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, z[i * k + c]);
    let s = 0;
    for (let c = 0; c < k; c++) s += out[i * k + c] = Math.exp(z[i * k + c] - max);
    for (let c = 0; c < k; c++) out[i * k + c] /= s;
  }
  return out;
}

export function runAdaptation(
  data: DomainDataset,
  options: {
    source: number;
    target: number;
    method: AdaptationMethod;
    seeds?: number;
    steps?: number;
    checkpointEvery?: number;
    batchSize?: number;
    validator?: 'entropy' | 'snd';
    model?: 'mlp' | 'cnn';
    /** Width of the MLP featurizer and the discriminator (default 256). */
    width?: number;
    /** Target rows the validators and accuracies are computed on (default 2000; SND is quadratic). */
    evalRows?: number;
    onStep?: (seed: number, step: number, loss: number) => void;
  },
): AdaptationExperimentResult {
  const fn = 'runAdaptation';
  const k = data.domainNames.length;
  for (const [name, d] of [
    ['source', options.source],
    ['target', options.target],
  ] as const) {
    if (!(Number.isInteger(d) && d >= 0 && d < k)) fail({ fn, argument: name, value: formatValue(d), rule: `it must be a domain index in [0, ${k - 1}]` });
  }
  if (options.source === options.target) fail({ fn, argument: 'target', value: formatValue(options.target), rule: 'it must differ from the source domain' });
  const seeds = options.seeds ?? 5;
  const steps = options.steps ?? 1000;
  const every = options.checkpointEvery ?? 100;
  const batch = options.batchSize ?? 64;
  const validator = options.validator ?? 'entropy';
  const numClasses = data.numClasses;
  const runs: AdaptationRunResult[] = [];
  for (let seed = 0; seed < seeds; seed++) {
    const split = domainHoldout(data, 0.2, seed);
    const srcIn = split.in[options.source];
    const srcOut = split.out[options.source];
    const tgtRows = domainRows(data, options.target);
    const xs = floats(data, srcIn);
    const ys = Int32Array.from(srcIn, (r) => data.y[r]);
    const xv = floats(data, srcOut);
    const yv = Int32Array.from(srcOut, (r) => data.y[r]);
    const xt = floats(data, tgtRows);
    const yt = Int32Array.from(tgtRows, (r) => data.y[r]);
    const rng = new RandomState(seed);
    const evalIdx = rng.permutation(tgtRows.length).subarray(0, Math.min(options.evalRows ?? 2000, tgtRows.length));
    const d = data.features;
    const xe = new Float32Array(evalIdx.length * d);
    const ye = new Int32Array(evalIdx.length);
    evalIdx.forEach((r, i) => {
      xe.set(xt.subarray(r * d, (r + 1) * d), i * d);
      ye[i] = yt[r];
    });
    const trainer = new AdaptationTrainer({
      method: options.method,
      inputShape: data.inputShape,
      numClasses,
      totalSteps: steps,
      seed,
      model: options.model,
      width: options.width,
    });
    let orderS = rng.permutation(srcIn.length);
    let orderT = rng.permutation(tgtRows.length);
    let cs = 0;
    let ct = 0;
    const checkpoints: AdaptationRunResult['checkpoints'] = [];
    for (let step = 0; step < steps; step++) {
      const bx = new Float32Array(batch * d);
      const by = new Int32Array(batch);
      const tx = new Float32Array(batch * d);
      for (let b = 0; b < batch; b++) {
        if (cs >= srcIn.length) {
          orderS = rng.permutation(srcIn.length);
          cs = 0;
        }
        if (ct >= tgtRows.length) {
          orderT = rng.permutation(tgtRows.length);
          ct = 0;
        }
        const r = orderS[cs++];
        bx.set(xs.subarray(r * d, (r + 1) * d), b * d);
        by[b] = ys[r];
        const t = orderT[ct++];
        tx.set(xt.subarray(t * d, (t + 1) * d), b * d);
      }
      const m = trainer.step({ x: bx, y: by, n: batch }, { x: tx, n: batch });
      options.onStep?.(seed, step + 1, m.loss);
      if ((step + 1) % every === 0 || step === steps - 1) {
        const logits = trainer.predict(xe, ye.length);
        let correct = 0;
        for (let i = 0; i < ye.length; i++) {
          let best = 0;
          for (let c = 1; c < numClasses; c++) if (logits[i * numClasses + c] > logits[i * numClasses + best]) best = c;
          if (best === ye[i]) correct++;
        }
        const sub = Math.min(1000, ye.length);
        checkpoints.push({
          step: step + 1,
          targetAcc: correct / ye.length,
          sourceValAcc: trainer.score(xv, yv, yv.length),
          entropy: -meanPredictionEntropy(logits, numClasses),
          snd: softNeighborhoodDensity(softmaxRows(logits.subarray(0, sub * numClasses), numClasses), numClasses),
        });
      }
    }
    let chosen = checkpoints[0];
    for (const c of checkpoints) if (c[validator] > chosen[validator]) chosen = c;
    runs.push({
      method: options.method,
      seed,
      checkpoints,
      selected: chosen.targetAcc,
      selectedStep: chosen.step,
      oracle: Math.max(...checkpoints.map((c) => c.targetAcc)),
      last: checkpoints[checkpoints.length - 1].targetAcc,
    });
  }
  return {
    method: options.method,
    validator,
    runs,
    selected: meanSd(runs.map((r) => r.selected)),
    oracle: meanSd(runs.map((r) => r.oracle)),
    last: meanSd(runs.map((r) => r.last)),
  };
}
