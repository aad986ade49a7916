import { fail, formatValue } from '../errors.js';
import { RandomState } from '../tensor/random.js';
import { seedHash } from './md5.js';

/**
 * Hyperparameters as DomainBed's `hparams_registry.py` defines them for small images (its
 * `SMALL_IMAGES`: RotatedMNIST, ColoredMNIST — losslab uses these for every dataset, the user's
 * tables included): a default and a random-search distribution per name. Names are DomainBed's in
 * camelCase (`irm_lambda` → `irmLambda`); `domainbedName` keeps the original. `randomHparams(alg,
 * seed)` draws exactly as DomainBed's `random_hparams(alg, 'RotatedMNIST', seed)`: each value from
 * `np.random.RandomState(seed_hash(seed, name))`. Entries marked `losslab` are not DomainBed's (the
 * IRM paper's form, the adversary of DANN, importance weighting, DAN).
 */
export type HparamValue = number | boolean | string;
export type HparamValues = Readonly<Record<string, HparamValue>>;

export interface HparamSpec {
  readonly name: string;
  readonly domainbedName: string;
  readonly default: HparamValue;
  /** DomainBed's random-search distribution, in words (e.g. `10^U(-1, 5)`). */
  readonly range: string;
  readonly random: (r: RandomState) => HparamValue;
  /** Not in DomainBed's registry. */
  readonly losslab?: boolean;
  readonly description: string;
}

/** The algorithms (losslab ids) and the DomainBed class each one is. */
export const ALGORITHM_NAMES = ['erm', 'irm', 'vrex', 'groupdro', 'mixup', 'mldg', 'coral', 'mmd', 'dann', 'dan', 'importance-weighting'] as const;
export type AlgorithmName = (typeof ALGORITHM_NAMES)[number];

export const ALGORITHM_TITLES: Readonly<Record<AlgorithmName, string>> = {
  erm: 'ERM',
  irm: 'IRM',
  vrex: 'VREx',
  groupdro: 'GroupDRO',
  mixup: 'Mixup',
  mldg: 'MLDG',
  coral: 'CORAL',
  mmd: 'MMD',
  dann: 'DANN',
  dan: 'DAN',
  'importance-weighting': 'IW-ERM',
};

const pow10 = (r: RandomState, a: number, b: number) => 10 ** r.uniform(a, b);
const choice = <T extends HparamValue>(r: RandomState, values: readonly T[]): T => values[r.randint(0, values.length)];

function spec(
  name: string,
  domainbedName: string,
  value: HparamValue,
  range: string,
  random: (r: RandomState) => HparamValue,
  description: string,
  losslab = false,
): HparamSpec {
  return { name, domainbedName, default: value, range, random, description, losslab };
}

const COMMON: readonly HparamSpec[] = [
  spec('lr', 'lr', 1e-3, '10^U(-4.5, -2.5)', (r) => pow10(r, -4.5, -2.5), 'Adam learning rate'),
  spec('weightDecay', 'weight_decay', 0, '0', () => 0, 'Adam weight decay (L2 in the gradient)'),
  spec('batchSize', 'batch_size', 64, 'int(2^U(3, 9))', (r) => Math.trunc(2 ** r.uniform(3, 9)), 'rows per domain per step'),
];

const SPECIFIC: Readonly<Record<AlgorithmName, readonly HparamSpec[]>> = {
  erm: [spec('l2RegularizerWeight', 'l2_regularizer_weight', 0, '0', () => 0, 'the IRM paper’s l2 · Σ‖θ‖² term of the loss', true)],
  irm: [
    spec('irmLambda', 'irm_lambda', 1e2, '10^U(-1, 5)', (r) => pow10(r, -1, 5), 'penalty weight after the anneal steps'),
    spec('irmPenaltyAnnealIters', 'irm_penalty_anneal_iters', 500, 'int(10^U(0, 4))', (r) => Math.trunc(10 ** r.uniform(0, 4)), 'steps with penalty weight 1'),
    spec(
      'form',
      'form',
      'domainbed',
      'domainbed',
      () => 'domainbed',
      '`domainbed` (Adam restarted at the switch) or `irm-paper` (loss divided by the weight)',
      true,
    ),
    spec('l2RegularizerWeight', 'l2_regularizer_weight', 0, '0', () => 0, 'the IRM paper’s l2 · Σ‖θ‖² term of the loss', true),
  ],
  vrex: [
    spec('vrexLambda', 'vrex_lambda', 1e1, '10^U(-1, 5)', (r) => pow10(r, -1, 5), 'penalty weight after the anneal steps'),
    spec(
      'vrexPenaltyAnnealIters',
      'vrex_penalty_anneal_iters',
      500,
      'int(10^U(0, 4))',
      (r) => Math.trunc(10 ** r.uniform(0, 4)),
      'steps with penalty weight 1',
    ),
  ],
  groupdro: [spec('groupdroEta', 'groupdro_eta', 1e-2, '10^U(-3, -1)', (r) => pow10(r, -3, -1), 'step size of the exponentiated-gradient domain weights')],
  mixup: [spec('mixupAlpha', 'mixup_alpha', 0.2, '10^U(-1, 1)', (r) => pow10(r, -1, 1), 'λ ~ Beta(α, α)')],
  mldg: [
    spec('mldgBeta', 'mldg_beta', 1, '10^U(-1, 1)', (r) => pow10(r, -1, 1), 'weight of the meta-test loss'),
    spec('nMetaTest', 'n_meta_test', 2, 'choice(1, 2)', (r) => choice(r, [1, 2]), 'domains used as meta-test per step'),
  ],
  coral: [spec('mmdGamma', 'mmd_gamma', 1, '10^U(-1, 1)', (r) => pow10(r, -1, 1), 'weight of the CORAL penalty')],
  mmd: [spec('mmdGamma', 'mmd_gamma', 1, '10^U(-1, 1)', (r) => pow10(r, -1, 1), 'weight of the MMD penalty')],
  dan: [spec('mmdGamma', 'mmd_gamma', 1, '10^U(-1, 1)', (r) => pow10(r, -1, 1), 'weight of the MK-MMD penalty (tllib’s trade-off)', true)],
  dann: [
    spec('lambda', 'lambda', 1, '10^U(-2, 2)', (r) => pow10(r, -2, 2), 'weight of the adversarial term'),
    spec('weightDecayD', 'weight_decay_d', 0, '10^U(-6, -2)', (r) => pow10(r, -6, -2), 'discriminator weight decay'),
    spec('dStepsPerGStep', 'd_steps_per_g_step', 1, 'int(2^U(0, 3))', (r) => Math.trunc(2 ** r.uniform(0, 3)), 'discriminator steps per generator step'),
    spec('gradPenalty', 'grad_penalty', 0, '10^U(-2, 1)', (r) => pow10(r, -2, 1), 'weight of the discriminator’s input-gradient penalty'),
    spec('beta1', 'beta1', 0.5, 'choice(0, 0.5)', (r) => choice(r, [0, 0.5]), 'Adam β₁ (β₂ = 0.9)'),
    spec('mlpWidth', 'mlp_width', 256, 'int(2^U(6, 10))', (r) => Math.trunc(2 ** r.uniform(6, 10)), 'discriminator width'),
    spec('mlpDepth', 'mlp_depth', 3, 'choice(3, 4, 5)', (r) => choice(r, [3, 4, 5]), 'discriminator linear layers'),
    spec('mlpDropout', 'mlp_dropout', 0, 'choice(0, 0.1, 0.5)', (r) => choice(r, [0, 0.1, 0.5]), 'discriminator dropout'),
    spec('lrG', 'lr_g', 1e-3, '10^U(-4.5, -2.5)', (r) => pow10(r, -4.5, -2.5), 'featurizer + classifier learning rate'),
    spec('lrD', 'lr_d', 1e-3, '10^U(-4.5, -2.5)', (r) => pow10(r, -4.5, -2.5), 'discriminator learning rate'),
    spec('weightDecayG', 'weight_decay_g', 0, '0', () => 0, 'featurizer + classifier weight decay'),
    spec(
      'adversary',
      'adversary',
      'alternating',
      'alternating',
      () => 'alternating',
      '`alternating` (DomainBed: separate discriminator and generator steps) or `reversal` (Ganin: one step through a gradient-reversal layer with λ_p = 2/(1 + e^(−10p)) − 1)',
      true,
    ),
  ],
  'importance-weighting': [
    spec('iwMaxWeight', 'iw_max_weight', 10, '10', () => 10, 'clip for the importance weights', true),
    spec('iwC', 'iw_C', 1, '1', () => 1, 'inverse L2 strength of the logistic domain classifier', true),
  ],
};

/** Every hyperparameter of an algorithm (common ones first). */
export function hparamSpecs(algorithm: AlgorithmName): readonly HparamSpec[] {
  const specific = SPECIFIC[algorithm];
  if (!specific) fail({ fn: 'hparamSpecs', argument: 'algorithm', value: formatValue(algorithm), rule: `it must be one of ${ALGORITHM_NAMES.join(', ')}` });
  return [...COMMON, ...specific];
}

/** DomainBed's `default_hparams(algorithm, 'RotatedMNIST')` (plus losslab's entries). */
export function defaultHparams(algorithm: AlgorithmName): Record<string, HparamValue> {
  return Object.fromEntries(hparamSpecs(algorithm).map((s) => [s.name, s.default]));
}

/** DomainBed's `random_hparams(algorithm, 'RotatedMNIST', seed)`: each value from RandomState(seed_hash(seed, name)). */
export function randomHparams(algorithm: AlgorithmName, seed: number): Record<string, HparamValue> {
  if (!(Number.isInteger(seed) && seed >= 0))
    fail({ fn: 'randomHparams', argument: 'seed', value: formatValue(seed), rule: 'it must be a non-negative integer' });
  return Object.fromEntries(hparamSpecs(algorithm).map((s) => [s.name, s.losslab ? s.default : s.random(new RandomState(seedHash(seed, s.domainbedName)))]));
}

/** Defaults overridden by `overrides`, each override checked against the algorithm's names and types. */
export function resolveHparams(algorithm: AlgorithmName, overrides: Readonly<Record<string, HparamValue | undefined>> = {}): Record<string, HparamValue> {
  const out = defaultHparams(algorithm);
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    if (!(name in out)) {
      fail({
        fn: 'hparams',
        argument: name,
        value: formatValue(value),
        rule: `${ALGORITHM_TITLES[algorithm]} has no such hyperparameter (it has ${Object.keys(out).join(', ')})`,
      });
    }
    if (typeof value !== typeof out[name]) fail({ fn: 'hparams', argument: name, value: formatValue(value), rule: `it must be a ${typeof out[name]}` });
    if (typeof value === 'number' && !Number.isFinite(value)) fail({ fn: 'hparams', argument: name, value: formatValue(value), rule: 'it must be finite' });
    out[name] = value;
  }
  return out;
}
