import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, useBrowserLab } from './browserLab.js';

/**
 * The domain-shift page in a real browser (Debian's chromium driven by playwright-core), served by
 * `startLab` from bin/start.js as in lab.test.ts. The playgrounds train in the page's Web Worker on
 * the library's playgrounds (src/adapt/playgrounds); the assertions read the page's own tables.
 * Screenshots go to test-artifacts/web/.
 */
/** Generous: land.sh runs the suite on a machine shared with other work (slow, not broken). */
const TIMEOUT = 900_000;

const lab = useBrowserLab();
const { problems } = lab;

function openDomainPage(lang = 'en'): Promise<Page> {
  return lab.openPage('domain', lang);
}

/** Runs one method of a playground to the end and returns its row of the results table (accuracy per domain). */
async function runMethod(page: Page, prefix: string, method: string, timeout: number): Promise<number[]> {
  await page.selectOption(`#${prefix}-method`, method);
  await page.click(`#${prefix}-start`);
  await page.waitForSelector(`#${prefix}-status[data-phase="done"]`, { timeout });
  const row = `#${prefix}-results tr[data-method="${method}"]`;
  await page.waitForSelector(row);
  const cells = await page.$$eval(`${row}:last-of-type td`, (tds) => tds.map((td) => Number(td.getAttribute('data-value'))));
  return cells;
}

describe('domain-shift page', () => {
  it(
    'two moons: DANN raises the target accuracy above source-only’s on the same visit; the run pauses, resumes and resets',
    async () => {
      const page = await openDomainPage();
      expect(await page.textContent('#domain-library-note')).toContain('losslab adapt');
      expect(await page.locator('.guide-steps > li').count()).toBe(5);
      const sourceOnly = await runMethod(page, 'moons', 'source-only', 120_000);
      const dann = await runMethod(page, 'moons', 'dann', 120_000);
      // [source, target]: both fit the source; DANN is better on the turned target.
      expect(sourceOnly[0]).toBeGreaterThan(0.9);
      expect(dann[0]).toBeGreaterThan(0.9);
      expect(dann[1]).toBeGreaterThan(sourceOnly[1] + 0.03);
      await page.waitForSelector('#moons-boundary svg');
      await page.waitForSelector('#moons-features svg');
      const moonsTerms = (await page.textContent('#moons-terms')) ?? '';
      expect(moonsTerms).toMatch(/λ/);
      // DANN's alignment term is its discriminator's loss: a positive number, never a placeholder 0.
      const alignment = Number(/Alignment loss at this step: ([0-9.eE+-]+)/.exec(moonsTerms)?.[1]);
      expect(alignment).toBeGreaterThan(0);
      expect(await page.textContent('#moons-readout')).toMatch(/kernels: wasm/);
      await page.screenshot({ path: join(ARTIFACTS, 'domain-moons-en.png'), fullPage: true });

      // Pause mid-run, resume, reset.
      await page.fill('#moons-steps-value', '4000');
      await page.click('#moons-start');
      await page.waitForSelector('#moons-status[data-phase="training"]');
      await page.click('#moons-pause');
      await page.waitForSelector('#moons-status[data-phase="paused"]', { timeout: 30_000 });
      expect(await page.textContent('#moons-pause')).toBe('Resume');
      const pausedAt = await page.textContent('#moons-status');
      await page.waitForTimeout(500);
      expect(await page.textContent('#moons-status')).toBe(pausedAt);
      await page.click('#moons-pause');
      await page.waitForSelector('#moons-status[data-phase="training"]');
      await page.click('#moons-reset');
      await page.waitForSelector('#moons-status[data-phase="idle"]');
      expect(await page.locator('#moons-results tbody tr').count()).toBe(2);
      await page.close();
    },
    TIMEOUT,
  );

  it(
    'Colored Fashion-MNIST: IRM’s test-environment accuracy ends above ERM’s; the penalty curve and example images show',
    async () => {
      const page = await openDomainPage();
      // 1,000 images (400 + 400 training rows, 200 test rows), 120 full-batch steps, the penalty on from step 60
      await page.fill('#colored-images-value', '1000');
      await page.fill('#colored-steps-value', '120');
      const erm = await runMethod(page, 'colored', 'erm', 400_000);
      const irm = await runMethod(page, 'colored', 'irm', 400_000);
      // [train e=0.2, train e=0.1, test e=0.9]
      expect(erm[0]).toBeGreaterThan(0.7);
      expect(erm[2]).toBeLessThan(0.5);
      expect(irm[2]).toBeGreaterThan(erm[2] + 0.1);
      await page.waitForSelector('#colored-penalty svg');
      expect(await page.locator('#colored-examples canvas').count()).toBe(12);
      await page.screenshot({ path: join(ARTIFACTS, 'domain-colored-en.png'), fullPage: true });
      await page.close();
    },
    TIMEOUT,
  );

  it(
    'Rotated Fashion-MNIST: the held-out angle is scored beside the five training angles; the features are embedded by domain',
    async () => {
      const page = await openDomainPage();
      await page.selectOption('#rotated-heldout', '45');
      await page.fill('#rotated-images-value', '1200');
      await page.fill('#rotated-steps-value', '60');
      const erm = await runMethod(page, 'rotated', 'erm', 180_000);
      expect(erm).toHaveLength(6);
      for (const a of erm) expect(a).toBeGreaterThan(0.2);
      expect(await page.textContent('#rotated-results thead')).toMatch(/45° \(test\)/);
      await page.waitForSelector('#rotated-embedding svg');
      expect(await page.locator('#rotated-embedding svg .mark-symbol.role-mark path').count()).toBe(300);
      await page.screenshot({ path: join(ARTIFACTS, 'domain-rotated-en.png'), fullPage: true });
      await page.close();
    },
    TIMEOUT,
  );

  it(
    'the language switch changes every label and explanation; the English switch button draws real glyphs for 中文',
    async () => {
      const page = await openDomainPage();
      // The button's label is 中文, drawn with the embedded face (no request: a data: URL). Without
      // it, Debian's headless Chromium without a CJK font draws two missing-glyph boxes here (checked
      // by hand: the face dropped from the button's font-family leaves it unloaded and the boxes show).
      await page.evaluate(() => document.fonts.ready);
      expect(await page.textContent('#lang-switch')).toBe('中文');
      expect(await page.$eval('#lang-switch', (b) => getComputedStyle(b).fontFamily)).toMatch(/^"losslab lang switch"/);
      const face = await page.evaluate(() => {
        const f = [...document.fonts].find((x) => x.family.replace(/"/g, '') === 'losslab lang switch');
        return { status: f?.status, loaded: document.fonts.check('16px "losslab lang switch"', '中文') };
      });
      expect(face).toEqual({ status: 'loaded', loaded: true });
      await page.screenshot({ path: join(ARTIFACTS, 'domain-header-en.png'), clip: { x: 0, y: 0, width: 1280, height: 80 } });

      const texts = () =>
        page.$$eval(
          'main label, main h1, main h2, main h3, main .method-panel p, main .guide-steps p:not(.guide-links), main button, main summary, main .lede',
          (elements) => elements.map((e) => `${e.tagName}#${e.id || (e as HTMLLabelElement).htmlFor || ''}: ${e.textContent?.trim() ?? ''}`),
        );
      const english = await texts();
      await page.click('#lang-switch');
      await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
      const chinese = await texts();
      expect(chinese.length).toBe(english.length);
      expect(english.length).toBeGreaterThan(40);
      const unchanged = chinese.filter((text, i) => text === english[i] || !/[\u4e00-\u9fff]/.test(text));
      expect(unchanged).toEqual([]);
      await page.waitForFunction(() => document.fonts.status === 'loaded');
      await page.screenshot({ path: join(ARTIFACTS, 'domain-zh.png'), fullPage: true });
      await page.close();
    },
    TIMEOUT,
  );

  it(
    'phone-sized window: no sideways scroll, and every control has a label',
    async () => {
      const page = await openDomainPage('zh');
      await page.setViewportSize({ width: 375, height: 740 });
      await page.waitForTimeout(300);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(1);
      const unlabelled = await page.$$eval('main input, main select, main button', (elements) =>
        elements
          .filter((e) => {
            const labelled = (e instanceof HTMLInputElement || e instanceof HTMLSelectElement) && e.labels !== null && e.labels.length > 0;
            return !labelled && !e.getAttribute('aria-label') && !(e instanceof HTMLButtonElement && e.textContent?.trim());
          })
          .map((e) => e.outerHTML.slice(0, 80)),
      );
      expect(unlabelled).toEqual([]);
      expect(await page.locator('main input, main select').count()).toBeGreaterThan(8);
      await page.screenshot({ path: join(ARTIFACTS, 'domain-phone-zh.png'), fullPage: true });
      await page.close();
    },
    TIMEOUT,
  );

  it('had no console errors, page errors, failed requests or requests outside the lab', () => {
    expect(problems).toEqual([]);
  });
});
