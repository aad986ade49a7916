/**
 * A long run of the lab in a Web Worker, kept outside its page so a language switch or a visit to
 * another page does not stop it: the worker, the listeners, and start / pause / resume / reset.
 * The Train page's session and the domain-shift page's playgrounds extend it; each keeps its own
 * state and reads its worker's messages (`receive`).
 */
export type Phase = 'idle' | 'loading' | 'training' | 'paused' | 'done' | 'error';

/** What every session's state has: where the run is, and the last error. */
export interface RunState {
  phase: Phase;
  error: string;
}

export abstract class WorkerSession<State extends RunState, FromWorker> {
  private worker: Worker | null = null;
  private readonly listeners = new Set<() => void>();

  /**
   * @param state the session's state, changed in place
   * @param workerUrl the worker script (`new URL('./<name>.js', import.meta.url)` in the subclass's module)
   * @param what the worker in the message when it fails to start
   */
  protected constructor(
    readonly state: State,
    private readonly workerUrl: URL,
    private readonly what: string,
  ) {}

  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A new worker from a fresh state (`fresh` with phase loading) sent `startMessage`. */
  protected launch(fresh: Partial<State>, startMessage: unknown): void {
    this.stopWorker();
    Object.assign(this.state, fresh, { phase: 'loading' as Phase });
    const worker = new Worker(this.workerUrl, { type: 'module' });
    worker.addEventListener('message', (event: MessageEvent<FromWorker>) => this.receive(event.data));
    worker.addEventListener('error', (event) => this.fail(event.message || `the ${this.what} failed to start`));
    this.worker = worker;
    worker.postMessage(startMessage);
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

  /** Stops the worker and puts `fresh` (phase idle) in place. */
  protected clear(fresh: Partial<State>): void {
    this.stopWorker();
    Object.assign(this.state, fresh);
    this.changed();
  }

  protected stopWorker(): void {
    this.worker?.terminate();
    this.worker = null;
  }

  protected fail(message: string): void {
    this.state.phase = 'error';
    this.state.error = message;
    this.stopWorker();
    this.changed();
  }

  /** Applies one message of the worker to the state (then calls `changed`, or `fail` for an error). */
  protected abstract receive(message: FromWorker): void;

  protected changed(): void {
    for (const listener of this.listeners) listener();
  }
}
