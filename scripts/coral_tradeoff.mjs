// Deep CORAL's trade-off by the paper's rule, without target labels (docs/adapt.md, "Measured with the algorithm
// classes"). Sun & Saenko 2016: "the weight is chosen such that at the end of training the classification loss and
// the CORAL loss are roughly the same". For each gamma of a grid fixed beforehand, train Deep CORAL on rotated
// Fashion-MNIST (source 0°, unlabelled target 45°) on a seed that is not reported, never score the target, and
// print the mean source cross-entropy and gamma × penalty over the last 200 steps (one JSON line per gamma).
//
//   npm run build && nice -n 10 node scripts/coral_tradeoff.mjs [steps=2000] [gammas=1,10,100,1000] [seed=100]
import { DomainTrainer } from '../dist/adapt/trainer.js';
import { loadDomainBenchmark } from '../dist/node/index.js';

const steps = Number(process.argv[2] ?? 2000);
const gammas = (process.argv[3] ?? '1,10,100,1000').split(',').map(Number);
const seed = Number(process.argv[4] ?? 100);
const data = loadDomainBenchmark('rotated-fashion-mnist');
const source = data.domainNames.indexOf('0');
const target = data.domainNames.indexOf('45');
for (const gamma of gammas) {
  const t0 = performance.now();
  const trainer = new DomainTrainer(data, {
    algorithm: 'coral',
    hparams: { mmdGamma: gamma },
    trainDomains: [source],
    targetDomains: [target],
    seed,
    modelSeed: 1000 * seed + target,
    steps,
    validators: false,
  });
  let nll = 0;
  let penalty = 0;
  let n = 0;
  while (!trainer.done) {
    const r = trainer.step();
    if (trainer.stepsTaken > steps - 200) {
      nll += r.terms.nll;
      penalty += r.terms.penalty;
      n++;
    }
  }
  const line = { gamma, steps, seed, nll: nll / n, penalty: penalty / n, ratio: (gamma * penalty) / nll, seconds: (performance.now() - t0) / 1000 };
  console.log(JSON.stringify(line));
}
