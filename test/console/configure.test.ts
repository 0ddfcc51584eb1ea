// The console's "Configure" page in a real browser (Debian's chromium through playwright-core) against the real
// server process and the simulator, on the VCH vic-machine 1.5.8 made as fixture "rich" (every setting configure
// touches is set): the form is filled from the VCH, a change is listed (now → after) and confirmed or cancelled, the
// PATCH names only what changed, the task is followed to its end, and the change is read back through the REST API
// and from vSphere (the pool's allocation, the appliance's extraConfig). Bad values are shown at their field with
// nothing changed in vSphere: a local check, the server's 400, and a 409 (a form older than the VCH). A keyboard-only
// configure; an axe-core scan of the page and the confirmation; no request leaves the origin. Screenshots go to
// docs/console/ (configure, configure-confirm, configure-done).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import { X509Certificate } from 'node:crypto';
import path from 'node:path';
import type { Page, Request } from 'playwright-core';
import { simulatorSuite } from '../support/simulator-suite.js';
import type { Vcsim } from '../support/vcsim.js';
import { haveFixtures, recreateFixture } from '../support/fixture-vch.js';
import { componentsStarter, configurationOf } from '../support/maintenance-sweep.js';
import type { Session } from '../../src/vim/session.js';
import type { MoRef } from '../../src/vim/types.js';
import { retrieveFromView, retrieveOne } from '../../src/vim/property-collector.js';
import { locateVch } from '../../src/vic/vch/locate.js';
import { readSecretKey } from '../../src/vic/configure/configure-vch.js';
import { decodeVchConfig, ipString } from '../../src/vic/config/index.js';
import { caSubject, createCaCertificate, generateRsaKeyPair } from '../../src/vic/certificates/index.js';
import { request, startServer, type ServerProcess } from '../server/support/server-process.js';
import { connect, context, haveChromium, launch, scanInto, screenshot, SCREENSHOTS, type ConsoleBrowser, type Requests } from './support/browser.js';

// the page's globals, in functions page.evaluate runs in the browser (the tests compile without the DOM library)
declare const window: any, document: any; // eslint-disable-line @typescript-eslint/no-explicit-any

let sim: Vcsim;
let admin: Session;
let cwd: string;
const USER = 'console-admin';
const PASSWORD = 'Cons0le-Conf-pw9';
const NAME = 'vch-conf';
simulatorSuite({ tmpPrefix: 'vicm-console-conf-', isos: true, vcsim: { username: USER, password: PASSWORD } }, (s) => ({ sim, admin, cwd } = s));

let srv: ServerProcess;
let b: ConsoleBrowser;
let vm: MoRef;
let starter: { stop: () => Promise<number> } | undefined;
const allRequests: Requests[] = [];
const allCsp: string[][] = [];
/** the changes (PATCH, PUT, POST, DELETE) the pages sent to a VCH, with their bodies */
const changesSent: { method: string; url: string; body: unknown }[] = [];
const a11y: Record<string, string[]> = {};

async function open(viewport?: { width: number; height: number }): Promise<Page> {
  const c = await context(b, srv.https, viewport);
  allRequests.push(c.requests);
  allCsp.push(c.cspViolations);
  c.page.on('request', (r: Request) => {
    if (r.method() !== 'GET' && /\/vch\//.test(r.url())) changesSent.push({ method: r.method(), url: r.url(), body: r.postDataJSON() });
  });
  // a 2-core machine shared with other suites: more than playwright's default 30 s for each step
  c.page.setDefaultTimeout(60_000);
  await c.page.goto(`${srv.https}/`);
  return c.page;
}

/** Waits for the configure task's end on the page; anything but "done" fails with what the page showed. */
async function taskDone(page: Page): Promise<void> {
  const end = page.locator('#main .phase', { hasText: new RegExp(`^Configure ${NAME}: (done|error|cancelled)$`) });
  await end.waitFor({ timeout: 150_000 });
  const text = await end.innerText();
  if (text !== `Configure ${NAME}: done`) throw new Error(`${text}\n--- the page showed:\n${await page.locator('#main').innerText()}`);
}

const scan = (page: Page, name: string) => scanInto(a11y, page, name);
const login = (page: Page) => connect(page, sim.host, USER, PASSWORD);

const AUTH = `${USER}:${PASSWORD}`;
const vchUrl = () => `/container/target/${sim.host}/vch/${vm.value}?thumbprint=${sim.thumbprintSHA1}`;
const model = async () => (await request(srv.http, 'GET', vchUrl(), { auth: AUTH })).json;
/** what vSphere has: the appliance's extraConfig (raw and decoded) and the pool's allocation */
async function inVsphere() {
  const l = await locateVch(admin, { datacenterPath: '/DC0', id: vm.value });
  type Allocation = { limit: number; reservation: number; shares: { level: string; shares: number } };
  const pool = await retrieveOne<{ 'config.memoryAllocation': Allocation; 'config.cpuAllocation': Allocation }>(admin, l.vch.resourcePool!, ['config.memoryAllocation', 'config.cpuAllocation']);
  return { raw: l.vch.extraConfig, ec: configurationOf(l.vch.extraConfig), conf: decodeVchConfig(l.vch.extraConfig), secretKey: () => readSecretKey(admin, l), memoryLimit: pool['config.memoryAllocation'].limit, cpuLimit: pool['config.cpuAllocation'].limit,
    cpu: pool['config.cpuAllocation'], memory: pool['config.memoryAllocation'] };
}
const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
const active = (page: Page) => page.evaluate(() => document.activeElement?.name || document.activeElement?.textContent);

const run = haveFixtures && haveChromium ? describe : describe.skip;
run('web console: configure', () => {
  beforeAll(async () => {
    vm = await recreateFixture(admin, 'rich', NAME);
    // the appliance's components "start" after each power cycle configure makes (the stand-in the CLI tests use)
    starter = componentsStarter(sim, admin, NAME, vm, '127.0.0.93');
    srv = await startServer({ cwd, args: ['--console-idle', '10m'] });
    b = await launch();
  });
  afterAll(async () => {
    await starter?.stop();
    await b?.close();
    const code = await srv?.stop();
    expect(code).toBe(0);
  });

  test('configure from the details page: the form filled from the VCH, the changes confirmed, the task followed, the change in the API and in vSphere', async () => {
    const page = await open();
    await login(page);
    await page.goto(`${srv.https}/#/vch/${vm.value}`);
    await page.getByRole('heading', { name: `VCH ${NAME}` }).waitFor();
    await page.getByRole('link', { name: 'Configure…' }).click();
    await page.getByRole('heading', { name: `Configure ${NAME}` }).waitFor();
    expect(page.url()).toBe(`${srv.https}/#/vch/${vm.value}/configure`);

    // filled from what the VCH is (fixture "rich": --memory 8000 --cpu 10000 --cpu-shares high --memory-shares 6000 --dns-server 1.1.1.1 ...)
    expect(await page.getByLabel('Memory limit in MiB').inputValue()).toBe('8000');
    expect(await page.getByLabel('CPU limit in MHz').inputValue()).toBe('10000');
    expect(await page.getByLabel('CPU shares', { exact: true }).inputValue()).toBe('high');
    expect(await page.getByLabel('Memory shares', { exact: true }).inputValue()).toBe('custom');
    expect(await page.getByLabel('Memory shares, custom number').inputValue()).toBe('6000');
    expect(await page.getByLabel('DNS servers', { exact: true }).inputValue()).toBe('1.1.1.1');
    expect(await page.getByLabel('HTTP proxy').inputValue()).toBe('http://proxy.example.com:3128');
    expect(await page.getByLabel('Syslog address').inputValue()).toBe('tcp://127.0.0.1:514');
    expect(await page.getByLabel('Maximum number of containers').inputValue()).toBe('50');
    expect(await page.getByLabel('Debug level').inputValue()).toBe('1');
    expect(await page.getByLabel('Operations user', { exact: true }).inputValue()).toBe('opsuser');
    expect(await page.getByRole('list', { name: 'Existing container networks' }).innerText()).toContain('routable on DC0_DVPG1; gateway 10.10.0.1/16');
    expect(await page.getByRole('list', { name: 'Existing volume stores' }).innerText()).toMatch(/default: ds:\/\/LocalDS_0\/volumes[\s\S]*fast: ds:\/\/LocalDS_0\/vol2/);
    // what configure cannot change is shown, not offered
    expect(await page.locator('#main').innerText()).toMatch(/Insecure registries\s+reg\.example\.com:5000/);
    expect(await page.locator('input[name="insecure-registry"], input[name="name"], select[name="compute-resource"]').count()).toBe(0);

    await page.getByLabel('Memory limit in MiB').fill('6144');
    await page.getByLabel('DNS servers', { exact: true }).fill('1.1.1.1, 8.8.8.8');
    await page.getByLabel('HTTPS proxy').fill('https://secure-proxy.example.com:8443');
    await page.getByRole('button', { name: 'Add a container network' }).click();
    expect(await active(page)).toBe('container-network-1');
    const netOptions = await page.getByLabel('Port group').locator('option').allTextContents();
    expect(netOptions.join('\n')).toContain('VM Network (network)');
    await page.getByLabel('Port group').selectOption('VM Network');
    await page.getByLabel('Name in Docker').fill('web');
    await page.getByLabel('Gateway with prefix (optional)').fill('10.30.0.1/16');
    await page.getByLabel('IP ranges (optional)').fill('10.30.1.0/24');
    await page.getByLabel('Firewall').selectOption('open');
    await page.getByRole('button', { name: 'Add a volume store' }).click();
    expect((await page.getByLabel('Datastore', { exact: true }).locator('option').allTextContents()).join('\n')).toMatch(/LocalDS_0 \(\d+\.\d GiB free\)/);
    await page.getByLabel('Datastore', { exact: true }).selectOption('LocalDS_0');
    await page.getByLabel('Name in Docker').last().fill('scratch');
    await scan(page, 'configure');
    await screenshot(page, 'configure');
    await page.setViewportSize({ width: 390, height: 800 });
    expect(await fitsWidth(page)).toBe(true);
    await scan(page, 'configure-narrow');
    await page.setViewportSize({ width: 1280, height: 800 });

    // the confirmation lists exactly what changes, now → after; Cancel sends nothing and keeps the form as it was
    await page.getByRole('button', { name: 'Review the changes' }).click();
    const confirm = page.getByRole('region', { name: `Confirm 5 changes to ${NAME}` });
    await confirm.waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(`Confirm 5 changes to ${NAME}`);
    const rows = await confirm.locator('tbody tr').evaluateAll((trs: any[]) => trs.map((tr) => [...tr.children].map((c: any) => c.textContent))) // eslint-disable-line @typescript-eslint/no-explicit-any;
    expect(rows).toEqual([
      ['Memory limit', '8000 MiB', '6144 MiB'],
      ['DNS servers', '1.1.1.1', '1.1.1.1, 8.8.8.8'],
      ['Container network web', 'none', 'web on VM Network; gateway 10.30.0.1/16; IP ranges 10.30.1.0/24; firewall open'],
      ['Volume store scratch', 'none', `ds://LocalDS_0/${NAME}-scratch`],
      ['HTTPS proxy', 'none', 'https://secure-proxy.example.com:8443'],
    ]);
    await scan(page, 'configure-confirm');
    await screenshot(page, 'configure-confirm');
    await page.setViewportSize({ width: 390, height: 800 });
    expect(await fitsWidth(page)).toBe(true);
    await page.setViewportSize({ width: 1280, height: 800 });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Review the changes' }).waitFor();
    expect(await page.getByLabel('Memory limit in MiB').inputValue()).toBe('6144');
    expect(changesSent).toEqual([]);

    const before = await inVsphere();
    expect(before.memoryLimit).toBe(8000);
    await page.getByRole('button', { name: 'Review the changes' }).click();
    await confirm.getByRole('button', { name: `Configure ${NAME}` }).click();
    await taskDone(page);
    expect(await page.locator('pre[aria-label$="log"]').innerText()).toMatch(/Change: /);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Show the VCH');
    await scan(page, 'configure-done');
    await screenshot(page, 'configure-done');

    // one PATCH, a merge patch naming only what changed (the arrays whole: a merge patch replaces an array)
    expect(changesSent.map((c) => c.method)).toEqual(['PATCH']);
    const sent = changesSent[0]!.body as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(Object.keys(sent).sort()).toEqual(['compute', 'network', 'registry', 'storage']);
    expect(sent).toEqual({
      compute: { memory: { limit: { value: 6144, units: 'MiB' } } },
      network: { public: { nameservers: ['1.1.1.1', '8.8.8.8'] }, container: [expect.objectContaining({ alias: 'routable' }), { port_group: { name: 'VM Network' }, alias: 'web', gateway: { address: '10.30.0.1', routing_destinations: ['10.30.0.0/16'] }, ip_ranges: ['10.30.1.0/24'], firewall: 'open' }] },
      storage: { volume_stores: [{ datastore: 'ds://LocalDS_0/volumes', label: 'default' }, { datastore: 'ds://LocalDS_0/vol2', label: 'fast' }, { datastore: `ds://LocalDS_0/${NAME}-scratch`, label: 'scratch' }] },
      registry: { image_fetch_proxy: { https: 'https://secure-proxy.example.com:8443' } },
    });

    // the refreshed details show it
    await page.getByRole('link', { name: 'Show the VCH' }).click();
    await page.getByRole('heading', { name: `VCH ${NAME}` }).waitFor();
    await page.locator('#main', { hasText: '6144 MiB' }).waitFor();
    expect(await page.locator('#main').innerText()).toContain('8.8.8.8');

    // through the REST API
    const m = await model();
    expect(m.compute.memory.limit).toEqual({ value: 6144, units: 'MiB' });
    expect(m.compute.cpu.limit).toEqual({ value: 10000, units: 'MHz' });
    expect(m.network.public.nameservers).toEqual(['1.1.1.1', '8.8.8.8']);
    expect(m.network.container.map((c: { alias: string }) => c.alias)).toEqual(['routable', 'web']);
    expect(m.storage.volume_stores.map((v: { label: string }) => v.label)).toEqual(['default', 'fast', 'scratch']);
    expect(m.registry.image_fetch_proxy).toMatchObject({ http: 'http://proxy.example.com:3128', https: 'https://secure-proxy.example.com:8443' });
    // and in vSphere: the pool's memory limit, the appliance's configuration
    const after = await inVsphere();
    expect(after.memoryLimit).toBe(6144);
    expect(after.cpuLimit).toBe(before.cpuLimit);
    expect(after.conf.executorConfig.networks['public']!.network.nameservers.map(ipString)).toEqual(['1.1.1.1', '8.8.8.8']);
    expect(Object.keys(after.conf.network.containerNetworks).sort()).toEqual(['bridge', 'routable', 'web']);
    expect(after.conf.network.containerNetworks['web']!.common.id).toMatch(/^Network:network-\d+$/);
    expect(after.conf.network.containerNetworks['web']!.trustLevel).not.toBe(after.conf.network.containerNetworks['routable']!.trustLevel);
    expect(Object.keys(after.conf.storage.volumeLocations).sort()).toEqual(['default', 'fast', 'scratch']);
    expect(after.conf.storage.volumeLocations['scratch']!.host).toBe('LocalDS_0');
    expect(after.conf.storage.volumeLocations['scratch']!.path).toContain(`${NAME}-scratch`);
    expect(fs.existsSync(path.join(sim.datastores['LocalDS_0']!, `${NAME}-scratch`))).toBe(true);
    expect(after.conf.executorConfig.sessions['docker-personality']!.cmd.env).toContain('HTTPS_PROXY=https://secure-proxy.example.com:8443');
  }, 300_000);

  test('bad values: a local check and the server\'s 400 at their field with the focus there, a 409 naming its field; nothing changed in vSphere', async () => {
    const page = await open();
    await login(page);
    await page.goto(`${srv.https}/#/vch/${vm.value}/configure`);
    await page.getByRole('heading', { name: `Configure ${NAME}` }).waitFor();
    const before = await inVsphere();
    const sentBefore = changesSent.length;
    const fieldError = (nameAttr: string) => page.locator(`[name="${nameAttr}"] ~ .field-error`);

    // local: not a number, not an address; shown at the field, the focus on the first, nothing sent
    await page.getByLabel('Memory limit in MiB').fill('lots');
    await page.getByLabel('DNS servers', { exact: true }).fill('1.1.1');
    await page.getByRole('button', { name: 'Review the changes' }).click();
    await fieldError('memory-limit').waitFor();
    expect(await fieldError('memory-limit').innerText()).toContain('whole number');
    expect(await fieldError('dns-server').innerText()).toContain('1.1.1 is not an IPv4 address');
    expect(await page.getByLabel('Memory limit in MiB').getAttribute('aria-invalid')).toBe('true');
    expect(await active(page)).toBe('memory-limit');
    await scan(page, 'configure-local-problem');
    expect(changesSent.length).toBe(sentBefore);

    // the server's 400: a syslog port out of range passes the form's syntax; the server names $.syslog_addr
    await page.getByLabel('Memory limit in MiB').fill('8000');
    await page.getByLabel('DNS servers', { exact: true }).fill('1.1.1.1');
    await page.getByLabel('Syslog address').fill('tcp://logs.example.com:99999');
    await page.getByRole('button', { name: 'Review the changes' }).click();
    await page.getByRole('button', { name: `Configure ${NAME}` }).click();
    await fieldError('syslog-address').waitFor();
    expect(await fieldError('syslog-address').innerText()).toContain('99999');
    expect(await active(page)).toBe('syslog-address');
    expect(await page.locator('#main [role="alert"]').first().innerText()).toContain('$.syslog_addr');
    await scan(page, 'configure-server-problem');

    // a 409: the VCH gained a volume store after the form was loaded; the form's list (the whole array) lacks it
    const other = await request(srv.http, 'PATCH', vchUrl(), { auth: AUTH, body: { storage: { volume_stores: [...(await model()).storage.volume_stores, { datastore: 'ds://LocalDS_0/other', label: 'other' }] } } });
    expect(other.status).toBe(202);
    const between = await inVsphere();
    await page.getByLabel('Syslog address').fill('tcp://127.0.0.1:514');
    await page.getByRole('button', { name: 'Add a volume store' }).click();
    await page.getByLabel('Datastore', { exact: true }).selectOption('LocalDS_0');
    await page.getByLabel('Name in Docker').fill('late');
    await page.getByRole('button', { name: 'Review the changes' }).click();
    await page.getByRole('button', { name: `Configure ${NAME}` }).click();
    const alert = page.locator('#main [role="alert"]').first();
    await alert.locator('text=nothing was changed').waitFor();
    expect(await alert.innerText()).toContain('$.storage.volume_stores');
    expect(await alert.innerText()).toContain('other');
    expect(await active(page)).toBe('volume-store-datastore-1');
    expect(changesSent.slice(sentBefore).map((c) => c.method)).toEqual(['PATCH', 'PATCH']);
    // nothing changed by the refused requests: the appliance's configuration and the pool as before each
    const after = await inVsphere();
    expect(after.ec).toEqual(between.ec);
    expect(after.memoryLimit).toBe(before.memoryLimit);
    expect(Object.keys(between.conf.storage.volumeLocations).sort()).toEqual([...Object.keys(before.conf.storage.volumeLocations), 'other'].sort());
  }, 300_000);

  test('keyboard only: open configure from the VCH, change the syslog address, confirm, follow to the end', async () => {
    const page = await open();
    await login(page);
    await page.goto(`${srv.https}/#/vch/${vm.value}`);
    await page.getByRole('heading', { name: `VCH ${NAME}` }).waitFor();
    const k = page.keyboard;
    const tabTo = async (what: string) => {
      for (let i = 0; i < 60; i++) {
        await k.press('Tab');
        if (await active(page) === what) return;
      }
      throw new Error(`Tab never reached ${what}`);
    };
    await tabTo('Configure…');
    await k.press('Enter');
    await page.getByRole('heading', { name: `Configure ${NAME}` }).waitFor();
    await tabTo('syslog-address');
    await k.press('Control+A');
    await k.type('udp://logs.example.com:1514');
    await k.press('Enter');
    await page.getByRole('region', { name: `Confirm 1 change to ${NAME}` }).waitFor();
    await k.press('Tab');
    expect(await active(page)).toBe(`Configure ${NAME}`);
    await k.press('Enter');
    await taskDone(page);
    expect(await active(page)).toBe('Show the VCH');
    await k.press('Enter');
    await page.getByRole('heading', { name: `VCH ${NAME}` }).waitFor();
    expect((await model()).syslog_addr).toBe('udp://logs.example.com:1514');
    expect((await inVsphere()).conf.executorConfig.diagnostics.sysLogConfig).toEqual({ network: 'udp', rAddr: 'logs.example.com:1514' });
  }, 300_000);

  test('the operations password: changed in vSphere, never shown (confirmation, task, page, server log) nor kept in the form', async () => {
    const NEW_PASSWORD = 'Ops-N3w-Secret-77';
    const page = await open();
    await login(page);
    await page.goto(`${srv.https}/#/vch/${vm.value}/configure`);
    await page.getByRole('heading', { name: `Configure ${NAME}` }).waitFor();
    expect(await page.getByLabel('Operations password').getAttribute('type')).toBe('password');
    // a new user without its password, or permissions granted without it, are refused at the password field
    // before anything is sent (configure sets the credentials as a whole)
    const sentBefore = changesSent.length;
    await page.getByLabel('Operations user\'s permissions').selectOption('true');
    await page.getByRole('button', { name: 'Review the changes' }).click();
    await page.locator('[name="ops-password"] ~ .field-error', { hasText: 'changing its permissions' }).waitFor();
    expect(await active(page)).toBe('ops-password');
    await page.getByLabel('Operations user\'s permissions').selectOption('false');
    await page.getByLabel('Operations user', { exact: true }).fill('ops2');
    await page.getByRole('button', { name: 'Review the changes' }).click();
    await page.locator('[name="ops-password"] ~ .field-error', { hasText: 'password of ops2' }).waitFor();
    expect(await active(page)).toBe('ops-password');
    expect(changesSent.length).toBe(sentBefore);
    await page.getByLabel('Operations user', { exact: true }).fill('opsuser');
    await page.getByLabel('Operations password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Review the changes' }).click();
    const confirm = page.getByRole('region', { name: `Confirm 1 change to ${NAME}` });
    await confirm.waitFor();
    expect(await confirm.locator('tbody tr').innerText()).toMatch(/Operations password\s+kept\s+changed \(not shown\)/);
    await confirm.getByRole('button', { name: `Configure ${NAME}` }).click();
    await taskDone(page);
    expect(await page.locator('#main').innerText()).toContain('ops password: replaced');
    expect(await page.content()).not.toContain(NEW_PASSWORD);
    expect(await page.locator('input[name="ops-password"]').inputValue()).toBe('');
    const task = changesSent[changesSent.length - 1]!;
    expect(task.body).toEqual({ endpoint: { operations_credentials: { user: 'opsuser', password: NEW_PASSWORD, grant_permissions: false } } });
    expect(fs.readFileSync(srv.logFile, 'utf8')).not.toContain(NEW_PASSWORD);
    // in vSphere: the VCH's credentials for vSphere are the new ones, sealed (not in the extraConfig's text)
    const after = await inVsphere();
    expect(after.conf.connection.username).toBe('opsuser');
    expect(decodeVchConfig(after.raw, await after.secretKey()).connection.token).toBe(NEW_PASSWORD);
    expect(JSON.stringify(after.raw)).not.toContain(NEW_PASSWORD);
    expect((await model()).endpoint.operations_credentials).toEqual({ user: 'opsuser' });
  }, 300_000);

  test('registry CAs: what is pasted must be PEM certificates; added, then listed (subject, issuer, validity) and one removed while another is added, then the last removed; each read back from vSphere', async () => {
    const pem = (await request(srv.http, 'GET', `/container/target/${sim.host}/vch/${vm.value}/certificate?thumbprint=${sim.thumbprintSHA1}`, { auth: AUTH })).text;
    expect(pem).toContain('BEGIN CERTIFICATE');
    const other = (await createCaCertificate(await generateRsaKeyPair(2048), caSubject('registry-b.example.com', ['cregca test']))).certPem;
    const stored = async () => {
      const after = await inVsphere();
      const b = decodeVchConfig(after.raw, await after.secretKey()).certificate.registryCertificateAuthorities;
      return b ? Buffer.from(b).toString('utf8').replace(/\s+/g, '') : undefined;
    };
    const bare = (x: string) => x.replace(/\s+/g, '');
    const page = await open();
    await login(page);
    await page.goto(`${srv.https}/#/vch/${vm.value}/configure`);
    await page.getByRole('heading', { name: `Configure ${NAME}` }).waitFor();
    expect(await page.locator('#main').innerText()).toContain('None: the VCH trusts registries signed by well-known CAs only.');
    const sentBefore = changesSent.length;
    await page.getByLabel('Add registry CA certificates, PEM').fill('-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----');
    await page.getByRole('button', { name: 'Review the changes' }).click();
    await page.locator('[name="registry-ca"] ~ .field-error', { hasText: 'PEM certificates' }).waitFor();
    expect(await active(page)).toBe('registry-ca');
    expect(changesSent.length).toBe(sentBefore);
    await page.getByLabel('Add registry CA certificates, PEM').fill(`\n${pem}\n`);
    await page.getByRole('button', { name: 'Review the changes' }).click();
    let confirm = page.getByRole('region', { name: `Confirm 1 change to ${NAME}` });
    await confirm.waitFor();
    expect(await confirm.locator('tbody tr').innerText()).toMatch(/Registry CA certificates\s+none\s+added: vch\.example\.com/);
    await confirm.getByRole('button', { name: `Configure ${NAME}` }).click();
    await taskDone(page);
    expect(await page.locator('#main').innerText()).toContain('registry CAs: replaced');
    expect(await stored()).toBe(bare(pem));

    // the VCH's CA listed (read from its PEM in the browser); removed while another is added: one change naming both
    await page.goto(`${srv.https}/#/vch/${vm.value}`);
    await page.goto(`${srv.https}/#/vch/${vm.value}/configure`);
    const cas = page.getByRole('list', { name: 'Registry CA certificates the VCH has' });
    await cas.waitFor();
    const x = new X509Certificate(pem);
    const listed = await cas.innerText();
    expect(listed).toContain(`${x.subject.split('\n').join(', ')}; issued by ${x.issuer.split('\n').join(', ')}; valid ${new Date(x.validFrom).toISOString().slice(0, 10)} to ${new Date(x.validTo).toISOString().slice(0, 10)}`);
    await page.getByRole('checkbox', { name: 'Remove vch.example.com' }).check();
    await page.getByLabel('Add registry CA certificates, PEM').fill(other);
    await page.getByRole('group', { name: 'Registry access' }).screenshot({ path: path.join(SCREENSHOTS, 'configure-registry-ca.png') });
    await page.getByRole('button', { name: 'Review the changes' }).click();
    confirm = page.getByRole('region', { name: `Confirm 1 change to ${NAME}` });
    await confirm.waitFor();
    expect(await confirm.locator('tbody tr').innerText()).toMatch(/Registry CA certificates\s+vch\.example\.com\s+removed: vch\.example\.com; added: registry-b\.example\.com CA/);
    await confirm.getByRole('button', { name: `Configure ${NAME}` }).click();
    await taskDone(page);
    expect(changesSent[changesSent.length - 1]!.body).toEqual({ registry: { certificate_authorities: [{ pem: other.trim() }] } });
    expect(await stored()).toBe(bare(other));
    expect((await model()).registry.certificate_authorities.map((c: { pem: string }) => bare(c.pem))).toEqual([bare(other)]);

    // the last one removed: the merge patch's [] and the appliance's bundle gone
    await page.goto(`${srv.https}/#/vch/${vm.value}`);
    await page.goto(`${srv.https}/#/vch/${vm.value}/configure`);
    await page.getByRole('checkbox', { name: 'Remove registry-b.example.com CA' }).check();
    await page.getByRole('button', { name: 'Review the changes' }).click();
    confirm = page.getByRole('region', { name: `Confirm 1 change to ${NAME}` });
    await confirm.waitFor();
    expect(await confirm.locator('tbody tr').innerText()).toMatch(/Registry CA certificates\s+registry-b\.example\.com CA\s+removed: registry-b\.example\.com CA; none left/);
    await confirm.getByRole('button', { name: `Configure ${NAME}` }).click();
    await taskDone(page);
    expect(changesSent[changesSent.length - 1]!.body).toEqual({ registry: { certificate_authorities: [] } });
    expect(await stored()).toBeUndefined();
    expect((await model()).registry?.certificate_authorities).toBeUndefined();
  }, 400_000);

  test('compute: reservation, shares (a level, then a custom number) and the DRS VM group, each as the pool and the cluster have them afterwards', async () => {
    const groups = async () => {
      const [c] = await retrieveFromView(admin, admin.content.rootFolder, ['ClusterComputeResource'], ['configurationEx']);
      return ((c!.props['configurationEx'] as { group?: { name: string; vm?: MoRef[] }[] }).group) ?? [];
    };
    const page = await open();
    await login(page);
    await page.goto(`${srv.https}/#/vch/${vm.value}/configure`);
    await page.getByRole('heading', { name: `Configure ${NAME}` }).waitFor();
    await page.getByLabel('CPU reservation in MHz').fill('1024');
    await page.getByLabel('CPU shares', { exact: true }).selectOption('low');
    await page.getByLabel('Memory shares', { exact: true }).selectOption('normal');
    expect(await page.getByLabel('Memory shares, custom number').isVisible()).toBe(false);
    await page.getByLabel('DRS VM group').selectOption('true');
    await page.getByRole('button', { name: 'Review the changes' }).click();
    const confirm = page.getByRole('region', { name: `Confirm 4 changes to ${NAME}` });
    await confirm.waitFor();
    const rows = await confirm.locator('tbody tr').evaluateAll((trs: any[]) => trs.map((tr) => [...tr.children].map((c: any) => c.textContent))); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(rows).toEqual([['CPU reservation', '512 MHz', '1024 MHz'], ['CPU shares', 'high', 'low'], ['Memory shares', 'custom: 6000', 'normal'], ['DRS VM group', 'none', 'yes']]);
    await confirm.getByRole('button', { name: `Configure ${NAME}` }).click();
    await taskDone(page);
    // a merge patch keeps a member it does not name: the other of level and number is removed with null
    expect(changesSent[changesSent.length - 1]!.body).toEqual({ compute: {
      cpu: { reservation: { value: 1024, units: 'MHz' }, shares: { level: 'low', number: null } }, memory: { shares: { level: 'normal', number: null } }, affinity: { use_vm_group: true },
    } });
    let now = await inVsphere();
    expect([now.cpu.reservation, now.cpu.shares.level, now.memory.shares.level, now.memoryLimit]).toEqual([1024, 'low', 'normal', 6144]);
    expect((await groups()).find((g) => g.name === NAME)?.vm?.map((v) => v.value)).toEqual([vm.value]);
    expect((await model()).compute.affinity).toEqual({ use_vm_group: true });

    // custom shares need their number (checked at the field); the group removed
    await page.getByRole('link', { name: 'Show the VCH' }).click();
    await page.getByRole('link', { name: 'Configure…' }).click();
    await page.getByRole('heading', { name: `Configure ${NAME}` }).waitFor();
    expect(await page.getByLabel('DRS VM group').inputValue()).toBe('true');
    await page.getByLabel('Memory shares', { exact: true }).selectOption('custom');
    await page.getByRole('button', { name: 'Review the changes' }).click();
    await page.locator('[name="memory-shares-number"] ~ .field-error', { hasText: 'whole number of shares' }).waitFor();
    expect(await active(page)).toBe('memory-shares-number');
    await page.getByLabel('Memory shares, custom number').fill('9000');
    await page.getByLabel('DRS VM group').selectOption('false');
    await page.getByRole('button', { name: 'Review the changes' }).click();
    await page.getByRole('region', { name: `Confirm 2 changes to ${NAME}` }).getByRole('button', { name: `Configure ${NAME}` }).click();
    await taskDone(page);
    now = await inVsphere();
    expect(now.memory.shares).toMatchObject({ level: 'custom', shares: 9000 });
    expect(now.cpu.shares.level).toBe('low');
    expect((await groups()).map((g) => g.name)).not.toContain(NAME);
  }, 300_000);

  test('accessibility: no serious or critical axe-core violation on the configure page, its confirmation and its end', () => {
    expect(Object.keys(a11y)).toEqual(expect.arrayContaining(['configure', 'configure-narrow', 'configure-confirm', 'configure-done', 'configure-local-problem', 'configure-server-problem']));
    expect(Object.fromEntries(Object.entries(a11y).filter(([, v]) => v.length))).toEqual({});
  });

  test('no request left the server\'s origin; no Content-Security-Policy violation', () => {
    expect(allRequests.flatMap((r) => r.foreign)).toEqual([]);
    expect(allRequests.flatMap((r) => r.all).length).toBeGreaterThan(10);
    expect(allCsp.flat()).toEqual([]);
  });
});
