/**
 * The browser tests' shared set-up: the lab served by `startLab` from bin/start.js (the code path of
 * `npm start`, which builds dist/ and dist/web when stale and prepares the Fashion-MNIST cache) and
 * Debian's chromium driven by playwright-core. Every page opened through `openPage` records console
 * errors, page errors, failed requests and requests outside the lab in `problems`.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

interface LabServer {
  readonly url: string;
  close(): Promise<void>;
}
interface StartModule {
  startLab(options: { port: number; host?: string; quiet?: boolean }): Promise<LabServer>;
}

export const ROOT = join(import.meta.dirname, '..', '..');
/** Where the browser tests write their screenshots. */
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'web');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserLab {
  /** The running lab (set in beforeAll). */
  readonly server: LabServer;
  /** The browser context every page opens in (set in beforeAll). */
  readonly context: BrowserContext;
  /** What went wrong in any page opened through openPage; a test asserts it is empty. */
  readonly problems: string[];
  /** Opens `#hash` in language `lang` and waits for the page's heading. */
  openPage(hash: string, lang?: string): Promise<Page>;
}

/** Registers beforeAll/afterAll that start the lab and chromium, and returns access to both. */
export function useBrowserLab(): BrowserLab {
  let server: LabServer | undefined;
  let context: BrowserContext | undefined;
  let userDataDir = '';
  const problems: string[] = [];
  const lab: BrowserLab = {
    get server(): LabServer {
      if (!server) throw new Error('useBrowserLab: the lab is not started (use it inside a test)');
      return server;
    },
    get context(): BrowserContext {
      if (!context) throw new Error('useBrowserLab: chromium is not started (use it inside a test)');
      return context;
    },
    problems,
    async openPage(hash: string, lang = 'en'): Promise<Page> {
      const page = await lab.context.newPage();
      const url = lab.server.url;
      // Content-Security-Policy violations (also those the console does not show) become console errors
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (event) =>
          console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline code'} in ${event.sourceFile}:${event.lineNumber}`),
        );
      });
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`${hash}: console error: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`${hash}: page error: ${error.message}`));
      page.on('requestfailed', (request) => problems.push(`${hash}: request failed: ${request.url()}`));
      // Offline: every request goes to the lab's own server (no CDN, no fonts from elsewhere).
      page.on('request', (request) => {
        const target = request.url();
        if (!target.startsWith(url) && !target.startsWith('data:') && !target.startsWith('blob:')) problems.push(`${hash}: request outside the lab: ${target}`);
      });
      await page.goto(`${url}?lang=${lang}#${hash}`);
      await page.waitForSelector(`main[data-page="${hash}"] h1`);
      return page;
    },
  };
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const start: StartModule = await import(pathToFileURL(join(ROOT, 'bin', 'start.js')).href);
    server = await start.startLab({ port: 0, quiet: true });
    userDataDir = mkdtempSync(join(tmpdir(), 'losslab-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
    });
  }, 240_000);
  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });
  return lab;
}
