import type { TopLevelSpec } from 'vega-lite';
import type { View } from 'vega';
import { ChartSlot } from '../components/chart.js';
import { richText, tex } from '../components/math.js';
import { formatNumber, h, numberControl, selectControl } from '../dom.js';
import { language, t } from '../i18n/index.js';
import { regressionFigure } from '../../figures/regression.js';
import { classificationFigure } from '../../figures/classification.js';
import { fitToContainer, withProbe } from '../components/probe.js';
import { BCE_TEX } from './lossFormulas.js';
import { explainLoss } from '../../explain/lossExplanation.js';
import { explainBce } from '../../explain/bceExplanation.js';
import { explanationView } from '../components/explanation.js';
import type { Page } from '../page.js';
import { EXPLORER_LOSSES, EXPLORER_POINTS, isExplorerLoss, lossAt, type ExplorerLossId, type LossParams } from './lossCurves.js';

/** The explorer's state survives re-renders (language switch, page changes). */
const state = {
  loss: 'l2' as ExplorerLossId,
  target: 0,
  delta: 1,
  beta: 1,
  sigma: 1,
  probe: 1,
};

/** The part of a d3 scale the hover readout uses (vega types `View.scale` as any). */
interface InvertibleScale {
  invert(pixel: number): number;
  domain(): number[];
}

const RANGE = 5;

function range(): [number, number] {
  return state.loss === 'bce' ? [-8, 8] : [state.target - RANGE, state.target + RANGE];
}

function params(): LossParams {
  return { target: state.target, delta: state.delta, beta: state.beta, sigma: state.sigma };
}

function curveLabels(): { loss: string; likelihood: string; gradient: string } {
  if (state.loss === 'bce') {
    return { loss: t('figure.curve.bceLoss'), likelihood: t('figure.curve.probabilityPositive'), gradient: t('figure.curve.bceGradient') };
  }
  return { loss: t('figure.curve.loss'), likelihood: t('figure.curve.likelihood'), gradient: t('figure.curve.gradient') };
}

/** The loss's display name, e.g. "Huber loss (δ = 1)". */
function lossName(id: ExplorerLossId): string {
  return t(`loss.${id}.name`, { delta: formatNumber(state.delta), beta: formatNumber(state.beta), sigma: formatNumber(state.sigma) });
}

/**
 * The d2l figure: the very spec `losslab plot` renders (`regressionFigure`, or `classificationFigure`
 * for BCE against the logit, from src/figures), sized to the page. Both get a probe
 * rule that follows the hover / probe slider through the `probe` signal (no re-render).
 */
function spec(): TopLevelSpec {
  const [from, to] = range();
  const lang = language();
  if (state.loss !== 'bce') {
    const figure = regressionFigure({
      loss: state.loss,
      target: state.target,
      from,
      to,
      points: EXPLORER_POINTS,
      delta: state.delta,
      beta: state.beta,
      sigma: state.sigma,
      lang,
      width: 560,
      height: 320,
    });
    return fitToContainer(withProbe(figure, state.probe));
  }
  const figure = classificationFigure({ loss: 'bce', target: state.target, from, to, points: EXPLORER_POINTS, lang, width: 560, height: 320 });
  return fitToContainer(withProbe(figure, state.probe));
}

function readout(element: HTMLElement): void {
  const [from, to] = range();
  const point = lossAt(state.loss, params(), state.probe, from, to);
  const labels = curveLabels();
  const xName = state.loss === 'bce' ? 'z' : 'y′';
  element.replaceChildren(
    h('span', { class: 'readout-x' }, `${xName} = ${formatNumber(point.x)}`),
    h('span', { class: 'readout-loss', 'data-value': point.loss }, `${labels.loss}: ${formatNumber(point.loss)}`),
    h('span', { class: 'readout-likelihood', 'data-value': point.likelihood }, `${labels.likelihood}: ${formatNumber(point.likelihood)}`),
    h('span', { class: 'readout-gradient', 'data-value': point.gradient }, `${labels.gradient}: ${formatNumber(point.gradient)}`),
  );
}

/**
 * The derivation panel: `explainLoss` / `explainBce` from src/explain (the text of
 * `losslab explain loss`, numbers computed at the probe), without its description of the CLI
 * figure, followed by what this page's axes and curves are. BCE with a soft label: the page's own texts.
 */
function explanation(): HTMLElement {
  const id = state.loss;
  const [from, to] = range();
  const point = lossAt(id, params(), state.probe, from, to);
  const values = {
    target: formatNumber(state.target),
    logit: formatNumber(state.probe),
    gradient: formatNumber(point.gradient),
    // The likelihood of the target, exp(−l) = p^y (1 − p)^(1 − y) (the green curve is p = σ(z)).
    likelihood: formatNumber(Math.exp(-point.loss)),
  };
  const axes = h('p', { id: 'explain-axes' }, richText(t(id === 'bce' ? 'loss.axes.bce' : 'loss.axes.regression', values)));
  const withAxes = (panel: HTMLElement): HTMLElement => {
    panel.append(h('h3', {}, t('loss.explain.axesQ')), axes);
    return panel;
  };
  const lang = language();
  if (id !== 'bce') {
    const derivation = explainLoss({ loss: id, lang, target: state.target, prediction: state.probe, delta: state.delta, beta: state.beta, sigma: state.sigma });
    return withAxes(explanationView(derivation, 'explain', ['figure']));
  }
  // explainBce works a binary label; soft labels (0 < y < 1) get the page's own short panel.
  if (state.target === 0 || state.target === 1) {
    return withAxes(explanationView(explainBce({ lang, target: state.target, logit: state.probe }), 'explain', ['figure']));
  }
  return h(
    'section',
    { class: 'panel explain', id: 'explain', 'aria-labelledby': 'explain-title' },
    h('h2', { id: 'explain-title' }, t('loss.explain.title', { name: lossName(id) })),
    tex(BCE_TEX.loss, true),
    h('h3', {}, t('loss.explain.likelihoodQ')),
    h('p', { id: 'explain-likelihood' }, richText(t('loss.likelihood.bce', values))),
    tex(BCE_TEX.likelihood, true),
    h('h3', {}, t('loss.explain.gradientQ')),
    h('p', { id: 'explain-gradient' }, richText(t('loss.gradient.bce', values))),
    tex(BCE_TEX.gradient, true),
    h('h3', {}, t('loss.explain.axesQ')),
    axes,
  );
}

function render(container: HTMLElement): () => void {
  const chart = new ChartSlot(t('loss.chartLabel'));
  chart.element.id = 'loss-chart';
  const out = h('output', { id: 'loss-readout', class: 'readout', 'aria-live': 'polite', for: 'probe' });
  const controls = h('div', { class: 'controls', role: 'group', 'aria-label': t('loss.controlsLabel') });
  const explainSlot = h('div');
  let view: View | null = null;

  const redraw = (): void => {
    void chart.render(spec(), (v) => {
      view = v;
      attachHover(v);
    });
    readout(out);
    explainSlot.replaceChildren(explanation());
  };
  // The derivation quotes numbers at the probe; re-typeset it once the probe rests (150 ms).
  let explainTimer: ReturnType<typeof setTimeout> | undefined;
  const moveProbe = (value: number): void => {
    state.probe = value;
    readout(out);
    if (view) void view.signal('probe', value).runAsync();
    clearTimeout(explainTimer);
    explainTimer = setTimeout(() => explainSlot.replaceChildren(explanation()), 150);
  };
  const attachHover = (v: View): void => {
    const svgHost = chart.element;
    svgHost.onpointermove = (event: PointerEvent): void => {
      const rect = svgHost.querySelector('svg')?.getBoundingClientRect();
      if (!rect) return;
      const [originX] = v.origin();
      const scale: InvertibleScale = v.scale('x');
      const value = scale.invert(event.clientX - rect.left - originX);
      const [lo, hi] = scale.domain();
      if (!Number.isFinite(value) || value < lo || value > hi) return;
      const rounded = Number(value.toFixed(3));
      for (const id of ['probe', 'probe-value']) {
        const input = document.getElementById(id);
        if (input instanceof HTMLInputElement) input.value = String(rounded);
      }
      moveProbe(rounded);
    };
  };

  const buildControls = (): void => {
    const [from, to] = range();
    state.probe = Math.min(Math.max(state.probe, from), to);
    const lossChoices = EXPLORER_LOSSES.map((id) => ({ value: id, label: lossName(id) }));
    const items: HTMLElement[] = [
      selectControl('loss-select', t('loss.chooseLoss'), lossChoices, state.loss, (value) => {
        if (!isExplorerLoss(value)) return;
        state.loss = value;
        if (state.loss === 'bce') state.target = Math.min(Math.max(state.target, 0), 1);
        buildControls();
        redraw();
      }),
      state.loss === 'bce'
        ? numberControl({
            id: 'target',
            label: t('loss.targetProbability'),
            min: 0,
            max: 1,
            step: 0.01,
            value: state.target,
            onInput: (v) => {
              state.target = v;
              redraw();
            },
          })
        : numberControl({
            id: 'target',
            label: t('loss.target'),
            min: -3,
            max: 3,
            step: 0.1,
            value: state.target,
            onInput: (v) => {
              state.target = v;
              rebuildProbe();
              redraw();
            },
          }),
    ];
    if (state.loss === 'huber')
      items.push(
        numberControl({
          id: 'delta',
          label: t('loss.delta'),
          min: 0.1,
          max: 3,
          step: 0.1,
          value: state.delta,
          onInput: (v) => {
            state.delta = v;
            redraw();
          },
        }),
      );
    if (state.loss === 'smooth-l1')
      items.push(
        numberControl({
          id: 'beta',
          label: t('loss.beta'),
          min: 0.1,
          max: 3,
          step: 0.1,
          value: state.beta,
          onInput: (v) => {
            state.beta = v;
            redraw();
          },
        }),
      );
    if (state.loss === 'gaussian-nll')
      items.push(
        numberControl({
          id: 'sigma',
          label: t('loss.sigma'),
          min: 0.2,
          max: 3,
          step: 0.1,
          value: state.sigma,
          onInput: (v) => {
            state.sigma = v;
            redraw();
          },
        }),
      );
    items.push(probeControl());
    controls.replaceChildren(...items);
  };
  const probeControl = (): HTMLElement => {
    const [from, to] = range();
    return numberControl({
      id: 'probe',
      label: t(state.loss === 'bce' ? 'loss.probeLogit' : 'loss.probe'),
      min: from,
      max: to,
      step: 0.05,
      value: state.probe,
      onInput: moveProbe,
    });
  };
  const rebuildProbe = (): void => {
    const [from, to] = range();
    state.probe = Math.min(Math.max(state.probe, from), to);
    const old = document.getElementById('probe')?.closest('.control');
    old?.replaceWith(probeControl());
  };

  buildControls();
  container.append(
    h('h1', {}, t('loss.heading')),
    h('p', { class: 'lede' }, t('loss.lede')),
    h(
      'div',
      { class: 'layout' },
      h('div', { class: 'panel' }, controls),
      h('div', { class: 'panel chart-panel' }, chart.element, h('p', { class: 'hint' }, t('loss.hoverHint')), out),
    ),
    explainSlot,
  );
  redraw();
  return () => {
    clearTimeout(explainTimer);
    chart.destroy();
  };
}

export const lossPage: Page = { id: 'loss', titleKey: 'nav.loss', render };
