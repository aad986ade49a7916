import { ChartSlot } from '../components/chart.js';
import { richText, tex } from '../components/math.js';
import { formatNumber, h, numberControl, selectControl } from '../dom.js';
import { raw, t, type MessageKey } from '../i18n/index.js';
import type { Page } from '../page.js';
import type { ColoredSettings, MoonsSettings, PlaygroundSettings, RotatedSettings } from '../worker/domainProtocol.js';
import { accuracySpec, boundarySpec, scatterSpec, termSpec } from './domainCharts.js';
import { DomainSession } from './domainSession.js';
import { COLORED_METHODS, MOONS_METHODS, ROTATED_METHODS, ROTATED_ANGLES } from './domainChoices.js';

/**
 * The domain-shift page: a decision guide, then playgrounds that train live in a Web Worker (the
 * library's src/adapt/playgrounds, the trainers of `losslab adapt`), each with start / pause / reset,
 * accuracy curves per domain, its own pictures, a table of the runs finished on this visit, and an
 * explanation panel per method (formula, assumptions, failure modes) from the catalogues.
 */
export const moonsSession = new DomainSession<MoonsSettings>({ playground: 'moons', method: 'source-only', angle: 35, steps: 600, seed: 0 });
export const coloredSession = new DomainSession<ColoredSettings>({ playground: 'colored', method: 'erm', images: 1000, steps: 200, seed: 0 });
export const rotatedSession = new DomainSession<RotatedSettings>({ playground: 'rotated', method: 'erm', heldOut: 75, images: 3000, steps: 300, seed: 0 });

type Session = DomainSession<MoonsSettings> | DomainSession<ColoredSettings> | DomainSession<RotatedSettings>;

/** The alignment term a method reports at a step: CORAL/DAN's transferLoss, DANN's discriminator loss; none for source-only. */
function alignmentLoss(terms: Readonly<Record<string, number>>): number | undefined {
  return terms.transferLoss ?? terms.discLoss;
}

/** Catalogue id of a method's texts: DANN across training domains has its own (`dann-dg`). */
function methodTextId(method: string, prefix: string): string {
  return prefix === 'rotated' && method === 'dann' ? 'dann-dg' : method;
}

function methodName(method: string, prefix = ''): string {
  return t(`domain.method.${methodTextId(method, prefix)}.name` as MessageKey);
}

/** Short method names for tables and statuses (the part before the parenthesis). */
function methodShort(method: string, prefix = ''): string {
  return methodName(method, prefix).replace(/\s*[（(].*$/, '');
}

function guide(): HTMLElement {
  const steps: { id: string; href: string; command: string }[] = [
    { id: 'cause', href: '#validation', command: 'losslab shift' },
    { id: 'split', href: '#validation', command: 'losslab split' },
    { id: 'adapt', href: '#playground-moons', command: 'losslab adapt --compare erm,irm,vrex,coral,mmd,dann' },
    { id: 'evaluate', href: '#playground-colored', command: 'losslab adapt --select training-domain' },
    { id: 'errors', href: '#train', command: 'losslab errors' },
  ];
  const list = h('ol', { class: 'guide-steps' });
  for (const s of steps) {
    const link = h('a', { href: s.href, id: `guide-${s.id}-link` }, t(`domain.guide.${s.id}.link` as MessageKey));
    if (s.href.startsWith('#playground')) {
      // In-page anchors: the URL hash is the page router, so scroll instead of navigating.
      link.addEventListener('click', (event) => {
        event.preventDefault();
        document.getElementById(s.href.slice(1))?.scrollIntoView();
      });
    }
    list.appendChild(
      h(
        'li',
        { id: `guide-${s.id}` },
        h('h3', {}, t(`domain.guide.${s.id}.title` as MessageKey)),
        h('p', {}, t(`domain.guide.${s.id}.text` as MessageKey)),
        h('p', { class: 'guide-links' }, link, ' · ', h('span', {}, richText(t('domain.guide.command', { command: `\`${s.command}\`` })))),
      ),
    );
  }
  return h('section', { class: 'panel guide', 'aria-labelledby': 'guide-title' }, h('h2', { id: 'guide-title' }, t('domain.guide.title')), list);
}

/** The explanation panel of one method: formula (KaTeX), what it does, what it assumes, when it fails. */
function methodPanel(method: string, prefix: string): HTMLElement {
  const textId = methodTextId(method, prefix);
  const key = (part: string) => `domain.method.${textId}.${part}` as MessageKey;
  const id = `${prefix}-method-${method}`;
  return h(
    'section',
    { class: 'method-panel', id, 'aria-labelledby': `${id}-title` },
    h('h3', { id: `${id}-title` }, t(key('name'))),
    tex(raw(key('formula')), true),
    h('p', {}, t(key('summary'))),
    h('p', {}, h('strong', {}, `${t('domain.method.assumes')}: `), t(key('assumes'))),
    h('p', {}, h('strong', {}, `${t('domain.method.fails')}: `), t(key('fails'))),
  );
}

function statusText(session: Session): string {
  const s = session.state;
  const settings = s.running ?? s.settings;
  switch (s.phase) {
    case 'idle':
      return t('domain.status.idle');
    case 'loading':
      return t('domain.status.loading');
    case 'training':
      return t('domain.status.training', { method: methodShort(settings.method, settings.playground), step: s.step, steps: settings.steps });
    case 'paused':
      return t('domain.status.paused', { step: s.step, steps: settings.steps });
    case 'done':
      return t('domain.status.done', { method: methodShort(settings.method, settings.playground), steps: settings.steps });
    case 'error':
      return t('domain.status.error', { message: s.error });
  }
}

function resultsTable(session: Session, prefix: string, domainLabels: readonly string[]): HTMLElement {
  const runs = session.state.finished;
  if (runs.length === 0) return h('p', { class: 'hint', id: `${prefix}-results` }, t('domain.results.none'));
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'numbers', id: `${prefix}-results` },
      h('caption', {}, t('domain.results.caption')),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('domain.results.method')), ...domainLabels.map((d) => h('th', { scope: 'col' }, d)))),
      h(
        'tbody',
        {},
        ...runs.map((r) =>
          h(
            'tr',
            { 'data-method': r.method },
            h('th', { scope: 'row' }, methodShort(r.method, prefix)),
            ...r.accuracy.map((a, d) => h('td', { 'data-domain': String(d), 'data-value': String(a) }, formatNumber(a))),
          ),
        ),
      ),
    ),
  );
}

interface PlaygroundParts {
  readonly prefix: string;
  readonly session: Session;
  readonly methods: readonly string[];
  readonly titleKey: MessageKey;
  readonly introKey: MessageKey;
  /** Controls beyond method / steps / seed. */
  readonly extraControls: (busy: boolean) => HTMLElement[];
  readonly stepsMax: number;
  readonly domainLabels: () => readonly string[];
  /** Extra pictures, updated on every change. */
  readonly pictures: { element: HTMLElement; update: () => void; destroy: () => void };
}

function setSettings(session: Session, patch: Partial<PlaygroundSettings>): void {
  (session.state as { settings: PlaygroundSettings }).settings = { ...session.state.settings, ...patch } as PlaygroundSettings;
}

function playground(parts: PlaygroundParts): { element: HTMLElement; destroy: () => void } {
  const { prefix, session } = parts;
  const controls = h('div', { class: 'controls', role: 'group', 'aria-label': t(parts.titleKey) });
  const status = h('p', { id: `${prefix}-status`, class: 'status', role: 'status', 'aria-live': 'polite' });
  const readout = h('p', { id: `${prefix}-readout`, class: 'hint' });
  const curves = new ChartSlot(t('domain.curvesLabel'));
  curves.element.id = `${prefix}-curves`;
  const results = h('div', { id: `${prefix}-results-slot` });
  let lastPhase = '';
  let shownPoints = -1;
  let shownFinished = -1;
  let lastDraw = 0;

  const buildControls = (): void => {
    const s = session.state;
    const busy = s.phase === 'loading' || s.phase === 'training' || s.phase === 'paused';
    const method = selectControl(
      `${prefix}-method`,
      t('domain.controls.method'),
      parts.methods.map((m) => ({ value: m, label: methodShort(m, prefix) })),
      s.settings.method,
      (v) => setSettings(session, { method: v } as Partial<PlaygroundSettings>),
    );
    const steps = numberControl({
      id: `${prefix}-steps`,
      label: t('domain.controls.steps'),
      min: 10,
      max: parts.stepsMax,
      step: 10,
      value: s.settings.steps,
      onInput: (v) => setSettings(session, { steps: Math.max(1, Math.round(v)) }),
    });
    const seed = numberControl({
      id: `${prefix}-seed`,
      label: t('domain.controls.seed'),
      min: 0,
      max: 99,
      step: 1,
      value: s.settings.seed,
      onInput: (v) => setSettings(session, { seed: Math.max(0, Math.round(v)) }),
    });
    const inputs = [method, steps, seed, ...parts.extraControls(busy)];
    for (const block of inputs) for (const input of block.querySelectorAll('input, select')) input.toggleAttribute('disabled', busy);
    controls.replaceChildren(
      ...inputs,
      h(
        'div',
        { class: 'buttons' },
        h('button', { type: 'button', id: `${prefix}-start`, class: 'primary', disabled: busy, onclick: () => session.start() }, t('domain.controls.start')),
        h(
          'button',
          {
            type: 'button',
            id: `${prefix}-pause`,
            disabled: !(s.phase === 'training' || s.phase === 'paused'),
            onclick: () => (s.phase === 'paused' ? session.resume() : session.pause()),
          },
          s.phase === 'paused' ? t('domain.controls.resume') : t('domain.controls.pause'),
        ),
        h('button', { type: 'button', id: `${prefix}-reset`, disabled: s.phase === 'idle', onclick: () => session.reset() }, t('domain.controls.reset')),
      ),
    );
  };

  const update = (): void => {
    const s = session.state;
    status.textContent = statusText(session);
    status.dataset.phase = s.phase;
    const last = s.points.at(-1);
    readout.textContent = last
      ? [...last.accuracy.map((a, d) => `${parts.domainLabels()[d] ?? d}: ${formatNumber(a)}`), ...(s.kernels ? [`kernels: ${s.kernels}`] : [])].join(' · ')
      : '';
    if (s.phase !== lastPhase) {
      const focused = document.activeElement?.id;
      buildControls();
      if (focused) document.getElementById(focused)?.focus();
      lastPhase = s.phase;
    }
    if (s.finished.length !== shownFinished) {
      shownFinished = s.finished.length;
      results.replaceChildren(resultsTable(session, prefix, parts.domainLabels()));
    }
    const now = performance.now();
    if (s.points.length !== shownPoints && (now - lastDraw > 400 || s.phase !== 'training')) {
      shownPoints = s.points.length;
      lastDraw = now;
      const steps = (s.running ?? s.settings).steps;
      void curves.render(
        accuracySpec(s.points, steps, {
          title: t('domain.axis.accuracy'),
          x: t('domain.axis.step'),
          y: t('domain.axis.accuracy'),
          series: parts.domainLabels(),
        }),
      );
    }
    parts.pictures.update();
  };

  const methods = h(
    'details',
    { class: 'methods', open: true },
    h('summary', {}, t('domain.methods.title')),
    h('div', { class: 'method-grid' }, ...parts.methods.map((m) => methodPanel(m, prefix))),
  );
  const element = h(
    'section',
    { class: 'playground', id: `playground-${prefix}`, 'aria-labelledby': `${prefix}-title` },
    h('h2', { id: `${prefix}-title` }, t(parts.titleKey)),
    h('p', { class: 'lede' }, t(parts.introKey)),
    h(
      'div',
      { class: 'layout' },
      h('div', { class: 'panel' }, controls),
      h('div', { class: 'panel chart-panel' }, status, readout, curves.element, parts.pictures.element, results),
    ),
    methods,
  );
  const unsubscribe = session.subscribe(update);
  update();
  return {
    element,
    destroy: () => {
      unsubscribe();
      curves.destroy();
      parts.pictures.destroy();
    },
  };
}

/** Source/target × class series of the two-moons points (the target's colour shows its hidden labels). */
function moonsSeries(): string[] {
  return [t('domain.moons.legend.source0'), t('domain.moons.legend.source1'), t('domain.moons.legend.target0'), t('domain.moons.legend.target1')];
}

function moonsPictures(): PlaygroundParts['pictures'] {
  const boundary = new ChartSlot(t('domain.moons.boundaryLabel'));
  boundary.element.id = 'moons-boundary';
  const features = new ChartSlot(t('domain.moons.featuresLabel'));
  features.element.id = 'moons-features';
  const terms = h('p', { id: 'moons-terms', class: 'hint' });
  let shown: unknown = null;
  return {
    element: h('div', { class: 'picture-grid' }, h('div', {}, boundary.element), h('div', {}, features.element), terms),
    update: () => {
      const s = moonsSession.state;
      const last = s.points.at(-1);
      const method = (s.running ?? s.settings).method;
      const alignment = last ? alignmentLoss(last.terms) : undefined;
      terms.textContent = last
        ? [
            method === 'dann' ? t('domain.moons.lambda', { lambda: formatNumber(last.terms.lambda ?? 0) }) : '',
            // CORAL / DAN report their alignment term as transferLoss; DANN's is the domain discriminator's loss.
            alignment === undefined ? '' : t('domain.moons.transfer', { value: formatNumber(alignment) }),
          ]
            .filter(Boolean)
            .join(' · ')
        : '';
      const snap = s.snapshot;
      if (!snap || snap === shown || snap.kind !== 'moons') return;
      shown = snap;
      const seriesOf = (i: number) => 2 * snap.domains[i] + snap.labels[i];
      void boundary.render(boundarySpec(snap, { title: t('domain.moons.boundaryTitle'), series: moonsSeries() }, seriesOf));
      void features.render(scatterSpec(snap.features, { title: t('domain.moons.featuresTitle'), series: moonsSeries() }, seriesOf));
    },
    destroy: () => {
      boundary.destroy();
      features.destroy();
    },
  };
}

const COLORED_ENV_KEYS: readonly MessageKey[] = ['domain.colored.env0', 'domain.colored.env1', 'domain.colored.env2'];

/** A two-channel (red, green) image on a canvas, magnified by CSS. */
function colourCanvas(pixels: Uint8Array, side: number, label: string): HTMLCanvasElement {
  const canvas = h('canvas', { width: side, height: side, role: 'img', 'aria-label': label });
  const context = canvas.getContext('2d');
  if (!context) return canvas;
  const image = context.createImageData(side, side);
  const plane = side * side;
  for (let i = 0; i < plane; i++) image.data.set([pixels[i], pixels[plane + i], 0, 255], 4 * i);
  context.putImageData(image, 0, 0);
  return canvas;
}

function coloredPictures(): PlaygroundParts['pictures'] {
  const penalty = new ChartSlot(t('domain.colored.penaltyLabel'));
  penalty.element.id = 'colored-penalty';
  const examples = h('div', { id: 'colored-examples', class: 'example-grid' });
  let shownExamples: unknown = null;
  let shownPoints = -1;
  return {
    element: h('div', {}, penalty.element, h('h3', {}, t('domain.colored.examples')), examples),
    update: () => {
      const s = coloredSession.state;
      if (s.examples !== shownExamples) {
        shownExamples = s.examples;
        examples.replaceChildren(
          ...s.examples.map((e) => {
            let red = 0;
            let green = 0;
            const plane = e.side * e.side;
            for (let i = 0; i < plane; i++) {
              red += e.pixels[i];
              green += e.pixels[plane + i];
            }
            const caption = t('domain.colored.example', {
              environment: t(COLORED_ENV_KEYS[e.domain] ?? 'domain.colored.env2'),
              label: e.label,
              colour: red >= green ? t('domain.colored.red') : t('domain.colored.green'),
            });
            return h('figure', { 'data-domain': String(e.domain) }, colourCanvas(e.pixels, e.side, caption), h('figcaption', {}, caption));
          }),
        );
      }
      const method = (s.running ?? s.settings).method;
      if (s.points.length !== shownPoints && method !== 'erm') {
        shownPoints = s.points.length;
        void penalty.render(
          termSpec(s.points, 'penalty', (s.running ?? s.settings).steps, {
            title: t('domain.colored.penaltyTitle'),
            x: t('domain.axis.step'),
            y: t('domain.axis.penalty'),
          }),
        );
      }
    },
    destroy: () => penalty.destroy(),
  };
}

function rotatedDomainLabels(): string[] {
  const held = (rotatedSession.state.running ?? rotatedSession.state.settings).heldOut;
  return ROTATED_ANGLES.map((a) => `${t('domain.rotated.domain', { angle: a })}${a === held ? ` (${t('domain.rotated.test')})` : ''}`);
}

function rotatedPictures(): PlaygroundParts['pictures'] {
  const embedding = new ChartSlot(t('domain.rotated.embeddingLabel'));
  embedding.element.id = 'rotated-embedding';
  let shown: unknown = null;
  return {
    element: h('div', {}, embedding.element),
    update: () => {
      const snap = rotatedSession.state.snapshot;
      if (!snap || snap === shown || snap.kind !== 'embedding') return;
      shown = snap;
      void embedding.render(
        scatterSpec(snap.embedding, { title: t('domain.rotated.embeddingTitle'), series: rotatedDomainLabels() }, (i) => snap.domains[i], 280),
      );
    },
    destroy: () => embedding.destroy(),
  };
}

function render(container: HTMLElement): () => void {
  const moons = playground({
    prefix: 'moons',
    session: moonsSession,
    methods: MOONS_METHODS,
    titleKey: 'domain.moons.title',
    introKey: 'domain.moons.intro',
    stepsMax: 5000,
    extraControls: () => [
      numberControl({
        id: 'moons-angle',
        label: t('domain.moons.angle'),
        min: 0,
        max: 90,
        step: 5,
        value: moonsSession.state.settings.angle,
        onInput: (v) => setSettings(moonsSession, { angle: v }),
      }),
    ],
    domainLabels: () => [t('domain.domain.source'), t('domain.domain.target')],
    pictures: moonsPictures(),
  });
  const colored = playground({
    prefix: 'colored',
    session: coloredSession,
    methods: COLORED_METHODS,
    titleKey: 'domain.colored.title',
    introKey: 'domain.colored.intro',
    stepsMax: 1000,
    extraControls: () => [
      numberControl({
        id: 'colored-images',
        label: t('domain.colored.rows'),
        min: 500,
        max: 10000,
        step: 500,
        value: coloredSession.state.settings.images,
        onInput: (v) => setSettings(coloredSession, { images: Math.round(v) }),
      }),
    ],
    domainLabels: () => COLORED_ENV_KEYS.map((k) => t(k)),
    pictures: coloredPictures(),
  });
  const rotated = playground({
    prefix: 'rotated',
    session: rotatedSession,
    methods: ROTATED_METHODS,
    titleKey: 'domain.rotated.title',
    introKey: 'domain.rotated.intro',
    stepsMax: 2000,
    extraControls: () => [
      selectControl(
        'rotated-heldout',
        t('domain.rotated.heldOut'),
        ROTATED_ANGLES.map((a) => ({ value: String(a), label: t('domain.rotated.domain', { angle: a }) })),
        String(rotatedSession.state.settings.heldOut),
        (v) => setSettings(rotatedSession, { heldOut: Number(v) }),
      ),
      numberControl({
        id: 'rotated-images',
        label: t('domain.rotated.rows'),
        min: 600,
        max: 10000,
        step: 600,
        value: rotatedSession.state.settings.images,
        onInput: (v) => setSettings(rotatedSession, { images: Math.round(v) }),
      }),
    ],
    domainLabels: rotatedDomainLabels,
    pictures: rotatedPictures(),
  });
  container.append(
    h('h1', {}, t('domain.heading')),
    h('p', { class: 'lede' }, t('domain.lede')),
    h('p', { class: 'hint', id: 'domain-library-note' }, richText(t('domain.libraryNote'))),
    guide(),
    moons.element,
    colored.element,
    rotated.element,
  );
  return () => {
    moons.destroy();
    colored.destroy();
    rotated.destroy();
  };
}

export const domainPage: Page = { id: 'domain', titleKey: 'nav.domain', render };
