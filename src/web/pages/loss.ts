import type { TopLevelSpec } from 'vega-lite';
import type { View } from 'vega';
import { ChartSlot } from '../components/chart.js';
import { richText, tex } from '../components/math.js';
import { checkboxControl, formatNumber, h, numberControl, selectControl } from '../dom.js';
import { isMessageKey, language, messageKey, t } from '../i18n/index.js';
import { lossFigure, lossName } from '../../figures/lossFigure.js';
import { findPointwise, POINTWISE_LOSSES, type PointwiseEntry, type PointwiseLossId } from '../../functional/losses.js';
import { optionName, resolvePointwiseValues } from '../../functional/lossSpec.js';
import { explainLoss } from '../../explain/lossExplanation.js';
import { explanationView } from '../components/explanation.js';
import { fitToContainer, withProbe } from '../components/probe.js';
import type { Page } from '../page.js';
import { EXPLORER_POINTS, explorerReadout } from './lossCurves.js';

/** Every parameter of every loss at its default: the explorer keeps a value per name across loss switches. */
function defaultParams(): Record<string, number | boolean> {
  const out: Record<string, number | boolean> = {};
  for (const { pointwise } of POINTWISE_LOSSES) Object.assign(out, resolvePointwiseValues(pointwise, {}, 'loss explorer'));
  return out;
}

/** The explorer's state survives re-renders (language switch, page changes). */
const state = {
  loss: 'l2' as PointwiseLossId,
  target: 0,
  params: defaultParams(),
  probe: 1,
};

/** The part of a d3 scale the hover readout uses (vega types `View.scale` as any). */
interface InvertibleScale {
  invert(pixel: number): number;
  domain(): number[];
}

function entry(): PointwiseEntry {
  const found = findPointwise(state.loss);
  if (!found) throw new Error(`loss explorer: no loss ${state.loss}`);
  return found;
}

/** The current loss's own parameter values. */
function params(): Record<string, number | boolean> {
  return Object.fromEntries(Object.keys(entry().pointwise.params).map((name) => [name, state.params[name]]));
}

/** The target kept across a loss switch: clamped into the new loss's control, snapped to its steps if its rule needs that (±1 labels, counts), else its default. */
function targetFor(next: PointwiseEntry, y: number): number {
  const { control, check, default: fallback } = next.pointwise.target;
  const clamped = Math.min(Math.max(y, control.min), control.max);
  const snapped = control.min + Math.round((clamped - control.min) / control.step) * control.step;
  for (const candidate of [clamped, snapped]) {
    try {
      return check(candidate, 'loss explorer');
    } catch {
      // try the next candidate
    }
  }
  return fallback;
}

function range(): readonly [number, number] {
  return entry().pointwise.range(state.target, params());
}

function isBinary(): boolean {
  return entry().pointwise.kind === 'probability';
}

function curveLabels(): { loss: string; likelihood: string; gradient: string } {
  if (isBinary()) {
    const id = state.loss;
    return {
      loss: t(messageKey(`figure.curve.${id}.loss`)),
      likelihood: t(messageKey(`figure.curve.${id}.probability`)),
      gradient: t(messageKey(`figure.curve.${id}.gradient`)),
    };
  }
  return { loss: t('figure.curve.loss'), likelihood: t('figure.curve.likelihood'), gradient: t('figure.curve.gradient') };
}

/**
 * The d2l figure: the very spec `losslab plot` renders (`lossFigure` from src/figures, for every
 * loss of the registry), sized to the page, with a probe rule that follows the hover / probe
 * slider through the `probe` signal (no re-render).
 */
function spec(): TopLevelSpec {
  const [from, to] = range();
  const figure = lossFigure({
    loss: state.loss,
    target: state.target,
    from,
    to,
    points: EXPLORER_POINTS,
    params: params(),
    lang: language(),
    width: 560,
    height: 320,
  });
  return fitToContainer(withProbe(figure, state.probe));
}

function readout(element: HTMLElement): void {
  const [from, to] = range();
  const point = explorerReadout(state.loss, state.target, params(), state.probe, from, to);
  const labels = curveLabels();
  const xName = isBinary() ? 'z' : 'y′';
  element.replaceChildren(
    h('span', { class: 'readout-x' }, `${xName} = ${formatNumber(point.x)}`),
    h('span', { class: 'readout-loss', 'data-value': point.loss }, `${labels.loss}: ${formatNumber(point.loss)}`),
    h('span', { class: 'readout-likelihood', 'data-value': point.likelihood }, `${labels.likelihood}: ${formatNumber(point.likelihood)}`),
    h('span', { class: 'readout-gradient', 'data-value': point.gradient }, `${labels.gradient}: ${formatNumber(point.gradient)}`),
  );
}

/**
 * The derivation panel: `explainLoss` from src/explain (the text of `losslab explain`, numbers
 * computed at the probe), without its description of the CLI figure, followed by what this page's
 * axes and curves are. A binary loss with a soft label (0 < y < 1) gets the loss's own short panel
 * when the catalogue has one (`loss.likelihood.<id>`, `loss.gradient.<id>`).
 */
function explanation(): HTMLElement {
  const { id, pointwise } = entry();
  const [from, to] = range();
  const point = explorerReadout(id, state.target, params(), state.probe, from, to);
  const values = {
    target: formatNumber(state.target),
    logit: formatNumber(state.probe),
    gradient: formatNumber(point.gradient),
    // The likelihood of the target, exp(−l) (for BCE p^y (1 − p)^(1 − y); the green curve is p = σ(z)).
    likelihood: formatNumber(Math.exp(-point.loss)),
  };
  const axesKey: string = `loss.axes.${id}`;
  const axes = h('p', { id: 'explain-axes' }, richText(t(isMessageKey(axesKey) ? axesKey : 'loss.axes.density', values)));
  const withAxes = (panel: HTMLElement): HTMLElement => {
    panel.append(h('h3', {}, t('loss.explain.axesQ')), axes);
    return panel;
  };
  const lang = language();
  const labels = pointwise.labels;
  const soft = [`loss.likelihood.${id}`, `loss.gradient.${id}`];
  if (!labels || labels.includes(state.target) || !soft.every(isMessageKey)) {
    const derivation = explainLoss({ loss: id, lang, target: state.target, prediction: state.probe, params: params() });
    return withAxes(explanationView(derivation, 'explain', ['figure']));
  }
  const formulas = pointwise.formulas(params());
  return h(
    'section',
    { class: 'panel explain', id: 'explain', 'aria-labelledby': 'explain-title' },
    h('h2', { id: 'explain-title' }, t('loss.explain.title', { name: lossName(lang, id, params()) })),
    tex(formulas.loss.tex, true),
    h('h3', {}, t('loss.explain.likelihoodQ')),
    h('p', { id: 'explain-likelihood' }, richText(t(messageKey(soft[0]), values))),
    tex(formulas.likelihood.tex, true),
    h('h3', {}, t('loss.explain.gradientQ')),
    h('p', { id: 'explain-gradient' }, richText(t(messageKey(soft[1]), values))),
    tex(formulas.gradient.tex, true),
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
    const { pointwise } = entry();
    const [from, to] = range();
    state.probe = Math.min(Math.max(state.probe, from), to);
    const lossChoices = POINTWISE_LOSSES.map((e) => ({ value: e.id, label: lossName(language(), e.id, { ...state.params }) }));
    const target = pointwise.target;
    const items: HTMLElement[] = [
      selectControl('loss-select', t('loss.chooseLoss'), lossChoices, state.loss, (value) => {
        const chosen = findPointwise(value);
        if (!chosen) return;
        state.loss = chosen.id;
        state.target = targetFor(chosen, state.target);
        buildControls();
        redraw();
      }),
      numberControl({
        id: 'target',
        label: t(target.label),
        ...target.control,
        value: state.target,
        onInput: (v) => {
          state.target = v;
          rebuildProbe();
          redraw();
        },
      }),
    ];
    for (const [name, parameter] of Object.entries(pointwise.params)) {
      const id = optionName(name, parameter);
      const value = state.params[name];
      if (parameter.type === 'boolean') {
        items.push(
          checkboxControl(id, t(parameter.label), value === true, (checked) => {
            state.params[name] = checked;
            rebuildProbe();
            redraw();
          }),
        );
      } else {
        items.push(
          numberControl({
            id,
            label: t(parameter.label),
            ...parameter.control,
            value: typeof value === 'number' ? value : (parameter.default ?? parameter.control.min),
            onInput: (v) => {
              state.params[name] = v;
              redraw();
            },
          }),
        );
      }
    }
    items.push(probeControl());
    controls.replaceChildren(...items);
  };
  const probeControl = (): HTMLElement => {
    const [from, to] = range();
    return numberControl({
      id: 'probe',
      label: t(isBinary() ? 'loss.probeLogit' : 'loss.probe'),
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
      h(
        'div',
        { class: 'panel chart-panel' },
        chart.element,
        h('p', { class: 'hint' }, t('loss.hoverHint')),
        out,
        // "Is this softmax regression's loss?" — no: cross-entropy's own curves are one click away.
        h('p', { class: 'cross-link' }, h('a', { id: 'cross-entropy-link', href: '#softmax/ce-curves' }, t('loss.crossEntropyLink'))),
      ),
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
