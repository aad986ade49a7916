import { fail, formatValue } from '../../errors.js';
import type { AlgorithmParts, DomainAlgorithm } from '../algorithm.js';
import { ALGORITHM_NAMES, type AlgorithmName } from '../hparams.js';
import { DANN } from './dann.js';
import { ERM, ImportanceWeightedERM } from './erm.js';
import { CORAL, DAN, MMD } from './featureAlignment.js';
import { GroupDRO } from './groupDro.js';
import { IRM, VREx } from './irm.js';
import { Mixup } from './mixup.js';
import { MLDG } from './mldg.js';

export { ERM, ImportanceWeightedERM, IRM, VREx, GroupDRO, Mixup, MLDG, CORAL, MMD, DAN, DANN };
export { randomPairsOfMinibatches } from './mixup.js';
export { splitMetaTrainTest } from './mldg.js';

const CLASSES: Readonly<Record<AlgorithmName, new (parts: AlgorithmParts) => DomainAlgorithm>> = {
  erm: ERM,
  irm: IRM,
  vrex: VREx,
  groupdro: GroupDRO,
  mixup: Mixup,
  mldg: MLDG,
  coral: CORAL,
  mmd: MMD,
  dann: DANN,
  dan: DAN,
  'importance-weighting': ImportanceWeightedERM,
};

/** DomainBed's `get_algorithm_class(name)(…)`: the algorithm `name` on the given parts. */
export function createAlgorithm(name: AlgorithmName, parts: AlgorithmParts): DomainAlgorithm {
  const Class = CLASSES[name];
  if (!Class) fail({ fn: 'createAlgorithm', argument: 'name', value: formatValue(name), rule: `it must be one of ${ALGORITHM_NAMES.join(', ')}` });
  return new Class(parts);
}
