/** Node-only helpers: files, atomic writes, the dataset cache. Import from `losslab/node`. */
export { writeFileAtomic } from './atomicWrite.js';
export { readNpyFile, writeNpyFile } from './npyFile.js';
