// "Works at 1280×800 and on a narrow window; keyboard alone; labels on every control", for every page of the console
// and every step of the create wizard, in Debian's chromium against the real server process and the simulator. The
// pages are walked through once (driven on a 390 px window, so that each click is a click an admin on a phone-sized
// window can make), and each page, in each state worth seeing (a problem shown, a dialog open), is checked at 1280,
// 390 and 320 px wide (support/layout-checks.ts): the document does not scroll sideways, nothing sticks out or is cut
// off, a box that scrolls sideways is focusable and named, every button is within the width and not covered, text is
// at least 12 px; every control has a role and a name in chromium's accessibility tree, and axe-core finds no serious
// or critical violation nor any of its label rules'. Once per page, Tab walks through every control and each shows a
// focus outline. All problems are gathered and reported together. Screenshots details-narrow and create-narrow go
// to docs/console/.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { CDPSession, Page } from 'playwright-core';
import { simulatorSuite } from '../support/simulator-suite.js';
import type { Vcsim } from '../support/vcsim.js';
import { haveFixtures, recreateFixture } from '../support/fixture-vch.js';
import { playAppliance } from '../support/appliance-player.js';
import type { Session } from '../../src/vim/session.js';
import type { MoRef } from '../../src/vim/types.js';
import { startServer, type ServerProcess } from '../server/support/server-process.js';
import { connect, context, haveChromium, launch, screenshot, type ConsoleBrowser, type Requests } from './support/browser.js';
import { accessibleNameProblems, axeProblems, buttonProblems, keyboardProblems, layoutProblems } from './support/layout-checks.js';

// the page's globals, in functions page.evaluate runs in the browser (the tests compile without the DOM library)
declare const document: any, requestAnimationFrame: any; // eslint-disable-line @typescript-eslint/no-explicit-any

let sim: Vcsim;
let admin: Session;
let cwd: string;
const USER = 'layout-admin';
const PASSWORD = 'L4yout-Secr3t-pw';
// names as long as an admin gives them: they must wrap, not push the page sideways
const FIXTURE = 'docker-host-for-the-web-team-01';
const MADE = 'docker-host-for-the-web-team-02';
const IP = '127.0.0.89';
simulatorSuite({ tmpPrefix: 'vicm-console-layout-', isos: true, vcsim: { username: USER, password: PASSWORD, firewallOpen: true } }, (s) => ({ sim, admin, cwd } = s));

const WIDTHS = [1280, 390, 320];
const HEIGHT = 800;
/** the width the pages are driven at */
const DRIVE = 390;

let srv: ServerProcess;
let b: ConsoleBrowser;
let fixture: MoRef;
const allRequests: Requests[] = [];
/** page (and state) → width → problems */
const found: Record<string, Record<string, string[]>> = {};
/** page → how many controls the name check saw (a check that saw none proves nothing) */
const controlsSeen: Record<string, number> = {};
const tabStops: Record<string, number> = {};

async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(null)))));
}

/** Every check on the page as it is now, at each width; the keyboard walk once, at the narrow width. */
async function sweep(page: Page, cdp: CDPSession, name: string, buttons: string[]): Promise<void> {
  found[name] = {};
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: HEIGHT });
    await settle(page);
    const names = await accessibleNameProblems(page, cdp);
    controlsSeen[name] = names.controls;
    found[name][width] = [...await layoutProblems(page), ...await buttonProblems(page, buttons), ...names.problems, ...await axeProblems(page)];
  }
  await page.setViewportSize({ width: DRIVE, height: HEIGHT });
  await settle(page);
  const keys = await keyboardProblems(page);
  tabStops[name] = keys.stops;
  found[name]['keyboard'] = keys.problems;
}

/** A page with one of each problem the checks look for (and a few things that are fine). */
const BAD_PAGE = `<!doctype html><html lang="en"><head><title>bad</title><style>
  html { font: 15px/1.45 sans-serif; } body { margin: 0; }
  .skip { position: absolute; left: -999px; } .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  .wide { width: 600px; } .clip { overflow: hidden; width: 100px; white-space: nowrap; } .scroller { overflow-x: auto; width: 100px; }
  .tiny { font-size: 9px; } .grid { display: grid; grid-template-columns: 1fr 30px; overflow-wrap: anywhere; }
  .noring:focus { outline: none; } input:focus-visible { outline: 2px solid blue; } .bar { position: fixed; left: 0; right: 0; bottom: 0; height: 80px; background: #ddd; z-index: 2; }
  .under { position: fixed; bottom: 20px; left: 10px; z-index: 1; } .off { position: absolute; left: -300px; }
  </style></head><body><a class="skip" href="#m">Skip to content</a><main id="m">
  <label for="ok">Labelled</label><input id="ok" name="labelled"> <input name="nameless"> <button class="noring">Go</button> <button></button>
  <span class="visually-hidden">a long text for screen readers only, clipped on purpose</span>
  <div class="wide">wide</div><div class="clip">a long text that is cut off at the box's edge</div>
  <div class="scroller"><div style="width: 400px">wide content in a box that scrolls</div></div>
  <p class="tiny">tiny text</p><div class="grid"><span>term</span><span class="narrow">10.10.0.1/16 and a few words more</span></div>
  <button class="off">Off</button><button class="under">Covered</button><div class="bar"></div>
  <div inert><input name="unreachable" aria-label="Not in the tab order"></div>
  </main></body></html>`;

const step = (page: Page, n: string) => page.locator('fieldset.step:not([hidden]) > legend', { hasText: n }).waitFor();

const run = haveFixtures && haveChromium ? describe : describe.skip;
run('web console: every page at 1280, 390 and 320 px, labelled and keyboard-operable', () => {
  beforeAll(async () => {
    fixture = await recreateFixture(admin, 'rich', FIXTURE);
    srv = await startServer({ cwd, args: ['--console-idle', '10m'] });
    b = await launch();
  });
  afterAll(async () => {
    await b?.close();
    expect(await srv?.stop()).toBe(0);
  });

  test('the checks find what they look for, on a page made to fail each', async () => {
    const c = await context(b, 'https://127.0.0.1:1', { width: 390, height: HEIGHT });
    const page = c.page;
    await page.setContent(BAD_PAGE);
    const cdp = await c.ctx.newCDPSession(page);
    const layout = (await layoutProblems(page)).join('\n');
    expect(layout).toMatch(/the document scrolls sideways: \d+ px wide in 390 px/);
    expect(layout).toMatch(/div\.wide .*sticks out of the 390 px viewport/);
    expect(layout).toMatch(/div\.clip .*cuts off its content/);
    expect(layout).toMatch(/div\.scroller .*scrolls sideways .* not keyboard-focusable/);
    expect(layout).toMatch(/p\.tiny .*text of 9px/);
    expect(layout).toMatch(/span\.narrow .*is squeezed/);
    expect(layout).not.toMatch(/visually-hidden|Skip/);
    const buttons = (await buttonProblems(page, ['Go', 'Missing'])).join('\n');
    expect(buttons).toMatch(/"Missing" is not visible/);
    expect(buttons).toMatch(/"Off" is outside the 390 px viewport/);
    expect(buttons).toMatch(/"Covered" is covered by div\.bar/);
    expect(buttons).not.toMatch(/"Go"/);
    const names = await accessibleNameProblems(page, cdp);
    expect(names.problems.join('\n')).toMatch(/input\[name=nameless\] "": no accessible name/);
    expect(names.problems.join('\n')).toMatch(/button "": no accessible name/);
    expect(names.problems.join('\n')).not.toMatch(/labelled/);
    const keys = await keyboardProblems(page);
    expect(keys.problems.join('\n')).toMatch(/button "Go": no visible focus outline/);
    expect(keys.problems.join('\n')).toMatch(/input\[name=unreachable\] "Not in the tab order": not reached by Tab/);
    expect(keys.problems.join('\n')).not.toMatch(/labelled/);
    expect((await axeProblems(page)).join('\n')).toMatch(/axe label \(critical\)/);
    await c.ctx.close();
  }, 60_000);

  test('connect, the list, a VCH, upgrade, delete and configure', async () => {
    const c = await context(b, srv.https, { width: DRIVE, height: HEIGHT });
    allRequests.push(c.requests);
    const page = c.page;
    const cdp = await c.ctx.newCDPSession(page);
    await page.goto(`${srv.https}/`);
    await page.getByRole('heading', { name: 'Connect to vSphere' }).waitFor();
    await sweep(page, cdp, 'login', ['Connect']);
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByText('Enter the target.').waitFor();
    await sweep(page, cdp, 'login: a problem at its field', ['Connect']);

    await page.getByLabel('Target (vCenter or ESXi address)').fill(sim.host);
    await page.getByLabel('User', { exact: true }).fill(USER);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByRole('region', { name: 'The target\'s certificate is not trusted' }).waitFor();
    await sweep(page, cdp, 'trust', ['Trust this certificate and connect', 'Cancel']);
    await page.getByRole('button', { name: 'Trust this certificate and connect' }).click();
    await page.getByRole('heading', { name: 'Virtual container hosts' }).waitFor();
    await page.locator(`tr[data-vch="${fixture.value}"]`).waitFor();
    await sweep(page, cdp, 'list', ['Refresh', 'New VCH', 'Log out']);
    await page.getByLabel('Compute resource').fill('/DC0/host/no-such-cluster-with-a-long-name');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.locator('#main .field-error:not([hidden])').waitFor();
    await sweep(page, cdp, 'list: a problem at its field', ['Refresh', 'New VCH']);
    await page.getByLabel('Compute resource').fill('');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.locator(`tr[data-vch="${fixture.value}"]`).waitFor();

    // a VCH (fixture "rich": every section filled), its logs shown
    await page.getByRole('link', { name: FIXTURE }).click();
    await page.getByRole('heading', { name: `VCH ${FIXTURE}` }).waitFor();
    await page.getByRole('button', { name: 'Show the logs' }).click();
    await page.waitForFunction(() => !/^(Not loaded\.|Loading…)$/.test(document.querySelector('pre[aria-label="Logs"]')?.textContent ?? ''));
    // a certificate's PEM, folded under its summary, unfolded
    const folded = page.locator('#main details > summary');
    if (await folded.count()) await folded.first().click();
    await sweep(page, cdp, 'details', ['Configure…', 'Upgrade…', 'Delete…', 'Show the logs', 'Back to the list']);
    await screenshot(page, 'details-narrow');

    await page.getByRole('button', { name: 'Upgrade…' }).click();
    await page.getByRole('button', { name: `Upgrade ${FIXTURE}` }).waitFor();
    await sweep(page, cdp, 'upgrade', [`Upgrade ${FIXTURE}`, 'Cancel']);
    await page.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('button', { name: `Delete ${FIXTURE}` }).click();
    await page.getByText(`Type ${FIXTURE} exactly to delete it.`).waitFor();
    await sweep(page, cdp, 'delete: the name not typed', [`Delete ${FIXTURE}`, 'Cancel']);
    await page.getByRole('button', { name: 'Cancel' }).click();

    // configure (when the details page offers it)
    const configure = page.getByRole('link', { name: 'Configure…' });
    if (await configure.count()) {
      await configure.click();
      await page.getByRole('heading', { name: `Configure ${FIXTURE}` }).waitFor();
      await page.getByRole('button', { name: 'Add a container network' }).click();
      await page.getByRole('button', { name: 'Add a volume store' }).click();
      await sweep(page, cdp, 'configure', ['Review the changes', 'Cancel', 'Add a container network', 'Add a volume store']);
      await page.getByRole('button', { name: /^Remove new container network/ }).click();
      await page.getByRole('button', { name: /^Remove new volume store/ }).click();
      await page.getByLabel('Memory limit in MiB').fill('lots');
      // the Certificates section (a VCH with TLS, as fixture "rich" is): a pasted text that is no PEM
      const clientCas = page.getByLabel('Client CA certificates, PEM');
      if (await clientCas.count()) await clientCas.fill('not a certificate');
      await page.getByRole('button', { name: 'Review the changes' }).click();
      await page.locator('#main .field-error:not([hidden])').first().waitFor();
      await sweep(page, cdp, 'configure: a problem at its field', ['Review the changes', 'Cancel']);
      await page.getByLabel('Memory limit in MiB').fill('6144');
      await page.getByLabel('HTTPS proxy').fill('https://a-proxy-with-a-rather-long-host-name.internal.example.com:8443');
      if (await clientCas.count()) {
        await clientCas.fill('');
        await page.getByLabel('Server certificate name').fill(`${FIXTURE}.a-long-subdomain.internal.example.com`);
      }
      await page.getByRole('button', { name: 'Review the changes' }).click();
      await page.getByRole('region', { name: new RegExp(`^Confirm \\d changes to ${FIXTURE}$`) }).waitFor();
      await sweep(page, cdp, 'configure: the confirmation', [`Configure ${FIXTURE}`, 'Cancel']);
      await page.getByRole('button', { name: 'Cancel' }).click();
    }

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Connect to vSphere' }).waitFor();
    await c.ctx.close();
  }, 600_000);

  test('the create wizard: each step, a problem, the summary with its plan, the result; then delete followed to its end', async () => {
    const c = await context(b, srv.https, { width: DRIVE, height: HEIGHT });
    allRequests.push(c.requests);
    const page = c.page;
    const cdp = await c.ctx.newCDPSession(page);
    await page.goto(`${srv.https}/`);
    await connect(page, sim.host, USER, PASSWORD);
    await page.getByRole('link', { name: 'New VCH' }).click();
    const next = () => page.getByRole('button', { name: 'Next' }).click();
    const wizard = ['Back', 'Next', 'Cancel'];
    await step(page, 'General');
    await sweep(page, cdp, 'create 1: general', wizard);
    await next();
    await page.getByText('Enter a name for the VCH.').waitFor();
    await sweep(page, cdp, 'create 1: general, a problem at its field', wizard);
    await page.getByLabel('VCH name').fill(MADE);
    await next();
    await step(page, 'Compute capacity');
    await page.getByLabel('Compute resource').selectOption('DC0_C0');
    await sweep(page, cdp, 'create 2: compute capacity', wizard);
    await next();
    await step(page, 'Storage capacity');
    await page.getByLabel('Image datastore').selectOption('LocalDS_0');
    await page.getByLabel('Volume store datastore (optional)').selectOption('LocalDS_0');
    await sweep(page, cdp, 'create 3: storage capacity', wizard);
    await next();
    await step(page, 'Networks');
    await page.getByLabel('Bridge network').selectOption('DC0_DVPG0');
    await page.getByLabel('Public network').selectOption('VM Network');
    await sweep(page, cdp, 'create 4: networks', wizard);
    await next();
    await step(page, 'Security');
    await page.getByLabel('Server certificate name (optional)').fill(`${MADE}.example.com`);
    await sweep(page, cdp, 'create 5: security', wizard);
    await page.getByLabel('Use my CA (PEM)').check();
    await page.getByLabel('Client CA certificate, PEM').waitFor();
    await next();
    await page.getByText(/Paste your CA certificate in PEM/).waitFor();
    await sweep(page, cdp, 'create 5: security, my CA, a problem at its field', wizard);
    await page.getByLabel('Make client certificates in this browser').check();
    await next();
    await step(page, 'Registry access');
    await page.getByLabel('Insecure registries (optional)').fill('registry-with-a-long-name.internal.example.com:5000');
    await sweep(page, cdp, 'create 6: registry access', wizard);
    await next();
    await step(page, 'Operations user');
    await page.getByLabel('Operations user (optional)').fill('ops-user-for-the-web-team@vsphere.local');
    await page.getByLabel('Operations password').fill('0ps-Secr3t-pw');
    await sweep(page, cdp, 'create 7: operations user', wizard);
    // no such user on the target: the plan (the server's dry run) says so at the field
    await next();
    await page.getByText(/Failed to validate operations credentials/).waitFor();
    await sweep(page, cdp, 'create 7: operations user, the plan\'s problem at its field', wizard);
    await page.getByLabel('Operations user (optional)').fill('');
    await page.getByLabel('Operations password').fill('');
    await next();
    await step(page, 'Summary').catch(async (e) => { throw new Error(`${(e as Error).message}\n${await page.locator('#main').innerText()}`); });
    await page.getByRole('region', { name: 'The plan: what create will make' }).waitFor();
    await sweep(page, cdp, 'create 8: summary with the plan', ['Back', 'Create', 'Cancel']);
    await screenshot(page, 'create-narrow');

    // the task followed while it runs: create cannot end before the appliance (played below) reports its address
    await page.getByRole('button', { name: 'Create' }).click();
    await page.locator('#main progress').waitFor();
    await page.waitForFunction(() => (document.querySelector('#main pre.log')?.textContent ?? '').length > 0);
    await sweep(page, cdp, 'create: the task running', []);
    const appliance = playAppliance(admin, MADE, IP, { requireClientCert: false, timeoutMs: 150_000 });
    appliance.catch(() => undefined);
    try {
      await page.locator('#main .phase', { hasText: `Create ${MADE}: done` }).waitFor({ timeout: 180_000 })
        .catch(async (e) => { throw new Error(`${(e as Error).message}\n${await page.locator('#main').innerText()}`); });
      await page.getByRole('button', { name: 'Download cert.pem' }).waitFor();
      await sweep(page, cdp, 'create: the result with the client certificates', ['Show the VCH', 'Back to the list', 'Download ca.pem', 'Download key.pem']);
    } finally {
      (await appliance.catch(() => undefined))?.stop?.();
    }

    // the VCH made, then deleted: the task followed to its end
    await page.getByRole('link', { name: 'Show the VCH' }).click();
    await page.getByRole('heading', { name: `VCH ${MADE}` }).waitFor();
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByLabel(`Type the VCH's name, ${MADE}, to confirm`).fill(MADE);
    await page.getByRole('button', { name: `Delete ${MADE}` }).click();
    await page.locator('#main .phase', { hasText: `Delete ${MADE}: done` }).waitFor({ timeout: 120_000 });
    await sweep(page, cdp, 'delete: followed to its end', ['Back to the list']);
    await c.ctx.close();
  }, 600_000);

  test('every page and step: no sideways scrolling, nothing cut off, names on every control, the keyboard reaches all, no serious axe finding', () => {
    const problems = Object.fromEntries(Object.entries(found).flatMap(([name, byWidth]) => Object.entries(byWidth).filter(([, p]) => p.length).map(([w, p]) => [`${name} @ ${w}`, p])));
    expect(problems).toEqual({});
    // each page had controls to check and Tab stops to walk
    for (const [name, n] of Object.entries(controlsSeen)) expect([name, n > 0]).toEqual([name, true]);
    for (const [name, n] of Object.entries(tabStops)) expect([name, n > 1]).toEqual([name, true]);
    expect(Object.keys(found)).toEqual(expect.arrayContaining([
      'login', 'login: a problem at its field', 'trust', 'list', 'list: a problem at its field', 'details', 'upgrade', 'delete: the name not typed',
      'configure', 'configure: a problem at its field', 'configure: the confirmation',
      'create 1: general', 'create 1: general, a problem at its field', 'create 2: compute capacity', 'create 3: storage capacity', 'create 4: networks',
      'create 5: security', 'create 5: security, my CA, a problem at its field', 'create 6: registry access', 'create 7: operations user',
      'create 7: operations user, the plan\'s problem at its field',
      'create 8: summary with the plan', 'create: the task running', 'create: the result with the client certificates', 'delete: followed to its end',
    ]));
  });

  test('no request left the server\'s origin', () => {
    expect(allRequests.flatMap((r) => r.foreign)).toEqual([]);
  });
});
