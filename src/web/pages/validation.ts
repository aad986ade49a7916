import type { TopLevelSpec } from 'vega-lite';
import { collectEvidence, embeddingInput, shiftReportFromEvidence } from '../../shift/analyze.js';
import type { ShiftReport } from '../../shift/report.js';
import { embeddingSteps, type EmbeddingMethod, type EmbeddingPoint } from '../../shift/embedding.js';
import type { ShiftOptions } from '../../shift/report.js';
import { type Column, sliceTable, tableFromCsvText } from '../../shift/table.js';
import { LAB_DEMOS, labDemoTable, type LabDemoId } from '../../shift/demo.js';
import type { CrossValidator, TrainTest } from '../../validation/core.js';
import { createSplitter, SPLIT_STRATEGIES, type SplitStrategy, type StrategyParameter } from '../../validation/strategies.js';
import { foldsFigure } from '../../figures/foldsFigure.js';
import { shiftEmbeddingSpec } from '../../figures/shiftFigures.js';
import { ChartSlot } from '../components/chart.js';
import { checkboxControl, formatNumber, h, numberControl, selectControl } from '../dom.js';
import { language, t, type MessageKey } from '../i18n/index.js';
import type { Page } from '../page.js';

/**
 * The strategies the lab offers: every strategy of the registry (src/validation/strategies.ts)
 * whose columns the page has (all but a predefined test-fold column).
 */
const STRATEGIES: readonly SplitStrategy[] = SPLIT_STRATEGIES.filter((s) => !s.needs.includes('testFold'));
/** The lab's fixed choices where a strategy takes them: a test fraction of 20 % and a 1 % embargo. */
const LAB_TEST_SIZE = 0.2;
const LAB_EMBARGO = 0.01;
/** Above this many splits the fold chart would be unreadable (leave-one-out on a demo has hundreds). */
const MAX_DRAWN_SPLITS = 60;

function strategyOf(id: string): SplitStrategy {
  return STRATEGIES.find((s) => s.id === id) ?? STRATEGIES[0];
}

function strategyLabel(s: SplitStrategy): string {
  return s.accepts.includes('embargo') ? `${s.className} (embargo ${LAB_EMBARGO * 100}%)` : s.className;
}

function isDemo(value: string): value is LabDemoId {
  return (LAB_DEMOS as readonly string[]).includes(value);
}

const state = {
  demo: 'covariate' as LabDemoId | '',
  fileName: '',
  table: labDemoTable('covariate'),
  strategy: 'kfold',
  folds: 5,
  label: 'label',
  group: 'user',
  time: 'time',
  shuffle: false,
  seed: 0,
  validPercent: 30,
  embedding: 'umap' as EmbeddingMethod,
  error: '',
};

function column(name: string): Column | undefined {
  return state.table.columns.find((c) => c.name === name);
}

function labelsOf(name: string): string[] | null {
  const c = column(name);
  if (!c) return null;
  return c.kind === 'numeric' ? Array.from(c.values, (v) => String(v)) : [...c.values];
}

/**
 * The splitter for the chosen strategy, built by the registry with the lab's settings (PurgedKFold is
 * losslab's own; its label intervals are the time column's values, point-in-time).
 */
function splitter(times: ArrayLike<number>): CrossValidator {
  const strategy = strategyOf(state.strategy);
  const takes = (p: StrategyParameter): boolean => strategy.accepts.includes(p);
  const randomised = takes('randomState') && (state.shuffle || !takes('shuffle'));
  return createSplitter(strategy, {
    nSplits: takes('nSplits') ? state.folds : undefined,
    shuffle: takes('shuffle') ? state.shuffle : undefined,
    randomState: randomised ? state.seed : undefined,
    testSize: takes('testSize') && strategy.testSizeUnit !== 'rows' ? LAB_TEST_SIZE : undefined,
    embargo: takes('embargo') ? LAB_EMBARGO : undefined,
    t0: times,
    onWarning: () => {},
  });
}

/** Row order the splitter sees: sorted by the time column for time-series splits, file order otherwise. */
function rowOrder(): number[] {
  const n = state.table.nRows;
  const order = Array.from({ length: n }, (_, i) => i);
  const time = column(state.time);
  if (strategyOf(state.strategy).timeOrdered && time?.kind === 'numeric') order.sort((a, b) => time.values[a] - time.values[b] || a - b);
  return order;
}

function computeFolds(): TrainTest[] {
  const order = rowOrder();
  const pick = (values: string[] | null): string[] | null => (values ? order.map((i) => values[i]) : null);
  const { needs } = strategyOf(state.strategy);
  const needsLabels = needs.includes('label');
  const needsGroups = needs.includes('group');
  const time = column(state.time);
  const times = time?.kind === 'numeric' ? order.map((i) => time.values[i]) : order;
  const y = needsLabels ? pick(labelsOf(state.label)) : null;
  const groups = needsGroups ? pick(labelsOf(state.group)) : null;
  const cv = splitter(times);
  const count = cv.getNSplits({ n: order.length }, y, groups);
  if (count > MAX_DRAWN_SPLITS) throw new Error(t('validation.tooManySplits', { count, max: MAX_DRAWN_SPLITS }));
  const folds = [...cv.split({ n: order.length }, y, groups)];
  // Map positions in the sorted order back to file rows.
  return folds.map((f) => ({ train: Int32Array.from(f.train, (i) => order[i]), test: Int32Array.from(f.test, (i) => order[i]) }));
}

/** The folds as `losslab split --figure` draws them (src/figures/foldsFigure.ts), in the page's language and width. */
function foldsSpec(folds: readonly TrainTest[]): TopLevelSpec {
  const { needs } = strategyOf(state.strategy);
  const figure = foldsFigure({
    n: state.table.nRows,
    splits: folds,
    classes: needs.includes('label') ? labelsOf(state.label) : null,
    groups: needs.includes('group') ? labelsOf(state.group) : null,
    title: t('validation.foldsTitle'),
    lang: language(),
  });
  return { ...figure, width: 'container', autosize: { type: 'fit-x', contains: 'padding' } } as TopLevelSpec;
}

function foldTable(folds: readonly TrainTest[]): HTMLElement {
  const labels = labelsOf(state.label);
  const groups = labelsOf(state.group);
  const mix = (rows: Int32Array): string => {
    if (!labels) return '—';
    const counts = new Map<string, number>();
    for (const i of rows) counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
    return [...counts.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ');
  };
  const body = folds.map((f, k) =>
    h(
      'tr',
      {},
      h('td', {}, String(k + 1)),
      h('td', {}, String(f.train.length)),
      h('td', {}, String(f.test.length)),
      h('td', {}, mix(f.test)),
      h('td', {}, groups ? String(new Set(Array.from(f.test, (i) => groups[i])).size) : '—'),
    ),
  );
  const cols: MessageKey[] = ['validation.col.fold', 'validation.col.train', 'validation.col.test', 'validation.col.testClasses', 'validation.col.testGroups'];
  return h(
    'table',
    { id: 'fold-table', class: 'numbers' },
    h('caption', {}, t('validation.foldTable.caption')),
    h('thead', {}, h('tr', {}, ...cols.map((c) => h('th', { scope: 'col' }, t(c))))),
    h('tbody', {}, ...body),
  );
}

/** The embedding as the shift report draws it (src/figures/shiftFigures.ts), in the page's language and width. */
function embeddingSpec(points: readonly EmbeddingPoint[], method: EmbeddingMethod): TopLevelSpec {
  const names = { train: t('validation.set.train'), valid: t('validation.set.valid'), legend: t('figure.folds.set') };
  const figure = shiftEmbeddingSpec(points, method, t('validation.embeddingTitle'), names);
  return { ...figure, width: 'container', autosize: { type: 'fit-x', contains: 'padding' } } as TopLevelSpec;
}

/**
 * The training part (rows before `cut`) against the validation part: losslab's shift report
 * (`collectEvidence` + `shiftReportFromEvidence`, as `analyzeShift`) without the embedding, and the
 * embedding's input rows, embedded step by step afterwards so the page can show its progress.
 */
function analyze(cut: number): { report: ShiftReport; embedding: ReturnType<typeof embeddingInput> } {
  const names = state.table.columns.map((c) => c.name);
  const role = (name: string): string | undefined => (name !== '' && names.includes(name) ? name : undefined);
  const options: ShiftOptions = {
    label: role(state.label),
    group: role(state.group),
    time: role(state.time),
    seed: state.seed,
    lang: language(),
    embedding: false,
    embeddingRows: 250,
    mmdRows: 200,
    mmdPermutations: 200,
  };
  const evidence = collectEvidence(sliceTable(state.table, 0, cut), sliceTable(state.table, cut, state.table.nRows), options);
  return { report: shiftReportFromEvidence(evidence, options), embedding: embeddingInput(evidence, options) };
}

function reportView(report: ShiftReport): HTMLElement {
  const cols: MessageKey[] = [
    'validation.col.feature',
    'validation.col.kind',
    'validation.col.statistic',
    'validation.col.pvalue',
    'validation.col.adjusted',
    'validation.col.effect',
  ];
  const rows = report.features.map((f) =>
    h(
      'tr',
      { 'data-feature': f.name, 'data-shifted': String(f.flagged) },
      h('th', { scope: 'row' }, f.name),
      h('td', {}, f.kind === 'numeric' ? 'KS' : 'χ²'),
      h('td', {}, formatNumber(f.kind === 'numeric' ? f.ks.statistic : f.chi2.statistic)),
      h('td', {}, formatNumber(f.kind === 'numeric' ? f.ks.pvalue : f.chi2.pvalue)),
      h('td', {}, formatNumber(f.pvalueAdjusted.bh)),
      h(
        'td',
        {},
        f.kind === 'numeric'
          ? `d = ${formatNumber(f.effectSize.value, 3)}, W₁ = ${formatNumber(f.wasserstein, 3)}, PSI = ${formatNumber(f.psi, 3)}`
          : `V = ${formatNumber(f.effectSize.value, 3)}, JS = ${formatNumber(f.jensenShannon, 3)}`,
      ),
      h('td', { class: f.flagged ? 'warning' : undefined }, t(f.flagged ? 'validation.verdict.shift' : 'validation.verdict.ok')),
    ),
  );
  const table = h(
    'table',
    { id: 'shift-table', class: 'numbers' },
    h('caption', {}, t('validation.report')),
    h('thead', {}, h('tr', {}, ...cols.map((c) => h('th', { scope: 'col' }, t(c))), h('th', { scope: 'col' }, t('validation.col.flag')))),
    h('tbody', {}, ...rows),
  );
  const dc = report.multivariate.domainClassifier;
  const summary = h(
    'ul',
    { id: 'shift-summary' },
    h(
      'li',
      { id: 'shift-verdict', 'data-shift': String(report.verdict.shift), class: report.verdict.shift ? 'warning' : undefined },
      t(report.verdict.shift ? 'validation.overall.shift' : 'validation.overall.none'),
    ),
    h('li', {}, t('validation.mmd', { value: formatNumber(report.multivariate.mmd.mmd2, 3), p: formatNumber(report.multivariate.mmd.pvalue, 3) })),
    h(
      'li',
      {},
      t('validation.domainClassifier', {
        auc: formatNumber(dc.auc, 3),
        lo: formatNumber(dc.ci[0], 3),
        hi: formatNumber(dc.ci[1], 3),
        p: formatNumber(dc.pvalue, 3),
      }),
    ),
  );
  const advice = h(
    'ul',
    { id: 'shift-advice' },
    ...report.advice.map((a) => h('li', {}, h('strong', {}, a.text), ' ', h('span', { class: 'hint' }, a.evidence))),
  );
  return h('div', {}, summary, table, h('h3', {}, t('validation.advice')), advice);
}

function render(container: HTMLElement): () => void {
  const foldsChart = new ChartSlot(t('validation.foldsLabel'));
  foldsChart.element.id = 'folds-chart';
  const embeddingChart = new ChartSlot(t('validation.embeddingLabel'));
  embeddingChart.element.id = 'embedding-chart';
  const embeddingBar = h('progress', {
    id: 'embedding-progress',
    max: '1',
    value: '0',
    'aria-label': t('validation.embeddingProgress'),
  }) as HTMLProgressElement;
  const embeddingStatus = h('span', { id: 'embedding-status', class: 'hint', 'aria-live': 'polite' });
  const embeddingProgress = h('p', { class: 'hint' }, embeddingBar, ' ', embeddingStatus);
  /** Bumped by each run, so an older embedding still stepping stops. */
  let embeddingRun = 0;
  const summary = h('p', { id: 'data-summary', class: 'hint' });
  const errorLine = h('p', { id: 'validation-error', class: 'error', role: 'alert' });
  const foldsSlot = h('div', { class: 'table-wrap' });
  const reportSlot = h('div', { class: 'table-wrap' });
  const dataControls = h('fieldset');
  const splitControls = h('fieldset');
  const shiftControls = h('fieldset');

  const showError = (error: unknown): void => {
    state.error = error instanceof Error ? error.message : String(error);
    errorLine.textContent = t('validation.error', { message: state.error });
  };
  const runSplit = (): void => {
    errorLine.textContent = '';
    try {
      const folds = computeFolds();
      foldsSlot.replaceChildren(foldTable(folds));
      void foldsChart.render(foldsSpec(folds));
    } catch (error) {
      foldsSlot.replaceChildren();
      showError(error);
    }
  };
  const runShift = (): void => {
    errorLine.textContent = '';
    try {
      const cut = Math.round(state.table.nRows * (1 - state.validPercent / 100));
      const { report, embedding } = analyze(cut);
      reportSlot.replaceChildren(reportView(report));
      void runEmbedding(embedding);
    } catch (error) {
      reportSlot.replaceChildren();
      showError(error);
    }
  };
  /** Embeds the rows a step (UMAP epoch, t-SNE iteration) at a time, yielding to the page every ~30 ms to move the bar. */
  const runEmbedding = async (input: ReturnType<typeof embeddingInput>): Promise<void> => {
    const run = ++embeddingRun;
    const method = state.embedding;
    const steps = embeddingSteps(input.train, input.valid, { method, seed: state.seed });
    embeddingBar.value = 0;
    embeddingBar.dataset.done = 'false';
    let last = performance.now();
    let step = steps.next();
    while (!step.done) {
      if (performance.now() - last > 30) {
        embeddingBar.value = step.value.total > 0 ? step.value.done / step.value.total : 0;
        embeddingStatus.textContent = t('validation.embeddingStep', {
          method: method === 'tsne' ? 't-SNE' : 'UMAP',
          done: step.value.done,
          total: step.value.total,
        });
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (run !== embeddingRun) return;
        last = performance.now();
      }
      step = steps.next();
    }
    embeddingBar.value = 1;
    embeddingBar.dataset.done = 'true';
    embeddingStatus.textContent = t('validation.embeddingDone', { method: method === 'tsne' ? 't-SNE' : 'UMAP', rows: step.value.length });
    await embeddingChart.render(embeddingSpec(step.value, method));
  };
  const describe = (): void => {
    const names = state.table.columns
      .map((c) => `${c.name} (${t(c.kind === 'numeric' ? 'validation.kind.numeric' : 'validation.kind.categorical')})`)
      .join(', ');
    summary.textContent = `${state.fileName || t(`validation.demo.${state.demo || 'covariate'}`)} — ${t('validation.summary', { rows: state.table.nRows, columns: state.table.columns.length, names })}`;
  };

  const buildControls = (): void => {
    const columnChoices = [{ value: '', label: t('validation.noColumn') }, ...state.table.columns.map((c) => ({ value: c.name, label: c.name }))];
    const demoChoices = [{ value: '', label: t('validation.demo.none') }, ...LAB_DEMOS.map((d) => ({ value: d, label: t(`validation.demo.${d}`) }))];
    const file = h('input', { type: 'file', id: 'csv-file', accept: '.csv,text/csv' });
    file.addEventListener('change', () => {
      const chosen = file.files?.[0];
      if (!chosen) return;
      void chosen.text().then((text) => {
        try {
          state.table = tableFromCsvText(text, chosen.name);
          state.fileName = chosen.name;
          state.demo = '';
          const names = state.table.columns.map((c) => c.name);
          for (const key of ['label', 'group', 'time'] as const) if (!names.includes(state[key])) state[key] = '';
          buildControls();
          describe();
          runSplit();
        } catch (error) {
          showError(error);
        }
      });
    });
    dataControls.replaceChildren(
      h('legend', {}, t('validation.dataLegend')),
      selectControl('demo-select', t('validation.demo'), demoChoices, state.demo, (v) => {
        if (!isDemo(v)) return;
        state.demo = v;
        state.fileName = '';
        state.table = labDemoTable(state.demo);
        Object.assign(state, { label: 'label', group: 'user', time: 'time' });
        buildControls();
        describe();
        runSplit();
      }),
      h('div', { class: 'control' }, h('label', { for: 'csv-file' }, t('validation.loadFile')), file),
    );
    splitControls.replaceChildren(
      h('legend', {}, t('validation.splitLegend')),
      selectControl(
        'strategy',
        t('validation.strategy'),
        STRATEGIES.map((s) => ({ value: s.id, label: strategyLabel(s) })),
        state.strategy,
        (v) => {
          state.strategy = strategyOf(v).id;
          runSplit();
        },
      ),
      numberControl({
        id: 'folds',
        label: t('validation.folds'),
        min: 2,
        max: 10,
        step: 1,
        value: state.folds,
        onInput: (v) => {
          state.folds = Math.round(v);
          runSplit();
        },
      }),
      selectControl('label-column', t('validation.labelColumn'), columnChoices, state.label, (v) => {
        state.label = v;
        runSplit();
      }),
      selectControl('group-column', t('validation.groupColumn'), columnChoices, state.group, (v) => {
        state.group = v;
        runSplit();
      }),
      selectControl('time-column', t('validation.timeColumn'), columnChoices, state.time, (v) => {
        state.time = v;
        runSplit();
      }),
      checkboxControl('shuffle', t('validation.shuffle'), state.shuffle, (v) => {
        state.shuffle = v;
        runSplit();
      }),
      numberControl({
        id: 'split-seed',
        label: t('validation.seed'),
        min: 0,
        max: 1000,
        step: 1,
        value: state.seed,
        onInput: (v) => {
          state.seed = Math.round(v);
          runSplit();
        },
      }),
    );
    shiftControls.replaceChildren(
      h('legend', {}, t('validation.shiftLegend')),
      h('p', { class: 'hint' }, t('validation.shiftHelp', { percent: state.validPercent })),
      numberControl({
        id: 'valid-percent',
        label: t('validation.validFraction'),
        min: 10,
        max: 50,
        step: 5,
        value: state.validPercent,
        onInput: (v) => (state.validPercent = v),
      }),
      selectControl(
        'embedding-method',
        t('validation.embeddingMethod'),
        [
          { value: 'umap', label: 'UMAP' },
          { value: 'tsne', label: 't-SNE' },
        ],
        state.embedding,
        (v) => {
          state.embedding = v === 'tsne' ? 'tsne' : 'umap';
        },
      ),
      h('button', { type: 'button', id: 'run-shift', class: 'primary', onclick: runShift }, t('validation.runShift')),
    );
  };

  buildControls();
  describe();
  container.append(
    h('h1', {}, t('validation.heading')),
    h('p', { class: 'lede' }, t('validation.lede')),
    h(
      'div',
      { class: 'layout' },
      h('div', { class: 'panel controls' }, dataControls, splitControls, shiftControls),
      h('div', { class: 'panel chart-panel' }, summary, errorLine, foldsChart.element, foldsSlot, embeddingProgress, embeddingChart.element, reportSlot),
    ),
  );
  runSplit();
  return () => {
    embeddingRun++;
    foldsChart.destroy();
    embeddingChart.destroy();
  };
}

export const validationPage: Page = { id: 'validation', titleKey: 'nav.validation', render };
