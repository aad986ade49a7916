/**
 * losslab — the public API. Every area re-exports its public names explicitly from its own
 * index; Node-only helpers (files, dataset cache) live under `losslab/node`.
 */
export { LosslabError } from './errors.js';
export type { ArgumentProblem } from './errors.js';
export { onWarning, emitWarning } from './warnings.js';
export type { LosslabWarning, WarningCode, WarningListener } from './warnings.js';
export * from './tensor/index.js';
export * from './autograd/index.js';
export * from './functional/index.js';
export * from './models/index.js';
export * from './validation/index.js';
export * from './shift/index.js';
export { tsne, trustworthiness } from './manifold/index.js';
export type { TsneMetric, TsneOptions, TsneProgress, TsneResult } from './manifold/index.js';
export { logGamma, gammaP, gammaQ, chi2Sf, erf, erfc, normalCdf, normalSf, normalPpf, kolmogorov, smirnov, kstwoSf } from './special/index.js';
export * from './figures/index.js';
export * from './i18n/index.js';
export * from './explain/index.js';
export * from './reports/index.js';
export { createDataset, selectRows, gatherRows, byteTable, toFloat32, identityOrder } from './data/dataset.js';
export type { Dataset, DatasetOptions } from './data/dataset.js';
export { FASHION_MNIST_CLASSES, FASHION_MNIST_IMAGE_SHAPE, splitFashionMnist, fashionMnistDatasets, skippedCount } from './data/fashionMnist.js';
export type { ClassSplitReport, FashionMnistArrays } from './data/fashionMnist.js';
export { setKernelBackend, kernelBackend, typescriptBackend, wasmBackend } from './kernels/backend.js';
export type { KernelBackend } from './kernels/backend.js';
export { wasmFloat32Array, wasmInt32Array, releaseWasmArray } from './kernels/backend.js';
export { CsvParser, CsvTableReader, parseCsv, parseCsvNumber, formatCsvField, formatCsvRecord, MISSING_TOKENS } from './data/csv.js';
export type { CsvColumn, CsvColumnRequest, CsvParserOptions, CsvRecord, CsvTable } from './data/csv.js';
export { FastCsvColumns, NeedsGeneralCsvReader } from './data/fastCsv.js';
export type { FastColumnRequest, FastColumn } from './data/fastCsv.js';
export { MNIST_CLASSES, decodeMnistDigits, mnistDataset } from './data/mnist.js';
export type { MnistArrays } from './data/mnist.js';
export { createDomainDataset, domainRows, selectDomainRows, domainCounts, domainHoldout } from './data/domainDataset.js';
export type { DomainDataset } from './data/domainDataset.js';
export { coloredMnist } from './data/coloredMnist.js';
export type { ColoredOptions, ColoredVariant } from './data/coloredMnist.js';
export { rotatedMnist, ROTATED_MNIST_ANGLES } from './data/rotatedMnist.js';
export type { RotatedOptions } from './data/rotatedMnist.js';
export { rotateImage, rotationMatrix } from './data/rotate.js';
export type { RotateInterpolation } from './data/rotate.js';
export { userDomainDataset } from './data/userDomainData.js';
export type { DomainTableColumns, UserDomainDataset, UserDomainOptions } from './data/userDomainData.js';
export * from './adapt/index.js';
export * from './optim/index.js';
export * from './nn/index.js';
