import { RandomState } from '../tensor/random.js';

/**
 * The default random generator of src/nn (initialisation, dropout), like PyTorch's default CPU
 * generator: a NumPy-compatible Mersenne Twister (`RandomState`) seeded with 0 at start-up;
 * `manualSeed(seed)` (`torch.manual_seed`) reseeds it. Every function that draws also accepts its
 * own `generator`. The streams are NumPy's, not PyTorch's: the same seed gives the same
 * distributions as PyTorch, not the same numbers.
 */
let generator = new RandomState(0);

/** Reseeds the default generator (`torch.manual_seed`) and returns it. */
export function manualSeed(seed: number): RandomState {
  generator = new RandomState(seed);
  return generator;
}

/** The default generator. */
export function defaultGenerator(): RandomState {
  return generator;
}
