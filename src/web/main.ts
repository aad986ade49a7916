import { h } from './dom.js';
import { isLang, language, onLanguageChange, setLanguage, t } from './i18n/index.js';
import type { Page } from './page.js';
import { domainPage } from './pages/domain.js';
import { lossPage } from './pages/loss.js';
import { softmaxPage } from './pages/softmax.js';
import { trainPage } from './pages/train.js';
import { validationPage } from './pages/validation.js';

/**
 * The lab's shell: a header with the page links and the one-click language switch, and the current
 * page (chosen by the URL hash, e.g. `#softmax`, or `#softmax/ce-curves` for a part of it). The language comes from `?lang=`, then from the
 * last choice (localStorage), then from the browser.
 */
const PAGES: readonly Page[] = [lossPage, softmaxPage, trainPage, validationPage, domainPage];

/** The hash `#page` or `#page/part`: the page, and the element of the page to scroll to (e.g. `#softmax/ce-curves`). */
function route(): { page: Page; part: string | undefined } {
  const [id, part] = location.hash.replace(/^#\/?/, '').split('/');
  return { page: PAGES.find((page) => page.id === id) ?? PAGES[0], part: part || undefined };
}

function initialLanguage(): void {
  const fromUrl = new URLSearchParams(location.search).get('lang');
  let stored: string | null = null;
  try {
    stored = localStorage.getItem('losslab.lang');
  } catch {
    stored = null;
  }
  const fromBrowser = navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
  const chosen = [fromUrl, stored, fromBrowser].find(isLang) ?? 'en';
  setLanguage(chosen);
}

function mount(root: HTMLElement): void {
  let cleanup: (() => void) | null = null;
  const render = (): void => {
    cleanup?.();
    const { page, part } = route();
    document.documentElement.lang = language() === 'zh' ? 'zh-CN' : 'en';
    document.title = `${t(page.titleKey)} · losslab`;
    const other = language() === 'en' ? 'zh' : 'en';
    const switcher = h(
      'button',
      { type: 'button', id: 'lang-switch', class: 'lang-switch', lang: other === 'zh' ? 'zh-CN' : 'en', 'aria-label': t('shell.switchLanguageLabel') },
      t('shell.otherLanguage'),
    );
    switcher.addEventListener('click', () => {
      try {
        localStorage.setItem('losslab.lang', other);
      } catch {
        // Private windows may refuse storage; the switch still works for this visit.
      }
      setLanguage(other);
      document.getElementById('lang-switch')?.focus();
    });
    const nav = h('nav', { 'aria-label': t('shell.navLabel') });
    const list = h('ul');
    for (const p of PAGES) {
      list.appendChild(h('li', {}, h('a', { href: `#${p.id}`, id: `nav-${p.id}`, 'aria-current': p === page ? 'page' : undefined }, t(p.titleKey))));
    }
    nav.appendChild(list);
    // Skip link for keyboard users (a button: the URL hash is the page router).
    const skip = h('button', { type: 'button', class: 'skip-link' }, t('shell.skipToContent'));
    skip.addEventListener('click', () => document.getElementById('page')?.focus());
    const header = h('header', { class: 'site-header' }, skip, h('a', { class: 'brand', href: '#loss' }, 'losslab'), nav, switcher);
    const main = h('main', { id: 'page', 'data-page': page.id, tabindex: '-1' });
    root.replaceChildren(header, main, h('footer', { class: 'site-footer' }, t('shell.footer')));
    cleanup = page.render(main);
    if (part) {
      // Once now, and again when the charts above it have been drawn and taken their height.
      document.getElementById(part)?.scrollIntoView();
      setTimeout(() => document.getElementById(part)?.scrollIntoView(), 400);
    }
  };
  window.addEventListener('hashchange', () => {
    render();
    // Keyboard focus moves to the new page; a link to a part of it keeps the part in view.
    document.getElementById('page')?.focus({ preventScroll: route().part !== undefined });
  });
  onLanguageChange(render);
  render();
}

initialLanguage();
const root = document.getElementById('app');
if (root) mount(root);
