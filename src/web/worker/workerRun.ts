/// <reference lib="webworker" />

/**
 * What the lab's Web Workers share: the start / pause / resume messages, and a loop that steps a
 * run and yields every ~30 ms so a pause message takes effect between two steps. The page resets a
 * run by terminating the worker. An error of a start or a resume is posted as `{ type: 'error' }`.
 */
export type ControlMessage = { readonly type: 'pause' } | { readonly type: 'resume' };

export class WorkerRun<Start extends { readonly type: 'start' }> {
  private paused = false;
  private running = false;

  /** Listens for the page's messages: `start` runs `onStart`, `resume` runs `onResume` (both clear the pause). */
  listen(onStart: (message: Start) => Promise<void>, onResume: () => Promise<void>, postError: (message: string) => void): void {
    addEventListener('message', (event: MessageEvent<Start | ControlMessage>) => {
      const message = event.data;
      const report = (error: unknown): void => postError(error instanceof Error ? error.message : String(error));
      if (message.type === 'start') {
        this.paused = false;
        onStart(message as Start).catch(report);
      } else if (message.type === 'pause') {
        this.paused = true;
      } else if (message.type === 'resume') {
        this.paused = false;
        onResume().catch(report);
      }
    });
  }

  /**
   * Calls `step` until `done()`, yielding every ~30 ms: 'done' at the end, 'paused' when a pause
   * came, 'busy' (and nothing stepped) when a loop is already running.
   */
  async steps(done: () => boolean, step: () => void): Promise<'done' | 'paused' | 'busy'> {
    if (this.running) return 'busy';
    this.running = true;
    try {
      let last = performance.now();
      while (!done()) {
        if (this.paused) return 'paused';
        step();
        if (performance.now() - last > 30) {
          await new Promise((resolve) => setTimeout(resolve, 0));
          last = performance.now();
        }
      }
      return 'done';
    } finally {
      this.running = false;
    }
  }
}

/** The bytes at `url` (a file of the dataset cache the lab server serves under data/). */
export async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} (start the lab with 'npm start', which prepares the dataset cache)`);
  return new Uint8Array(await response.arrayBuffer());
}
