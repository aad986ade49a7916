import { ChartSlot } from '../components/chart.js';
import { richText, tex } from '../components/math.js';
import { append, checkboxControl, formatNumber, h, numberControl, selectControl } from '../dom.js';
import { language, t } from '../i18n/index.js';
import { explainSoftmax } from '../../explain/softmaxExplanation.js';
import { explanationView } from '../components/explanation.js';
import type { Page } from '../page.js';
import { softmaxNumbers, type PlaygroundDType, type SoftmaxResult } from './softmaxNumbers.js';
import { crossEntropyFigure } from '../../figures/classification.js';
import { classBarsSpec } from '../../figures/softmaxFigure.js';
import { formatList } from '../../i18n/format.js';
import { mistakenLossFloor } from '../../explain/logitsMistake.js';
import { fitToContainer } from '../components/probe.js';

const state = {
  logits: [2, 1, 0.1, -1] as number[],
  temperature: 1,
  trueClass: 0,
  stable: true,
  dtype: 'float32' as PlaygroundDType,
  /** Pass the probabilities to cross-entropy as if they were logits (softmax applied twice). */
  mistake: false,
};

const MIN_CLASSES = 2;
const MAX_CLASSES = 8;

function table(result: SoftmaxResult): HTMLElement {
  const head = h(
    'tr',
    {},
    h('th', { scope: 'col' }, t('softmax.col.class')),
    h('th', { scope: 'col' }, tex('z_i')),
    h('th', { scope: 'col' }, tex('e^{z_i/T}')),
    h('th', { scope: 'col' }, tex('\\hat y_i')),
    h('th', { scope: 'col' }, tex(state.mistake ? '\\partial l / \\partial z_i' : '\\hat y_i - y_i')),
  );
  const rows = state.logits.map((z, i) =>
    h(
      'tr',
      { class: i === state.trueClass ? 'true-class' : undefined },
      h('th', { scope: 'row' }, i === state.trueClass ? `${i} ✓` : String(i)),
      h('td', {}, formatNumber(z)),
      h('td', { class: cellClass(result.exps[i]) }, formatNumber(result.exps[i])),
      h('td', { class: `prob ${cellClass(result.probabilities[i])}` }, formatNumber(result.probabilities[i])),
      h('td', { class: `grad ${cellClass(result.gradient[i])}` }, formatNumber(result.gradient[i])),
    ),
  );
  return h('table', { id: 'softmax-table', class: 'numbers' }, h('caption', {}, t('softmax.tableCaption')), h('thead', {}, head), h('tbody', {}, ...rows));
}

function cellClass(value: number): string {
  return Number.isFinite(value) ? 'finite' : 'overflow';
}

function render(container: HTMLElement): () => void {
  const probChart = new ChartSlot(t('softmax.probChartLabel'));
  const gradChart = new ChartSlot(t('softmax.gradChartLabel'));
  probChart.element.id = 'prob-chart';
  gradChart.element.id = 'grad-chart';
  const curves = crossEntropyCurvesPanel();
  const summary = h('output', { id: 'softmax-summary', class: 'readout', 'aria-live': 'polite' });
  const tableSlot = h('div', { class: 'table-wrap' });
  const derivation = h('div');
  const controls = h('div', { class: 'controls', role: 'group', 'aria-label': t('softmax.controlsLabel') });

  const update = (): void => {
    const result = softmaxNumbers(state);
    const overflow = result.probabilities.some((p) => !Number.isFinite(p)) || !Number.isFinite(result.crossEntropy);
    const ceText = state.mistake
      ? t('softmax.crossEntropyMistaken', { value: formatNumber(result.crossEntropy), right: formatNumber(result.rightCrossEntropy) })
      : t('softmax.crossEntropy', { value: formatNumber(result.crossEntropy) });
    summary.replaceChildren();
    append(
      summary,
      h('span', { id: 'ce-value', 'data-value': result.crossEntropy, 'data-mistake': String(state.mistake) }, ceText),
      h('span', { id: 'sum-value' }, t('softmax.sum', { value: formatNumber(result.probabilities.reduce((a, b) => a + b, 0)) })),
      overflow ? h('strong', { id: 'overflow-warning', class: 'warning' }, t('softmax.overflowWarning', { dtype: state.dtype })) : null,
      state.mistake
        ? h(
            'span',
            { id: 'mistake-note', class: 'note' },
            richText(t('softmax.mistakeNote', { floor: formatNumber(mistakenLossFloor(state.logits.length, state.trueClass)) })),
          )
        : null,
    );
    tableSlot.replaceChildren(table(result));
    const bars = { trueClass: state.trueClass, lang: language() };
    void probChart.render(classBarsSpec({ ...bars, title: t('softmax.probTitle'), values: result.probabilities, quantity: 'probability', domain: [0, 1] }));
    void gradChart.render(
      classBarsSpec({
        ...bars,
        title: t(state.mistake ? 'softmax.gradTitleMistaken' : 'softmax.gradTitle'),
        values: result.gradient,
        quantity: 'gradient',
        domain: [-1, 1],
      }),
    );
    curves.update();
    derivation.replaceChildren(explanation(result));
  };

  const buildControls = (): void => {
    const logitControls = state.logits.map((z, i) =>
      numberControl({
        id: `logit-${i}`,
        label: t('softmax.logitLabel', { i }),
        min: -10,
        max: 10,
        step: 0.1,
        value: z,
        allowBeyond: true,
        onInput: (v) => {
          state.logits[i] = v;
          update();
        },
      }),
    );
    const classChoices = state.logits.map((_, i) => ({ value: String(i), label: t('softmax.classOption', { i }) }));
    controls.replaceChildren(
      h(
        'fieldset',
        {},
        h('legend', {}, t('softmax.logitsLegend')),
        ...logitControls,
        h(
          'div',
          { class: 'buttons' },
          h(
            'button',
            {
              type: 'button',
              id: 'add-class',
              disabled: state.logits.length >= MAX_CLASSES,
              onclick: () => {
                state.logits.push(0);
                buildControls();
                update();
              },
            },
            t('softmax.addClass'),
          ),
          h(
            'button',
            {
              type: 'button',
              id: 'remove-class',
              disabled: state.logits.length <= MIN_CLASSES,
              onclick: () => {
                state.logits.pop();
                state.trueClass = Math.min(state.trueClass, state.logits.length - 1);
                buildControls();
                update();
              },
            },
            t('softmax.removeClass'),
          ),
          h(
            'button',
            {
              type: 'button',
              id: 'large-logits',
              onclick: () => {
                state.logits = state.logits.map((_, i) => 100 - i);
                buildControls();
                update();
              },
            },
            t('softmax.largeLogits'),
          ),
          h(
            'button',
            {
              type: 'button',
              id: 'reset-logits',
              onclick: () => {
                state.logits = [2, 1, 0.1, -1];
                state.trueClass = 0;
                buildControls();
                update();
              },
            },
            t('softmax.resetLogits'),
          ),
        ),
      ),
      numberControl({
        id: 'temperature',
        label: t('softmax.temperature'),
        min: 0.1,
        max: 5,
        step: 0.1,
        value: state.temperature,
        onInput: (v) => {
          state.temperature = v;
          update();
        },
      }),
      selectControl('true-class', t('softmax.trueClass'), classChoices, String(state.trueClass), (v) => {
        state.trueClass = Number(v);
        update();
      }),
      selectControl(
        'dtype',
        t('softmax.dtype'),
        [
          { value: 'float32', label: 'float32' },
          { value: 'float64', label: 'float64' },
        ],
        state.dtype,
        (v) => {
          state.dtype = v === 'float64' ? 'float64' : 'float32';
          update();
        },
      ),
      checkboxControl('stable-switch', t('softmax.stableSwitch'), state.stable, (checked) => {
        state.stable = checked;
        update();
      }),
      checkboxControl('mistake-switch', t('softmax.mistakeSwitch'), state.mistake, (checked) => {
        state.mistake = checked;
        update();
      }),
    );
  };

  buildControls();
  container.append(
    h('h1', {}, t('softmax.heading')),
    h('p', { class: 'lede' }, t('softmax.lede')),
    h(
      'div',
      { class: 'layout' },
      h('div', { class: 'panel' }, controls),
      h('div', { class: 'panel chart-panel' }, summary, probChart.element, gradChart.element, tableSlot),
    ),
    curves.element,
    derivation,
  );
  update();
  return () => {
    probChart.destroy();
    gradChart.destroy();
    curves.destroy();
  };
}

/**
 * Cross-entropy's own curves (the loss explorer links here, `#softmax/ce-curves`): the very specs
 * `losslab plot cross-entropy [--against probability]` renders, for the playground's logits and
 * true class — against the true class's logit and against its probability.
 */
function crossEntropyCurvesPanel(): { element: HTMLElement; update(): void; destroy(): void } {
  const byLogit = new ChartSlot(t('softmax.curves.logitLabel'));
  const byProbability = new ChartSlot(t('softmax.curves.probabilityLabel'));
  byLogit.element.id = 'ce-logit-chart';
  byProbability.element.id = 'ce-probability-chart';
  const help = h('p', { id: 'ce-curves-help' });
  const element = h(
    'section',
    { class: 'panel', id: 'ce-curves', 'aria-labelledby': 'ce-curves-title' },
    h('h2', { id: 'ce-curves-title' }, t('softmax.curves.heading')),
    help,
    h('div', { class: 'ce-curves' }, byLogit.element, byProbability.element),
  );
  let shown = '';
  const update = (): void => {
    const key = `${state.logits.join(',')}|${state.trueClass}`;
    if (key === shown) return;
    shown = key;
    const others = state.logits.filter((_, i) => i !== state.trueClass);
    help.replaceChildren(richText(t('softmax.curves.help', { target: state.trueClass, others: formatList(others) })));
    const size = { lang: language(), width: 420, height: 260 };
    void byLogit.render(fitToContainer(crossEntropyFigure({ ...size, logits: state.logits, target: state.trueClass })));
    void byProbability.render(fitToContainer(crossEntropyFigure({ ...size, against: 'probability' })));
  };
  return {
    element,
    update,
    destroy: () => {
      byLogit.destroy();
      byProbability.destroy();
    },
  };
}

/**
 * The derivation panel: `explainSoftmax` from src/explain (the text of `losslab explain softmax`,
 * its numbers computed for the current logits and true class, the learner questions included), with
 * what the current logits do to the naive computation after its max-trick section.
 */
function explanation(result: SoftmaxResult): HTMLElement {
  const panel = explanationView(explainSoftmax({ lang: language(), logits: state.logits, target: state.trueClass }), 'softmax-explain');
  const naive = softmaxNumbers({ ...state, stable: false });
  const stable = softmaxNumbers({ ...state, stable: true });
  const example = t('softmax.explain.trickExample', {
    dtype: state.dtype,
    zmax: formatNumber(Math.max(...state.logits)),
    expmax: formatNumber(Math.max(...naive.exps)),
    naive: formatNumber(naive.probabilities[state.trueClass]),
    stable: formatNumber(stable.probabilities[state.trueClass]),
    c: state.trueClass,
    ce: formatNumber(result.crossEntropy),
  });
  // The note belongs to the max-trick section: right after it, before the next section.
  const afterStable = panel.querySelector('#softmax-explain-stable ~ h3');
  panel.insertBefore(h('p', { class: 'note', id: 'trick-example' }, richText(example)), afterStable);
  return panel;
}

export const softmaxPage: Page = { id: 'softmax', titleKey: 'nav.softmax', render };
