/**
 * Fault injection for the 2-thread fused training step (issue #13: "default training is not
 * reproducible"). The cause was the worker's hand-off: a late `Atomics.notify` (the main thread
 * descheduled between storing a generation and notifying) woke the sleeping worker, which ran the
 * last call a second time while the main thread summed that call's gradient. These tests
 * - inject spurious wake-ups into the hand-off and require every posted call to run exactly once;
 * - train repeatedly on 1 and 2 threads, with spurious wake-ups fired all the time and a child
 *   process keeping a core busy, and require the same bits from every run and both thread counts
 *   (the batch's reduction tree is fixed, so the thread count changes only the speed).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { selectRows, type Dataset } from '../../src/data/dataset.js';
import { setKernelBackend, wasmBackend, type KernelBackend } from '../../src/kernels/backend.js';
import { Network } from '../../src/models/network.js';
import { SGD } from '../../src/models/optimizers.js';
import { Trainer } from '../../src/models/trainer.js';
import { loadFashionMnist } from '../../src/node/fashionMnistCache.js';
import { startParallelKernels, type ParallelKernels } from '../../src/node/parallel.js';
import { RandomState } from '../../src/tensor/random.js';

const single = wasmBackend();
// minStepRows 2: every batch, the 8-row last one included, is split between the two threads
const pool = startParallelKernels({ minStepRows: 2 });
if (!single || !pool) throw new Error('WebAssembly SIMD kernels unavailable in this Node (20+ has them)');
afterAll(async () => {
  setKernelBackend('auto');
  await pool.close();
});

/** Sleeps the calling thread (the main thread too) without returning to the event loop. */
function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Wakes whoever sleeps on the pool's "generation requested" word, without posting anything. */
function spuriousWakeUps(p: ParallelKernels, count: number): void {
  for (let i = 0; i < count; i++) Atomics.notify(p.control, 0);
}

describe('the 2-thread hand-off runs each posted call exactly once', () => {
  it('spurious wake-ups of a sleeping worker run nothing', () => {
    const before = pool.executed;
    // copyF32 posts one call (the second half) to the worker
    pool.copyF32(0, 0, 0);
    expect(pool.executed).toBe(before + 1);
    for (let round = 0; round < 5; round++) {
      sleepMs(10); // past the worker's 2 ms of polling: it now sleeps in Atomics.wait
      spuriousWakeUps(pool, 20);
      sleepMs(5);
      expect(pool.executed, `round ${round}: a wake-up alone must not rerun the last call`).toBe(before + 1);
    }
  });
});

/** 2,008 Fashion-MNIST rows: with batch 100, 20 full batches and a last one of 8 rows per epoch. */
const fashionTrain = loadFashionMnist().train;
const data: Dataset = selectRows(fashionTrain, new RandomState(13).permutation(fashionTrain.n).subarray(0, 2008));

interface Bits {
  readonly W: Uint8Array;
  readonly b: Uint8Array;
  readonly losses: readonly number[];
}

/**
 * Trains 3 epochs (batch 100: the last batch of each epoch has 8 rows). With `nap`, the main
 * thread sleeps 3 ms after every 4th batch so the worker falls asleep and wake-ups reach it.
 */
function train(backend: KernelBackend, nap: (() => void) | null, stopAfterBatches = 0): Bits {
  setKernelBackend(backend);
  const make = (): { network: Network; trainer: Trainer } => {
    const network = new Network([data.features, 10]);
    network.initialize(new RandomState(3));
    let batches = 0;
    const trainer = new Trainer(network, data, new SGD({ lr: 0.1 }), {
      epochs: 3,
      batchSize: 100,
      rng: new RandomState(5),
      onBatch: () => {
        if (nap && ++batches % 4 === 0) nap();
      },
    });
    return { network, trainer };
  };
  let { network, trainer } = make();
  if (stopAfterBatches > 0) {
    // interrupted mid-epoch (as by Ctrl-C), then resumed from the snapshot in a fresh trainer
    for (let i = 0; i < stopAfterBatches; i++) trainer.step();
    const snapshot = trainer.snapshot();
    ({ network, trainer } = make());
    trainer.restore(snapshot);
  }
  while (trainer.step());
  const bytes = (a: Float32Array): Uint8Array => new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
  return { W: bytes(network.weight(0).data as Float32Array), b: bytes(network.bias(0).data as Float32Array), losses: trainer.history.map((r) => r.trainLoss) };
}

/** A child process that keeps one core busy until killed. */
function busyCore(): ChildProcess {
  return spawn(process.execPath, ['-e', 'for (;;);'], { stdio: 'ignore' });
}

describe('the same seed gives the same bits on every run, with 1 or 2 threads', () => {
  it('5 runs on 2 threads under spurious wake-ups and a busy core equal 1 thread, bit for bit', async () => {
    const reference = train(single, null);
    const hog = busyCore();
    try {
      for (let run = 0; run < 5; run++) {
        const posted = pool.executed;
        const bits = train(pool.backend, () => {
          sleepMs(3);
          spuriousWakeUps(pool, 10);
        });
        expect(bits.losses, `run ${run}: epoch losses`).toEqual(reference.losses);
        expect(Buffer.from(bits.W).equals(Buffer.from(reference.W)), `run ${run}: W bit for bit`).toBe(true);
        expect(Buffer.from(bits.b).equals(Buffer.from(reference.b)), `run ${run}: b bit for bit`).toBe(true);
        // 3 epochs × 21 batches, each split once
        expect(pool.executed - posted, `run ${run}: worker calls`).toBe(3 * 21);
      }
    } finally {
      hog.kill('SIGKILL');
    }
  }, 120_000);

  it('a 2-thread run stopped mid-epoch and resumed equals the uninterrupted 1-thread run', () => {
    const reference = train(single, null);
    const hog = busyCore();
    try {
      for (const stopAt of [7, 30, 50]) {
        const posted = pool.executed;
        const bits = train(
          pool.backend,
          () => {
            sleepMs(3);
            spuriousWakeUps(pool, 10);
          },
          stopAt,
        );
        expect(bits.losses, `stopped after ${stopAt} batches: epoch losses`).toEqual(reference.losses);
        expect(Buffer.from(bits.W).equals(Buffer.from(reference.W)), `stopped after ${stopAt} batches: W bit for bit`).toBe(true);
        expect(pool.executed - posted, `stopped after ${stopAt} batches: worker calls`).toBe(3 * 21);
      }
    } finally {
      hog.kill('SIGKILL');
    }
  }, 120_000);
});
