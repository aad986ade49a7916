/// <reference lib="webworker" />
import { createPlayground, type Playground, playgroundSnapshot } from '../../adapt/playgrounds/index.js';
import type { Dataset } from '../../data/dataset.js';
import { fashionMnistDatasets } from '../../data/fashionMnist.js';
import { kernelBackend } from '../../kernels/backend.js';
import type { FromWorker, PlaygroundSettings, ToWorker } from './domainProtocol.js';
import { fetchBytes, WorkerRun } from './workerRun.js';

/**
 * The domain-shift page's Web Worker: builds one playground of src/adapt/playgrounds (the trainers of
 * `losslab adapt`) and steps it, posting the per-domain accuracy every few steps and a picture of the
 * model (decision boundary and features, or an embedding) now and then. It yields every ~30 ms so a
 * pause message takes effect between two steps. Image playgrounds fetch Fashion-MNIST's 10,000 test
 * images from the lab server (the cache `npm start` prepares) and build their domains from them.
 */
let playground: Playground | null = null;
const run = new WorkerRun<Extract<ToWorker, { type: 'start' }>>();

function post(message: FromWorker, transfer: Transferable[] = []): void {
  postMessage(message, { transfer });
}

async function fashionMnist(dataUrl: string): Promise<Dataset> {
  const [testImages, testLabels] = await Promise.all(['test-images.u8', 'test-labels.u8'].map((name) => fetchBytes(`${dataUrl}${name}`)));
  return fashionMnistDatasets({ trainImages: testImages, trainLabels: testLabels, testImages, testLabels }).test;
}

/** Evaluate about 60 times over the run (and at the end); draw the picture about 12 times. */
function every(total: number, times: number): number {
  return Math.max(1, Math.round(total / times));
}

function snapshot(p: Playground, final = false): void {
  const s = playgroundSnapshot(p, final);
  if (s) post({ type: 'snapshot', snapshot: s });
}

async function start(settings: PlaygroundSettings, dataUrl: string): Promise<void> {
  post({ type: 'loading' });
  const source = settings.playground === 'moons' ? undefined : await fashionMnist(dataUrl);
  const p = createPlayground(settings, source);
  playground = p;
  post({ type: 'ready', domainNames: p.domainNames, testDomains: p.testDomains, examples: p.examples(), kernels: kernelBackend().name });
  post({ type: 'point', point: p.evaluate() });
  snapshot(p);
  await loop();
}

async function loop(): Promise<void> {
  const p = playground;
  if (!p) return;
  const evalEvery = every(p.totalSteps, 60);
  const drawEvery = every(p.totalSteps, 12);
  const end = await run.steps(
    () => p.done,
    () => {
      p.step();
      if (p.stepsTaken % evalEvery === 0 || p.done) post({ type: 'point', point: p.evaluate() });
      if (p.stepsTaken % drawEvery === 0 || p.done) snapshot(p, p.done);
    },
  );
  if (end === 'paused') {
    snapshot(p, true);
    post({ type: 'paused', step: p.stepsTaken });
  } else if (end === 'done') post({ type: 'done', step: p.stepsTaken });
}

run.listen(
  (message) => start(message.settings, message.dataUrl),
  loop,
  (message) => post({ type: 'error', message }),
);
