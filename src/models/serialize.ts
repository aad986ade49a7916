import { fail, formatShape, formatValue } from '../errors.js';
import { RandomState } from '../tensor/random.js';
import { shapesEqual } from '../tensor/shape.js';
import { decodeBundleTensors, encodeBundle } from './bundle.js';
import { type Architecture, buildModule, checkArchitecture, ModuleNetwork } from './moduleNetwork.js';
import { type ClassifierNetwork, Network } from './network.js';

/**
 * The saved-model format (a folder with two files):
 *
 * `model.json` — the header, UTF-8 JSON:
 * ```json
 * { "format": "losslab-model", "version": 1,
 *   "model": "softmax-regression" | "mlp",
 *   "sizes": [784, 256, 10],            // input, hidden…, classes; ReLU between linear layers
 *   "classNames": ["T-shirt/top", …] | null,
 *   "imageShape": [28, 28] | null,      // rows are images of this height × width
 *   "inputScale": 0.00392156862745098,  // model input = raw value × inputScale (pixels / 255)
 *   "weights": { "file": "model.bin", "byteOrder": "little-endian", "byteLength": 31400,
 *                "checksum": "fnv1a32:…",
 *                "tensors": [{ "name": "W0", "dtype": "float32", "shape": [784, 10], "offset": 0 },
 *                            { "name": "b0", "dtype": "float32", "shape": [10], "offset": 31360 }] },
 *   "training": { … hyperparameters and final metrics, informative only } }
 * ```
 * `model.bin` — the arrays, little-endian float32, each 8-byte aligned at its `offset`. `W<l>` is
 * `[in, out]` row-major (the transpose of PyTorch's `nn.Linear.weight`), `b<l>` is `[out]`.
 * Reading needs no library: `np.fromfile('model.bin', '<f4', count=784*10).reshape(784, 10)`.
 *
 * Version 2 holds a model of the general stack (src/nn; `"model": "mlp" | "cnn"`): instead of
 * `sizes` an `"architecture"` (`{ "kind": "mlp", "sizes": [...] }` or `{ "kind": "lenet5",
 * "imageShape": [28, 28], "classes": 10 }`), and the tensors are the module's state dict — named as
 * PyTorch names them (`0.weight`, `0.bias`, …) and in PyTorch's layout (`weight` is `[out, in]`).
 * `losslab train` also writes them as `model.safetensors`, which PyTorch loads into the same
 * architecture. Version 1 files (softmax regression, and MLPs saved before the general stack) still load.
 */
export type ModelKind = 'softmax-regression' | 'mlp' | 'cnn';

export interface SavedModel {
  readonly kind: ModelKind;
  readonly network: ClassifierNetwork;
  readonly classNames: readonly string[] | null;
  readonly imageShape: readonly [number, number] | null;
  readonly inputScale: number;
  readonly training?: Readonly<Record<string, unknown>>;
}

export const MODEL_HEADER_FILE = 'model.json';
export const MODEL_WEIGHTS_FILE = 'model.bin';

/** Encodes a model as the `model.json` text and the `model.bin` bytes. */
export function encodeModel(model: SavedModel): { header: string; blob: Uint8Array } {
  const bundle = encodeBundle(model.network.params.map((p) => ({ name: p.name, shape: p.shape, data: Float32Array.from(p.data) })));
  const net = model.network;
  const shape =
    net instanceof ModuleNetwork
      ? { version: 2, model: model.kind, architecture: net.architecture }
      : { version: 1, model: model.kind, sizes: (net as Network).sizes };
  const header = {
    format: 'losslab-model',
    ...shape,
    classNames: model.classNames,
    imageShape: model.imageShape,
    inputScale: model.inputScale,
    weights: { file: MODEL_WEIGHTS_FILE, byteOrder: 'little-endian', byteLength: bundle.blob.length, checksum: bundle.checksum, tensors: bundle.entries },
    training: model.training ?? null,
  };
  return { header: `${JSON.stringify(header, null, 2)}\n`, blob: bundle.blob };
}

/**
 * Decodes `model.json` + `model.bin` (as written by `encodeModel`), checking the format, the sizes,
 * the checksum and that every weight is finite; `headerName`/`blobName` name the files in errors.
 */
export function decodeModel(headerText: string, blob: Uint8Array, headerName = MODEL_HEADER_FILE, blobName = MODEL_WEIGHTS_FILE): SavedModel {
  const fn = 'loadModel';
  let raw: unknown;
  try {
    raw = JSON.parse(headerText);
  } catch (error) {
    return fail({
      fn,
      argument: headerName,
      rule: `it must be valid JSON (${error instanceof Error ? error.message : String(error)})`,
      fix: 'Is this a model folder written by `losslab train`?',
    });
  }
  const h = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  if (h.format !== 'losslab-model') {
    fail({
      fn,
      argument: headerName,
      value: formatValue(h.format ?? null),
      rule: 'its \'format\' must be "losslab-model"',
      fix: 'Is this a model folder written by `losslab train`?',
    });
  }
  if (h.version !== 1 && h.version !== 2)
    fail({ fn, argument: headerName, value: formatValue(h.version ?? null), rule: "its 'version' must be 1 or 2 (the versions this losslab reads)" });
  const kind = h.model;
  if (kind !== 'softmax-regression' && kind !== 'mlp' && kind !== 'cnn')
    fail({ fn, argument: headerName, value: formatValue(kind ?? null), rule: 'its \'model\' must be "softmax-regression", "mlp" or "cnn"' });
  let network: ClassifierNetwork;
  if (h.version === 2) {
    if (typeof h.architecture !== 'object' || h.architecture === null)
      fail({ fn, argument: headerName, rule: "a version 2 model must have an 'architecture'" });
    const architecture = checkArchitecture(h.architecture as Architecture, fn, `${headerName} architecture`);
    network = new ModuleNetwork(architecture, buildModule(architecture, 'float32', new RandomState(0)));
  } else {
    const sizes = h.sizes;
    if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every((s) => Number.isInteger(s) && s >= 1)) {
      fail({
        fn,
        argument: headerName,
        value: formatValue(JSON.stringify(sizes ?? null)),
        rule: "its 'sizes' must list the input, hidden and output sizes as positive integers",
      });
    }
    network = new Network(sizes as number[]);
  }
  const weights = (typeof h.weights === 'object' && h.weights !== null ? h.weights : {}) as Record<string, unknown>;
  if (weights.byteLength !== blob.length) {
    fail({
      fn,
      argument: blobName,
      value: `${blob.length} bytes`,
      rule: `it must hold ${formatValue(weights.byteLength ?? null)} bytes as ${headerName} says; the file is truncated or from another model`,
    });
  }
  const arrays = decodeBundleTensors(weights.tensors, blob, weights.checksum, blobName);
  for (const p of network.params) {
    const stored = arrays.get(p.name);
    if (!stored) fail({ fn, argument: blobName, value: `no '${p.name}'`, rule: `it must hold '${p.name}' of shape ${formatShape(p.shape)}` });
    if (!shapesEqual(stored.shape, p.shape)) {
      const transposed = stored.shape.length === 2 && p.shape.length === 2 && stored.shape[0] === p.shape[1] && stored.shape[1] === p.shape[0];
      fail({
        fn,
        argument: blobName,
        value: `'${p.name}' of shape ${formatShape(stored.shape)}`,
        rule: `the model's '${p.name}' has shape ${formatShape(p.shape)}`,
        fix: transposed ? `It is stored transposed: save it as ${formatShape(p.shape)}.` : 'Is this model.bin from another model?',
      });
    }
    const a = stored.data;
    for (let i = 0; i < a.length; i++) {
      if (!Number.isFinite(a[i]))
        fail({ fn, argument: blobName, value: `${formatValue(a[i])} in '${p.name}' at ${i}`, rule: 'weights must be finite (training diverged?)' });
    }
    p.data.set(a);
  }
  const classNames = h.classNames;
  const numClasses = network.numClasses;
  if (
    classNames !== null &&
    classNames !== undefined &&
    !(Array.isArray(classNames) && classNames.length === numClasses && classNames.every((c) => typeof c === 'string'))
  ) {
    fail({ fn, argument: headerName, rule: `its 'classNames' must be null or ${numClasses} strings` });
  }
  const imageShape = h.imageShape;
  const validImage = Array.isArray(imageShape) && imageShape.length === 2 && imageShape[0] * imageShape[1] === network.inputSize;
  if (imageShape !== null && imageShape !== undefined && !validImage) {
    fail({
      fn,
      argument: headerName,
      value: formatValue(JSON.stringify(imageShape)),
      rule: `its 'imageShape' must be null or [height, width] with height × width = ${network.inputSize}`,
    });
  }
  const inputScale = h.inputScale;
  if (typeof inputScale !== 'number' || !(inputScale > 0) || !Number.isFinite(inputScale)) {
    fail({ fn, argument: headerName, value: formatValue(inputScale ?? null), rule: "its 'inputScale' must be a positive number" });
  }
  return {
    kind,
    network,
    classNames: (classNames as string[] | null | undefined) ?? null,
    imageShape: validImage ? [imageShape[0] as number, imageShape[1] as number] : null,
    inputScale,
    training: typeof h.training === 'object' && h.training !== null ? (h.training as Record<string, unknown>) : undefined,
  };
}
