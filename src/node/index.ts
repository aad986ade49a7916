/** Node-only helpers: files, atomic writes, the dataset cache. Import from `losslab/node`. */
export { writeFileAtomic } from './atomicWrite.js';
export { readNpyFile, writeNpyFile } from './npyFile.js';
export { renderSvg, renderPng, renderFigure, rasterizeSvg, svgToPng, FIGURE_FORMATS } from './render.js';
export type { PngOptions, RenderFigureOptions, RasterImage } from './render.js';
export { bundledFontPath } from './fonts.js';
export { startLabServer, DATA_URL_PREFIX } from './server.js';
export type { LabServer, LabServerOptions } from './server.js';
export { readCsvColumns, readCsvHeader, countCsvRows, appendCsvColumns } from './csvFile.js';
export type { CsvFileOptions, AppendedColumn } from './csvFile.js';
export { loadFashionMnist, cacheRoot, fashionMnistPackageDir, CACHE_FOLDER } from './fashionMnistCache.js';
export type { FashionMnistInfo, LoadFashionMnistOptions } from './fashionMnistCache.js';
export { loadUserDataset } from './userData.js';
export type { UserDataOptions } from './userData.js';
export { encodeGrayPng, encodeRgbPng, decodePngGray, tileGray } from './png.js';
export { startParallelKernels, ParallelKernels } from './parallel.js';
