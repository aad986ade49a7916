// protocol.mjs - the JSON-lines peer protocol of bench/suite.ts, for Node peers (TensorFlow.js).
// serve(info, prepare): prepare(caseId, params) -> { step, check } | string (skip reason);
// step() runs the timed workload once (may be async) and returns optional metrics.
import readline from 'node:readline';

export function send(obj) {
  process.stdout.write(`${JSON.stringify(obj)}\n`);
}

export function skip(reason) {
  send({ ok: false, skip: reason });
  process.exit(0);
}

export async function serve(info, prepare) {
  send({ ok: true, info });
  let step = null;
  const rl = readline.createInterface({ input: process.stdin });
  for await (const line of rl) {
    if (!line.trim()) continue;
    const req = JSON.parse(line);
    try {
      if (req.op === 'quit') break;
      if (req.op === 'prepare') {
        const got = await prepare(req.case, req.params ?? {});
        if (typeof got === 'string') {
          send({ ok: false, skip: got });
          continue;
        }
        step = got.step;
        send({ ok: true, check: got.check });
      } else if (req.op === 'time') {
        const timesMs = [];
        let metrics;
        for (let r = 0; r < req.reps; r++) {
          const t0 = process.hrtime.bigint();
          metrics = await step();
          timesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
        }
        send(metrics ? { ok: true, timesMs, metrics } : { ok: true, timesMs });
      } else {
        send({ ok: false, error: `unknown op ${req.op}` });
      }
    } catch (e) {
      send({ ok: false, error: String(e?.stack ? e.stack.split('\n').slice(0, 3).join(' | ') : e) });
    }
  }
  process.exit(0);
}

/** Loads @tensorflow/tfjs with the given backend ('cpu' | 'wasm'), or skips with a clear note. */
export async function loadTfjs(require, backend) {
  let tf;
  try {
    tf = require('@tensorflow/tfjs');
  } catch {
    skip('@tensorflow/tfjs is not installed (npm install --save-dev @tensorflow/tfjs@4.22.0 @tensorflow/tfjs-backend-wasm@4.22.0)');
  }
  const info = { tfjs: tf.version_core, backend };
  if (backend === 'wasm') {
    let wasm;
    try {
      wasm = require('@tensorflow/tfjs-backend-wasm');
    } catch {
      skip('@tensorflow/tfjs-backend-wasm is not installed');
    }
    await tf.setBackend('wasm');
    info.wasm_simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    info.wasm_threads = wasm.getThreadsCount();
  } else {
    await tf.setBackend('cpu');
  }
  await tf.ready();
  info.active_backend = tf.getBackend();
  return { tf, info };
}
