import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { POINTWISE_LOSSES, pointwiseLosses } from '../../src/functional/losses.js';
import { explainLoss, explainSoftmax, LEARNER_QUESTIONS, probabilitiesAsLogits, type Explanation } from '../../src/explain/index.js';
import { softmax } from '../../src/functional/softmax.js';
import { formatNumber, t, type Lang } from '../../src/i18n/index.js';
import { tensor } from '../../src/tensor/tensor.js';
import { ARTIFACTS, useBrowserLab } from './browserLab.js';

/**
 * The web lab in a real browser (Debian's chromium driven by playwright-core). The server is started
 * through `startLab` from bin/start.js — the code path of `npm start`, which builds dist/ and
 * dist/web when stale and prepares the Fashion-MNIST cache. Screenshots go to test-artifacts/web/.
 */
const lab = useBrowserLab();
const { problems } = lab;
/** Generous per-test limits, so a machine shared with other work (slow, not broken) does not fail the suite. */
const TIMEOUT = 150_000;

async function openPage(hash: string, lang = 'en'): Promise<Page> {
  const page = await lab.openPage(hash, lang);
  await page.waitForFunction(() => document.querySelectorAll('.chart svg').length > 0 || document.querySelector('main[data-page="train"]') !== null);
  return page;
}

async function numbers(page: Page, selector: string): Promise<number[]> {
  return page.$$eval(selector, (cells) => cells.map((cell) => Number(cell.getAttribute('data-value') ?? cell.textContent)));
}

describe('web lab', () => {
  it(
    'serves 127.0.0.1 and answers unknown paths and path climbing with 404',
    async () => {
      expect(lab.server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const page = await lab.context.newPage();
      const missing = await page.request.get(`${lab.server.url}no-such-file.js`);
      expect(missing.status()).toBe(404);
      const climbing = await page.request.get(`${lab.server.url}%2e%2e/package.json`);
      expect(climbing.status()).toBe(404);
      const katexCss = await page.request.get(`${lab.server.url}katex/katex.min.css`);
      expect(katexCss.status()).toBe(200);
      const header = await page.request.get(`${lab.server.url}data/fashion-mnist-v1/test-labels.u8`);
      expect(header.status()).toBe(200);
      expect(header.headers()['content-type']).toBe('application/octet-stream');
      expect((await header.body()).length).toBe(10000);
      await page.close();
    },
    TIMEOUT,
  );

  it(
    'loss explorer: moving the target slider moves the curves and the readout',
    async () => {
      const page = await openPage('loss');
      const before = await numbers(page, '#loss-readout [data-value]');
      const pathBefore = await page.$eval('#loss-chart svg', (svg) => svg.innerHTML.length);
      await page.focus('#target');
      for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
      await page.waitForFunction((old) => document.querySelector('#loss-readout .readout-loss')?.getAttribute('data-value') !== String(old), before[0]);
      const after = await numbers(page, '#loss-readout [data-value]');
      expect(after[0]).not.toBeCloseTo(before[0], 6);
      expect(after[2]).not.toBeCloseTo(before[2], 6);
      // L2 at y = 0.5 and probe y′ = 1: loss ½(0.5)² and gradient y′ − y (the library's pointwise L2).
      expect(await page.inputValue('#target-value')).toBe('0.5');
      expect(after[0]).toBeCloseTo(0.125, 10);
      expect(after[2]).toBeCloseTo(0.5, 10);
      expect(pathBefore).toBeGreaterThan(1000);
      // Hovering the chart moves the probe.
      const box = await page.$eval('#loss-chart svg', (svg) => {
        const r = svg.getBoundingClientRect();
        return { x: r.x, y: r.y, w: r.width, h: r.height };
      });
      await page.mouse.move(box.x + box.w * 0.3, box.y + box.h * 0.5);
      await page.waitForFunction(
        () => document.querySelector('#probe-value') instanceof HTMLInputElement && (document.querySelector('#probe-value') as HTMLInputElement).value !== '1',
      );
      // KaTeX typeset the derivation.
      expect(await page.locator('.explain .katex').count()).toBeGreaterThan(2);
      await page.selectOption('#loss-select', 'huber');
      await page.waitForSelector('#delta');
      await page.screenshot({ path: join(ARTIFACTS, 'loss-en.png'), fullPage: true });
      await page.close();
    },
    TIMEOUT,
  );

  it(
    'loss explorer: every loss of the registry is offered, with its own controls (Poisson NLL: log_input, full; soft margin: ±1 labels)',
    async () => {
      const page = await openPage('loss');
      const offered = await page.$$eval('#loss-select option', (options) => options.map((o) => (o as HTMLOptionElement).value));
      expect(offered).toEqual(POINTWISE_LOSSES.map((e) => e.id));
      await page.selectOption('#loss-select', 'poisson-nll');
      await page.waitForSelector('#log-input');
      expect(await page.isChecked('#log-input')).toBe(true);
      expect(await page.isChecked('#full')).toBe(false);
      await page.waitForFunction(() => document.querySelector('#explain-title')?.textContent?.includes('Poisson'));
      // The readout is the library's pointwise Poisson NLL at the probe (target 3, probe clamped into the range).
      const probe = Number(await page.inputValue('#probe-value'));
      const target = Number(await page.inputValue('#target-value'));
      const [loss] = await numbers(page, '#loss-readout [data-value]');
      expect(loss).toBeCloseTo(pointwiseLosses['poisson-nll'].value(target, probe, {}), 10);
      await page.click('#log-input');
      await page.waitForFunction(() => document.querySelector('#explain')?.textContent?.includes('log_input=False'));
      await page.selectOption('#loss-select', 'soft-margin');
      await page.waitForFunction(() => document.querySelector('#explain-title')?.textContent?.includes('soft margin'));
      expect(await page.inputValue('#target-value')).toBe('1');
      expect(await page.locator('#loss-chart svg').count()).toBe(1);
      await page.close();
    },
    TIMEOUT,
  );

  it(
    'softmax playground: the naive switch shows exp overflowing while stable stays exact',
    async () => {
      const page = await openPage('softmax');
      await page.click('#large-logits');
      const stable = await page.$$eval('#softmax-table td.prob', (cells) => cells.map((c) => Number(c.textContent)));
      // logits 100, 99, 98, 97: softmax equals softmax of 3, 2, 1, 0.
      const expected = [3, 2, 1, 0].map((z) => Math.exp(z) / [3, 2, 1, 0].reduce((s, v) => s + Math.exp(v), 0));
      stable.forEach((p, i) => {
        expect(p).toBeCloseTo(expected[i], 3);
      });
      expect(await page.locator('#overflow-warning').count()).toBe(0);
      await page.click('#stable-switch');
      await page.waitForSelector('#overflow-warning');
      const naive = await page.$$eval('#softmax-table td.prob', (cells) => cells.map((c) => c.textContent));
      expect(naive).toContain('NaN');
      expect(await page.locator('#softmax-table td.overflow', { hasText: 'Infinity' }).count()).toBeGreaterThan(0);
      await page.screenshot({ path: join(ARTIFACTS, 'softmax-naive-en.png'), fullPage: true });
      await page.click('#stable-switch');
      await page.waitForFunction(() => document.querySelector('#overflow-warning') === null);
      // Typing a logit updates the cross-entropy.
      const ceBefore = await page.getAttribute('#ce-value', 'data-value');
      await page.fill('#logit-1-value', '100');
      await page.waitForFunction((old) => document.querySelector('#ce-value')?.getAttribute('data-value') !== old, ceBefore);
      await page.close();
    },
    TIMEOUT,
  );

  it(
    'softmax playground: the "pass probabilities by mistake" switch changes the loss and the gradient shown to the library\'s',
    async () => {
      const page = await openPage('softmax');
      await page.click('#reset-logits');
      const right = { loss: await numbers(page, '#ce-value'), gradient: await numbers(page, '#softmax-table td.grad') };
      expect(await page.locator('#mistake-note').count()).toBe(0);
      await page.click('#mistake-switch');
      await page.waitForSelector('#ce-value[data-mistake="true"]');
      const mistaken = { loss: await numbers(page, '#ce-value'), gradient: await numbers(page, '#softmax-table td.grad') };
      // The playground's defaults: logits [2, 1, 0.1, -1], T = 1, class 0, float32.
      const probabilities = Array.from(softmax(tensor([2, 1, 0.1, -1], { dtype: 'float32' })).data);
      const library = probabilitiesAsLogits(probabilities, 0, 'float32');
      expect(mistaken.loss[0]).toBe(library.loss);
      expect(mistaken.loss[0]).not.toBeCloseTo(right.loss[0], 3);
      expect(mistaken.gradient).toEqual(library.gradLogits.map((g) => Number(formatNumber(g))));
      mistaken.gradient.forEach((g, i) => {
        expect(Math.abs(g)).toBeLessThan(Math.abs(right.gradient[i]));
      });
      expect(await page.textContent('#ce-value')).toContain('softmax(z)');
      expect(await page.textContent('#mistake-note')).toContain('crossEntropy(softmax(z / T))');
      expect(await page.textContent('#grad-chart svg')).toContain('through both softmaxes');
      await page.screenshot({ path: join(ARTIFACTS, 'softmax-mistake-en.png'), fullPage: true });
      await page.click('#mistake-switch');
      await page.waitForSelector('#ce-value[data-mistake="false"]');
      expect(await numbers(page, '#ce-value')).toEqual(right.loss);
      expect(await numbers(page, '#softmax-table td.grad')).toEqual(right.gradient);
      await page.close();
    },
    TIMEOUT,
  );

  it(
    "loss explorer: one click to cross-entropy's own curves, against the logit and against the probability",
    async () => {
      const page = await openPage('loss');
      const link = page.locator('#cross-entropy-link');
      expect(await link.getAttribute('href')).toBe('#softmax/ce-curves');
      await link.click();
      await page.waitForSelector('main[data-page="softmax"] #ce-curves');
      await page.waitForSelector('#ce-logit-chart svg');
      await page.waitForSelector('#ce-probability-chart svg');
      expect(await page.textContent('#ce-logit-chart svg')).toContain('gradient ∂l/∂z = p − 1');
      expect(await page.textContent('#ce-probability-chart svg')).toContain('gradient ∂l/∂p = −1/p');
      expect(await page.textContent('#ce-probability-chart svg')).toContain('likelihood P(y = c) = p');
      expect(await page.locator('#ce-curves').isVisible()).toBe(true);
      const top = await page.$eval('#ce-curves', (e) => e.getBoundingClientRect().top);
      expect(top).toBeLessThan(900);
      await page.screenshot({ path: join(ARTIFACTS, 'softmax-ce-curves-en.png') });
      await page.close();
    },
    TIMEOUT,
  );

  it(
    'every learner question is answered on its page in both languages, with the numbers the library computes (two inputs)',
    async () => {
      /** The paragraphs under a section heading, up to the next heading. */
      const paragraphs = (page: Page, id: string) =>
        page.$eval(`#${id}`, (heading) => {
          const out: string[] = [];
          for (let e = heading.nextElementSibling; e && e.tagName !== 'H3'; e = e.nextElementSibling) if (e.tagName === 'P') out.push(e.textContent ?? '');
          return out;
        });
      const expectSections = async (page: Page, panel: string, explanation: Explanation, pageId: string) => {
        for (const question of LEARNER_QUESTIONS.filter((q) => q.page === pageId)) {
          const section = explanation.sections.find((s) => s.id === question.id);
          if (!section) throw new Error(`${question.id} is missing from ${explanation.topic}`);
          const id = `${panel}-${question.id}`;
          expect(await page.textContent(`#${id}`), `${id} (${explanation.lang})`).toBe(t(explanation.lang, `explain.question.${question.id}.heading`));
          const expected = section.blocks.flatMap((b) => (b.kind === 'markdown' ? [b.markdown.replace(/`/g, '')] : []));
          expect(await paragraphs(page, id), `${id} (${explanation.lang})`).toEqual(expected);
        }
      };
      for (const lang of ['en', 'zh'] as const satisfies readonly Lang[]) {
        // The loss explorer's defaults: L2, y = 0, probe y′ = 1; then a second target.
        const loss = await openPage('loss', lang);
        await loss.selectOption('#loss-select', 'l2');
        await loss.fill('#target-value', '0');
        await loss.waitForSelector('#explain-which-loss');
        await expectSections(loss, 'explain', explainLoss({ loss: 'l2', lang, target: 0, prediction: 1 }), 'loss');
        await loss.fill('#target-value', '1.5');
        await loss.waitForFunction(() => document.querySelector('#explain-half + p')?.textContent?.includes('1.5'));
        await expectSections(loss, 'explain', explainLoss({ loss: 'l2', lang, target: 1.5, prediction: 1 }), 'loss');
        await loss.close();
        // The softmax playground's defaults, then another logit.
        const soft = await openPage('softmax', lang);
        await soft.click('#reset-logits');
        await soft.waitForSelector('#softmax-explain-quotient-rule');
        await expectSections(soft, 'softmax-explain', explainSoftmax({ lang, logits: [2, 1, 0.1, -1], target: 0 }), 'softmax');
        expect(await soft.locator('#softmax-explain .code-compare').count()).toBe(4);
        await soft.fill('#logit-1-value', '3');
        await soft.waitForFunction(() => document.querySelector('#softmax-explain-logits + p')?.textContent?.includes('[2, 3, 0.1, -1]'));
        await expectSections(soft, 'softmax-explain', explainSoftmax({ lang, logits: [2, 3, 0.1, -1], target: 0 }), 'softmax');
        await soft.close();
      }
    },
    TIMEOUT,
  );

  it(
    'language switch: one click puts every label in Chinese and back',
    async () => {
      const page = await openPage('softmax');
      const english = await page.textContent('#nav-softmax');
      await page.click('#lang-switch');
      await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
      expect(await page.textContent('#nav-softmax')).not.toBe(english);
      expect(await page.textContent('main h1')).toMatch(/[\u4e00-\u9fff]/);
      expect(await page.textContent('label[for="temperature"]')).toMatch(/温度/);
      await page.waitForFunction(() => document.fonts.status === 'loaded');
      await page.screenshot({ path: join(ARTIFACTS, 'softmax-zh.png'), fullPage: true });
      await page.click('#nav-loss');
      await page.waitForSelector('main[data-page="loss"] .chart svg');
      expect(await page.textContent('#loss-chart svg')).toMatch(/[\u4e00-\u9fff]/);
      await page.screenshot({ path: join(ARTIFACTS, 'loss-zh.png'), fullPage: true });
      await page.click('#lang-switch');
      await page.waitForFunction(() => document.documentElement.lang === 'en');
      expect(await page.textContent('#nav-softmax')).toBe(english);
      await page.close();
    },
    TIMEOUT,
  );

  it(
    'train: one epoch on a subset raises the test accuracy well above chance; the MLP pauses, resumes and resets; LeNet-5 trains in the worker',
    async () => {
      const page = await openPage('train');
      await page.fill('#hp-trainSize', '2000');
      await page.fill('#hp-epochs', '1');
      await page.fill('#hp-batchSize', '50');
      await page.click('#train-start');
      await page.waitForSelector('#train-status[data-phase="done"]', { timeout: 90_000 });
      const accuracies = await page.$$eval('#metrics-table td.test-accuracy', (cells) => cells.map((c) => Number(c.textContent)));
      expect(accuracies).toHaveLength(2);
      const [initial, afterOne] = accuracies;
      expect(initial).toBeLessThan(0.3);
      expect(afterOne).toBeGreaterThan(0.55);
      expect(await page.locator('.templates canvas').count()).toBe(10);
      expect(await page.locator('#confusion tbody tr').count()).toBe(10);
      expect(await page.locator('.wrong-grid canvas').count()).toBe(8);
      // where the errors concentrate: the top slices over class and image features, as losslab errors --model
      expect(await page.locator('#error-slices tbody tr').count()).toBeGreaterThan(0);
      expect(await page.textContent('#error-slices tbody tr th')).toMatch(/class = |ink|brightness|centre|height|width/);
      // cross-origin isolated (the server's COOP/COEP headers), so the worker has SharedArrayBuffer and
      // trains with the fused WebAssembly SIMD step
      expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
      expect(await page.textContent('#train-running')).toMatch(/training step: fused-(sparse|dense) \(wasm\)/);
      await page.screenshot({ path: join(ARTIFACTS, 'train-en.png'), fullPage: true });

      // The MLP, paused mid-epoch and resumed, then reset.
      await page.selectOption('#hp-model', 'mlp');
      // Big enough that Pause lands mid-run with the WebAssembly kernels (the softmax run above finishes
      // in well under a second): 2 epochs of 20,000 rows through 128 hidden units, ~2–3 s.
      await page.fill('#hp-hidden', '128');
      await page.fill('#hp-trainSize', '20000');
      await page.fill('#hp-epochs', '2');
      await page.click('#train-start');
      await page.waitForSelector('#train-status[data-phase="training"]', { timeout: 30_000 });
      await page.click('#train-pause');
      await page.waitForSelector('#train-status[data-phase="paused"]', { timeout: 30_000 });
      expect(await page.textContent('#train-pause')).toBe('Resume');
      await page.click('#train-pause');
      await page.waitForSelector('#train-status[data-phase="done"]', { timeout: 60_000 });
      const mlp = await page.$$eval('#metrics-table td.test-accuracy', (cells) => cells.map((c) => Number(c.textContent)));
      expect(mlp).toHaveLength(3);
      expect(mlp[2]).toBeGreaterThan(0.3);
      expect(mlp[2]).toBeGreaterThan(mlp[0] + 0.15);
      expect(await page.textContent('#train-running')).toContain('training step: composed (wasm)');

      // LeNet-5 on the general stack (nn modules on the WebAssembly GEMM and convolutions)
      await page.selectOption('#hp-model', 'cnn');
      await page.fill('#hp-trainSize', '2000');
      await page.fill('#hp-epochs', '1');
      await page.fill('#hp-batchSize', '50');
      await page.fill('#hp-lr', '0.05');
      await page.fill('#hp-momentum', '0.9');
      await page.click('#train-start');
      await page.waitForSelector('#train-status[data-phase="done"]', { timeout: 120_000 });
      const cnn = await page.$$eval('#metrics-table td.test-accuracy', (cells) => cells.map((c) => Number(c.textContent)));
      expect(cnn).toHaveLength(2);
      expect(cnn[1]).toBeGreaterThan(cnn[0] + 0.2);
      expect(await page.textContent('#train-running')).toMatch(/training step: nn modules: LeNet-5 on 28×28 \(wasm\)/);
      expect(await page.locator('.templates canvas').count()).toBe(10);
      await page.screenshot({ path: join(ARTIFACTS, 'train-cnn-en.png'), fullPage: true });
      await page.click('#train-reset');
      await page.waitForSelector('#train-status[data-phase="idle"]');
      expect(await page.locator('#metrics-table tbody tr').count()).toBe(0);
      await page.close();
    },
    TIMEOUT,
  );

  it(
    'validation lab: folds of the demo and a shift report that finds the covariate shift',
    async () => {
      const page = await openPage('validation');
      expect(await page.locator('#fold-table tbody tr').count()).toBe(5);
      await page.selectOption('#strategy', 'leave-one-group-out');
      await page.waitForFunction(() => document.querySelectorAll('#fold-table tbody tr').length === 40);
      await page.selectOption('#strategy', 'purged');
      await page.waitForFunction(() => document.querySelectorAll('#fold-table tbody tr').length === 5);
      await page.selectOption('#strategy', 'group');
      await page.waitForFunction(() => document.querySelectorAll('#fold-table tbody tr').length === 5);
      // GroupKFold: no user is on both sides of any fold.
      expect(await page.$$eval('#fold-table tbody td:nth-child(5)', (cells) => cells.map((c) => Number(c.textContent)).reduce((a, b) => a + b, 0))).toBe(40);
      await page.click('#run-shift');
      await page.waitForSelector('#shift-table tbody tr');
      await page.waitForSelector('#embedding-chart svg');
      expect(await page.getAttribute('#shift-table tr[data-feature="x1"]', 'data-shifted')).toBe('true');
      expect(await page.getAttribute('#shift-table tr[data-feature="x2"]', 'data-shifted')).toBe('false');
      expect(await page.getAttribute('#shift-verdict', 'data-shift')).toBe('true');
      expect(await page.locator('#shift-advice li').count()).toBeGreaterThan(0);
      await page.waitForSelector('#embedding-progress[data-done="true"]');
      expect(await page.textContent('#embedding-chart')).toMatch(/UMAP 1/);
      // t-SNE instead of UMAP: the bar runs to the end, then the chart is the t-SNE of the same rows.
      await page.selectOption('#embedding-method', 'tsne');
      await page.click('#run-shift');
      await page.waitForSelector('#embedding-progress[data-done="true"]', { timeout: 60_000 });
      await page.waitForFunction(() => document.querySelector('#embedding-chart')?.textContent?.includes('t-SNE 1'));
      expect(await page.textContent('#embedding-status')).toMatch(/t-SNE of \d+ rows/);
      await page.screenshot({ path: join(ARTIFACTS, 'validation-en.png'), fullPage: true });
      // A user's CSV: read with losslab's CSV reader; a ragged file gets a message naming it.
      const rows = ['x,label,user', ...Array.from({ length: 40 }, (_, i) => `${(i * 7) % 13},${i % 3 === 0 ? 'a' : 'b'},u${i % 8}`)].join('\n');
      await page.setInputFiles('#csv-file', { name: 'mine.csv', mimeType: 'text/csv', buffer: Buffer.from(rows) });
      await page.waitForFunction(() => document.querySelector('#data-summary')?.textContent?.includes('mine.csv'));
      expect(await page.textContent('#data-summary')).toMatch(/40 rows, 3 columns/);
      await page.waitForFunction(() => document.querySelectorAll('#fold-table tbody tr').length === 5);
      await page.setInputFiles('#csv-file', { name: 'ragged.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b\n1,2\n3\n') });
      await page.waitForFunction(() => document.querySelector('#validation-error')?.textContent?.includes('ragged.csv'));
      await page.close();
    },
    TIMEOUT,
  );

  it(
    'validation lab in Chinese: the shift advice comes from the Chinese catalogue',
    async () => {
      const page = await openPage('validation', 'zh');
      await page.click('#run-shift');
      await page.waitForSelector('#shift-advice li');
      const advice = await page.$$eval('#shift-advice li', (items) => items.map((li) => li.textContent ?? ''));
      expect(advice.length).toBeGreaterThan(0);
      for (const text of advice) expect(text).toMatch(/[\u4e00-\u9fff]/);
      await page.screenshot({ path: join(ARTIFACTS, 'validation-zh.png'), fullPage: true });
      await page.close();
    },
    TIMEOUT,
  );

  it(
    'phone-sized window: no page scrolls sideways, and every control has a label',
    async () => {
      const page = await openPage('loss');
      await page.setViewportSize({ width: 375, height: 740 });
      await page.goto(`${lab.server.url}?lang=zh#loss`);
      for (const hash of ['loss', 'softmax', 'train', 'validation']) {
        await page.evaluate((h) => (location.hash = h), hash);
        await page.waitForSelector(`main[data-page="${hash}"] h1`);
        await page.waitForTimeout(200);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, hash).toBeLessThanOrEqual(1);
        // Keyboard and screen-reader users: every input and select has a <label>, every button a name.
        const unlabelled = await page.$$eval('main input, main select, main button', (elements) =>
          elements
            .filter((e) => {
              const labelled = (e instanceof HTMLInputElement || e instanceof HTMLSelectElement) && e.labels !== null && e.labels.length > 0;
              return !labelled && !e.getAttribute('aria-label') && !(e instanceof HTMLButtonElement && e.textContent?.trim());
            })
            .map((e) => e.outerHTML.slice(0, 80)),
        );
        expect(unlabelled, hash).toEqual([]);
        await page.screenshot({ path: join(ARTIFACTS, `${hash}-phone-zh.png`), fullPage: true });
      }
      await page.close();
    },
    TIMEOUT,
  );

  it(
    'pages carry a Content-Security-Policy that the browser enforces (inline script does not run)',
    async () => {
      // a page not opened through openPage: the violation provoked here is not one of `problems`
      const page = await lab.context.newPage();
      const response = await page.goto(`${lab.server.url}#loss`);
      expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'/);
      await page.waitForSelector('main[data-page="loss"] h1');
      const ran = await page.evaluate(async () => {
        const violation = new Promise<string>((resolve) => document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective)));
        const script = document.createElement('script');
        script.textContent = 'window.inlineScriptRan = true';
        document.body.append(script);
        return { ran: (window as unknown as { inlineScriptRan?: boolean }).inlineScriptRan === true, directive: await violation };
      });
      expect(ran).toEqual({ ran: false, directive: 'script-src-elem' });
      expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
      await page.close();
    },
    TIMEOUT,
  );

  it('had no console errors, page errors or failed requests on any page (CSP violations included)', () => {
    expect(problems).toEqual([]);
  });
});
