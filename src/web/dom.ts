/**
 * Tiny DOM helpers for the lab's pages: build elements declaratively and make labelled controls.
 * No framework: each page renders from its own state and re-renders on a language switch.
 */
type Child = Node | string | null | undefined | false;
type Attributes = Record<string, string | number | boolean | undefined | EventListener>;

/** Creates `<tag>` with attributes (`on…` keys become listeners, `true` booleans empty attributes). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

let nextId = 0;
/** A fresh element id, so every control has a `<label for>`. */
export function uid(prefix: string): string {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

export interface NumberControlOptions {
  readonly id: string;
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly value: number;
  readonly onInput: (value: number) => void;
  /** Whether typed values outside [min, max] are allowed (the slider then pins at its end). */
  readonly allowBeyond?: boolean;
}

/**
 * A labelled slider with a number box beside it, kept in sync: dragging (or arrow keys on the
 * slider) and typing both call `onInput`. Typed text that is not a finite number is marked invalid
 * (`aria-invalid`) and ignored rather than turned into NaN.
 */
export function numberControl(options: NumberControlOptions): HTMLElement {
  const slider = h('input', { type: 'range', id: options.id, min: options.min, max: options.max, step: options.step, value: options.value });
  const box = h('input', {
    type: 'number',
    id: `${options.id}-value`,
    step: 'any',
    value: options.value,
    'aria-label': options.label,
    inputmode: 'decimal',
  });
  if (!options.allowBeyond) {
    box.min = String(options.min);
    box.max = String(options.max);
  }
  slider.addEventListener('input', () => {
    box.value = slider.value;
    box.removeAttribute('aria-invalid');
    options.onInput(Number(slider.value));
  });
  box.addEventListener('input', () => {
    const value = Number(box.value);
    const ok = box.value.trim() !== '' && Number.isFinite(value) && (options.allowBeyond || (value >= options.min && value <= options.max));
    if (!ok) {
      box.setAttribute('aria-invalid', 'true');
      return;
    }
    box.removeAttribute('aria-invalid');
    slider.value = String(value);
    options.onInput(value);
  });
  return h('div', { class: 'control' }, h('label', { for: options.id }, options.label), h('div', { class: 'control-inputs' }, slider, box));
}

export interface SelectOption {
  readonly value: string;
  readonly label: string;
}

/** A labelled `<select>`. */
export function selectControl(id: string, label: string, choices: readonly SelectOption[], value: string, onChange: (value: string) => void): HTMLElement {
  const select = h('select', { id });
  for (const choice of choices) {
    const option = h('option', { value: choice.value }, choice.label);
    if (choice.value === value) option.selected = true;
    select.appendChild(option);
  }
  select.addEventListener('change', () => onChange(select.value));
  return h('div', { class: 'control' }, h('label', { for: id }, label), select);
}

/** A labelled checkbox. */
export function checkboxControl(id: string, label: string, checked: boolean, onChange: (checked: boolean) => void): HTMLElement {
  const box = h('input', { type: 'checkbox', id });
  box.checked = checked;
  box.addEventListener('change', () => onChange(box.checked));
  return h('div', { class: 'control control-check' }, box, h('label', { for: id }, label));
}

/** Readouts format numbers as the figures and explanations do (4 significant digits, Infinity/NaN spelled out). */
export { formatNumber } from '../i18n/format.js';
