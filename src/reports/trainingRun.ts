import type { EpochResult } from '../models/trainer.js';
import { epochTableHeader, epochTableRow, type Evaluation, formatEvaluation, type WrongPrediction } from './trainingReport.js';

/** What a finished `losslab train` run reports: its data, its epochs and its evaluation on the test rows. */
export interface TrainingRunSummary {
  /** Where the data came from (`LoadedData.description`). */
  readonly description: string;
  readonly history: readonly EpochResult[];
  readonly evaluation: Evaluation;
  readonly classNames: readonly string[];
  /** The run's settings, as the checkpoint holds them. */
  readonly config: Readonly<Record<string, unknown>>;
}

/** `metrics.json` of a run: per-epoch results, final accuracies and losses, per-class scores, settings and data. */
export function trainingMetrics(run: TrainingRunSummary): Record<string, unknown> {
  const { evaluation, history, classNames } = run;
  const final = history[history.length - 1];
  return {
    epochs: history,
    testAccuracy: evaluation.accuracy,
    trainAccuracy: final.trainAccuracy,
    trainLoss: final.trainLoss,
    perClass: classNames.map((name, i) => ({
      class: name,
      precision: evaluation.scores.precision[i],
      recall: evaluation.scores.recall[i],
      f1: evaluation.scores.f1[i],
      support: evaluation.scores.support[i],
    })),
    config: run.config,
    dataset: run.description,
  };
}

/**
 * `report.md` of a run: the data, the epoch table, the evaluation and — for image data — the weight
 * templates' note (softmax regression) and the most confidently wrong test images (drawn in `wrong.png`).
 */
export function trainingReportMarkdown(run: TrainingRunSummary, images: { templates: boolean; wrong: readonly WrongPrediction[] } | null): string {
  const report: string[] = [
    `# losslab training run`,
    '',
    `data: ${run.description}`,
    '',
    '```',
    epochTableHeader(),
    ...run.history.map(epochTableRow),
    '```',
    '',
    '```',
    formatEvaluation(run.evaluation).trimEnd(),
    '```',
    '',
  ];
  if (images) {
    if (images.templates) report.push('Weight templates: templates/class-<k>.png (red: positive weight, blue: negative).', '');
    report.push('Most confidently wrong test images (wrong.png, left to right, top to bottom):', '');
    for (const [i, wr] of images.wrong.entries()) {
      report.push(
        `${i + 1}. test row ${wr.index}: true ${run.classNames[wr.trueClass]}, predicted ${run.classNames[wr.predicted]} (p = ${wr.probability.toFixed(3)})`,
      );
    }
    report.push('');
  }
  return `${report.join('\n')}\n`;
}
