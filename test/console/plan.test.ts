// The create wizard's summary shows create's plan (the server's dry run, POST .../vch?dry_run=true) before anything
// is made, in a real browser (Debian's chromium through playwright-core) against the real server process and the
// simulator: the plan's pool, folders, uploads, networks, certificates and warnings are on the summary, and nothing
// exists in vSphere or on the datastore afterwards, nor one more vSphere session; problems only vSphere can find (a
// resource pool gone and a name taken after the wizard loaded the inventory) are shown at their fields, on their step,
// before Create is pressed, and Create is only offered with a plan without problems. axe-core on the summary; the
// screenshot create-plan goes to docs/console/.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Page } from 'playwright-core';
import { simulatorSuite } from '../support/simulator-suite.js';
import type { Vcsim } from '../support/vcsim.js';
import { dc0, inventoryPaths } from '../support/fixture-vch.js';
import { datastoreEntries } from '../support/cli-process.js';
import type { Session } from '../../src/vim/session.js';
import { CreateFolder, CreateResourcePool, Destroy_Task } from '../../src/vim/methods.generated.js';
import { runTask } from '../../src/vim/task.js';
import { startServer, type ServerProcess } from '../server/support/server-process.js';
import { connect, context, haveChromium, launch, screenshot, seriousViolations, type ConsoleBrowser, type Requests } from './support/browser.js';

// the page's globals, in functions page.evaluate runs in the browser (the tests compile without the DOM library)
declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any

let sim: Vcsim;
let admin: Session;
let cwd: string;
const USER = 'plan-admin';
const PASSWORD = 'Pl4n-c0nsole-pw';
simulatorSuite({ tmpPrefix: 'vicm-console-plan-', isos: true, vcsim: { username: USER, password: PASSWORD, firewallOpen: true } }, (s) => ({ sim, admin, cwd } = s));

let srv: ServerProcess;
let b: ConsoleBrowser;
const allRequests: Requests[] = [];

async function open(): Promise<Page> {
  const c = await context(b, srv.https);
  allRequests.push(c.requests);
  await c.page.goto(`${srv.https}/`);
  return c.page;
}

/** connect as the suite's user, trusting the simulator's certificate (the shared steps in support/browser.ts) */
const login = (page: Page): Promise<void> => connect(page, sim.host, USER, PASSWORD);

const stepShown = (page: Page, n: string) => page.locator('fieldset.step:not([hidden]) > legend', { hasText: n }).waitFor();

/** From General to the step before the summary, with the choices given. */
async function fill(page: Page, o: { name: string; compute: string }): Promise<void> {
  await page.getByLabel('VCH name').fill(o.name);
  await page.getByRole('button', { name: 'Next' }).click();
  await stepShown(page, 'Compute capacity');
  await page.getByLabel('Compute resource').selectOption(o.compute);
  await page.getByRole('button', { name: 'Next' }).click();
  await stepShown(page, 'Storage capacity');
  await page.getByLabel('Image datastore').selectOption('LocalDS_0');
  await page.getByLabel('Volume store datastore (optional)').selectOption('LocalDS_0');
  await page.getByRole('button', { name: 'Next' }).click();
  await stepShown(page, 'Networks');
  await page.getByLabel('Bridge network').selectOption('DC0_DVPG0');
  await page.getByLabel('Public network').selectOption('VM Network');
  await page.getByRole('button', { name: 'Next' }).click();
  await stepShown(page, 'Security');
  await page.getByLabel('Server certificate name (optional)').fill(`${o.name}.example.com`);
  for (const s of ['Registry access', 'Operations user']) {
    await page.getByRole('button', { name: 'Next' }).click();
    await stepShown(page, s);
  }
}

const run = haveChromium ? describe : describe.skip;
run('web console: the create wizard\'s plan', () => {
  beforeAll(async () => {
    srv = await startServer({ cwd, args: ['--console-idle', '10m'] });
    b = await launch();
  });
  afterAll(async () => {
    await b?.close();
    expect(await srv?.stop()).toBe(0);
  });

  test('the summary shows the plan; nothing is made by it, and no vSphere session is added', async () => {
    const page = await open();
    await login(page);
    await page.getByRole('link', { name: 'New VCH' }).click();
    await stepShown(page, 'General');
    await fill(page, { name: 'vch-plan', compute: 'DC0_C0' });
    const invBefore = await inventoryPaths(admin);
    const dsBefore = datastoreEntries(sim.datastores);
    const sessionsBefore = await sim.openSessions();
    await page.getByRole('button', { name: 'Next' }).click();
    await stepShown(page, 'Summary');
    const plan = page.getByRole('region', { name: 'The plan: what create will make' });
    await plan.waitFor();
    const made = await plan.getByRole('list', { name: 'What create will make' }).locator('li').allInnerTexts();
    expect(made).toEqual(expect.arrayContaining([
      'Resource pool /DC0/host/DC0_C0/Resources/vch-plan',
      'VM folder /DC0/vm/vch-plan',
      'Appliance VM vch-plan: 1 vCPU, 2048 MB, files in [LocalDS_0] vch-plan',
      'Datastore folder [LocalDS_0] vch-plan-volumes: volume store "default" (if missing)',
      expect.stringMatching(/^Upload v1\.5\.8-1-9489f63-appliance\.iso \(\d+\.\d MiB\) to \[LocalDS_0\] vch-plan\/v1\.5\.8-1-9489f63-appliance\.iso$/),
      'Port group VM Network: public, client, management',
      'Port group DC0_DVPG0: bridge',
      'Volume store default: ds://LocalDS_0/vch-plan-volumes',
      expect.stringMatching(/^Server certificate: generated, CN=vch-plan\.example\.com/),
    ]));
    expect(await plan.innerText()).toContain('DOCKER_HOST: known once the appliance reports its address (DHCP)');
    expect(await plan.getByRole('list', { name: 'Warnings' }).innerText()).toMatch(/administrative user/);
    expect(await page.getByRole('button', { name: 'Create' }).isEnabled()).toBe(true);
    // read-only: nothing in the inventory or on the datastore, the console's held session the only one it used
    expect(await inventoryPaths(admin)).toEqual(invBefore);
    expect(datastoreEntries(sim.datastores)).toEqual(dsBefore);
    expect(await sim.openSessions()).toBe(sessionsBefore);
    const a11y = (await seriousViolations(page)).map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(a11y).toEqual([]);
    await screenshot(page, 'create-plan');
    await page.context().close();
  }, 120_000);

  test('problems only vSphere can find (a pool gone, a name taken since the inventory was read) are at their fields before Create', async () => {
    const dc = await dc0(admin);
    const pool = await CreateResourcePool(admin, { _this: dc.clusterPool, name: 'plan-pool', spec: {
      cpuAllocation: { reservation: 0, expandableReservation: true, limit: -1, shares: { shares: 4000, level: 'normal' } },
      memoryAllocation: { reservation: 0, expandableReservation: true, limit: -1, shares: { shares: 163840, level: 'normal' } },
    } });
    const page = await open();
    await login(page);
    await page.getByRole('link', { name: 'New VCH' }).click();
    await stepShown(page, 'General');
    expect((await page.getByLabel('Compute resource').locator('option').allTextContents()).join('\n')).toContain('DC0_C0/Resources/plan-pool (resource pool)');
    await fill(page, { name: 'vch-late', compute: 'DC0_C0/Resources/plan-pool' });
    // after the wizard read the inventory: the pool goes, and a VM folder takes the VCH's name
    await runTask(admin, Destroy_Task, { _this: pool });
    const folder = await CreateFolder(admin, { _this: dc.vmFolder, name: 'vch-late' });
    try {
      await page.getByRole('button', { name: 'Next' }).click();
      // the first problem's step, its field focused; the other's field marked too; no Create offered
      await stepShown(page, 'General');
      const nameError = page.locator('fieldset.step:not([hidden]) .field-error:not([hidden])');
      await nameError.waitFor();
      expect(await nameError.innerText()).toMatch(/vch-late.*in use/);
      expect(await page.evaluate(() => document.activeElement?.name)).toBe('name');
      expect(await page.getByRole('alert').innerText()).toMatch(/The plan found 2 problems, shown at their fields/);
      expect(await page.getByRole('button', { name: 'Create' }).count()).toBe(0);
      const computeError = await page.evaluate(() => {
        const el = document.querySelector('select[name="compute-resource"]');
        return { invalid: el.getAttribute('aria-invalid'), text: document.getElementById(`${el.id}-error`).textContent };
      });
      expect(computeError.invalid).toBe('true');
      expect(computeError.text).toMatch(/plan-pool/);
      expect((await seriousViolations(page)).map((v) => v.id)).toEqual([]);
      // corrected: the plan has no problem, the summary shows it and offers Create
      await page.getByLabel('VCH name').fill('vch-later');
      await page.getByRole('button', { name: 'Next' }).click();
      await stepShown(page, 'Compute capacity');
      await page.getByLabel('Compute resource').selectOption('DC0_C0');
      for (const s of ['Storage capacity', 'Networks', 'Security', 'Registry access', 'Operations user', 'Summary']) {
        await page.getByRole('button', { name: 'Next' }).click();
        await stepShown(page, s);
      }
      expect(await page.getByRole('region', { name: 'The plan: what create will make' }).innerText()).toContain('Resource pool /DC0/host/DC0_C0/Resources/vch-later');
      expect(await page.getByRole('button', { name: 'Create' }).isEnabled()).toBe(true);
      await page.context().close();
    } finally {
      await runTask(admin, Destroy_Task, { _this: folder });
    }
  }, 120_000);

  test('every request the browser made stayed on the server\'s origin', () => {
    expect(allRequests.flatMap((r) => r.foreign)).toEqual([]);
    expect(allRequests.flatMap((r) => r.all).some((u) => u.includes('dry_run=true'))).toBe(true);
  });
});
