// The console's configure page, its "Certificates" section, in a real browser (Debian's chromium through
// playwright-core) against the real server process and the simulator, on the VCH vic-machine 1.5.8 made as fixture
// "rich" (it verifies clients): new client CA certificates (a key pasted is refused at the field, nothing sent) replace
// the VCH's CAs, read back from the appliance's configuration; a new server certificate name makes a new server
// certificate for it, read back through GET .../certificate. The patches carry only the changed fields and no key.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { X509Certificate } from 'node:crypto';
import type { Page, Request } from 'playwright-core';
import { simulatorSuite } from '../support/simulator-suite.js';
import type { Vcsim } from '../support/vcsim.js';
import { haveFixtures, recreateFixture } from '../support/fixture-vch.js';
import { componentsStarter } from '../support/maintenance-sweep.js';
import type { Session } from '../../src/vim/session.js';
import type { MoRef } from '../../src/vim/types.js';
import { locateVch } from '../../src/vic/vch/locate.js';
import { decodeVchConfig } from '../../src/vic/config/index.js';
import { caSubject, createCaCertificate, generateRsaKeyPair } from '../../src/vic/certificates/index.js';
import { request, startServer, type ServerProcess } from '../server/support/server-process.js';
import { connect, context, haveChromium, launch, type ConsoleBrowser } from './support/browser.js';

let sim: Vcsim;
let admin: Session;
let cwd: string;
const USER = 'console-certs';
const PASSWORD = 'Cons0le-Cert-pw7';
const NAME = 'vch-conf-certs';
simulatorSuite({ tmpPrefix: 'vicm-console-confcert-', isos: true, vcsim: { username: USER, password: PASSWORD } }, (s) => ({ sim, admin, cwd } = s));

let srv: ServerProcess;
let b: ConsoleBrowser;
let vm: MoRef;
let starter: { stop: () => Promise<number> } | undefined;
const changesSent: { method: string; body: unknown }[] = [];
const AUTH = `${USER}:${PASSWORD}`;

async function configurePage(): Promise<Page> {
  const c = await context(b, srv.https);
  c.page.on('request', (r: Request) => { if (r.method() !== 'GET' && /\/vch\//.test(r.url())) changesSent.push({ method: r.method(), body: r.postDataJSON() }); });
  c.page.setDefaultTimeout(60_000);
  await c.page.goto(`${srv.https}/`);
  await connect(c.page, sim.host, USER, PASSWORD);
  await c.page.goto(`${srv.https}/#/vch/${vm.value}/configure`);
  await c.page.getByRole('heading', { name: `Configure ${NAME}` }).waitFor();
  return c.page;
}

/** Reviews, confirms the one change whose row matches, and waits for the task's end ("done", or fails with the page). */
async function confirmOne(page: Page, row: RegExp): Promise<void> {
  await page.getByRole('button', { name: 'Review the changes' }).click();
  const confirm = page.getByRole('region', { name: `Confirm 1 change to ${NAME}` });
  await confirm.waitFor();
  expect(await confirm.locator('tbody tr').innerText()).toMatch(row);
  await confirm.getByRole('button', { name: `Configure ${NAME}` }).click();
  const end = page.locator('#main .phase', { hasText: new RegExp(`^Configure ${NAME}: (done|error|cancelled)$`) });
  await end.waitFor({ timeout: 150_000 });
  const text = await end.innerText();
  if (text !== `Configure ${NAME}: done`) throw new Error(`${text}\n--- the page showed:\n${await page.locator('#main').innerText()}`);
}

const stored = async () => decodeVchConfig((await locateVch(admin, { datacenterPath: '/DC0', id: vm.value })).vch.extraConfig).certificate;

const run = haveFixtures && haveChromium ? describe : describe.skip;
run('web console: configure, certificates', () => {
  beforeAll(async () => {
    vm = await recreateFixture(admin, 'rich', NAME);
    starter = componentsStarter(sim, admin, NAME, vm, '127.0.0.92');
    srv = await startServer({ cwd, args: ['--console-idle', '10m'] });
    b = await launch();
  });
  afterAll(async () => {
    await starter?.stop();
    await b?.close();
    expect(await srv?.stop()).toBe(0);
  });

  test('new client CA certificates: a key pasted is refused at the field; a CA replaces the VCH\'s, in vSphere', async () => {
    const ca = await createCaCertificate(await generateRsaKeyPair(2048), caSubject('console-client-ca.example.com', ['console test']));
    const page = await configurePage();
    expect(await page.getByRole('group', { name: 'Certificates' }).innerText()).toContain('Client verification');
    const before = changesSent.length;
    await page.getByLabel('Client CA certificates, PEM').fill(ca.keyPem);
    await page.getByRole('button', { name: 'Review the changes' }).click();
    await page.locator('[name="client-ca"] ~ .field-error', { hasText: 'PEM certificates' }).waitFor();
    expect(changesSent.length).toBe(before);
    await page.getByLabel('Client CA certificates, PEM').fill(ca.certPem);
    await confirmOne(page, /Client CA certificates\s+as the VCH has them \(not shown\)\s+replaced by 1 certificate/);
    expect(Buffer.from((await stored()).certificateAuthorities!).toString('utf8')).toBe(ca.certPem);
    expect(changesSent.slice(before)).toEqual([{ method: 'PATCH', body: { auth: { client: { certificate_authorities: [{ pem: ca.certPem.trim() }] } } } }]);
  }, 300_000);

  test('a new server certificate name: a new server certificate for it, served by GET .../certificate; the client CAs kept', async () => {
    const casBefore = (await stored()).certificateAuthorities;
    const page = await configurePage();
    const field = page.getByLabel('Server certificate name');
    const was = await field.inputValue();
    await field.fill('renamed-console.example.com');
    await confirmOne(page, new RegExp(`Server certificate\\s+${was ? `for ${was.replace(/\./g, '\\.')}` : 'as the VCH has it'}\\s+new, self-signed, for renamed-console\\.example\\.com`));
    const pem = (await request(srv.http, 'GET', `/container/target/${sim.host}/vch/${vm.value}/certificate?thumbprint=${sim.thumbprintSHA1}`, { auth: AUTH })).text;
    const x = new X509Certificate(pem);
    expect(x.subject).toContain('CN=renamed-console.example.com');
    expect(x.subjectAltName).toContain('DNS:renamed-console.example.com');
    expect((await stored()).certificateAuthorities).toEqual(casBefore);
    expect(JSON.stringify(changesSent)).not.toMatch(/PRIVATE KEY/);
  }, 300_000);
});
