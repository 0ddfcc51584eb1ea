// The web console's time to first render of a 100-VCH list: the simulator with 100 VCHs (made as the ls scale
// benchmark makes them: fixture basic's extraConfig written onto simulator VMs), the real server process, Debian's
// chromium. Each run loads the page afresh (logged in: the cookie) and times, from the navigation's start, until the
// table holds its 100th row. At 0 and 20 ms added per vSphere request. Run: node bench/run.mjs --main console-list
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startVcsim } from '../test/support/vcsim.js';
import { writeTestIso } from '../test/support/iso-fixture.js';
import { startServer } from '../test/server/support/server-process.js';
import { context, launch } from '../test/console/support/browser.js';
import { ReconfigVM_Task } from '../src/vim/methods.generated.js';
import { Session } from '../src/vim/session.js';
import { retrieveFromView } from '../src/vim/property-collector.js';
import { runTask } from '../src/vim/task.js';
import { log, median } from './util.js';

// the page's globals, in the functions run in the browser (the benchmarks compile without the DOM library)
declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any

const FIXTURE_EC = '/work/shared/fixtures/vic-machine-1.5.8/basic/extraconfig.running.json';
const VCHS = 100;
const RUNS = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;

const sim = await startVcsim({ model: { vm: 60 }, username: 'admin', password: 'Bench-pw-1' });
const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'vicm-bench-console-'));
const admin = await Session.connect({ url: sim.url, user: 'admin', password: 'Bench-pw-1', trust: { thumbprint: sim.thumbprintSHA1 }, keepAliveMs: 0 });
for (const kind of ['appliance', 'bootstrap']) await writeTestIso(path.join(cwd, `${kind}.iso`), { publisher: 'VMware Inc. v1.5.8-1-9489f63' });
const fixture = JSON.parse(fs.readFileSync(FIXTURE_EC, 'utf8')) as Record<string, string>;
const vms = (await retrieveFromView(admin, admin.content.rootFolder, ['VirtualMachine'], ['name'])).slice(0, VCHS);
for (let i = 0; i < vms.length; i += 8) {
  await Promise.all(vms.slice(i, i + 8).map((v) => runTask(admin, ReconfigVM_Task, {
    _this: v.ref, spec: { extraConfig: Object.entries({ ...fixture, 'guestinfo.vice./init/common/id': `VirtualMachine:${v.ref.value}` }).map(([key, value]) => ({ key, value })) },
  })));
}
log(`console-list: ${vms.length} VCHs planted`);
// the server helper finds bin/ three levels above itself: in bench/out, a link to the repository's bin/
const binLink = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'bin');
if (!fs.existsSync(binLink)) fs.symlinkSync(path.resolve(binLink, '..', '..', '..', 'bin'), binLink);
const srv = await startServer({ cwd });
const b = await launch();
const rows: string[] = [];
try {
  const { page } = await context(b, srv.https);
  await page.goto(`${srv.https}/`);
  await page.getByLabel('Target (vCenter or ESXi address)').fill(sim.host);
  await page.getByLabel('User', { exact: true }).fill('admin');
  await page.getByLabel('Password').fill('Bench-pw-1');
  await page.getByRole('button', { name: 'Connect' }).click();
  await page.getByRole('button', { name: 'Trust this certificate and connect' }).click();
  await page.waitForFunction((n) => document.querySelectorAll('tr[data-vch]').length === n, VCHS, { timeout: 120_000 });
  for (const latency of [0, 20]) {
    await sim.setLatency(latency);
    const times: number[] = [];
    const api: number[] = [];
    for (let i = 0; i < RUNS + 1; i++) {
      await page.goto('about:blank'); // a new document each time: performance.now() counts from its navigation
      await page.goto(`${srv.https}/#/`);
      await page.waitForFunction((n) => document.querySelectorAll('tr[data-vch]').length === n, VCHS, { timeout: 120_000, polling: 'raf' });
      const ms = await page.evaluate('performance.now()') as number;
      // the list request's own time (the server's list of 100 VCHs), from the browser's resource timing
      const listMs = await page.evaluate('performance.getEntriesByType("resource").filter((e) => /\\/vch(\\?|$)/.test(e.name)).map((e) => e.duration).pop() ?? 0') as number;
      if (i > 0) { times.push(ms); api.push(listMs); } // the first is a warm-up
    }
    const line = `| ${latency} ms | ${VCHS} | ${Math.round(median(times))} ms | ${Math.round(Math.min(...times))}–${Math.round(Math.max(...times))} ms | ${Math.round(median(api))} ms |`;
    rows.push(line);
    log(`console-list: ${line}`);
  }
} finally {
  await b.close();
  await srv.stop();
  await admin.logout();
  await sim.stop();
  fs.rmSync(cwd, { recursive: true, force: true });
}
process.stdout.write(`| added per vSphere request | VCHs | first render (median of ${RUNS}) | range | of which the list request (median) |\n|---|---|---|---|---|\n${rows.join('\n')}\n`);
