import { FASHION_MNIST_CLASSES, FASHION_MNIST_PIXELS } from '../../data/fashionMnist.js';
import type { VegaLiteSpec } from '../../figures/spec.js';
import { liveTrainingCurveSpec } from '../../figures/trainingFigures.js';
import { ChartSlot } from '../components/chart.js';
import { pixelCanvas, templateCanvas } from '../components/images.js';
import { formatNumber, h, selectControl } from '../dom.js';
import { language, t, type MessageKey } from '../i18n/index.js';
import type { Page } from '../page.js';
import { formatPredicate } from '../../mistakes/predicates.js';
import type { ErrorSlice, TrainConfig } from '../worker/protocol.js';
import { session } from './trainSession.js';

type NumericField = 'hidden' | 'lr' | 'batchSize' | 'epochs' | 'momentum' | 'weightDecay' | 'trainSize' | 'seed';

/** Bounds of the editable hyperparameters (integers where the trainer needs integers). */
const FIELDS: readonly { field: NumericField; label: MessageKey; min: number; max: number; step: number; integer: boolean }[] = [
  { field: 'lr', label: 'train.lr', min: 0.0001, max: 10, step: 0.01, integer: false },
  { field: 'batchSize', label: 'train.batchSize', min: 1, max: 60000, step: 1, integer: true },
  { field: 'epochs', label: 'train.epochs', min: 1, max: 100, step: 1, integer: true },
  { field: 'trainSize', label: 'train.trainSize', min: 100, max: 60000, step: 100, integer: true },
  { field: 'hidden', label: 'train.hidden', min: 1, max: 1024, step: 1, integer: true },
  { field: 'momentum', label: 'train.momentum', min: 0, max: 0.99, step: 0.05, integer: false },
  { field: 'weightDecay', label: 'train.weightDecay', min: 0, max: 1, step: 0.0001, integer: false },
  { field: 'seed', label: 'train.seed', min: 0, max: 2 ** 32 - 1, step: 1, integer: true },
];

function classNames(): readonly string[] {
  return FASHION_MNIST_CLASSES[language()];
}

function numberField(spec: (typeof FIELDS)[number], disabled: boolean): HTMLElement {
  const id = `hp-${spec.field}`;
  const input = h('input', { type: 'number', id, min: spec.min, max: spec.max, step: spec.step, value: session.state.config[spec.field], disabled });
  input.addEventListener('input', () => {
    const value = Number(input.value);
    const ok = input.value.trim() !== '' && Number.isFinite(value) && value >= spec.min && value <= spec.max && (!spec.integer || Number.isInteger(value));
    if (!ok) {
      input.setAttribute('aria-invalid', 'true');
      return;
    }
    input.removeAttribute('aria-invalid');
    session.state.config = { ...session.state.config, [spec.field]: value };
  });
  return h('div', { class: 'control' }, h('label', { for: id }, t(spec.label)), input);
}

/** The live curves (src/figures): the running train loss and accuracy, and the test accuracy after each epoch. */
function curvesSpec(): VegaLiteSpec {
  const s = session.state;
  return liveTrainingCurveSpec({ trace: s.trace, tests: s.rows, initialTestAccuracy: s.initialTestAccuracy, epochs: s.config.epochs }, language());
}

function statusText(): string {
  const s = session.state;
  switch (s.phase) {
    case 'idle':
      return t('train.status.idle');
    case 'loading':
      return t('train.status.loading');
    case 'training':
      return t('train.status.training', { epoch: s.epoch || 1, epochs: s.config.epochs, batch: s.batch, batches: s.batches || '…' });
    case 'paused':
      return t('train.status.paused', { epoch: s.epoch, batch: s.batch });
    case 'done':
      return t('train.status.done', { epochs: s.rows.length, accuracy: formatNumber(s.rows[s.rows.length - 1]?.testAccuracy ?? Number.NaN) });
    case 'error':
      return t('train.status.error', { message: s.error });
  }
}

function metricsTable(): HTMLElement {
  const s = session.state;
  const rows = s.rows.map((r) =>
    h(
      'tr',
      {},
      h('td', {}, String(r.epoch)),
      h('td', {}, formatNumber(r.trainLoss)),
      h('td', {}, formatNumber(r.trainAccuracy)),
      h('td', { class: 'test-accuracy' }, formatNumber(r.testAccuracy)),
      h('td', {}, r.seconds.toFixed(2)),
    ),
  );
  if (s.initialTestAccuracy !== null)
    rows.unshift(
      h(
        'tr',
        {},
        h('td', {}, '0'),
        h('td', {}, '—'),
        h('td', {}, '—'),
        h('td', { class: 'test-accuracy' }, formatNumber(s.initialTestAccuracy)),
        h('td', {}, '—'),
      ),
    );
  const cols: MessageKey[] = ['train.col.epoch', 'train.col.trainLoss', 'train.col.trainAccuracy', 'train.col.testAccuracy', 'train.col.seconds'];
  return h(
    'table',
    { id: 'metrics-table', class: 'numbers' },
    h('caption', {}, t('train.metrics.caption')),
    h('thead', {}, h('tr', {}, ...cols.map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', {}, ...rows),
  );
}

function resultsSection(): HTMLElement {
  const results = session.state.results;
  if (!results) return h('p', { class: 'hint' }, t('train.noResults'));
  const names = classNames();
  const templates = h(
    'div',
    { class: 'templates' },
    ...names.map((name, k) =>
      h('figure', {}, templateCanvas(results.templates.subarray(k * FASHION_MNIST_PIXELS, (k + 1) * FASHION_MNIST_PIXELS), name), h('figcaption', {}, name)),
    ),
  );
  const head = h(
    'tr',
    {},
    h('th', { scope: 'col' }, `${t('train.confusion.true')} \\ ${t('train.confusion.predicted')}`),
    ...names.map((n) => h('th', { scope: 'col' }, n)),
  );
  const body = results.confusion.map((row, i) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, names[i]),
      ...row.map((count, j) => h('td', { class: i === j ? 'diagonal' : undefined, style: cellShade(count, row) }, String(count))),
    ),
  );
  const confusion = h(
    'div',
    { class: 'table-wrap' },
    h('table', { id: 'confusion', class: 'numbers confusion' }, h('thead', {}, head), h('tbody', {}, ...body)),
  );
  const wrong = h(
    'div',
    { class: 'wrong-grid' },
    ...results.wrong.map((w) => {
      const caption = t('train.wrongItem', { truth: names[w.label], predicted: names[w.predicted], confidence: `${(100 * w.confidence).toFixed(1)}%` });
      return h('figure', {}, pixelCanvas(w.pixels, caption), h('figcaption', {}, caption));
    }),
  );
  return h(
    'div',
    { class: 'results-grid' },
    h('section', { class: 'panel' }, h('h2', {}, t('train.templates')), h('p', { class: 'hint' }, t('train.templatesHelp')), templates),
    h('section', { class: 'panel' }, h('h2', {}, t('train.wrong')), wrong),
    h('section', { class: 'panel wide' }, h('h2', {}, t('train.slices')), h('p', { class: 'hint' }, t('train.slicesHelp')), slicesTable(results.slices, names)),
    h('section', { class: 'panel wide' }, h('h2', {}, t('train.confusion')), h('p', { class: 'hint' }, t('train.confusionHelp')), confusion),
  );
}

/** The top error slices as a table; a class predicate shows the class name. */
function slicesTable(slices: readonly ErrorSlice[], names: readonly string[]): HTMLElement {
  if (slices.length === 0) return h('p', { id: 'error-slices-none', class: 'hint' }, t('train.slices.none'));
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
  const describe = (sl: ErrorSlice): string =>
    sl.predicates
      .map((p) => (p.feature === 'class' && p.kind === 'equals' ? `${t('train.slices.class')} = ${names[Number(p.value)] ?? p.value}` : formatPredicate(p)))
      .join(' ∧ ');
  const cols: MessageKey[] = ['train.slices.col.slice', 'train.slices.col.rows', 'train.slices.col.errorRate', 'train.slices.col.elsewhere'];
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { id: 'error-slices', class: 'numbers' },
      h('thead', {}, h('tr', {}, ...cols.map((k) => h('th', { scope: 'col' }, t(k))))),
      h(
        'tbody',
        {},
        ...slices.map((sl) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, describe(sl)),
            h('td', {}, String(sl.size)),
            h('td', {}, `${pct(sl.errorRate)} [${pct(sl.ci[0])}, ${pct(sl.ci[1])}]`),
            h('td', {}, pct(sl.restErrorRate)),
          ),
        ),
      ),
    ),
  );
}

function cellShade(count: number, row: readonly number[]): string {
  const total = row.reduce((a, b) => a + b, 0);
  const share = total > 0 ? count / total : 0;
  return `background: rgba(11, 92, 173, ${(0.6 * share).toFixed(3)})`;
}

function render(container: HTMLElement): () => void {
  const chart = new ChartSlot(t('train.curvesLabel'));
  chart.element.id = 'train-chart';
  const status = h('p', { id: 'train-status', class: 'status', role: 'status', 'aria-live': 'polite' });
  const running = h('p', { id: 'train-running', class: 'hint' });
  const controls = h('div', { class: 'controls', role: 'group', 'aria-label': t('train.controlsLabel') });
  const tableSlot = h('div', { class: 'table-wrap' });
  const resultsSlot = h('div');
  let shownEpochs = -1;
  let shownInitial: number | null = null;
  let shownTrace = -1;
  let lastDraw = 0;

  const buildControls = (): void => {
    const s = session.state;
    const busy = s.phase === 'loading' || s.phase === 'training' || s.phase === 'paused';
    const config = s.config;
    const set = (patch: Partial<TrainConfig>): void => {
      s.config = { ...s.config, ...patch };
    };
    const modelChoices = [
      { value: 'softmax', label: t('train.model.softmax') },
      { value: 'mlp', label: t('train.model.mlp') },
      { value: 'cnn', label: t('train.model.cnn') },
    ];
    const optimizerChoices = [
      { value: 'sgd', label: 'SGD' },
      { value: 'adam', label: 'Adam' },
    ];
    const model = selectControl('hp-model', t('train.model'), modelChoices, config.model, (v) => set({ model: v === 'mlp' || v === 'cnn' ? v : 'softmax' }));
    const optimizer = selectControl('hp-optimizer', t('train.optimizer'), optimizerChoices, config.optimizer, (v) =>
      set({ optimizer: v === 'adam' ? 'adam' : 'sgd' }),
    );
    for (const select of [model, optimizer]) select.querySelector('select')?.toggleAttribute('disabled', busy);
    const pauseLabel = s.phase === 'paused' ? t('train.resume') : t('train.pause');
    controls.replaceChildren(
      model,
      optimizer,
      ...FIELDS.map((f) => numberField(f, busy)),
      h(
        'div',
        { class: 'buttons' },
        h('button', { type: 'button', id: 'train-start', class: 'primary', disabled: busy, onclick: () => session.start() }, t('train.start')),
        h(
          'button',
          {
            type: 'button',
            id: 'train-pause',
            disabled: !(s.phase === 'training' || s.phase === 'paused'),
            onclick: () => (s.phase === 'paused' ? session.resume() : session.pause()),
          },
          pauseLabel,
        ),
        h('button', { type: 'button', id: 'train-reset', disabled: s.phase === 'idle', onclick: () => session.reset() }, t('train.reset')),
      ),
    );
  };

  let lastPhase = '';
  const update = (): void => {
    const s = session.state;
    status.textContent = statusText();
    status.dataset.phase = s.phase;
    running.textContent = Number.isFinite(s.runningLoss)
      ? `${t('train.series.trainLoss')}: ${formatNumber(s.runningLoss)} · ${t('train.series.trainAccuracy')}: ${formatNumber(s.runningAccuracy)}${s.step ? ` · ${t('train.step')}: ${s.step}` : ''}`
      : '';
    if (s.phase !== lastPhase) {
      const focused = document.activeElement?.id;
      buildControls();
      if (focused) document.getElementById(focused)?.focus();
      lastPhase = s.phase;
    }
    const epochChanged = s.rows.length !== shownEpochs || s.phase === 'idle';
    if (epochChanged) {
      shownEpochs = s.rows.length;
      resultsSlot.replaceChildren(resultsSection());
    }
    if (epochChanged || s.initialTestAccuracy !== shownInitial) {
      shownInitial = s.initialTestAccuracy;
      tableSlot.replaceChildren(metricsTable());
    }
    // Redraw the curves at most twice a second while batches stream in, and at every epoch.
    const now = performance.now();
    if (epochChanged || (s.trace.length !== shownTrace && now - lastDraw > 500)) {
      shownTrace = s.trace.length;
      lastDraw = now;
      void chart.render(curvesSpec());
    }
  };

  container.append(
    h('h1', {}, t('train.heading')),
    h('p', { class: 'lede' }, t('train.lede')),
    h('div', { class: 'layout' }, h('div', { class: 'panel' }, controls), h('div', { class: 'panel chart-panel' }, status, running, chart.element, tableSlot)),
    resultsSlot,
  );
  const unsubscribe = session.subscribe(update);
  update();
  return () => {
    unsubscribe();
    chart.destroy();
  };
}

export const trainPage: Page = { id: 'train', titleKey: 'nav.train', render };
