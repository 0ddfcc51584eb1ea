// vic-machine-server through its real process (bin/vic-machine-server on 127.0.0.1) against the simulator, request by
// request: every route in both of 1.5's forms, each answer checked against the served spec's schema and, for the
// VCH routes, field by field against what the CLI's `ls --json` and `inspect --json` say of the same VCH. The last
// test reads the server's own request log and fails when a path and method of the spec was not served.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import tls from 'node:tls';
import { simulatorSuite } from '../support/simulator-suite.js';
import type { Vcsim } from '../support/vcsim.js';
import { attachFixtureIso, dc0, haveFixtures, inventoryPaths, recreateFixture } from '../support/fixture-vch.js';
import { datastoreEntries } from '../support/cli-process.js';
import { writeTestIso } from '../support/iso-fixture.js';
import { componentsStarter } from '../support/maintenance-sweep.js';
import { playAppliance } from '../support/appliance-player.js';
import path from 'node:path';
import { runCli } from '../support/in-process-cli.js';
import type { Session } from '../../src/vim/session.js';
import type { MoRef } from '../../src/vim/types.js';
import { retrieveOne } from '../../src/vim/property-collector.js';
import { checkSchema, resolveRef, responseSchema } from './support/schema-check.js';
import { loggedRequests, request, startServer, type Answer, type ServerProcess } from './support/server-process.js';

let sim: Vcsim;
let admin: Session;
let cwd: string;
const USER = 'vsphere-admin';
const PASSWORD = 'Srv-Secr3t-pw';
simulatorSuite({ tmpPrefix: 'vicm-server-', isos: true, vcsim: { username: USER, password: PASSWORD, firewallOpen: false } }, (s) => ({ sim, admin, cwd } = s));

const AUTH = `${USER}:${PASSWORD}`;
let srv: ServerProcess;
let spec: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
let vm: MoRef;
let dcId: string;

const T = () => `/container/target/${encodeURIComponent(sim.host)}`;
const TD = () => `${T()}/datacenter/${dcId}`;
const tp = () => `thumbprint=${encodeURIComponent(sim.thumbprintSHA1)}`;
const forms = (): [string, string, string][] => [['/target/{target}', T(), ''], ['/target/{target}/datacenter/{datacenter}', TD(), '']];

function schemaErrors(template: string, method: string, a: Answer): string[] {
  let schema = responseSchema(spec, template, method, a.status);
  if (!schema) return [];
  if (schema['$ref']) schema = resolveRef(spec, schema['$ref']);
  const value = schema['type'] === 'string' ? a.text : a.json;
  return checkSchema(spec, schema, value, '$', { strict: true });
}

async function get(p: string, template: string, o: Parameters<typeof request>[3] = {}): Promise<Answer> {
  const a = await request(srv.http, 'GET', p, { auth: AUTH, ...o });
  expect(schemaErrors(template, 'GET', a)).toEqual([]);
  return a;
}

const cliTarget = () => ['--target', `${sim.host}/DC0`, '--user', USER, '--password', PASSWORD, '--thumbprint', sim.thumbprintSHA1];

(haveFixtures ? describe : describe.skip)('vic-machine-server', () => {
  beforeAll(async () => {
    vm = await recreateFixture(admin, 'basic', 'vch1');
    // a newer build beside the installer's, for the upgrade
    for (const kind of ['appliance', 'bootstrap']) await writeTestIso(path.join(cwd, `${kind}-v2.iso`), { publisher: 'VMware Inc. v1.5.8-2-abcdef1' });
    dcId = (await dc0(admin)).ref.value;
    srv = await startServer({ cwd, args: ['--session-idle', '3s', '--no-console'] }); // the console's routes: test/console/
    spec = (await request(srv.http, 'GET', '/container/swagger.json')).json;
  });
  afterAll(async () => {
    await srv?.stop();
  });

  test('hello, version and metadata need no credentials; version is the installer\'s as the CLI says it', async () => {
    const hello = await request(srv.http, 'GET', '/container/hello');
    expect([hello.status, hello.text]).toEqual([200, 'success']);
    const version = await request(srv.http, 'GET', '/container/version');
    expect(version.status).toBe(200);
    const ls = await runCli(['ls', '--json', ...cliTarget()], cwd);
    expect(version.text).toBe(JSON.parse(ls.stdout).installerVersion);
    const meta = await request(srv.http, 'GET', '/container');
    expect(meta.status).toBe(200);
    expect(checkSchema(spec, responseSchema(spec, '/', 'GET', 200)!, meta.json, '$', { strict: true })).toEqual([]);
    expect(meta.json).toMatchObject({ version: version.text, 'bootstrap-images': ['bootstrap-v2.iso', 'bootstrap.iso'] });
    expect(meta.json.isos).toEqual(expect.arrayContaining([{ kind: 'appliance', name: 'appliance.iso', version: version.text }]));
  });

  test('the served spec is 1.5\'s with every addition marked as an extension', async () => {
    const orig = JSON.parse(fs.readFileSync('/work/shared/reference/vic-machine-server.swagger.json', 'utf8'));
    for (const [p, item] of Object.entries<Record<string, unknown>>(orig.paths)) {
      for (const m of Object.keys(item)) expect(spec['paths'][p][m]).toBeDefined();
    }
    for (const [p, item] of Object.entries<Record<string, unknown>>(spec['paths'])) {
      if (!orig.paths[p]) expect((item as Record<string, unknown>)['x-vic-extension']).toBe(true);
    }
    for (const [name, def] of Object.entries<Record<string, any>>(spec['definitions'])) { // eslint-disable-line @typescript-eslint/no-explicit-any
      const o = orig.definitions[name];
      if (!o) { expect(def['x-vic-extension']).toBe(true); continue; }
      for (const k of Object.keys(def['properties'] ?? {})) if (!o.properties?.[k]) expect(def['properties'][k]['x-vic-extension']).toBe(true);
    }
  });

  test.each([0, 1])('list (form %i): the VCH as the CLI\'s ls --json says it, in VCH_List', async (i) => {
    const [template, base] = forms()[i]!;
    const a = await get(`${base}/vch?${tp()}`, `${template}/vch`);
    expect(a.status).toBe(200);
    const ls = JSON.parse((await runCli(['ls', '--json', ...cliTarget()], cwd)).stdout);
    expect(a.json.vchs).toHaveLength(ls.vchs.length);
    const item = a.json.vchs.find((v: { id: string }) => v.id === vm.value);
    const cli = ls.vchs.find((v: { id: string }) => v.id === vm.value);
    expect(item).toMatchObject({
      id: cli.id, name: cli.name, version: cli.version, power_state: cli.powerState, upgrade_status: cli.upgradeStatus.text,
      parent: { name: cli.path }, moref: cli.moref, path: cli.path, datacenter: cli.datacenter, creating: cli.creating,
      upgrade_status_kind: cli.upgradeStatus.kind,
    });
    const inspect = JSON.parse((await runCli(['inspect', '--json', '--id', vm.value, ...cliTarget()], cwd)).stdout);
    expect(item.docker_host).toBe(`${inspect.hostAddress}:${inspect.dockerPort}`);
    expect(item.admin_portal).toBe(inspect.adminPortal);
    // the compute resource narrows the list as --compute-resource narrows ls
    const none = await get(`${base}/vch?${tp()}&compute-resource=${encodeURIComponent('DC0_H0')}`, `${template}/vch`);
    expect(none.json.vchs.find((v: { id: string }) => v.id === vm.value)).toBeUndefined();
  });

  test.each([0, 1])('inspect (form %i): the VCH model, field by field as the CLI\'s inspect --json', async (i) => {
    const [template, base] = forms()[i]!;
    const a = await get(`${base}/vch/${vm.value}?${tp()}`, `${template}/vch/{vchId}`);
    expect(a.status).toBe(200);
    const f = JSON.parse((await runCli(['inspect', '--json', '--id', vm.value, ...cliTarget()], cwd)).stdout);
    const model = JSON.parse((await runCli(['inspect', 'config', '--format', 'json', '--id', vm.value, ...cliTarget()], cwd)).stdout);
    const { runtime, ...rest } = a.json;
    expect(rest).toEqual(model);
    expect(runtime).toEqual({ power_state: f.powerState, admin_portal: f.adminPortal, docker_host: `${f.hostAddress}:${f.dockerPort}`,
      upgrade_status: JSON.parse((await runCli(['ls', '--json', ...cliTarget()], cwd)).stdout).vchs.find((v: { id: string }) => v.id === vm.value).upgradeStatus.text });
    expect(a.json.version).toBe(f.vchVersion);
    const missing = await get(`${base}/vch/vm-999999?${tp()}`, `${template}/vch/{vchId}`);
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ type: 'not-found', field: 'vchId' });
    expect(missing.json.message).toContain('vm-999999');
  });

  test.each([0, 1])('certificate (form %i): the host certificate in PEM, no key', async (i) => {
    const [template, base] = forms()[i]!;
    const a = await get(`${base}/vch/${vm.value}/certificate?${tp()}`, `${template}/vch/{vchId}/certificate`);
    expect(a.status).toBe(200);
    expect(a.headers['content-type']).toBe('application/x-pem-file');
    expect(a.text).toMatch(/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----\s*$/);
    expect(a.text).not.toMatch(/PRIVATE KEY/);
  });

  test.each([0, 1])('log (form %i): the run logs next to the appliance', async (i) => {
    const [template, base] = forms()[i]!;
    const a = await get(`${base}/vch/${vm.value}/log?${tp()}`, `${template}/vch/{vchId}/log`);
    expect(a.status).toBe(200);
    expect(a.text).toBe('fixture vic-machine_2026-11-22T22:08:40Z_create_23682.1.log');
  });

  test.each([0, 1])('firewall (form %i): status, allow, deny, as update firewall does', async (i) => {
    const [template, base] = forms()[i]!;
    const cr = `compute-resource=${encodeURIComponent('DC0_C0')}`;
    const denied = await request(srv.http, 'POST', `${base}?${tp()}&${cr}&action=firewall:deny`, { auth: AUTH });
    expect(denied.status).toBe(204);
    let st = await get(`${base}?${tp()}&${cr}`, template);
    expect(st.status).toBe(200);
    expect(st.json.firewall.length).toBeGreaterThan(0);
    expect(st.json.firewall.every((h: { in_supported_state: boolean }) => h.in_supported_state === false)).toBe(true);
    const allowed = await request(srv.http, 'POST', `${base}?${tp()}&${cr}&action=firewall:allow`, { auth: AUTH });
    expect([allowed.status, allowed.text]).toEqual([204, '']);
    st = await get(`${base}?${tp()}&${cr}`, template);
    expect(st.json.firewall.every((h: { in_supported_state: boolean }) => h.in_supported_state === true)).toBe(true);
    expect(st.json.firewall[0].target).toMatch(/^\/DC0\/host\/DC0_C0\//);
    const bad = await request(srv.http, 'POST', `${base}?${tp()}&${cr}&action=firewall:open`, { auth: AUTH });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ field: 'action' });
    expect(schemaErrors(template, 'POST', bad)).toEqual([]);
  });

  test('credentials: none or wrong → 401 with WWW-Authenticate; a clone ticket works; nothing secret in the log', async () => {
    const none = await request(srv.http, 'GET', `${T()}/vch?${tp()}`);
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Basic /);
    const wrong = await request(srv.http, 'GET', `${T()}/vch?${tp()}`, { auth: `${USER}:nope` });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toMatch(/^Basic /);
    expect(schemaErrors('/target/{target}/vch', 'GET', wrong)).toEqual([]);
    const ticket = await admin.acquireCloneTicket();
    const byTicket = await request(srv.http, 'GET', `${T()}/vch?${tp()}`, { headers: { 'X-VMWARE-TICKET': ticket } });
    expect(byTicket.status).toBe(200);
    expect(byTicket.json.vchs.map((v: { id: string }) => v.id)).toContain(vm.value);
    const log = fs.readFileSync(srv.logFile, 'utf8') + srv.stderr();
    expect(log).not.toContain(PASSWORD);
    expect(log).not.toContain(ticket);
    expect(log).not.toContain(Buffer.from(AUTH).toString('base64'));
  });

  test('a vSphere fault echoing the caller\'s password: redacted in the answer and the log (the request\'s secrets)', async () => {
    await sim.injectFaults({ method: 'RetrievePropertiesEx', nth: 1, kind: 'soapfault', fault: 'SystemError', message: `incorrect password ${PASSWORD} given` });
    const a = await request(srv.http, 'GET', `${T()}/vch?${tp()}`, { auth: AUTH });
    expect(a.status).toBeGreaterThanOrEqual(400);
    expect(a.json.message).toContain('incorrect password <redacted> given');
    expect(a.text).not.toContain(PASSWORD);
    expect(schemaErrors('/target/{target}/vch', 'GET', a)).toEqual([]);
    const log = fs.readFileSync(srv.logFile, 'utf8') + srv.stderr();
    expect(log).not.toContain(PASSWORD);
  });

  test('the target\'s certificate: unpinned → 400 naming both fingerprints, subject, issuer and validity; a wrong pin → 400; a malformed one → 400', async () => {
    const a = await request(srv.http, 'GET', `${T()}/vch`, { auth: AUTH });
    expect(a.status).toBe(400);
    expect(a.json).toMatchObject({ type: 'tls-trust', field: 'thumbprint', certificate: { sha1: sim.thumbprintSHA1, sha256: sim.thumbprintSHA256 } });
    expect(Object.keys(a.json.certificate).sort()).toEqual(['issuer', 'sha1', 'sha256', 'subject', 'valid_from', 'valid_to']);
    expect(schemaErrors('/target/{target}/vch', 'GET', a)).toEqual([]);
    // the CLI's message in this API's words: the query parameter, never the CLI's flag
    expect(a.json.message).toContain(`then pass ?thumbprint=${sim.thumbprintSHA1} (or the SHA-256 value)`);
    expect(a.json.hint).toContain(`?thumbprint=${sim.thumbprintSHA1}`);
    const sha256 = await request(srv.http, 'GET', `${T()}/vch?thumbprint=${encodeURIComponent(sim.thumbprintSHA256)}`, { auth: AUTH });
    expect(sha256.status).toBe(200);
    const wrong = await request(srv.http, 'GET', `${T()}/vch?thumbprint=${'AB:'.repeat(19)}AB`, { auth: AUTH });
    expect(wrong.status).toBe(400);
    expect(wrong.json.certificate.sha1).toBe(sim.thumbprintSHA1);
    expect(wrong.json.message).toContain(`does not match ?thumbprint=${'AB:'.repeat(19)}AB`);
    const bad = await request(srv.http, 'GET', `${T()}/vch?thumbprint=12:34`, { auth: AUTH });
    expect(bad.status).toBe(400);
    expect(bad.json.field).toBe('thumbprint');
    expect(bad.json.message).toMatch(/^\?thumbprint="12:34" is not a certificate thumbprint/);
    for (const m of [a.json.message, wrong.json.message, bad.json.message]) expect(m).not.toContain('--thumbprint');
  });

  test('sessions are reused: a list takes no Login and at most 6 SOAP requests', async () => {
    await get(`${T()}/vch?${tp()}`, '/target/{target}/vch');
    await sim.resetStats();
    for (let i = 0; i < 3; i++) expect((await get(`${T()}/vch?${tp()}`, '/target/{target}/vch')).status).toBe(200);
    const st = await sim.stats();
    expect(st.soap['Login'] ?? 0).toBe(0);
    expect(st.total / 3).toBeLessThanOrEqual(6);
  });

  test('delete: 202 with a task once the VCH is gone; the task says so; a bad Deletion_Specification is a 400 naming the field', async () => {
    const vm2 = await recreateFixture(admin, 'basic', 'vch2');
    const bad = await request(srv.http, 'DELETE', `${T()}/vch/${vm2.value}?${tp()}`, { auth: AUTH, body: { containers: 'some' } });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ field: '$.containers' });
    const a = await request(srv.http, 'DELETE', `${T()}/vch/${vm2.value}?${tp()}`, { auth: AUTH, body: { containers: 'all', volume_stores: 'all' } });
    expect(a.status).toBe(202);
    expect(schemaErrors('/target/{target}/vch/{vchId}', 'DELETE', a)).toEqual([]);
    const task = await request(srv.http, 'GET', new URL(a.json.task).pathname, { auth: AUTH });
    expect(task.status).toBe(200);
    expect(task.json).toMatchObject({ operation: 'delete', state: 'success', vch: { id: vm2.value, name: 'vch2' } });
    expect(checkSchema(spec, responseSchema(spec, '/tasks/{taskId}', 'GET', 200)!, task.json, '$', { strict: true })).toEqual([]);
    const list = await get(`${T()}/vch?${tp()}`, '/target/{target}/vch');
    expect(list.json.vchs.map((v: { name: string }) => v.name)).not.toContain('vch2');
    // another credential does not see the task
    const other = await request(srv.http, 'GET', new URL(a.json.task).pathname, { auth: `${USER}:other` });
    expect(other.status).toBe(404);
  });

  test('delete with Prefer: respond-async returns after validation; the task ends in success; the datacenter form too', async () => {
    const vm3 = await recreateFixture(admin, 'basic', 'vch3');
    const a = await request(srv.http, 'DELETE', `${TD()}/vch/${vm3.value}?${tp()}`, { auth: AUTH, headers: { Prefer: 'respond-async' } });
    expect(a.status).toBe(202);
    expect(a.headers['preference-applied']).toBe('respond-async');
    let task: Answer;
    do {
      task = await request(srv.http, 'GET', new URL(a.json.task).pathname, { auth: AUTH });
      if (task.json.state === 'running') await new Promise((r) => setTimeout(r, 100));
    } while (task.json.state === 'running');
    expect(task.json.state).toBe('success');
    expect(task.json.log.join('\n')).toContain('Removing VMs');
    const gone = await request(srv.http, 'DELETE', `${TD()}/vch/${vm3.value}?${tp()}`, { auth: AUTH });
    expect(gone.status).toBe(404);
    expect(schemaErrors('/target/{target}/datacenter/{datacenter}/vch/{vchId}', 'DELETE', gone)).toEqual([]);
  });

  test('cancelling a running task (DELETE /tasks/{id}) stops the operation: the task ends cancelled, and a second delete finishes it', async () => {
    const vm4 = await recreateFixture(admin, 'basic', 'vch4');
    await sim.injectFaults({ method: 'PowerOffVM_Task', kind: 'slow', delayMs: 1500 });
    try {
      const a = await request(srv.http, 'DELETE', `${T()}/vch/${vm4.value}?${tp()}`, { auth: AUTH, headers: { Prefer: 'respond-async' }, body: { containers: 'all' } });
      expect(a.status).toBe(202);
      const path = new URL(a.json.task).pathname;
      const busy = await request(srv.http, 'DELETE', `${T()}/vch/${vm4.value}?${tp()}`, { auth: AUTH });
      expect(busy.status).toBe(409);
      expect(busy.json.holder).toContain('delete task');
      const c = await request(srv.http, 'DELETE', path, { auth: AUTH });
      expect(c.status).toBe(200);
      expect(c.json.state).toBe('cancelled');
      expect(checkSchema(spec, responseSchema(spec, '/tasks/{taskId}', 'DELETE', 200)!, c.json, '$', { strict: true })).toEqual([]);
    } finally {
      await sim.clearFaults();
    }
    const again = await request(srv.http, 'DELETE', `${T()}/vch/${vm4.value}?${tp()}`, { auth: AUTH, body: { containers: 'all' } });
    expect(again.status).toBe(202);
  });

  test('upgrade: to the bootstrap ISO named (with the appliance ISO of its version), then rollback; the VCH model and the CLI agree on the version', async () => {
    // the fixture whose clients are verified (no Docker API check without a client certificate: only its components
    // are waited for); the original's appliance boots from a CD-ROM with its appliance ISO, the recreated VM gets one
    const vm5 = await recreateFixture(admin, 'rich', 'vch5');
    await attachFixtureIso(admin, vm5, 'vch5');
    const starter = componentsStarter(sim, admin, 'vch5', vm5);
    try {
      const bad = await request(srv.http, 'POST', `${T()}/vch/${vm5.value}?${tp()}&action=upgrade`, { auth: AUTH, body: { 'bootstrap-iso': 'nope.iso' } });
      expect(bad.status).toBe(400);
      expect(bad.json).toMatchObject({ field: '$.bootstrap-iso' });
      expect(bad.json.hint).toContain('bootstrap-v2.iso');
      const up = await request(srv.http, 'POST', `${T()}/vch/${vm5.value}?${tp()}&action=upgrade`, { auth: AUTH, body: { 'bootstrap-iso': 'bootstrap-v2.iso' } });
      expect([up.status, up.json.message]).toEqual([202, undefined]);
      const task = await request(srv.http, 'GET', new URL(up.json.task).pathname, { auth: AUTH });
      expect(task.json).toMatchObject({ operation: 'upgrade', state: 'success', result: { from: 'v1.5.8-1-9489f63', to: 'v1.5.8-2-abcdef1' } });
      const model = await get(`${T()}/vch/${vm5.value}?${tp()}`, '/target/{target}/vch/{vchId}');
      expect(model.json.version).toBe('v1.5.8-2-abcdef1');
      const f = JSON.parse((await runCli(['inspect', '--json', '--id', vm5.value, ...cliTarget()], cwd)).stdout);
      expect(f.vchVersion).toBe(model.json.version);
      expect(model.json.runtime.upgrade_status).toBe('VCH has newer version');
      const back = await request(srv.http, 'POST', `${TD()}/vch/${vm5.value}?${tp()}&action=upgrade`, { auth: AUTH, body: { rollback: true } });
      expect(back.status).toBe(202);
      expect((await get(`${T()}/vch/${vm5.value}?${tp()}`, '/target/{target}/vch/{vchId}')).json.version).toBe('v1.5.8-1-9489f63');
      const same = await request(srv.http, 'POST', `${T()}/vch/${vm5.value}?${tp()}&action=upgrade`, { auth: AUTH, body: { 'bootstrap-iso': 'bootstrap.iso' } });
      expect(same.status).toBe(409);
      expect(schemaErrors('/target/{target}/vch/{vchId}', 'POST', same)).toEqual([]);
    } finally {
      await starter.stop();
    }
  });

  test('debug: the key is checked before anything; without guest operations (the simulator has none) the answer says why; the password is nowhere', async () => {
    const bad = await request(srv.http, 'POST', `${T()}/vch/${vm.value}?${tp()}&action=debug`, { auth: AUTH, body: { authorized_key: '-----BEGIN OPENSSH PRIVATE KEY-----\nx\n' } });
    expect(bad.status).toBe(400);
    expect(bad.json.field).toBe('$.authorized_key');
    const a = await request(srv.http, 'POST', `${TD()}/vch/${vm.value}?${tp()}&action=debug`, { auth: AUTH, body: { authorized_key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMq user@host', rootpw: 'Debug-Root-Pw9' } });
    expect(a.status).toBeGreaterThanOrEqual(400);
    expect(schemaErrors('/target/{target}/datacenter/{datacenter}/vch/{vchId}', 'POST', a)).toEqual([]);
    expect(a.text).not.toContain('Debug-Root-Pw9');
    if (a.json.task) expect((await request(srv.http, 'GET', new URL(a.json.task).pathname, { auth: AUTH })).text).not.toContain('Debug-Root-Pw9');
    expect(fs.readFileSync(srv.logFile, 'utf8')).not.toContain('Debug-Root-Pw9');
    const badAction = await request(srv.http, 'POST', `${T()}/vch/${vm.value}?${tp()}&action=reboot`, { auth: AUTH });
    expect([badAction.status, badAction.json.field]).toEqual([400, 'action']);
  });

  /** PUT and PATCH on the VCH the create test made (its appliance played, its components restarted after each power cycle). */
  async function configureFlows(id: string): Promise<void> {
    const starter = componentsStarter(sim, admin, 'vch-api', { type: 'VirtualMachine', value: id }, '127.0.0.95');
    const url = `${T()}/vch/${id}?${tp()}`;
    const cliModel = async () => JSON.parse((await runCli(['inspect', 'config', '--format', 'json', '--id', id, ...cliTarget()], cwd)).stdout);
    try {
      // PATCH: a merge patch of what changes
      const p = await request(srv.http, 'PATCH', url, { auth: AUTH, headers: { 'Content-Type': 'application/merge-patch+json' },
        body: JSON.stringify({ syslog_addr: 'tcp://127.0.0.1:514', storage: { volume_stores: [{ datastore: 'ds://LocalDS_0/api-vols', label: 'default' }] } }) });
      expect([p.status, p.json.message]).toEqual([202, undefined]);
      expect(schemaErrors('/target/{target}/vch/{vchId}', 'PATCH', p)).toEqual([]);
      const task = (await request(srv.http, 'GET', new URL(p.json.task).pathname, { auth: AUTH })).json;
      expect(task).toMatchObject({ operation: 'configure', state: 'success', result: { changed: true } });
      let model = (await get(url, '/target/{target}/vch/{vchId}')).json;
      expect(model.syslog_addr).toBe('tcp://127.0.0.1:514');
      expect(model.storage.volume_stores).toEqual([{ datastore: 'ds://LocalDS_0/api-vols', label: 'default' }]);
      const { runtime: _r, ...rest } = model;
      expect(rest).toEqual(await cliModel());
      // PATCH naming a field configure cannot change: 409 naming it, nothing changed
      const name = await request(srv.http, 'PATCH', url, { auth: AUTH, body: { name: 'renamed' } });
      expect([name.status, name.json.field]).toEqual([409, '$.name']);
      // PUT replaces: the model as read, with a convention added
      const { runtime: _r2, ...whole } = model;
      const put = await request(srv.http, 'PUT', url, { auth: AUTH, body: { ...whole, container: { ...whole.container, name_convention: 'api-{name}' } } });
      expect([put.status, put.json.message]).toEqual([202, undefined]);
      model = (await get(url, '/target/{target}/vch/{vchId}')).json;
      expect(model.container.name_convention).toBe('api-{name}');
      // PUT without the volume store: configure only adds, so the removal is a 409 naming it
      const { runtime: _r3, ...current } = model;
      const removed = await request(srv.http, 'PUT', url, { auth: AUTH, body: { ...current, storage: { ...current.storage, volume_stores: [] } } });
      expect(removed.status).toBe(409);
      expect(removed.json.problems.map((x: { field?: string }) => x.field)).toEqual(expect.arrayContaining([expect.stringMatching(/volume/)]));
      expect(schemaErrors('/target/{target}/vch/{vchId}', 'PUT', removed)).toEqual([]);
      // a bad value: 400 naming the field; the datacenter form too
      const bad = await request(srv.http, 'PATCH', `${TD()}/vch/${id}?${tp()}`, { auth: AUTH, body: { syslog_addr: 'nonsense' } });
      expect([bad.status, bad.json.field]).toEqual([400, '$.syslog_addr']);
      const same = await request(srv.http, 'PUT', `${TD()}/vch/${id}?${tp()}`, { auth: AUTH, body: whole.container ? { ...whole, container: { ...whole.container, name_convention: 'api-{name}' } } : whole });
      expect(same.status).toBe(202);
      expect((await request(srv.http, 'GET', new URL(same.json.task).pathname, { auth: AUTH })).json.result).toEqual({ changed: false, changes: [] });
    } finally {
      await starter.stop();
    }
  }

  test('create: bad bodies are 400 with every bad field\'s JSON path, before anything is made', async () => {
    const a = await request(srv.http, 'POST', `${T()}/vch?${tp()}`, { auth: AUTH, body: { name: 'vch-bad', bogus: 1, network: { bridge: { network_width: 'wide' } } } });
    expect(a.status).toBe(400);
    expect(a.json.problems.map((p: { field: string }) => p.field).sort()).toEqual(['$.bogus', '$.network.bridge.network_width']);
    expect(schemaErrors('/target/{target}/vch', 'POST', a)).toEqual([]);
    const noName = await request(srv.http, 'POST', `${T()}/vch?${tp()}`, { auth: AUTH, body: {} });
    expect([noName.status, noName.json.field]).toEqual([400, '$.name']);
    const v = await request(srv.http, 'POST', `${T()}/vch?${tp()}`, { auth: AUTH, body: { name: 'vch-bad', version: 'v9.9.9-1-abcdef0' } });
    expect([v.status, v.json.field]).toEqual([400, '$.version']);
    // validation against vSphere: every problem, each named by its field
    const vs = await request(srv.http, 'POST', `${T()}/vch?${tp()}`, { auth: AUTH, body: {
      name: 'vch-bad', compute: { resource: { name: 'NoSuchCluster' } }, network: { bridge: { port_group: { name: 'NoSuchPG' } } },
      auth: { client: { no_tls_verify: true } },
    } });
    expect(vs.status).toBe(400);
    expect(vs.json.problems.map((p: { field: string }) => p.field)).toEqual(expect.arrayContaining(['$.compute.resource', '$.network.bridge.port_group']));
    // the message in this API's words: each problem with its field and what exists, no CLI flag, no "vic-machine" line
    expect(vs.json.message).toMatch(/compute resource 'NoSuchCluster' not found \(\$\.compute\.resource\); existing: DC0_C0, /);
    expect(vs.json.message).not.toMatch(/--compute-resource|--bridge-network|Suggested values/);
    // a certificate problem too: the field, not the CLI's flag, nor the request's private folder the PEM was written to
    const key = await request(srv.http, 'POST', `${T()}/vch?${tp()}`, { auth: AUTH, body: {
      name: 'vch-bad', auth: { client: { no_tls_verify: true }, server: { certificate: { pem: srv.ca }, private_key: { pem: '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n' } } },
    } });
    expect([key.status, key.json.field]).toEqual([400, '$.auth.server.private_key']);
    expect(key.json.message).toMatch(/^\$\.auth\.server\.private_key contains a PRIVATE KEY block that cannot be parsed/);
    expect(key.json.message).not.toMatch(/--tls|vicm-server-create|input-\d\.pem/);
    expect((await get(`${T()}/vch?${tp()}`, '/target/{target}/vch')).json.vchs.map((x: { name: string }) => x.name)).not.toContain('vch-bad');
  });

  test('create: 201 once made and powered on; the task follows the appliance to ready; the VCH reads back as inspect config says; a second create of the name is refused', async () => {
    await request(srv.http, 'POST', `${T()}?${tp()}&compute-resource=DC0_C0&action=firewall:allow`, { auth: AUTH });
    const body = {
      name: 'vch-api', compute: { resource: { name: 'DC0_C0' } },
      network: { bridge: { port_group: { name: 'DC0_DVPG0' } } },
      auth: { client: { no_tls_verify: true }, server: { generate: { cname: 'vch-api.example.com' } } },
    };
    const appliance = playAppliance(admin, 'vch-api', '127.0.0.95', { requireClientCert: false, timeoutMs: 110_000 });
    try {
      const a = await request(srv.http, 'POST', `${TD()}/vch?${tp()}`, { auth: AUTH, body });
      expect([a.status, a.json.message]).toEqual([201, undefined]);
      expect(schemaErrors('/target/{target}/datacenter/{datacenter}/vch', 'POST', a)).toEqual([]);
      const taskPath = new URL(a.json.task).pathname;
      let task: Answer;
      do {
        task = await request(srv.http, 'GET', taskPath, { auth: AUTH });
        if (task.json.state === 'running') await new Promise((r) => setTimeout(r, 200));
      } while (task.json.state === 'running');
      expect(task.json).toMatchObject({ operation: 'create', state: 'success', result: { name: 'vch-api', docker_host: '127.0.0.95:2376' } });
      expect(task.text).not.toMatch(/PRIVATE KEY/);
      const id = task.json.vch.id as string;
      const model = await get(`${T()}/vch/${id}?${tp()}`, '/target/{target}/vch/{vchId}');
      const cli = JSON.parse((await runCli(['inspect', 'config', '--format', 'json', '--id', id, ...cliTarget()], cwd)).stdout);
      const { runtime, ...rest } = model.json;
      expect(rest).toEqual(cli);
      expect(runtime).toMatchObject({ power_state: 'poweredOn', docker_host: '127.0.0.95:2376' });
      expect(model.json.auth.client).toEqual({ no_tls_verify: true });
      const again = await request(srv.http, 'POST', `${T()}/vch?${tp()}`, { auth: AUTH, body });
      expect(again.status).toBe(400);
      expect(again.json.message).toContain('vch-api');
      // its log holds this run's
      const log = await request(srv.http, 'GET', `${T()}/vch/${id}/log?${tp()}`, { auth: AUTH });
      expect(log.text).toContain('Creating appliance VM "vch-api"');
      expect(log.text).toMatch(/Waiting for IP information\n/);
      await configureFlows(id);
    } finally {
      (await appliance.catch(() => undefined))?.stop?.();
    }
  });

  test('create with a vSphere fault mid-way (the appliance VM\'s power-on task fails): an error in the one shape, reported in the task, rolled back as the CLI does (inventory and datastores as before)', async () => {
    await request(srv.http, 'POST', `${T()}?${tp()}&compute-resource=DC0_C0&action=firewall:allow`, { auth: AUTH });
    const invBefore = await inventoryPaths(admin);
    const dsBefore = datastoreEntries(sim.datastores);
    await sim.injectFaults({ method: 'PowerOnMultiVM_Task', nth: 1, kind: 'taskfault', fault: 'InsufficientResourcesFault' });
    const body = { name: 'vch-fault', compute: { resource: { name: 'DC0_C0' } }, network: { bridge: { port_group: { name: 'DC0_DVPG1' } } }, auth: { client: { no_tls_verify: true } } };
    const a = await request(srv.http, 'POST', `${T()}/vch?${tp()}`, { auth: AUTH, body });
    expect(a.status).toBeGreaterThanOrEqual(400);
    expect(schemaErrors('/target/{target}/vch', 'POST', a)).toEqual([]);
    expect(a.json.message).toMatch(/InsufficientResourcesFault|insufficient resources/i);
    const task = await request(srv.http, 'GET', new URL(a.json.task).pathname, { auth: AUTH });
    expect(task.json).toMatchObject({ operation: 'create', state: 'error' });
    expect(JSON.stringify(task.json.error)).toMatch(/InsufficientResourcesFault|insufficient resources/i);
    expect(await inventoryPaths(admin)).toEqual(invBefore);
    expect(datastoreEntries(sim.datastores)).toEqual(dsBefore);
  });

  test('create with Prefer: respond-async: 201 after validation; a second create of the name meanwhile is 409 naming the task; cancelling rolls the VCH back', async () => {
    const body = { name: 'vch-cancel', compute: { resource: { name: 'DC0_C0' } }, network: { bridge: { port_group: { name: 'DC0_DVPG1' } } }, auth: { client: { no_tls_verify: true } } };
    const a = await request(srv.http, 'POST', `${T()}/vch?${tp()}`, { auth: AUTH, body, headers: { Prefer: 'respond-async' } });
    expect(a.status).toBe(201);
    expect(a.headers['preference-applied']).toBe('respond-async');
    const again = await request(srv.http, 'POST', `${T()}/vch?${tp()}`, { auth: AUTH, body });
    expect(again.status).toBe(409);
    expect(again.json.holder).toContain('create task');
    const taskPath = new URL(a.json.task).pathname;
    // no appliance plays this one: the task waits for it until cancelled
    for (let i = 0; i < 300; i++) {
      const t = await request(srv.http, 'GET', taskPath, { auth: AUTH });
      if (t.json.phase === 'Waiting for IP information' || t.json.state !== 'running') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const c = await request(srv.http, 'DELETE', taskPath, { auth: AUTH });
    expect(c.json).toMatchObject({ state: 'cancelled' });
    expect(c.json.log.join('\n')).toMatch(/removing the VCH vch-cancel/i);
    const list = await get(`${T()}/vch?${tp()}`, '/target/{target}/vch');
    expect(list.json.vchs.map((v: { name: string }) => v.name)).not.toContain('vch-cancel');
  });

  test('https: the self-signed certificate serves TLS 1.2+, and refuses TLS 1.1; CORS is off', async () => {
    const a = await request(srv.https, 'GET', `${T()}/vch?${tp()}`, { auth: AUTH, ca: srv.ca });
    expect(a.status).toBe(200);
    const u = new URL(srv.https);
    const old = await new Promise<string>((resolve) => {
      const s = tls.connect({ host: u.hostname, port: Number(u.port), ca: srv.ca, maxVersion: 'TLSv1.1', minVersion: 'TLSv1' }, () => { resolve('connected'); s.end(); });
      s.once('error', (e) => resolve((e as Error).message));
    });
    expect(old).not.toBe('connected');
    const cors = await request(srv.http, 'GET', '/container/hello', { headers: { Origin: 'https://evil.example' } });
    expect(cors.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('unknown routes and methods: 404 and 405 in the one error shape', async () => {
    const a = await request(srv.http, 'GET', '/container/nope');
    expect(a.status).toBe(404);
    expect(a.json.message).toContain('/container/nope');
    const b = await request(srv.http, 'PUT', '/container/hello');
    expect(b.status).toBe(405);
    expect(b.headers['allow']).toBe('GET');
  });

  test('every path and method of the served spec was served in this run (from the server\'s request log)', async () => {
    // routes that wait for the VCH specification (src/vic/spec/): answered 501 until then
    const PENDING = new Set<string>();
    const served = new Set(loggedRequests(srv.logFile).filter((r) => r.status !== 501 && r.status < 500).map((r) => `${r.method} ${r.route.replace(/^\/container/, '') || '/'}`));
    const missing: string[] = [];
    for (const [p, item] of Object.entries<Record<string, unknown>>(spec['paths'])) {
      for (const m of Object.keys(item)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(m)) continue;
        const key = `${m.toUpperCase()} ${p}`;
        if (PENDING.has(key.replace('/datacenter/{datacenter}', ''))) continue;
        if (!served.has(key)) missing.push(key);
      }
    }
    expect(missing).toEqual([]);
  });

  test('SIGTERM: a running operation finishes within the grace period, then exit 0 and every vSphere session logged out', async () => {
    const vm9 = await recreateFixture(admin, 'basic', 'vch9');
    await sim.injectFaults({ method: 'Destroy_Task', kind: 'slow', delayMs: 1500 });
    const a = await request(srv.http, 'DELETE', `${T()}/vch/${vm9.value}?${tp()}`, { auth: AUTH, headers: { Prefer: 'respond-async' } });
    expect(a.status).toBe(202);
    expect(await sim.openSessions()).toBeGreaterThan(1);
    expect(await srv.stop()).toBe(0);
    await sim.clearFaults();
    expect(srv.stderr()).toMatch(/Stopping: no new requests; 1 operations running/);
    // the delete finished: the VM is gone
    expect(await retrieveOne(admin, vm9, ['name']).then(() => 'exists', () => 'gone')).toBe('gone');
    expect(srv.stderr()).toMatch(/Stopped: \d+ vSphere sessions logged out/);
    expect(await sim.openSessions()).toBe(1); // the test's own
  });
});
