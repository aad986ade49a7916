import { join } from 'node:path';
import { stringifyJson } from '../data/jsonNumbers.js';
import type { Lang } from '../i18n/lang.js';
import { ModuleNetwork } from '../models/moduleNetwork.js';
import { type ClassifierNetwork, Network } from '../models/network.js';
import { encodeModel, MODEL_HEADER_FILE, MODEL_WEIGHTS_FILE, type ModelKind } from '../models/serialize.js';
import type { EpochResult } from '../models/trainer.js';
import { confusionMatrixSpec, trainingCurveSpec } from '../figures/trainingFigures.js';
import { type Evaluation, confusionCsv, evaluateNetwork, mostConfidentlyWrong, weightTemplateRgb } from '../reports/trainingReport.js';
import { trainingMetrics, trainingReportMarkdown, type TrainingRunSummary } from '../reports/trainingRun.js';
import { writeFileAtomic } from './atomicWrite.js';
import { encodeGrayPng, encodeRgbPng, tileGray } from './png.js';
import { renderFigure } from './render.js';
import { writeSafetensorsFile } from './safetensorsFile.js';
import type { LoadedData } from './trainingData.js';

export interface TrainingRunFiles {
  readonly out: string;
  readonly network: ClassifierNetwork;
  readonly data: LoadedData;
  readonly config: Readonly<Record<string, unknown>>;
  readonly history: readonly EpochResult[];
  readonly kind: ModelKind;
  readonly lang: Lang;
  /** Render the training-curve and confusion-matrix figures (SVG and PNG). */
  readonly figures: boolean;
}

/**
 * Writes a finished run into its folder, each file atomically: the model (model.json + model.bin,
 * and model.safetensors for nn modules), metrics.json, confusion-matrix.csv, the figures, the weight
 * templates and most confidently wrong images of image data, and report.md
 * (`src/reports/trainingRun.ts`). Returns the test evaluation and the names of the files written.
 */
export async function writeTrainingRun(run: TrainingRunFiles): Promise<{ evaluation: Evaluation; files: string[] }> {
  const { out, network, data, history, kind } = run;
  const { train, test } = data;
  const evaluation = evaluateNetwork(network, test);
  const classNames = train.classNames ?? evaluation.classNames;
  const summary: TrainingRunSummary = { description: data.description, history, evaluation, classNames, config: run.config };
  const model = encodeModel({
    kind,
    network,
    classNames: train.classNames ?? null,
    imageShape: train.imageShape ?? null,
    inputScale: train.scale,
    training: { ...run.config, dataset: data.description, epochs: history.length, testAccuracy: evaluation.accuracy },
  });
  writeFileAtomic(join(out, MODEL_WEIGHTS_FILE), model.blob);
  writeFileAtomic(join(out, MODEL_HEADER_FILE), model.header);
  if (network instanceof ModuleNetwork)
    writeSafetensorsFile(join(out, 'model.safetensors'), network.module.stateDict(), { format: 'pt', architecture: JSON.stringify(network.architecture) });
  writeFileAtomic(join(out, 'metrics.json'), `${stringifyJson(trainingMetrics(summary), 2)}\n`);
  writeFileAtomic(join(out, 'confusion-matrix.csv'), confusionCsv(evaluation));
  const files = ['model.json', 'model.bin', ...(network instanceof ModuleNetwork ? ['model.safetensors'] : []), 'metrics.json', 'confusion-matrix.csv'];
  if (run.figures) {
    const curve = trainingCurveSpec(history, run.lang);
    const cm = confusionMatrixSpec(evaluation.confusion, classNames, run.lang);
    for (const ext of ['.svg', '.png']) {
      await renderFigure(curve, join(out, `training-curve${ext}`));
      await renderFigure(cm, join(out, `confusion-matrix${ext}`));
    }
    files.push('training-curve.svg/.png', 'confusion-matrix.svg/.png');
  }
  let images: Parameters<typeof trainingReportMarkdown>[1] = null;
  const shape = train.imageShape;
  if (shape) {
    const [h, w] = shape;
    const templates = network instanceof Network && kind === 'softmax-regression';
    if (templates) {
      const W = network.weight(0).data;
      for (let c = 0; c < network.numClasses; c++) {
        writeFileAtomic(
          join(out, 'templates', `class-${c}.png`),
          encodeRgbPng({ width: w, height: h, pixels: weightTemplateRgb(W, c, h * w, network.numClasses) }),
        );
      }
      files.push(`templates/class-0…${network.numClasses - 1}.png`);
    }
    const wrong = mostConfidentlyWrong(evaluation, test.y, 16);
    const tiles = wrong.map((wr) => {
      const pixels = new Uint8Array(h * w);
      for (let k = 0; k < h * w; k++) pixels[k] = Math.round(Math.min(255, Math.max(0, test.x[wr.index * h * w + k] * test.scale * 255)));
      return { width: w, height: h, pixels };
    });
    writeFileAtomic(join(out, 'wrong.png'), encodeGrayPng(tileGray(tiles, 8, 2)));
    files.push('wrong.png');
    images = { templates, wrong };
  }
  writeFileAtomic(join(out, 'report.md'), trainingReportMarkdown(summary, images));
  files.push('report.md');
  return { evaluation, files };
}
