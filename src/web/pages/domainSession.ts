import type { CurvePoint, ExampleImage, FromWorker, PlaygroundSettings, PlaygroundSnapshot } from '../worker/domainProtocol.js';
import { DATA_URL } from './trainSession.js';
import { type Phase, WorkerSession } from './workerSession.js';

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

/**
 * One playground's run on the domain-shift page, kept outside the page so a language switch or a
 * visit to another page does not stop it: the worker, the settings, the status, the curve points,
 * the latest picture, and the finished runs of this visit (for comparing methods).
 */
export class DomainSession<S extends PlaygroundSettings> extends WorkerSession<DomainSessionState<S>, FromWorker> {
  constructor(settings: S) {
    super({ ...fresh(settings), finished: [] }, new URL('./domain-worker.js', import.meta.url), 'playground worker');
  }

  start(): void {
    const settings = this.state.settings;
    this.launch({ ...fresh(settings), running: settings }, { type: 'start', settings, dataUrl: new URL(DATA_URL, document.baseURI).href });
  }

  reset(): void {
    this.clear(fresh(this.state.settings));
  }

  protected receive(message: FromWorker): void {
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
