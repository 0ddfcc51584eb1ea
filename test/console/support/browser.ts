// Debian's chromium (/usr/bin/chromium, installed by scripts/setup.mjs) driven by playwright-core, which never
// downloads a browser. Every request a page makes is intercepted: those for the console server's origin go on, any
// other is aborted and recorded, so a test can assert that nothing left for the internet. axe-core is injected
// through the DevTools protocol (page.evaluate), which the page's Content-Security-Policy does not govern.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

// the page's globals, in functions page.evaluate runs in the browser (the tests compile without the DOM library)
declare const window: any, document: any; // eslint-disable-line @typescript-eslint/no-explicit-any
type Document = unknown;

export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = fs.existsSync(CHROMIUM);

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface ConsoleBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * The browser, with a fresh profile: playwright-core starts chromium with a --user-data-dir of its own, a new
 * temporary directory for each launch, removed on close (it refuses one passed in args with launch()), and every
 * test flow gets a new context (no cookie, no storage) on top of it.
 */
export async function launch(): Promise<ConsoleBrowser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true, tracesDir: fs.mkdtempSync(path.join(os.tmpdir(), 'vicm-chromium-')),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  return { browser, close: () => browser.close() };
}

export interface Requests {
  /** every URL the pages asked for */
  all: string[];
  /** those not for the server's origin (aborted) */
  foreign: string[];
}

/** A fresh context (no cookies, no storage) whose requests are all intercepted; the server's self-signed
 * certificate is accepted (what an admin does once on the server's hello page). */
export async function context(b: ConsoleBrowser, origin: string, viewport = { width: 1280, height: 800 }): Promise<{ ctx: BrowserContext; page: Page; requests: Requests; cspViolations: string[] }> {
  const ctx = await b.browser.newContext({ ignoreHTTPSErrors: true, viewport, acceptDownloads: true });
  const requests: Requests = { all: [], foreign: [] };
  await ctx.route('**/*', (route) => {
    const url = route.request().url();
    requests.all.push(url);
    if (new URL(url).origin !== origin && !url.startsWith('data:') && !url.startsWith('blob:')) {
      requests.foreign.push(url);
      return route.abort();
    }
    return route.continue();
  });
  const page = await ctx.newPage();
  const cspViolations: string[] = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text()); });
  return { ctx, page, requests, cspViolations };
}

export interface AxeViolation { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }

/** axe-core's violations of impact serious or critical on the page as it is now. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(`${AXE}\n;true`);
  const r = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (c: Document, o: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const res = await axe.run(document, { resultTypes: ['violations'] });
    return res.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  return r.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export const SCREENSHOTS = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..', 'docs', 'console');

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Connects a page at the login form to the target, trusting its certificate when asked, and waits for the VCH list. */
export async function connect(page: Page, target: string, user: string, password: string): Promise<void> {
  await page.getByLabel('Target (vCenter or ESXi address)').fill(target);
  await page.getByLabel('User', { exact: true }).fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Connect' }).click();
  await page.getByRole('button', { name: 'Trust this certificate and connect' }).click();
  await page.getByRole('heading', { name: 'Virtual container hosts' }).waitFor();
}

/** Records the page's serious and critical axe-core violations under `name` in `into`, one line each. */
export async function scanInto(into: Record<string, string[]>, page: Page, name: string): Promise<void> {
  into[name] = (await seriousViolations(page)).map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** axe-core's violations of every impact on the page as it is now (axe injected once per document). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!await page.evaluate(() => typeof (window as { axe?: unknown }).axe === 'object')) await page.evaluate(`${AXE}\n;true`);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (c: Document, o: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const res = await axe.run(document, { resultTypes: ['violations'] });
    return res.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
}
