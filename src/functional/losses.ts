import type { MessageKey } from '../i18n/en.js';
import { bceWithLogitsSpec } from './bceWithLogits.js';
import { crossEntropySpec } from './crossEntropy.js';
import { gaussianNllSpec } from './gaussianNllLoss.js';
import { huberSpec } from './huberLoss.js';
import { klDivSpec } from './klDiv.js';
import { l1Spec } from './l1Loss.js';
import { l2Spec } from './l2Loss.js';
import type { LossSpec, PointwiseLoss } from './lossSpec.js';
import { mseSpec } from './mseLoss.js';
import { nllSpec } from './nllLoss.js';
import { poissonNllSpec } from './poissonNllLoss.js';
import { smoothL1Spec } from './smoothL1Loss.js';
import { softMarginSpec } from './softMarginLoss.js';

/**
 * The loss registry: every loss of losslab, once. `losslab loss`, `losslab plot`, `losslab explain`
 * and the web lab's loss explorer list and call the losses from here, so none of them names a
 * loss. A new loss is its file (the function, its pointwise form and its spec), one line here and
 * its texts in the two catalogues (`src/i18n/en.ts`, `zh.ts`); see docs/contributing.md.
 * The order is the order of every listing.
 */
export const LOSSES = [
  crossEntropySpec,
  nllSpec,
  l2Spec,
  mseSpec,
  l1Spec,
  huberSpec,
  smoothL1Spec,
  gaussianNllSpec,
  poissonNllSpec,
  bceWithLogitsSpec,
  softMarginSpec,
  klDivSpec,
] as const;

// The loss functions the registry added (functional/index.ts re-exports this file's functions).
export { poissonNllLoss, type PoissonNllLossOptions } from './poissonNllLoss.js';
export { softMarginLoss, type SoftMarginLossOptions } from './softMarginLoss.js';

type Spec = (typeof LOSSES)[number];
/** The name of a loss on the command line (`losslab loss <id>`). */
export type LossId = Spec['id'];
type FigureIdOf<S> = S extends { readonly figureId: infer F extends string } ? F : S extends { readonly id: infer I extends string } ? I : never;
type KindIds<K extends PointwiseLoss['kind']> = FigureIdOf<Extract<Spec, { readonly pointwise: { readonly kind: K } }>>;
/** The losses with a pointwise form (a figure, an explanation, the loss explorer), by figure id. */
export type PointwiseLossId = KindIds<'density'> | KindIds<'probability'>;

/**
 * The texts every loss needs, by its ids; `src/i18n/zh.ts` is typed against `en.ts`, so a loss
 * whose texts are missing in either language does not compile (this type names the missing keys).
 */
type RequiredMessage =
  | `loss.${PointwiseLossId}.name`
  | `explain.loss.${KindIds<'density'>}.${'intro' | 'likelihood' | 'minimiser' | 'gradient'}`
  | `explain.title.${KindIds<'probability'>}`
  | `explain.loss.${KindIds<'probability'>}.${'intro' | 'likelihood' | 'nll' | 'gradient' | 'figure'}`
  | `figure.title.${KindIds<'probability'>}`
  | `figure.axis.${KindIds<'probability'>}`
  | `figure.curve.${KindIds<'probability'>}.${'loss' | 'probability' | 'gradient'}`
  | `loss.axes.${KindIds<'probability'>}`;
type MissingMessage = Exclude<RequiredMessage, MessageKey>;
export const EVERY_LOSS_HAS_ITS_TEXTS: [MissingMessage] extends [never] ? true : MissingMessage = true;

/** The figure and explanation name of a loss: its `figureId`, else its id. */
export function figureIdOf(spec: LossSpec): string {
  return spec.figureId ?? spec.id;
}

/** A loss by either of its names (`bce-with-logits` or `bce`), or undefined. */
export function findLoss(name: string): LossSpec | undefined {
  return LOSSES.find((spec: LossSpec) => spec.id === name || spec.figureId === name);
}

/** A loss with its pointwise form, as the figures, the explanations and the explorer use it. */
export interface PointwiseEntry {
  readonly id: PointwiseLossId;
  readonly spec: LossSpec;
  readonly pointwise: PointwiseLoss;
}

function isPointwiseId(id: string): id is PointwiseLossId {
  return LOSSES.some((spec: LossSpec) => spec.pointwise !== undefined && figureIdOf(spec) === id);
}

/** Every loss with a pointwise form, in registry order. */
export const POINTWISE_LOSSES: readonly PointwiseEntry[] = LOSSES.flatMap((spec: LossSpec): PointwiseEntry[] => {
  const id = figureIdOf(spec);
  return spec.pointwise && isPointwiseId(id) ? [{ id, spec, pointwise: spec.pointwise }] : [];
});

/** The ids of the pointwise losses of one kind, in registry order. */
export function pointwiseIds(kind?: PointwiseLoss['kind']): PointwiseLossId[] {
  return POINTWISE_LOSSES.filter((e) => kind === undefined || e.pointwise.kind === kind).map((e) => e.id);
}

/** The pointwise entry of a loss by either name, or undefined. */
export function findPointwise(name: string): PointwiseEntry | undefined {
  return POINTWISE_LOSSES.find((e) => e.id === name || e.spec.id === name);
}

/** The pointwise form of every loss that has one, by figure id (`pointwiseLosses.huber.value(y, y′, { delta: 2 })`). */
export const pointwiseLosses: Readonly<Record<PointwiseLossId, PointwiseLoss>> = Object.fromEntries(POINTWISE_LOSSES.map((e) => [e.id, e.pointwise])) as Record<
  PointwiseLossId,
  PointwiseLoss
>;

/** Whether `name` is the figure id of a pointwise loss. */
export function isPointwiseLossId(name: string): name is PointwiseLossId {
  return isPointwiseId(name);
}
