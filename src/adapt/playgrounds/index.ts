import type { Dataset } from '../../data/dataset.js';
import { fail, formatValue } from '../../errors.js';
import { ColoredPlayground, type ColoredMethod } from './colored.js';
import type { Playground } from './common.js';
import { type RotatedMethod, RotatedPlayground } from './rotated.js';
import { type MoonsMethod, TwoMoonsPlayground } from './twoMoons.js';

/**
 * The web lab's domain-shift playgrounds, built from plain settings (what the page posts to its
 * worker): `createPlayground(settings, source)` and `playgroundSnapshot(playground)`.
 */
export { Playground } from './common.js';
export type { PlaygroundExample, PlaygroundPoint } from './common.js';
export { TwoMoonsPlayground, TWO_MOONS_DEFAULTS, MOONS_METHODS } from './twoMoons.js';
export type { TwoMoonsConfig, TwoMoonsSnapshot, DecisionGrid, MoonsMethod } from './twoMoons.js';
export { ColoredPlayground, COLORED_DEFAULTS, COLORED_METHODS } from './colored.js';
export { RotatedPlayground, ROTATED_DEFAULTS, ROTATED_METHODS } from './rotated.js';
export type { RotatedConfig, RotatedMethod } from './rotated.js';
export type { ColoredConfig, ColoredMethod } from './colored.js';

export interface MoonsSettings {
  readonly playground: 'moons';
  readonly method: MoonsMethod;
  readonly angle: number;
  readonly steps: number;
  readonly seed: number;
}

export interface ColoredSettings {
  readonly playground: 'colored';
  readonly method: ColoredMethod;
  /** Fashion-MNIST images used (split into the three environments). */
  readonly images: number;
  readonly steps: number;
  readonly seed: number;
}

export interface RotatedSettings {
  readonly playground: 'rotated';
  readonly method: RotatedMethod;
  /** The held-out angle (degrees: 0, 15, …, 75). */
  readonly heldOut: number;
  readonly images: number;
  readonly steps: number;
  readonly seed: number;
}

export type PlaygroundSettings = MoonsSettings | ColoredSettings | RotatedSettings;

/** A picture of the model between steps: the two-moons decision grid, points and 2-D features. */
export interface MoonsSnapshot {
  readonly kind: 'moons';
  readonly grid: { nx: number; ny: number; x0: number; y0: number; dx: number; dy: number; values: Float32Array };
  /** `[2n, 2]` inputs (source rows first), their labels and domains, and their 2-D features. */
  readonly points: Float32Array;
  readonly labels: Int32Array;
  readonly domains: Int32Array;
  readonly features: Float32Array;
}

/** A 2-D embedding (t-SNE) of learned features, `[n, 2]`, with the domain of each point. */
export interface EmbeddingSnapshot {
  readonly kind: 'embedding';
  readonly embedding: Float32Array;
  readonly domains: Int32Array;
}

export type PlaygroundSnapshot = MoonsSnapshot | EmbeddingSnapshot;

/** Builds the playground of `settings`; image playgrounds draw their images from `source` (Fashion-MNIST). */
export function createPlayground(settings: PlaygroundSettings, source?: Dataset): Playground {
  const fn = 'createPlayground';
  if (settings.playground === 'moons') {
    return new TwoMoonsPlayground({ method: settings.method, angle: settings.angle, steps: settings.steps, seed: settings.seed });
  }
  if (settings.playground === 'colored') {
    if (!source) return fail({ fn, argument: 'source', value: 'undefined', rule: 'the Colored playground needs the Fashion-MNIST images' });
    return new ColoredPlayground(source, { method: settings.method, images: settings.images, steps: settings.steps, seed: settings.seed });
  }
  if (settings.playground === 'rotated') {
    if (!source) return fail({ fn, argument: 'source', value: 'undefined', rule: 'the Rotated playground needs the Fashion-MNIST images' });
    return new RotatedPlayground(source, {
      method: settings.method,
      heldOut: settings.heldOut,
      images: settings.images,
      steps: settings.steps,
      seed: settings.seed,
    });
  }
  return fail({
    fn,
    argument: 'settings.playground',
    value: formatValue((settings as { playground: unknown }).playground),
    rule: 'it must be moons, colored or rotated',
  });
}

/**
 * The picture of the model now: two moons, the boundary and the features (cheap, drawn often); the
 * rotated playground, a t-SNE of the features (only when `final`); null for playgrounds without one.
 */
export function playgroundSnapshot(playground: Playground, final = false): PlaygroundSnapshot | null {
  if (playground instanceof RotatedPlayground) return final ? { kind: 'embedding', ...playground.embedding() } : null;
  if (playground instanceof TwoMoonsPlayground) {
    const s = playground.snapshot();
    return {
      kind: 'moons',
      grid: s.grid,
      points: playground.inputs,
      labels: playground.data.y,
      domains: playground.data.domains,
      features: s.features,
    };
  }
  return null;
}
