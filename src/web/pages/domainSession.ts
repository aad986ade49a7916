import type { CurvePoint, ExampleImage, FromWorker, PlaygroundSettings, PlaygroundSnapshot } from '../worker/domainProtocol.js';
import { DATA_URL } from './trainSession.js';

/**
 * One playground's run on the domain-shift page, kept outside the page so a language switch or a
 * visit to another page does not stop it: the worker, the settings, the status, the curve points,
 * the latest picture, and the finished runs of this visit (for comparing methods).
 */
export type Phase = 'idle' | 'loading' | 'training' | 'paused' | 'done' | 'error';

export interface FinishedRun {
  readonly method: string;
  readonly accuracy: readonly number[];
  readonly settings: PlaygroundSettings;
}

export interface DomainSessionState<S extends PlaygroundSettings> {
  settings: S;
  phase: Phase;
  /** Settings of the run in progress (or last run). */
  running: S | null;
  step: number;
  points: CurvePoint[];
  snapshot: PlaygroundSnapshot | null;
  examples: readonly ExampleImage[];
  domainNames: readonly string[];
  testDomains: readonly number[];
  kernels: string;
  finished: FinishedRun[];
  error: string;
}

export class DomainSession<S extends PlaygroundSettings> {
  readonly state: DomainSessionState<S>;
  private worker: Worker | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(settings: S) {
    this.state = { ...fresh(settings), finished: [] };
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    this.stopWorker();
    Object.assign(this.state, fresh(this.state.settings), { phase: 'loading' as Phase, running: this.state.settings });
    const worker = new Worker(new URL('./domain-worker.js', import.meta.url), { type: 'module' });
    worker.addEventListener('message', (event: MessageEvent<FromWorker>) => this.receive(event.data));
    worker.addEventListener('error', (event) => this.fail(event.message || 'the playground worker failed to start'));
    this.worker = worker;
    worker.postMessage({ type: 'start', settings: this.state.settings, dataUrl: new URL(DATA_URL, document.baseURI).href });
    this.changed();
  }

  pause(): void {
    this.worker?.postMessage({ type: 'pause' });
  }

  resume(): void {
    if (this.state.phase !== 'paused') return;
    this.state.phase = 'training';
    this.worker?.postMessage({ type: 'resume' });
    this.changed();
  }

  reset(): void {
    this.stopWorker();
    Object.assign(this.state, fresh(this.state.settings));
    this.changed();
  }

  private stopWorker(): void {
    this.worker?.terminate();
    this.worker = null;
  }

  private fail(message: string): void {
    this.state.phase = 'error';
    this.state.error = message;
    this.stopWorker();
    this.changed();
  }

  private receive(message: FromWorker): void {
    const s = this.state;
    switch (message.type) {
      case 'loading':
        s.phase = 'loading';
        break;
      case 'ready':
        s.phase = 'training';
        s.domainNames = message.domainNames;
        s.testDomains = message.testDomains;
        s.examples = message.examples;
        s.kernels = message.kernels;
        break;
      case 'point':
        s.points = [...s.points, message.point];
        s.step = message.point.step;
        break;
      case 'snapshot':
        s.snapshot = message.snapshot;
        break;
      case 'paused':
        s.phase = 'paused';
        s.step = message.step;
        break;
      case 'done': {
        s.phase = 'done';
        s.step = message.step;
        const last = s.points.at(-1);
        if (last && s.running) s.finished = [...s.finished, { method: s.running.method, accuracy: last.accuracy, settings: s.running }];
        this.stopWorker();
        break;
      }
      case 'error':
        this.fail(message.message);
        return;
    }
    this.changed();
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

function fresh<S extends PlaygroundSettings>(settings: S): Omit<DomainSessionState<S>, 'finished'> {
  return {
    settings,
    phase: 'idle',
    running: null,
    step: 0,
    points: [],
    snapshot: null,
    examples: [],
    domainNames: [],
    testDomains: [],
    kernels: '',
    error: '',
  };
}
