import type { Lang } from '../i18n/lang.js';
import type { EmbeddingMethod, EmbeddingPoint, EmbeddingProgress } from './embedding.js';
import type { Histogram } from './histogram.js';
import type { BbseResult, LabelShiftResult } from './labels.js';
import type { DuplicateResult, GroupOverlapResult, TimeOverlapResult, WithinDuplicateResult } from './leakage.js';
import type { MmdResult } from './mmd.js';
import type { GroupMetric } from './subgroups.js';

/**
 * The shift report's types (the JSON schema of docs/shift-report.md) and the effect sizes below
 * which a difference is not flagged. `analyze.ts` computes the report, `advice.ts` reads it.
 */

/** One piece of advice, with the numbers that justify it. */
export interface Advice {
  readonly topic: 'split' | 'leakage' | 'weighting' | 'features' | 'labels' | 'summary';
  readonly text: string;
  readonly evidence: string;
}

export interface ShiftOptions {
  /** Feature columns (default: every column except label, group, time and prediction). */
  readonly features?: readonly string[];
  readonly label?: string;
  readonly group?: string;
  readonly time?: string;
  readonly pred?: string;
  readonly seed?: number;
  /** Family-wise significance level of the overall verdict (default 0.05). */
  readonly alpha?: number;
  readonly embedding?: boolean;
  /** The 2-D embedding of the report: 'umap' (default) or 'tsne'. */
  readonly embeddingMethod?: EmbeddingMethod;
  /** Called after each UMAP epoch or t-SNE iteration of the embedding (a progress bar). */
  readonly onEmbeddingProgress?: (progress: EmbeddingProgress) => void;
  /** Rows per set used by the quadratic MMD permutation test (default 300). */
  readonly mmdRows?: number;
  readonly mmdPermutations?: number;
  /** Rows per set used by the domain classifier (default 5000). */
  readonly domainRows?: number;
  /** Rows per set in the embedding (default 300). */
  readonly embeddingRows?: number;
  /** Language of the advice sentences (default 'en'; the JSON report is documented in English). */
  readonly lang?: Lang;
}

interface FeatureCommon {
  readonly name: string;
  readonly n: { train: number; valid: number };
  readonly missing: { train: number; valid: number };
  readonly pvalueAdjusted: { bonferroni: number; bh: number };
  /** BH-adjusted p < α and a non-negligible effect size. */
  readonly flagged: boolean;
}

export interface NumericFeatureReport extends FeatureCommon {
  readonly kind: 'numeric';
  readonly ks: { statistic: number; pvalue: number; method: 'exact' | 'asymp' };
  readonly wasserstein: number;
  /** Wasserstein distance in units of the training standard deviation. */
  readonly wassersteinStd: number;
  readonly psi: number;
  readonly effectSize: { measure: 'cohen-d'; value: number };
  readonly mean: { train: number; valid: number };
  readonly sd: { train: number; valid: number };
  /** Counts of each set in 20 equal-width bins over the finite range of both (`src/shift/histogram.ts`). */
  readonly histogram: Histogram;
}

export interface CategoricalFeatureReport extends FeatureCommon {
  readonly kind: 'categorical';
  readonly chi2: { statistic: number; pvalue: number; dof: number };
  readonly jensenShannon: number;
  readonly effectSize: { measure: 'cramer-v'; value: number };
  /** The most frequent categories with their proportions in each set (top 10). */
  readonly categories: { value: string; train: number; valid: number }[];
}

export type FeatureReport = NumericFeatureReport | CategoricalFeatureReport;

/** Label distribution: the chi-square comparison when the validation file has labels, BBSE when predictions are given. */
export interface LabelsReport {
  readonly classes: string[];
  readonly trainProportions: number[];
  readonly validProportions?: number[];
  readonly chi2?: LabelShiftResult['chi2'];
  readonly cramersV?: number;
  readonly bbse?: BbseResult;
}

export interface ShiftReport {
  readonly schema: 'losslab.shift/1';
  readonly rows: { train: number; valid: number };
  /**
   * Only when the data were scanned by a database (`engine: 'duckdb'`) or came as summaries: the
   * per-feature statistics and leakage checks read every row; the multivariate tests (MMD, domain
   * classifier, embedding) read the seeded sample of `sampleRows` rows per set.
   */
  readonly source?: { readonly engine: 'duckdb' | 'summaries'; readonly sampleRows: { train: number; valid: number } };
  readonly alpha: number;
  readonly seed: number;
  readonly features: FeatureReport[];
  readonly multivariate: {
    readonly mmd: MmdResult & { rowsUsed: { train: number; valid: number } };
    readonly mmdLinear?: MmdResult;
    readonly domainClassifier: {
      auc: number;
      ci: [number, number];
      se: number;
      pvalue: number;
      nSplits: number;
      rowsUsed: { train: number; valid: number };
      /** L-BFGS iterations per fold (at most 100, scikit-learn's default), and whether every fold converged. */
      iterations: number[];
      converged: boolean;
      drivers: { name: string; feature: string; coefficient: number }[];
      /** Kish ESS of the calibrated, truncated out-of-fold importance weights of the rows used. */
      effectiveSampleSize: number;
      effectiveSampleFraction: number;
      importanceWeights: {
        /** Platt scaling p = 1/(1 + exp(a·s + b)) of the out-of-fold scores s. */
        calibration: { a: number; b: number };
        /** Truncation level √n (mean weight 1), Ionides (2008). */
        cap: number;
        truncated: number;
        maxRawWeight: number;
        effectiveSampleSizeRaw: number;
      };
    };
  };
  readonly labels?: LabelsReport;
  readonly leakage: {
    readonly exactDuplicates: DuplicateResult;
    readonly nearDuplicates: DuplicateResult & { resolution: number };
    /** Rows repeated inside each set. */
    readonly duplicatesWithin: { readonly train: WithinDuplicateResult; readonly valid: WithinDuplicateResult };
    readonly groups?: GroupOverlapResult;
    readonly time?: TimeOverlapResult;
  };
  readonly subgroups?: { set: 'valid' | 'train'; metric: 'accuracy'; groups: GroupMetric[] };
  readonly embedding?: { method: EmbeddingMethod; points: EmbeddingPoint[] };
  readonly verdict: { shift: boolean; material: boolean; leakage: boolean; reasons: string[] };
  readonly advice: Advice[];
}

/** Effect sizes below these are reported but not flagged ("small" by the usual conventions). */
export const NEGLIGIBLE = { cohenD: 0.1, cramerV: 0.05, psi: 0.1, auc: 0.55 };
