// What "works at 1280×800 and on a narrow window, labels on every control, keyboard alone" means for one page of the
// console, as checks a test runs on the page as it is now (test/console/layout.test.ts runs them on every page and
// wizard step, at each width). Each check answers the problems it found, one line each, so that a sweep reports all
// of them at once instead of stopping at the first. "Visible" is checkVisibility's: a box, not in a hidden subtree
// (the content of a closed <details> keeps boxes but is skipped, content-visibility: hidden), not visibility: hidden.
import type { CDPSession, Page } from 'playwright-core';
import { axeViolations } from './browser.js';

// the page's globals, in functions page.evaluate runs in the browser (the tests compile without the DOM library)
declare const window: any, document: any; // eslint-disable-line @typescript-eslint/no-explicit-any
type El = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The smallest text size we accept, in CSS pixels. */
export const MIN_FONT_PX = 12;

/**
 * Layout, in the page: the document does not scroll sideways; nothing visible sticks out of the viewport's width
 * unless it is inside a box that scrolls sideways, and such a box, when it does scroll, can be reached by the keyboard
 * (tabindex 0) and has a name; no box clips its text (overflow hidden with more inside than shown); no text below
 * MIN_FONT_PX (the list's narrow labels are ::before text: counted too). Visually hidden text and the skip link (off
 * screen until focused) are what they are meant to be.
 */
export async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate((minFont: number) => {
    const out: string[] = [];
    const de = document.documentElement;
    const vw = de.clientWidth;
    const desc = (el: El): string => {
      const label = el.getAttribute('aria-label') || el.getAttribute('name') || (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
      return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}${label ? ` "${label}"` : ''}`;
    };
    if (de.scrollWidth > vw) out.push(`the document scrolls sideways: ${de.scrollWidth} px wide in ${vw} px`);
    // text for screen readers only (clipped to nothing: .visually-hidden, the narrow list's header row) and the skip link
    const clippedAway = (cs: El): boolean => cs.clip === 'rect(0px, 0px, 0px, 0px)' || cs.clipPath === 'inset(50%)';
    const hiddenOnPurpose = (el: El): boolean => {
      if (el.closest('.visually-hidden, .skip')) return true;
      for (let a = el; a && a !== document.body; a = a.parentElement) if (clippedAway(window.getComputedStyle(a))) return true;
      return false;
    };
    const visible = (el: El): boolean => {
      if (!el.checkVisibility({ visibilityProperty: true })) return false;
      const cs = window.getComputedStyle(el);
      return cs.visibility !== 'hidden' && cs.display !== 'none';
    };
    const scrollsSideways = (cs: El): boolean => cs.overflowX === 'auto' || cs.overflowX === 'scroll';
    const control = (el: El): boolean => el.matches('input, select, textarea, option, progress');
    for (const el of document.querySelectorAll('body *')) {
      if (hiddenOnPurpose(el) || !visible(el) || el.closest('select, datalist, noscript')) continue;
      const cs = window.getComputedStyle(el);
      // a box that scrolls sideways: fine only when it is keyboard-reachable and named
      if (scrollsSideways(cs) && !control(el) && el.scrollWidth > el.clientWidth + 1) {
        const named = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
        if (el.tabIndex < 0 || !named) out.push(`${desc(el)} scrolls sideways (${el.scrollWidth} px in ${el.clientWidth} px) but is ${el.tabIndex < 0 ? 'not keyboard-focusable' : 'not labelled'}`);
      }
      // clipped: more inside than shown, and no way to scroll to it
      if ((cs.overflowX === 'hidden' || cs.overflowX === 'clip') && !control(el) && el.scrollWidth > el.clientWidth + 1) out.push(`${desc(el)} cuts off its content (${el.scrollWidth} px in ${el.clientWidth} px)`);
      // sticking out of the viewport, unless inside a box that scrolls sideways
      const r = el.getBoundingClientRect();
      if ((r.right > vw + 0.5 || r.left < -0.5) && r.width > 0) {
        let a = el.parentElement;
        let inScroller = false;
        for (; a && a !== document.body; a = a.parentElement) if (scrollsSideways(window.getComputedStyle(a))) { inScroller = true; break; }
        if (!inScroller) out.push(`${desc(el)} sticks out of the ${vw} px viewport (${Math.round(r.left)}..${Math.round(r.right)})`);
      }
      // text size: the element's own text, and its ::before text (the narrow list's labels)
      const ownText = [...el.childNodes].some((n: El) => n.nodeType === 3 && n.textContent.trim());
      if (ownText && parseFloat(cs.fontSize) < minFont) out.push(`${desc(el)}: text of ${cs.fontSize}`);
      // squeezed: a box a few letters wide whose text runs down many lines (a column left too little room)
      const lineHeight = parseFloat(cs.lineHeight) || parseFloat(cs.fontSize) * 1.45;
      if (ownText && cs.display !== 'inline' && r.width < 5 * parseFloat(cs.fontSize) && r.height > 3.5 * lineHeight) out.push(`${desc(el)} is squeezed: ${Math.round(r.width)} px wide, ${Math.round(r.height / lineHeight)} lines`);
      const before = window.getComputedStyle(el, '::before');
      if (before.content && before.content !== 'none' && before.content !== 'normal' && before.content !== '""' && parseFloat(before.fontSize) < minFont) out.push(`${desc(el)}::before: text of ${before.fontSize}`);
    }
    return [...new Set(out)];
  }, MIN_FONT_PX);
}

/**
 * The buttons and button-like links on the page: each visible one, scrolled to, lies within the viewport's width and
 * is what is at its centre (not under the fixed status line or another box). `required` are names that must be there.
 */
export async function buttonProblems(page: Page, required: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const name of required) {
    const b = page.getByRole('button', { name, exact: true }).or(page.getByRole('link', { name, exact: true }));
    if (!(await b.first().isVisible())) out.push(`"${name}" is not visible`);
  }
  out.push(...await page.evaluate(() => {
    const found: string[] = [];
    const vw = document.documentElement.clientWidth;
    const vh = document.documentElement.clientHeight;
    for (const el of document.querySelectorAll('button, a.button, input[type=submit], input[type=button]')) {
      if (!el.checkVisibility({ visibilityProperty: true }) || el.closest('.visually-hidden, .skip')) continue;
      el.scrollIntoView({ block: 'center', inline: 'nearest' });
      const r = el.getBoundingClientRect();
      const name = (el.textContent ?? '').trim() || el.getAttribute('aria-label') || el.value;
      if (r.left < -0.5 || r.right > vw + 0.5) found.push(`"${name}" is outside the ${vw} px viewport (${Math.round(r.left)}..${Math.round(r.right)})`);
      const x = Math.min(Math.max(r.left + r.width / 2, 0), vw - 1);
      const y = Math.min(Math.max(r.top + r.height / 2, 0), vh - 1);
      const top = document.elementFromPoint(x, y);
      if (top && top !== el && !el.contains(top)) found.push(`"${name}" is covered by ${top.tagName.toLowerCase()}${top.className ? `.${top.className}` : ''}`);
    }
    window.scrollTo(0, 0);
    return found;
  }));
  return out;
}

const INTERACTIVE_ROLES = new Set(['textbox', 'searchbox', 'combobox', 'listbox', 'spinbutton', 'checkbox', 'radio', 'button', 'link', 'switch', 'slider']);

/**
 * Every visible control (input, select, textarea, button, link, anything in the tab order) has a role and a
 * non-empty accessible name in chromium's own accessibility tree (what a screen reader gets), read through the
 * DevTools protocol: each control is found by a marker attribute and matched to its tree node.
 */
export async function accessibleNameProblems(page: Page, cdp: CDPSession): Promise<{ problems: string[]; controls: number }> {
  const marked: string[] = await page.evaluate(() => {
    const list: string[] = [];
    for (const el of document.querySelectorAll('input, select, textarea, button, a[href], summary, [tabindex]')) {
      if (el.getAttribute('tabindex') === '-1' && !el.matches('input, select, textarea, button, a[href], summary')) continue;
      if (!el.checkVisibility({ visibilityProperty: true }) || window.getComputedStyle(el).visibility === 'hidden' || el.closest('.visually-hidden')) continue;
      el.setAttribute('data-name-probe', String(list.length));
      list.push(`${el.tagName.toLowerCase()}${el.getAttribute('type') ? `[type=${el.getAttribute('type')}]` : ''}${el.getAttribute('name') ? `[name=${el.getAttribute('name')}]` : ''} "${(el.textContent ?? '').trim().slice(0, 30)}"`);
    }
    return list;
  });
  const problems: string[] = [];
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: false }) as { root: DomNode };
    const byProbe = new Map<number, number>();
    const walk = (n: DomNode): void => {
      const a = n.attributes ?? [];
      for (let i = 0; i < a.length; i += 2) if (a[i] === 'data-name-probe') byProbe.set(Number(a[i + 1]), n.backendNodeId);
      for (const c of n.children ?? []) walk(c);
    };
    walk(root);
    const { nodes } = await cdp.send('Accessibility.getFullAXTree') as { nodes: AxNode[] };
    const ax = new Map(nodes.filter((n) => n.backendDOMNodeId !== undefined).map((n) => [n.backendDOMNodeId!, n]));
    marked.forEach((what, i) => {
      const node = ax.get(byProbe.get(i) ?? -1);
      if (!node) return problems.push(`${what}: not in the accessibility tree`);
      if (node.ignored) return problems.push(`${what}: hidden from the accessibility tree`);
      const role = String(node.role?.value ?? '');
      const name = String(node.name?.value ?? '').trim();
      if (/^(input|select|textarea|button|a)\b/.test(what) && !INTERACTIVE_ROLES.has(role)) problems.push(`${what}: role ${role || 'none'}`);
      if (!name) problems.push(`${what}: no accessible name (role ${role || 'none'})`);
      return undefined;
    });
  } finally {
    await page.evaluate(() => { for (const el of document.querySelectorAll('[data-name-probe]')) el.removeAttribute('data-name-probe'); });
  }
  return { problems, controls: marked.length };
}

interface DomNode { backendNodeId: number; attributes?: string[]; children?: DomNode[] }
interface AxNode { backendDOMNodeId?: number; ignored?: boolean; role?: { value?: unknown }; name?: { value?: unknown } }

/**
 * The keyboard: from the top of the page, Tab walks through every visible, enabled control (one radio per group, as
 * the browser's tab order has it), and each one shows a focus outline while it has the keyboard focus
 * (:focus-visible, an outline of at least 2 px or a box shadow).
 */
export async function keyboardProblems(page: Page): Promise<{ problems: string[]; stops: number }> {
  const expected: string[] = await page.evaluate(() => {
    const list: string[] = [];
    const radioGroups = new Set<string>();
    for (const el of document.querySelectorAll('input, select, textarea, button, a[href], summary, [tabindex]')) {
      if (el.tabIndex < 0 || el.disabled || !el.checkVisibility({ visibilityProperty: true }) || window.getComputedStyle(el).visibility === 'hidden') continue;
      if (el.closest('.skip')) continue;
      if (el.type === 'radio') {
        // the tab order has one radio of a group: the checked one, or the first
        const group = `${el.form ? 'f' : 'd'}:${el.name}`;
        if (radioGroups.has(group)) continue;
        const checked = document.querySelector(`input[type=radio][name="${el.name}"]:checked`);
        if (checked && checked !== el) continue;
        radioGroups.add(group);
      }
      el.setAttribute('data-tab-probe', String(list.length));
      list.push(`${el.tagName.toLowerCase()}${el.getAttribute('name') ? `[name=${el.getAttribute('name')}]` : ''} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 30)}"`);
    }
    // the walk starts at the page's first stop, the skip link (focused by script: the keys do the rest)
    document.querySelector('a.skip')?.focus();
    window.scrollTo(0, 0);
    return list;
  });
  const reached = new Set<number>();
  const problems: string[] = [];
  let stops = 0;
  try {
    for (let i = 0; i < expected.length + 12; i++) {
      await page.keyboard.press('Tab');
      const at = await page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return undefined;
        const cs = window.getComputedStyle(el);
        const outlined = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2;
        const shadowed = cs.boxShadow && cs.boxShadow !== 'none';
        return {
          probe: el.getAttribute('data-tab-probe'),
          what: `${el.tagName.toLowerCase()}${el.getAttribute('name') ? `[name=${el.getAttribute('name')}]` : ''} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 30)}"`,
          focusVisible: el.matches(':focus-visible'),
          shown: outlined || shadowed,
        };
      });
      if (!at) break;
      if (at.probe !== null && reached.has(Number(at.probe))) break; // round again
      stops++;
      if (at.probe !== null) reached.add(Number(at.probe));
      if (!at.focusVisible || !at.shown) problems.push(`${at.what}: no visible focus outline`);
    }
    expected.forEach((what, i) => { if (!reached.has(i)) problems.push(`${what}: not reached by Tab`); });
  } finally {
    await page.evaluate(() => { for (const el of document.querySelectorAll('[data-tab-probe]')) el.removeAttribute('data-tab-probe'); });
  }
  return { problems, stops };
}

/** axe-core rules about names and labels: a violation of any of them counts, whatever its impact. */
export const LABEL_RULES = new Set(['label', 'button-name', 'link-name', 'select-name', 'input-button-name', 'aria-input-field-name',
  'aria-toggle-field-name', 'label-title-only', 'form-field-multiple-labels', 'scrollable-region-focusable', 'nested-interactive', 'aria-command-name']);

/** axe-core: every serious or critical violation, and any of the label rules. */
export async function axeProblems(page: Page): Promise<string[]> {
  return (await axeViolations(page))
    .filter((v) => v.impact === 'serious' || v.impact === 'critical' || LABEL_RULES.has(v.id))
    .map((v) => `axe ${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
