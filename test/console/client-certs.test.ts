// The create wizard's client certificates made in the browser (src/console/x509/, src/console/pages/client-certs.ts),
// in Debian's chromium against the real server and the simulator: the Security step's choice (browser-made by
// default), the create body carrying the CA certificate and no private key, the VCH storing that CA (its extraConfig),
// the result's downloads (ca.pem, cert.pem, key.pem, the client CA and its key), and the real docker client
// connecting with exactly those files to the appliance stand-in, which verifies clients against the VCH's stored CA;
// a client certificate of another CA is refused. Also the other two choices (the admin's CA, none), each to a docker
// client that connects. Screenshots docs/console/create-security-certs.png and create-client-certs.png.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFile } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { simulatorSuite } from '../support/simulator-suite.js';
import type { Vcsim } from '../support/vcsim.js';
import { playAppliance } from '../support/appliance-player.js';
import type { DockerApiStandIn } from '../support/appliance-stand-in.js';
import { vmExtraConfig } from '../support/vm-extra-config.js';
import type { Session } from '../../src/vim/session.js';
import { decodeVchConfigDetailed } from '../../src/vic/config/index.js';
import { makeClientCertificates } from '../../src/console/x509/client-certificates.js';
import { caSubject, clientSubject, createCaCertificate, createClientCertificate, generateRsaKeyPairs } from '../../src/vic/certificates/index.js';
import { request, startServer, type ServerProcess } from '../server/support/server-process.js';
import { connect, context, haveChromium, launch, screenshot, seriousViolations, type ConsoleBrowser, type Requests } from './support/browser.js';

// the page's globals, in functions page.evaluate runs in the browser (the tests compile without the DOM library)
declare const window: any, document: any; // eslint-disable-line @typescript-eslint/no-explicit-any

let sim: Vcsim;
let admin: Session;
let cwd: string;
const USER = 'certs-admin';
const PASSWORD = 'Cert5-Secr3t-pw';
const IP = '127.0.0.98';
const NAME = 'vch-certs';
simulatorSuite({ tmpPrefix: 'vicm-console-certs-', isos: true, vcsim: { username: USER, password: PASSWORD, firewallOpen: true } }, (s) => ({ sim, admin, cwd } = s));

const DOCKER = ['/usr/local/bin/docker', '/usr/bin/docker'].find((d) => fs.existsSync(d));

let srv: ServerProcess;
let b: ConsoleBrowser;
let standIn: DockerApiStandIn | undefined;
let requests: Requests;
let csp: string[];
const a11y: Record<string, string[]> = {};
const bodies: { url: string; body: string }[] = [];

async function scan(page: Page, name: string): Promise<void> {
  a11y[name] = (await seriousViolations(page)).map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** docker with an empty configuration of its own (no contexts, no ~/.docker certificates), asynchronously: the stand-in lives in this process. */
function docker(args: string[], home: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(DOCKER!, args, { timeout: 60_000, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, DOCKER_CONFIG: path.join(home, '.docker'), DOCKER_CLI_HINTS: 'false' } },
      (err, stdout, stderr) => resolve({ code: err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0, out: `${stdout}${stderr}` }));
  });
}

/** From the VCH list through the wizard's steps to its summary; `security` fills the Security step. */
async function throughWizard(page: Page, name: string, security: () => Promise<void>): Promise<void> {
  await page.goto(`${srv.https}/#/`);
  await page.getByRole('heading', { name: 'Virtual container hosts' }).waitFor();
  await page.getByRole('link', { name: 'New VCH' }).click();
  const step = (n: string) => page.locator('fieldset.step:not([hidden]) > legend', { hasText: n }).waitFor();
  const next = () => page.getByRole('button', { name: 'Next' }).click();
  await step('General');
  await page.getByLabel('VCH name').fill(name);
  await next();
  await step('Compute capacity');
  await page.getByLabel('Compute resource').selectOption('DC0_C0');
  await next();
  await step('Storage capacity');
  await page.getByLabel('Image datastore').selectOption('LocalDS_0');
  await next();
  await step('Networks');
  await page.getByLabel('Bridge network').selectOption('DC0_DVPG0');
  await page.getByLabel('Public network').selectOption('VM Network');
  await next();
  await step('Security');
  await security();
  await next();
  await step('Registry access');
  await next();
  await step('Operations user');
  await next();
  await step('Summary');
}

/** Runs a step of a test; on failure the error also says what the page showed (the console's main region and status). */
async function explained<T>(page: Page, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    const shown = await page.evaluate(() => `${document.querySelector('#main')?.innerText ?? ''}\n[status] ${document.querySelector('#status')?.textContent ?? ''}`).catch(() => '(page gone)');
    throw Object.assign(e as Error, { message: `${(e as Error).message}\n--- the page showed:\n${shown}` });
  }
}

async function createAndWait(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Create' }).click();
  await page.locator('#main .phase', { hasText: `Create ${name}: done` }).waitFor({ timeout: 180_000 });
}

/** Create at the summary with the appliance played at `ip`; the stand-in once the task is done. */
async function createPlayed(page: Page, name: string, ip: string, requireClientCert: boolean): Promise<DockerApiStandIn> {
  const appliance = playAppliance(admin, name, ip, { requireClientCert, timeoutMs: 150_000 });
  // the stand-in's own failure, if any, is the story (not the create's wait for an appliance nobody plays)
  const failed = appliance.then(() => new Promise<never>(() => undefined), (e: Error) => { throw new Error(`the appliance stand-in of ${name} failed: ${e.message}`); });
  await explained(page, () => Promise.race([createAndWait(page, name), failed]));
  return appliance;
}

/** The one create body the browser sent for `name` (the summary's dry run, ?dry_run=true, sent the same body before it). */
function createBody(name: string): { auth: { client: { certificate_authorities?: { pem: string }[]; no_tls_verify?: boolean } } } {
  const sent = bodies.filter((x) => new URL(x.url).pathname.endsWith('/vch') && !new URL(x.url).searchParams.has('dry_run') && (JSON.parse(x.body) as { name?: string }).name === name);
  expect(sent).toHaveLength(1);
  return JSON.parse(sent[0]!.body);
}

const run = haveChromium ? describe : describe.skip;
run('create wizard: client certificates made in the browser', () => {
  let page: Page;
  let files: string;

  beforeAll(async () => {
    srv = await startServer({ cwd });
    b = await launch();
    files = fs.mkdtempSync(path.join(os.tmpdir(), 'vicm-client-certs-'));
    fs.mkdirSync(path.join(files, 'home', '.docker'), { recursive: true });
  });
  afterAll(async () => {
    await standIn?.stop();
    await b?.close();
    expect(await srv?.stop()).toBe(0);
    if (files) fs.rmSync(files, { recursive: true, force: true });
  });

  test('the wizard makes the certificates, sends only the CA certificate, and offers the files once the VCH is made', async () => {
    const c = await context(b, srv.https);
    ({ page, requests } = c);
    csp = c.cspViolations;
    // a 2-core machine shared with other suites: RSA key generation and the steps get more than the default 30 s
    page.setDefaultTimeout(90_000);
    page.on('request', (r) => { const body = r.postData(); if (body) bodies.push({ url: r.url(), body }); });
    await page.goto(`${srv.https}/`);
    await connect(page, sim.host, USER, PASSWORD);
    await explained(page, () => throughWizard(page, NAME, async () => {
      // the default: certificates made in this browser; the CA field only for "use my CA", which wants a PEM
      expect(await page.getByLabel('Make client certificates in this browser').isChecked()).toBe(true);
      expect(await page.getByLabel('Client CA certificate, PEM').isVisible()).toBe(false);
      await page.getByLabel('Use my CA (PEM)').check();
      expect(await page.getByLabel('Client CA certificate, PEM').isVisible()).toBe(true);
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByText('Paste your CA certificate in PEM').waitFor();
      await page.getByLabel('Make client certificates in this browser').check();
      expect(await page.getByLabel('Client CA certificate, PEM').isVisible()).toBe(false);
      // the docker client dials the stand-in's address: the server certificate names it
      await page.getByLabel('Server certificate name (optional)').fill(IP);
      await scan(page, 'create-security');
      await screenshot(page, 'create-security-certs');
    }));
    expect(await page.locator('fieldset.step:not([hidden])').innerText()).toContain('client certificates made in this browser');
    standIn = await createPlayed(page, NAME, IP, true);
    const section = page.getByRole('region', { name: 'Client certificates' });
    await section.waitFor();
    expect(await section.innerText()).toContain('The private keys exist only in this page');
    expect(await page.locator('#main').innerText()).toContain(`${IP}:2376`);
    await scan(page, 'create-client-certs');
    await screenshot(page, 'create-client-certs');
    // a narrow window: the downloads and the commands fit without scrolling sideways
    await page.setViewportSize({ width: 390, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await scan(page, 'create-client-certs-narrow');
    await page.setViewportSize({ width: 1280, height: 800 });

    // the create body: the browser's CA certificate, no private key; no request carried one
    const body = createBody(NAME);
    expect(body.auth.client.certificate_authorities).toHaveLength(1);
    expect(body.auth.client.certificate_authorities![0]!.pem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(bodies.filter((x) => /PRIVATE KEY/.test(x.body))).toEqual([]);

    // leaving the page by a reload or close asks first while a key is not downloaded
    const asks = () => page.evaluate(() => { const e = new window.Event('beforeunload', { cancelable: true }); window.dispatchEvent(e); return e.defaultPrevented; });
    expect(await asks()).toBe(true);
    // the downloads, each a file of its name
    for (const name of ['ca.pem', 'cert.pem', 'key.pem', 'client-ca.pem', 'client-ca-key.pem']) {
      const [d] = await Promise.all([page.waitForEvent('download'), section.getByRole('button', { name: `Download ${name}` }).click()]);
      expect(d.suggestedFilename()).toBe(name);
      await d.saveAs(path.join(files, name));
    }
    const read = (n: string) => fs.readFileSync(path.join(files, n), 'utf8');
    expect(await asks()).toBe(false);
    // 0600-able PEM
    for (const k of ['key.pem', 'client-ca-key.pem']) {
      fs.chmodSync(path.join(files, k), 0o600);
      expect(fs.statSync(path.join(files, k)).mode & 0o777).toBe(0o600);
      expect(read(k)).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/);
    }
    const client = new X509Certificate(read('cert.pem'));
    const ca = new X509Certificate(read('client-ca.pem'));
    expect(client.checkIssued(ca) && client.verify(ca.publicKey)).toBe(true);
    expect(client.checkPrivateKey(createPrivateKey(read('key.pem')))).toBe(true);
    expect(ca.checkPrivateKey(createPrivateKey(read('client-ca-key.pem')))).toBe(true);
    expect(read('client-ca.pem')).toBe(body.auth.client.certificate_authorities![0]!.pem);
    expect(client.subject).toContain(`CN=${NAME} client`);
    // ca.pem is the VCH's server certificate, as the API gives it
    const id = new URL(await page.getByRole('link', { name: 'Show the VCH' }).getAttribute('href') ?? '', srv.https).hash.replace('#/vch/', '');
    const served = await request(srv.http, 'GET', `/container/target/${sim.host}/vch/${id}/certificate?thumbprint=${sim.thumbprintSHA1}`, { auth: `${USER}:${PASSWORD}` });
    expect(served.status).toBe(200);
    expect(read('ca.pem')).toBe(served.text);
    expect(new X509Certificate(read('ca.pem')).checkIP(IP)).toBe(IP);
  }, 300_000);

  test('the VCH stores the browser\'s CA and holds no key of the browser\'s', async () => {
    const ec = await vmExtraConfig(admin, NAME);
    const { config } = decodeVchConfigDetailed(ec, { unsealSecrets: false });
    const stored = Buffer.from(config.certificate.certificateAuthorities ?? new Uint8Array()).toString('utf8');
    expect(stored).toBe(fs.readFileSync(path.join(files, 'client-ca.pem'), 'utf8'));
    const all = Object.values(ec).join('\n');
    for (const k of ['key.pem', 'client-ca-key.pem']) {
      const body = fs.readFileSync(path.join(files, k), 'utf8').split('\n')[1]!;
      expect(all).not.toContain(body);
      expect(all).not.toContain(Buffer.from(body).toString('base64').slice(0, 40));
    }
  });

  (DOCKER ? test : test.skip)('the real docker client connects with exactly the downloaded files; a client certificate of another CA is refused', async () => {
    const home = path.join(files, 'home');
    const f = (n: string) => path.join(files, n);
    const ok = await docker(['--tlsverify', '--tlscacert', f('ca.pem'), '--tlscert', f('cert.pem'), '--tlskey', f('key.pem'), '-H', `${IP}:2376`, 'version', '--format', '{{.Server.Version}}'], home);
    expect(ok).toEqual({ code: 0, out: 'v1.5.8\n' });
    expect(standIn!.clientCertificates).toContain(`${NAME} client`);
    // DOCKER_CERT_PATH as the result page says: the folder with ca.pem, cert.pem and key.pem
    const info = await new Promise<{ code: number; out: string }>((resolve) => execFile(DOCKER!, ['info', '--format', '{{.Name}}'], {
      timeout: 60_000, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, DOCKER_CONFIG: path.join(home, '.docker'), DOCKER_HOST: `tcp://${IP}:2376`, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: files },
    }, (err, stdout, stderr) => resolve({ code: err ? 1 : 0, out: `${stdout}${stderr}` })));
    expect(info).toEqual({ code: 0, out: 'vch-stand-in\n' });

    const other = await makeClientCertificates('other');
    fs.writeFileSync(f('other-cert.pem'), other.clientCertPem);
    fs.writeFileSync(f('other-key.pem'), other.clientKeyPem, { mode: 0o600 });
    const refusedBefore = standIn!.rejectedHandshakes;
    const served = standIn!.requests.length;
    const bad = await docker(['--tlsverify', '--tlscacert', f('ca.pem'), '--tlscert', f('other-cert.pem'), '--tlskey', f('other-key.pem'), '-H', `${IP}:2376`, 'version', '--format', '{{.Server.Version}}'], home);
    expect(bad.code).not.toBe(0);
    expect(bad.out).not.toContain('v1.5.8');
    expect(standIn!.rejectedHandshakes).toBeGreaterThan(refusedBefore);
    expect(standIn!.requests.length).toBe(served);
  }, 120_000);

  (DOCKER ? test : test.skip)('"use my CA": the body carries the admin\'s CA, the result offers ca.pem, and docker connects with a client certificate of that CA', async () => {
    const ip = '127.0.0.99';
    const name = 'vch-own-ca';
    // the admin's CA and client, made by the CLI's certificate code (not the browser's)
    const [caKey, clientKey] = await generateRsaKeyPairs(2, 2048);
    const mine = await createCaCertificate(caKey!, caSubject('Mine', ['Mine']));
    const mineClient = await createClientCertificate(clientKey!, clientSubject('Mine', ['Mine']), { certPem: mine.certPem, privateKey: caKey!.privateKey });
    await explained(page, () => throughWizard(page, name, async () => {
      await page.getByLabel('Server certificate name (optional)').fill(ip);
      await page.getByLabel('Use my CA (PEM)').check();
      await page.getByLabel('Client CA certificate, PEM').fill(mine.certPem);
    }));
    expect(await page.locator('fieldset.step:not([hidden])').innerText()).toContain('verified against the CA given');
    const own = await createPlayed(page, name, ip, true);
    try {
      expect(createBody(name).auth.client.certificate_authorities).toEqual([{ pem: mine.certPem.trim() }]);
      const section = page.getByRole('region', { name: 'Files for docker' });
      await section.waitFor();
      expect(await section.getByRole('button').allTextContents()).toEqual(['Download ca.pem']);
      await scan(page, 'create-files-own-ca');
      const dir = path.join(files, name);
      fs.mkdirSync(dir);
      const [d] = await Promise.all([page.waitForEvent('download'), section.getByRole('button', { name: 'Download ca.pem' }).click()]);
      await d.saveAs(path.join(dir, 'ca.pem'));
      fs.writeFileSync(path.join(dir, 'cert.pem'), mineClient.certPem);
      fs.writeFileSync(path.join(dir, 'key.pem'), mineClient.keyPem, { mode: 0o600 });
      const r = await docker(['--tlsverify', '--tlscacert', path.join(dir, 'ca.pem'), '--tlscert', path.join(dir, 'cert.pem'), '--tlskey', path.join(dir, 'key.pem'), '-H', `${ip}:2376`, 'version', '--format', '{{.Server.Version}}'], path.join(files, 'home'));
      expect(r).toEqual({ code: 0, out: 'v1.5.8\n' });
      expect(own.clientCertificates).toContain('Mine client');
    } finally {
      await own.stop();
    }
  }, 300_000);

  (DOCKER ? test : test.skip)('"no client verification": the body says no_tls_verify, the result offers ca.pem, and docker --tls connects with it', async () => {
    const ip = '127.0.0.100';
    const name = 'vch-no-verify';
    await explained(page, () => throughWizard(page, name, async () => {
      await page.getByLabel('Server certificate name (optional)').fill(ip);
      await page.getByLabel('No client verification (--no-tlsverify)').check();
    }));
    expect(await page.locator('fieldset.step:not([hidden])').innerText()).toContain('not verified (--no-tlsverify)');
    const open = await createPlayed(page, name, ip, false);
    try {
      expect(createBody(name).auth.client).toEqual({ no_tls_verify: true });
      const section = page.getByRole('region', { name: 'Files for docker' });
      await section.waitFor();
      expect(await section.innerText()).toContain(`docker --tls --tlscacert ~/.docker/${name}/ca.pem -H ${ip}:2376 info`);
      const [d] = await Promise.all([page.waitForEvent('download'), section.getByRole('button', { name: 'Download ca.pem' }).click()]);
      const ca = path.join(files, `${name}-ca.pem`);
      await d.saveAs(ca);
      const r = await docker(['--tls', '--tlscacert', ca, '-H', `${ip}:2376`, 'version', '--format', '{{.Server.Version}}'], path.join(files, 'home'));
      expect(r).toEqual({ code: 0, out: 'v1.5.8\n' });
      expect(bodies.filter((x) => /PRIVATE KEY/.test(x.body))).toEqual([]);
    } finally {
      await open.stop();
    }
  }, 300_000);

  test('accessibility of the security step and the result; no request left the origin; no CSP violation', () => {
    expect(Object.keys(a11y).sort()).toEqual(expect.arrayContaining(['create-client-certs', 'create-client-certs-narrow', 'create-security']));
    expect(Object.fromEntries(Object.entries(a11y).filter(([, v]) => v.length))).toEqual({});
    expect(requests.foreign).toEqual([]);
    expect(csp).toEqual([]);
  });
});
