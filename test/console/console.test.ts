// The web console in a real browser (Debian's chromium through playwright-core) against the real server process
// (bin/vic-machine-server, built dist/ with the console's bundle) and the simulator: connect (trusting the target's
// certificate after seeing its fingerprints), the list with DOCKER_HOST, a VCH's details, certificate and logs,
// upgrade and rollback, delete; create through the wizard; a keyboard-only login; an axe-core scan of every page; the session's cookie, CSRF
// and log out; every request the browser makes stays on the server's origin. Screenshots go to docs/console/.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import { X509Certificate } from 'node:crypto';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { simulatorSuite } from '../support/simulator-suite.js';
import type { Vcsim } from '../support/vcsim.js';
import { attachFixtureIso, haveFixtures, recreateFixture } from '../support/fixture-vch.js';
import { writeTestIso } from '../support/iso-fixture.js';
import { componentsStarter } from '../support/maintenance-sweep.js';
import { playAppliance } from '../support/appliance-player.js';
import type { Session } from '../../src/vim/session.js';
import type { DataObject, MoRef } from '../../src/vim/types.js';
import { retrieveOne } from '../../src/vim/property-collector.js';
import { request, startServer, type ServerProcess } from '../server/support/server-process.js';
import { connect, context, haveChromium, launch, scanInto, screenshot, type ConsoleBrowser, type Requests } from './support/browser.js';

// the page's globals, in functions page.evaluate runs in the browser (the tests compile without the DOM library)
declare const window: any, document: any, localStorage: any, sessionStorage: any; // eslint-disable-line @typescript-eslint/no-explicit-any

let sim: Vcsim;
let admin: Session;
let cwd: string;
const USER = 'console-admin';
const PASSWORD = 'Cons0le-Secr3t-pw';
simulatorSuite({ tmpPrefix: 'vicm-console-', isos: true, vcsim: { username: USER, password: PASSWORD } }, (s) => ({ sim, admin, cwd } = s));

let srv: ServerProcess;
let b: ConsoleBrowser;
let vm1: MoRef;
let vm5: MoRef;
const allRequests: Requests[] = [];
const allCsp: string[][] = [];
const a11y: Record<string, string[]> = {};

async function open(viewport?: { width: number; height: number }): Promise<Page> {
  const c = await context(b, srv.https, viewport);
  allRequests.push(c.requests);
  allCsp.push(c.cspViolations);
  await c.page.goto(`${srv.https}/`);
  return c.page;
}

const scan = (page: Page, name: string): Promise<void> => scanInto(a11y, page, name);

/** connect as the suite's user, trusting the simulator's certificate (the shared steps in support/browser.ts) */
const login = (page: Page): Promise<void> => connect(page, sim.host, USER, PASSWORD);

const run = haveFixtures && haveChromium ? describe : describe.skip;
run('web console', () => {
  beforeAll(async () => {
    vm1 = await recreateFixture(admin, 'basic', 'vch1');
    vm5 = await recreateFixture(admin, 'rich', 'vch5');
    for (const kind of ['appliance', 'bootstrap']) await writeTestIso(path.join(cwd, `${kind}-v2.iso`), { publisher: 'VMware Inc. v1.5.8-2-abcdef1' });
    srv = await startServer({ cwd, args: ['--console-idle', '10m'] });
    b = await launch();
  });
  afterAll(async () => {
    await b?.close();
    const code = await srv?.stop();
    expect(code).toBe(0);
  });

  test('connect: the untrusted target certificate is shown with its fingerprints and trusted on request; the list shows DOCKER_HOST', async () => {
    const page = await open();
    await page.getByRole('heading', { name: 'Connect to vSphere' }).waitFor();
    await scan(page, 'login');
    await screenshot(page, 'login');
    // a missing field is shown at the field, nothing is sent
    await page.getByRole('button', { name: 'Connect' }).click();
    await expect(page.getByText('Enter the target.').isVisible()).resolves.toBe(true);
    await page.getByLabel('Target (vCenter or ESXi address)').fill(sim.host);
    await page.getByLabel('User', { exact: true }).fill(USER);
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Connect' }).click();
    const trust = page.getByRole('region', { name: 'The target\'s certificate is not trusted' });
    await trust.waitFor();
    const shown = await trust.innerText();
    expect(shown).toContain(sim.thumbprintSHA256);
    expect(shown).toContain(sim.thumbprintSHA1);
    expect(shown).toMatch(/Subject[\s\S]*Issuer[\s\S]*Valid from[\s\S]*Valid until/);
    await scan(page, 'trust');
    await screenshot(page, 'trust-certificate');
    await page.getByRole('button', { name: 'Trust this certificate and connect' }).click();
    // the wrong password is shown at the password field
    await page.locator('#main .field-error:not([hidden])').waitFor();
    expect(await page.locator('input[name=password]').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByRole('heading', { name: 'Virtual container hosts' }).waitFor();
    const row = page.locator('tr[data-vch="' + vm1.value + '"]');
    await row.waitFor();
    const list = await (await request(srv.http, 'GET', `/container/target/${sim.host}/vch?thumbprint=${sim.thumbprintSHA1}`, { auth: `${USER}:${PASSWORD}` })).json;
    const item = list.vchs.find((v: { id: string }) => v.id === vm1.value);
    expect(item.docker_host).toBeTruthy();
    expect(await row.innerText()).toContain(item.docker_host);
    expect(await row.innerText()).toContain(item.version);
    expect(await row.innerText()).toContain(item.upgrade_status);
    await scan(page, 'list');
    await screenshot(page, 'list');

    // the session: an HttpOnly, Secure, SameSite=Strict cookie; nothing in the page's storage
    const cookies = await page.context().cookies();
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatchObject({ name: 'vic-console-session', httpOnly: true, secure: true, sameSite: 'Strict' });
    const storage = await page.evaluate(() => [localStorage.length, sessionStorage.length, document.cookie]);
    expect(storage).toEqual([0, 0, '']);
    // a change without the CSRF token is refused, with it the request reaches the route
    const noToken = await page.evaluate(async (p) => (await fetch(p, { method: 'DELETE', headers: { 'X-VIC-Console': '1' } })).status, `/container/target/${sim.host}/vch/${vm1.value}`);
    expect(noToken).toBe(403);

    // refresh without reload: a new VCH appears after Refresh, the page is the same document
    await page.evaluate(() => { (window as unknown as { marker: number }).marker = 42; });
    const vm2 = await recreateFixture(admin, 'basic', 'vch2');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.locator(`tr[data-vch="${vm2.value}"]`).waitFor();
    expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(42);
    // the filter by compute resource: the API's ?compute-resource=
    await page.getByLabel('Compute resource').fill('no-such-cluster');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.locator('#main .field-error:not([hidden])').waitFor();
    expect(await page.locator('#main .field-error:not([hidden])').innerText()).toContain('no-such-cluster');
    await page.getByLabel('Compute resource').fill(item.path);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await row.waitFor();

    // narrow: the list fits without horizontal scrolling
    await page.setViewportSize({ width: 390, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await scan(page, 'list-narrow');
    await screenshot(page, 'list-narrow');
    await page.setViewportSize({ width: 1280, height: 800 });

    // details: what inspect shows, the Docker environment, the certificate download, the logs
    await page.getByRole('link', { name: 'vch1' }).click();
    await page.getByRole('heading', { name: 'VCH vch1' }).waitFor();
    const details = await page.locator('#main').innerText();
    expect(details).toContain(`DOCKER_HOST=${item.docker_host}`);
    expect(details).toContain(item.version);
    expect(details).toMatch(/Compute[\s\S]*Storage[\s\S]*Networks/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the server certificate' }).click()]);
    const pem = fs.readFileSync((await download.path())!, 'utf8');
    expect(pem).toContain('BEGIN CERTIFICATE');
    expect(pem).not.toContain('PRIVATE KEY');
    // the model's certificates (auth.server.certificate, the client CAs) are named by subject and validity, their PEM
    // folded away: each part of the server certificate's subject is on the page, no base64 block is
    const subject = new X509Certificate(pem).subject.split('\n').filter(Boolean);
    expect(subject.length).toBeGreaterThan(0);
    for (const part of subject) expect(details).toContain(part);
    expect(details).not.toContain('BEGIN CERTIFICATE');
    await page.getByRole('button', { name: 'Show the logs' }).click();
    await page.waitForFunction(() => !/^(Not loaded\.|Loading…)$/.test(document.querySelector('pre[aria-label="Logs"]')?.textContent ?? ''));
    await scan(page, 'details');
    await screenshot(page, 'details');
    await page.setViewportSize({ width: 390, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.setViewportSize({ width: 1280, height: 800 });

    // delete vch2: confirmed by its name, followed to its end
    await page.goto(`${srv.https}/#/vch/${vm2.value}`);
    await page.getByRole('heading', { name: 'VCH vch2' }).waitFor();
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByLabel('Power off and delete every container VM').check();
    await page.getByRole('button', { name: 'Delete vch2' }).click();
    expect(await page.getByText('Type vch2 exactly to delete it.').isVisible()).toBe(true);
    await scan(page, 'delete');
    await screenshot(page, 'delete');
    await page.getByLabel('Type the VCH\'s name, vch2, to confirm').fill('vch2');
    await page.getByRole('button', { name: 'Delete vch2' }).click();
    await page.locator('#main .phase', { hasText: 'Delete vch2: done' }).waitFor({ timeout: 60_000 });
    await scan(page, 'delete-done');
    await screenshot(page, 'delete-done');
    await page.getByRole('link', { name: 'Back to the list' }).last().click();
    await page.locator(`tr[data-vch="${vm1.value}"]`).waitFor();
    expect(await page.locator(`tr[data-vch="${vm2.value}"]`).count()).toBe(0);

    // log out: the cookie's session is gone on the server (the vSphere session with it)
    const before = await consoleSessionsOnSim();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Connect to vSphere' }).waitFor();
    expect(await consoleSessionsOnSim()).toBe(before - 1);
    const after = await page.evaluate(async (p) => (await fetch(p, { headers: { 'X-VIC-Console': '1' } })).status, `/container/target/${sim.host}/vch`);
    expect(after).toBe(401);
  }, 300_000);

  test('upgrade, then roll back, from the details page, followed to the end', async () => {
    await attachFixtureIso(admin, vm5, 'vch5');
    const starter = componentsStarter(sim, admin, 'vch5', vm5);
    try {
      const page = await open();
      await login(page);
      await page.goto(`${srv.https}/#/vch/${vm5.value}`);
      await page.getByRole('heading', { name: 'VCH vch5' }).waitFor();
      await page.getByRole('button', { name: 'Upgrade…' }).click();
      await page.getByLabel('Bootstrap ISO').selectOption('bootstrap-v2.iso');
      await scan(page, 'upgrade');
      await screenshot(page, 'upgrade');
      await page.getByRole('button', { name: 'Upgrade vch5' }).click();
      await page.locator('#main .phase', { hasText: 'Upgrade vch5: done' }).waitFor({ timeout: 120_000 });
      await scan(page, 'upgrade-done');
      await screenshot(page, 'upgrade-done');
      await page.getByRole('button', { name: 'Show the VCH' }).click();
      await page.getByRole('heading', { name: 'VCH vch5' }).waitFor();
      expect(await page.locator('#main').innerText()).toContain('v1.5.8-2-abcdef1');
      await page.getByRole('button', { name: 'Upgrade…' }).click();
      await page.getByLabel('Bootstrap ISO').selectOption('');
      await page.getByRole('button', { name: 'Upgrade vch5' }).click();
      await page.locator('#main .phase', { hasText: 'Roll back vch5: done' }).waitFor({ timeout: 120_000 });
      await page.getByRole('button', { name: 'Show the VCH' }).click();
      await page.getByRole('heading', { name: 'VCH vch5' }).waitFor();
      expect(await page.locator('#main').innerText()).toContain('v1.5.8-1-9489f63');
    } finally {
      await starter.stop();
    }
  }, 300_000);

  test('create through the wizard: every object picked from the inventory, a server-side problem shown at its field and step, the task followed, DOCKER_HOST shown', async () => {
    await request(srv.http, 'POST', `/container/target/${sim.host}?thumbprint=${sim.thumbprintSHA1}&compute-resource=DC0_C0&action=firewall:allow`, { auth: `${USER}:${PASSWORD}` });
    const page = await open();
    await login(page);
    await page.getByRole('link', { name: 'New VCH' }).click();
    await page.getByRole('heading', { name: 'New virtual container host' }).waitFor();
    const step = (n: string) => page.locator('fieldset.step:not([hidden]) > legend', { hasText: n }).waitFor();
    await step('General');
    await scan(page, 'create-general');
    await screenshot(page, 'create-general');
    // Enter is Next; an empty name is refused at its field before anything is sent
    await page.keyboard.press('Enter');
    await page.getByText('Enter a name for the VCH.').waitFor();
    await page.getByLabel('VCH name').fill('vch-web');
    await page.keyboard.press('Enter');
    await step('Compute capacity');
    const computeOptions = await page.getByLabel('Compute resource').locator('option').allTextContents();
    expect(computeOptions.join('\n')).toContain('DC0_C0 (cluster)');
    await page.getByLabel('Compute resource').selectOption('DC0_C0');
    await scan(page, 'create-compute');
    await page.getByRole('button', { name: 'Next' }).click();
    await step('Storage capacity');
    expect((await page.getByLabel('Image datastore').locator('option').allTextContents()).join('\n')).toMatch(/LocalDS_0 \(\d+\.\d GiB free\)/);
    await page.getByLabel('Image datastore').selectOption('LocalDS_0');
    await page.getByLabel('Volume store datastore (optional)').selectOption('LocalDS_0');
    await scan(page, 'create-storage');
    await page.getByRole('button', { name: 'Next' }).click();
    await step('Networks');
    await page.getByLabel('Bridge network').selectOption('DC0_DVPG0');
    await page.getByLabel('Public network').selectOption('VM Network');
    await scan(page, 'create-networks');
    await screenshot(page, 'create-networks');
    await page.getByRole('button', { name: 'Next' }).click();
    await step('Security');
    await page.getByLabel('Server certificate name (optional)').fill('vch-web.example.com');
    await scan(page, 'create-security');
    await page.getByRole('button', { name: 'Next' }).click();
    await step('Registry access');
    // a CIDR is no registry: the server refuses it, the wizard shows it here
    await page.getByLabel('Insecure registries (optional)').fill('10.0.0.0/8');
    await scan(page, 'create-registry');
    await page.getByRole('button', { name: 'Next' }).click();
    await step('Operations user');
    await scan(page, 'create-ops');
    // on the way to the summary the server's dry run (test/console/plan.test.ts) finds the problem: nothing is made
    await page.getByRole('button', { name: 'Next' }).click();
    await step('Registry access').catch(async (e) => { throw new Error(`${(e as Error).message}\n${await page.locator('#main').innerText()}`); });
    const err = page.locator('fieldset.step:not([hidden]) .field-error:not([hidden])');
    await err.waitFor();
    expect(await err.innerText()).toContain('10.0.0.0/8');
    expect(await page.evaluate(() => document.activeElement?.name)).toBe('insecure-registry');
    await scan(page, 'create-problem');
    await screenshot(page, 'create-problem');
    await page.getByLabel('Insecure registries (optional)').fill('');
    for (let i = 0; i < 2; i++) await page.getByRole('button', { name: 'Next' }).click();
    await step('Summary');
    expect(await page.locator('fieldset.step:not([hidden])').innerText()).toMatch(/vch-web[\s\S]*DC0_C0[\s\S]*LocalDS_0[\s\S]*DC0_DVPG0[\s\S]*VM Network/);
    await scan(page, 'create-summary');
    await screenshot(page, 'create-summary');
    const appliance = playAppliance(admin, 'vch-web', '127.0.0.96', { requireClientCert: false, timeoutMs: 150_000 });
    try {
      await page.getByRole('button', { name: 'Create' }).click();
      await page.locator('#main .phase', { hasText: 'Create vch-web: done' }).waitFor({ timeout: 180_000 });
      const made = await page.locator('#main').innerText();
      expect(made).toContain('vch-web is ready');
      expect(made).toContain('127.0.0.96:2376');
      await scan(page, 'create-done');
      await screenshot(page, 'create-done');
      await page.getByRole('link', { name: 'Back to the list' }).click();
      await page.locator('tr', { hasText: 'vch-web' }).waitFor();
      expect(await page.locator('tr', { hasText: 'vch-web' }).innerText()).toContain('127.0.0.96:2376');
    } finally {
      (await appliance.catch(() => undefined))?.stop?.();
    }
  }, 300_000);

  test('keyboard only: the whole wizard with key presses, to a VCH made', async () => {
    await request(srv.http, 'POST', `/container/target/${sim.host}?thumbprint=${sim.thumbprintSHA1}&compute-resource=DC0_C0&action=firewall:allow`, { auth: `${USER}:${PASSWORD}` });
    const page = await open();
    await login(page);
    await page.goto(`${srv.https}/#/create`);
    await page.locator('fieldset.step:not([hidden]) > legend', { hasText: 'General' }).waitFor();
    const k = page.keyboard;
    const at = () => page.evaluate(() => document.activeElement?.name || document.activeElement?.textContent);
    const step = (n: string) => page.locator('fieldset.step:not([hidden]) > legend', { hasText: n }).waitFor();
    // each step puts the focus on its first field; Enter in a text field is Next; Tab walks past a choice kept as offered
    expect(await at()).toBe('name');
    await k.type('vch-keys');
    await k.press('Enter');
    await step('Compute capacity');
    expect(await at()).toBe('compute-resource');
    await k.press('Tab');
    await k.press('Enter');
    await step('Storage capacity');
    await k.press('Tab');
    await k.press('Tab');
    expect(await at()).toBe('base-image-size');
    await k.press('Enter');
    await step('Networks');
    await k.press('Tab');
    expect(await at()).toBe('bridge-ip-range');
    await k.press('Enter');
    await step('Security');
    await k.press('Enter');
    await step('Registry access');
    await k.press('Enter');
    await step('Operations user');
    await k.press('Enter');
    await step('Summary');
    // from the summary's heading: Back, then Create
    await k.press('Tab');
    await k.press('Tab');
    expect(await at()).toBe('Create');
    const appliance = playAppliance(admin, 'vch-keys', '127.0.0.97', { requireClientCert: false, timeoutMs: 150_000 });
    try {
      await k.press('Enter');
      await page.locator('#main .phase', { hasText: 'Create vch-keys: done' }).waitFor({ timeout: 180_000 });
      expect(await page.locator('#main').innerText()).toContain('127.0.0.97:2376');
    } finally {
      (await appliance.catch(() => undefined))?.stop?.();
    }
  }, 300_000);

  test('keyboard only: connect, trust, open a VCH', async () => {
    const page = await open();
    await page.getByRole('heading', { name: 'Connect to vSphere' }).waitFor();
    const k = page.keyboard;
    // the page's heading has the focus (each page moves it there for screen readers); Tab goes through the form
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    await k.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.name)).toBe('target');
    await k.type(sim.host);
    await k.press('Tab');
    await k.press('Tab');
    await k.type(USER);
    await k.press('Tab');
    await k.type(PASSWORD);
    await k.press('Enter');
    await page.getByRole('button', { name: 'Trust this certificate and connect' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Trust this certificate and connect');
    await k.press('Enter');
    await page.getByRole('heading', { name: 'Virtual container hosts' }).waitFor();
    await page.locator(`tr[data-vch="${vm1.value}"]`).waitFor();
    // Tab to the VCH's link and follow it
    for (let i = 0; i < 30; i++) {
      await k.press('Tab');
      if (await page.evaluate(() => document.activeElement?.textContent) === 'vch1') break;
    }
    await k.press('Enter');
    await page.getByRole('heading', { name: 'VCH vch1' }).waitFor();
  }, 120_000);

  test('accessibility: no serious or critical axe-core violation on any page', () => {
    expect(Object.keys(a11y).sort()).toEqual(expect.arrayContaining(['create-compute', 'create-done', 'create-general', 'create-networks', 'create-ops', 'create-problem',
      'create-registry', 'create-security', 'create-storage', 'create-summary', 'delete', 'delete-done', 'details', 'list', 'list-narrow', 'login', 'trust', 'upgrade', 'upgrade-done']));
    expect(Object.fromEntries(Object.entries(a11y).filter(([, v]) => v.length))).toEqual({});
  });

  test('no request left the server\'s origin; no Content-Security-Policy violation', () => {
    expect(allRequests.flatMap((r) => r.foreign)).toEqual([]);
    expect(allRequests.flatMap((r) => r.all).length).toBeGreaterThan(10);
    expect(allCsp.flat()).toEqual([]);
  });

  test('served with a Content-Security-Policy without inline script; --no-console serves the API only', async () => {
    const page = await request(srv.http, 'GET', '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
    expect(page.headers['content-security-policy']).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(page.text).not.toMatch(/<script>(?!<)/);
    const spec = (await request(srv.http, 'GET', '/container/swagger.json')).json;
    expect(spec.paths['/console/session']['x-vic-extension']).toBe(true);
    const off = await startServer({ cwd, args: ['--no-console'] });
    try {
      expect((await request(off.http, 'GET', '/')).status).toBe(404);
      expect((await request(off.http, 'GET', '/container/swagger.json')).json.paths['/console/session']).toBeUndefined();
    } finally {
      await off.stop();
    }
  });
});

/** Sessions of the console's user on the simulator (SessionManager.sessionList). */
async function consoleSessionsOnSim(): Promise<number> {
  const sm = admin.content.sessionManager!;
  const { sessionList } = await retrieveOne<{ sessionList?: DataObject[] }>(admin, sm, ['sessionList']);
  return (sessionList ?? []).filter((s) => s['userName'] === USER).length;
}
