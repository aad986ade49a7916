/** Rows of a feature matrix: n rows of d values, row-major (the input of t-SNE, MMD, the domain classifier). */
export interface Matrix {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
}
