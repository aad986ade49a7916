import { pointwiseLosses } from '../functional/pointwise.js';
import { fail, formatValue } from '../errors.js';
import { t } from '../i18n/translate.js';
import { checkLang, type Lang } from '../i18n/lang.js';
import { checkFinite } from '../figures/options.js';
import { BCE_FORMULAS } from './formulas.js';
import { formula, paragraph, type Explanation } from './types.js';

export interface BceExplanationOptions {
  readonly lang?: Lang;
  /** The worked example: the binary target y (0 or 1, default 1) and the logit z (default 0.5). */
  readonly target?: number;
  readonly logit?: number;
}

/**
 * Binary cross-entropy with logits, for `losslab explain loss --loss bce` and the web lab's loss
 * explorer: the Bernoulli likelihood, its negative log (the loss, no constant), the gradient
 * σ(z) − y by the chain rule and the figure. Numbers from the library's pointwise `bce`.
 */
export function explainBce(options: BceExplanationOptions = {}): Explanation {
  const fn = 'explainBce';
  const lang = checkLang(options.lang, fn);
  const target = options.target ?? 1;
  if (target !== 0 && target !== 1) fail({ fn, argument: 'target', value: formatValue(target), rule: 'the worked example needs a binary label, 0 or 1' });
  const logit = checkFinite(options.logit ?? 0.5, fn, 'logit');
  const bce = pointwiseLosses.bce;
  const likelihood = bce.density(target, logit, {});
  const numbers = {
    target,
    logit,
    probability: bce.density(1, logit, {}),
    value: bce.value(target, logit, {}),
    likelihood,
    nll: -Math.log(likelihood),
    gradient: bce.gradient(target, logit, {}),
  };
  const command = `losslab plot bce${target === 1 ? '' : ` --target ${target}`}${lang === 'en' ? '' : ` --lang ${lang}`} --out bce.svg`;
  return {
    topic: 'loss',
    lang,
    title: t(lang, 'explain.title.bce'),
    numbers,
    sections: [
      { id: 'loss', heading: t(lang, 'explain.loss.heading.loss'), blocks: [paragraph(t(lang, 'explain.bce.intro', numbers)), formula(BCE_FORMULAS.loss)] },
      {
        id: 'likelihood',
        heading: t(lang, 'explain.loss.heading.likelihood'),
        blocks: [paragraph(t(lang, 'explain.bce.likelihood', numbers)), formula(BCE_FORMULAS.likelihood)],
      },
      { id: 'nll', heading: t(lang, 'explain.loss.heading.nll'), blocks: [paragraph(t(lang, 'explain.bce.nll', numbers)), formula(BCE_FORMULAS.nll)] },
      {
        id: 'gradient',
        heading: t(lang, 'explain.loss.heading.gradient'),
        blocks: [paragraph(t(lang, 'explain.bce.gradient', numbers)), formula(BCE_FORMULAS.gradient)],
      },
      { id: 'figure', heading: t(lang, 'explain.loss.heading.figure'), blocks: [paragraph(t(lang, 'explain.bce.figure', { ...numbers, command }))] },
    ],
  };
}
