/**
 * Messages between the domain-shift page and its Web Worker (structured-clone data only). One worker
 * per playground run: the page sends `start` and then `pause` / `resume`; reset terminates the worker.
 */
import type { ColoredSettings, MoonsSettings, PlaygroundSettings, PlaygroundSnapshot, RotatedSettings } from '../../adapt/playgrounds/index.js';

export type { ColoredSettings, MoonsSettings, PlaygroundSettings, PlaygroundSnapshot, RotatedSettings };
export type PlaygroundId = PlaygroundSettings['playground'];

export type ToWorker =
  | { readonly type: 'start'; readonly settings: PlaygroundSettings; readonly dataUrl: string }
  | { readonly type: 'pause' }
  | { readonly type: 'resume' };

/** Accuracy of every domain (index = domain) after `step` steps, and the step's loss terms. */
export interface CurvePoint {
  readonly step: number;
  readonly accuracy: readonly number[];
  readonly terms: Readonly<Record<string, number>>;
}

/** An example image: `[2, side, side]` two-channel (colour) or `[side, side]` grey bytes. */
export interface ExampleImage {
  readonly pixels: Uint8Array;
  readonly channels: 1 | 2;
  readonly side: number;
  readonly domain: number;
  readonly label: number;
}

export type FromWorker =
  | { readonly type: 'loading' }
  | {
      readonly type: 'ready';
      readonly domainNames: readonly string[];
      readonly testDomains: readonly number[];
      readonly examples: readonly ExampleImage[];
      readonly kernels: string;
    }
  | { readonly type: 'point'; readonly point: CurvePoint }
  | { readonly type: 'snapshot'; readonly snapshot: PlaygroundSnapshot }
  | { readonly type: 'paused'; readonly step: number }
  | { readonly type: 'done'; readonly step: number }
  | { readonly type: 'error'; readonly message: string };
