import { COLORED_METHODS, MOONS_METHODS, ROTATED_METHODS } from '../../adapt/playgrounds/index.js';
import { ROTATED_MNIST_ANGLES } from '../../data/rotatedMnist.js';

/** The choices the domain page offers: the library's own lists (src/adapt/playgrounds, src/data). */
export { COLORED_METHODS, MOONS_METHODS, ROTATED_METHODS };
export const ROTATED_ANGLES: readonly number[] = ROTATED_MNIST_ANGLES;
