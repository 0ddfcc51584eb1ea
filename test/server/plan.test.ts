// POST .../vch?dry_run=true (an extension: create's dry run) through the real vic-machine-server process against the
// simulator: the plan is in the served spec's VCH_Create_Plan; planning makes nothing (inventory and datastores as
// before, no upload), logs in to nothing of its own (the simulator's session count is unchanged: it reads through the
// caller's pooled session); what create then makes from the same body has the plan's names and paths; bad bodies and
// problems only vSphere can find are create's 4xx answers, each naming the body's JSON path.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { simulatorSuite } from '../support/simulator-suite.js';
import type { Vcsim } from '../support/vcsim.js';
import { dc0, haveFixtures, inventoryPaths } from '../support/fixture-vch.js';
import { datastoreEntries } from '../support/cli-process.js';
import type { Session } from '../../src/vim/session.js';
import { checkSchema, responseSchema } from './support/schema-check.js';
import { request, startServer, type Answer, type ServerProcess } from './support/server-process.js';

let sim: Vcsim;
let admin: Session;
let cwd: string;
const USER = 'plan-admin';
const PASSWORD = 'Pl4n-Secr3t-pw';
simulatorSuite({ tmpPrefix: 'vicm-plan-', isos: true, vcsim: { username: USER, password: PASSWORD, firewallOpen: true } }, (s) => ({ sim, admin, cwd } = s));

const AUTH = `${USER}:${PASSWORD}`;
let srv: ServerProcess;
let spec: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
let dcId: string;

const T = () => `/container/target/${encodeURIComponent(sim.host)}`;
const TD = () => `${T()}/datacenter/${dcId}`;
const tp = () => `thumbprint=${encodeURIComponent(sim.thumbprintSHA1)}`;

const body = (name: string, extra: Record<string, unknown> = {}) => ({
  name, compute: { resource: { name: 'DC0_C0' } },
  storage: { image_stores: ['ds://LocalDS_0'], volume_stores: [{ datastore: `ds://LocalDS_0/${name}-volumes`, label: 'default' }] },
  network: { bridge: { port_group: { name: 'DC0_DVPG0' } }, public: { port_group: { name: 'VM Network' } } },
  auth: { client: { no_tls_verify: true }, server: { generate: { cname: `${name}.example.com` } } },
  ...extra,
});

function schemaErrors(template: string, a: Answer): string[] {
  const schema = responseSchema(spec, template, 'POST', a.status);
  return schema ? checkSchema(spec, schema, a.json, '$', { strict: true }) : ['no schema'];
}

const plan = (base: string, b: unknown, q = 'dry_run=true') => request(srv.http, 'POST', `${base}/vch?${tp()}&${q}`, { auth: AUTH, body: b });

(haveFixtures ? describe : describe.skip)('vic-machine-server: the dry run of create', () => {
  beforeAll(async () => {
    dcId = (await dc0(admin)).ref.value;
    srv = await startServer({ cwd, args: ['--no-console'] });
    spec = (await request(srv.http, 'GET', '/container/swagger.json')).json;
    // the pooled session of this credential exists before the counts are taken (a list logs it in)
    expect((await request(srv.http, 'GET', `${T()}/vch?${tp()}`, { auth: AUTH })).status).toBe(200);
  });
  afterAll(async () => {
    expect(await srv?.stop()).toBe(0);
  });

  test('the spec: dry_run and the 200 plan on POST .../vch, marked as extensions', () => {
    for (const p of ['/target/{target}/vch', '/target/{target}/datacenter/{datacenter}/vch']) {
      const op = spec['paths'][p]['post'];
      expect(op['parameters']).toContainEqual(expect.objectContaining({ name: 'dry_run', in: 'query', type: 'boolean', 'x-vic-extension': true }));
      expect(op['responses']['200']).toMatchObject({ 'x-vic-extension': true, schema: { $ref: '#/definitions/VCH_Create_Plan' } });
      expect(op['responses']['201']).toEqual({ $ref: '#/responses/vsphere-task' });
    }
    expect(spec['definitions']['VCH_Create_Plan']['x-vic-extension']).toBe(true);
  });

  test('a good body: 200 with the plan; nothing made, nothing uploaded, no session left; create then makes what the plan said', async () => {
    const invBefore = await inventoryPaths(admin);
    const dsBefore = datastoreEntries(sim.datastores);
    const sessionsBefore = await sim.openSessions();
    await sim.resetStats();
    const a = await plan(TD(), body('vch-plan'));
    expect([a.status, a.json.message]).toEqual([200, undefined]);
    expect(schemaErrors('/target/{target}/datacenter/{datacenter}/vch', a)).toEqual([]);
    const stats = await sim.stats();
    // read-only: no upload, no Login of its own, nothing made
    expect(stats.http['PUT'] ?? 0).toBe(0);
    expect(stats.soap['Login'] ?? 0).toBe(0);
    for (const m of ['CreateResourcePool', 'CreateFolder', 'CreateVM_Task', 'MakeDirectory', 'CreateVApp']) expect(stats.soap[m] ?? 0).toBe(0);
    expect(await sim.openSessions()).toBe(sessionsBefore);
    expect(await inventoryPaths(admin)).toEqual(invBefore);
    expect(datastoreEntries(sim.datastores)).toEqual(dsBefore);
    console.log(`dry run through the server: ${Object.values(stats.soap).reduce((x, y) => x + y, 0)} SOAP requests (${JSON.stringify(stats.soap)})`);

    const p = a.json;
    expect(p).toMatchObject({
      dry_run: true, name: 'vch-plan', datacenter: '/DC0', topology: 'vcenter-drs', tls: 'tls',
      resource_pool: { path: '/DC0/host/DC0_C0/Resources/vch-plan', action: 'create' },
      vm_folder: '/DC0/vm/vch-plan',
      vm: { name: 'vch-plan', datastore: 'LocalDS_0', folder: '[LocalDS_0] vch-plan' },
      image_store: 'ds://LocalDS_0',
      volume_stores: [{ label: 'default', url: 'ds://LocalDS_0/vch-plan-volumes' }],
      certificates: [expect.objectContaining({ kind: 'server', action: 'generate', subject: 'CN=vch-plan.example.com' })],
    });
    expect(p.networks).toEqual([
      { role: 'public', port_group: 'VM Network', action: 'use' }, { role: 'client', port_group: 'VM Network', action: 'use' },
      { role: 'management', port_group: 'VM Network', action: 'use' }, { role: 'bridge', port_group: 'DC0_DVPG0', action: 'use' },
    ]);
    expect(p.datastore_folders.map((f: { path: string }) => f.path)).toEqual(['[LocalDS_0] vch-plan', '[LocalDS_0] vch-plan-volumes']);
    expect(p.uploads.map((u: { to: string }) => u.to)).toEqual(['[LocalDS_0] vch-plan/v1.5.8-1-9489f63-appliance.iso', '[LocalDS_0] vch-plan/v1.5.8-1-9489f63-bootstrap.iso']);
    expect(p.docker_host).toBeUndefined(); // DHCP: known once the appliance reports its address
    expect(p.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/administrative user/)]));
    // the server's own working folder and files are not the VCH's business
    expect(JSON.stringify(p)).not.toMatch(/vicm-server-create-|local file/);

    // the same body created (no appliance plays it: followed to the VM powered on, then cancelled, which rolls back)
    const c = await request(srv.http, 'POST', `${TD()}/vch?${tp()}`, { auth: AUTH, body: body('vch-plan'), headers: { Prefer: 'respond-async' } });
    expect(c.status).toBe(201);
    const taskPath = new URL(c.json.task).pathname;
    try {
      for (let i = 0; i < 600; i++) {
        const t = await request(srv.http, 'GET', taskPath, { auth: AUTH });
        if (t.json.phase === 'Waiting for IP information' || t.json.state !== 'running') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const made = (await inventoryPaths(admin)).filter((x) => !invBefore.includes(x));
      expect(made).toEqual(expect.arrayContaining([p.resource_pool.path, p.vm_folder, `${p.vm_folder}/${p.vm.name}`]));
      const files = datastoreEntries(sim.datastores).filter((x) => !dsBefore.includes(x));
      for (const f of p.datastore_folders) expect(files).toContain(`${f.path}/`);
      for (const u of p.uploads) expect(files).toContain(u.to);
      // the plan of a name now taken: create's problem, at $.name
      const taken = await plan(T(), body('vch-plan'));
      expect(taken.status).toBe(400);
      expect(schemaErrors('/target/{target}/vch', taken)).toEqual([]);
      expect(taken.json.problems.map((x: { field?: string }) => x.field)).toContain('$.name');
    } finally {
      const cancelled = await request(srv.http, 'DELETE', taskPath, { auth: AUTH });
      expect(['cancelled', 'success', 'error']).toContain(cancelled.json.state);
    }
    expect(await inventoryPaths(admin)).toEqual(invBefore);
  });

  test('a static client address: the plan names the DOCKER_HOST it will have', async () => {
    const a = await plan(T(), body('vch-static', {
      network: {
        bridge: { port_group: { name: 'DC0_DVPG0' } },
        public: { port_group: { name: 'VM Network' }, static: '10.10.0.5/24', gateway: { address: '10.10.0.1' }, nameservers: ['10.10.0.53'] },
      },
    }));
    expect([a.status, a.json.message]).toEqual([200, undefined]);
    expect(schemaErrors('/target/{target}/vch', a)).toEqual([]);
    expect(a.json.docker_host).toBe('10.10.0.5:2376');
  });

  test('bad bodies: create\'s 400s, each problem at its JSON path, before anything is read; vSphere\'s problems too', async () => {
    const invBefore = await inventoryPaths(admin);
    const sessionsBefore = await sim.openSessions();
    const a = await plan(T(), { name: 'vch-bad', bogus: 1, network: { bridge: { network_width: 'wide' } } });
    expect(a.status).toBe(400);
    expect(schemaErrors('/target/{target}/vch', a)).toEqual([]);
    expect(a.json.problems.map((p: { field: string }) => p.field).sort()).toEqual(['$.bogus', '$.network.bridge.network_width']);
    const noName = await plan(T(), {});
    expect([noName.status, noName.json.field]).toEqual([400, '$.name']);
    const vs = await plan(TD(), body('vch-bad', { compute: { resource: { name: 'NoSuchCluster' } }, storage: { image_stores: ['ds://NoSuchDatastore'] } }));
    expect(vs.status).toBe(400);
    expect(schemaErrors('/target/{target}/datacenter/{datacenter}/vch', vs)).toEqual([]);
    expect(vs.json.problems.map((p: { field: string }) => p.field)).toEqual(expect.arrayContaining(['$.compute.resource', '$.storage.image_stores']));
    const flag = await plan(T(), body('vch-bad'), 'dry_run=maybe');
    expect([flag.status, flag.json.field]).toEqual([400, 'dry_run']);
    expect(await inventoryPaths(admin)).toEqual(invBefore);
    expect(await sim.openSessions()).toBe(sessionsBefore);
  });
});
