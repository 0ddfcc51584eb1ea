// The VCH's registry CAs in the VCH model (`registry.certificate_authorities`, one `{pem}` per certificate, as 1.5's
// GET answered them), through the real vic-machine-server process against the simulator: a VCH made through the API
// with two registry CAs shows them in GET (the answer checked against the served spec), beside its client CA and
// server certificate (auth.client.certificate_authorities, auth.server.certificate; no key); a PATCH with a new list
// replaces the appliance's bundle, one with [] removes it; a PUT of GET's model changes nothing (the CAs compared as
// certificates). What each change wrote is read back from the VM's extraConfig, decoded as the appliance decodes it.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { simulatorSuite } from '../support/simulator-suite.js';
import type { Vcsim } from '../support/vcsim.js';
import { haveFixtures } from '../support/fixture-vch.js';
import { playAppliance } from '../support/appliance-player.js';
import { componentsStarter } from '../support/maintenance-sweep.js';
import { vmExtraConfig } from '../support/vm-extra-config.js';
import type { Session } from '../../src/vim/session.js';
import { decodeVchConfig, SecretKey } from '../../src/vic/config/index.js';
import { caSubject, createCaCertificate, generateRsaKeyPair } from '../../src/vic/certificates/index.js';
import { checkSchema, resolveRef, responseSchema } from './support/schema-check.js';
import { request, startServer, type Answer, type ServerProcess } from './support/server-process.js';

let sim: Vcsim;
let admin: Session;
let cwd: string;
const USER = 'regca-admin';
const PASSWORD = 'R3g-Ca-Secr3t-pw';
simulatorSuite({ tmpPrefix: 'vicm-regca-', isos: true, vcsim: { username: USER, password: PASSWORD, firewallOpen: true } }, (s) => ({ sim, admin, cwd } = s));

const AUTH = `${USER}:${PASSWORD}`;
const NAME = 'vch-regca';
const IP = '127.0.0.151';
let srv: ServerProcess;
let spec: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
let id: string;
const T = () => `/container/target/${encodeURIComponent(sim.host)}`;
const tp = () => `thumbprint=${encodeURIComponent(sim.thumbprintSHA1)}`;
const vchUrl = () => `${T()}/vch/${id}?${tp()}`;
const call = (method: string, p: string, body?: unknown): Promise<Answer> => request(srv.http, method, p, { auth: AUTH, ...(body !== undefined ? { body } : {}) });

/** The task of a 201/202 answer, followed to its end. */
async function taskOf(a: Answer): Promise<Answer> {
  const taskPath = new URL(a.json.task).pathname;
  for (;;) {
    const t = await call('GET', taskPath);
    if (t.json.state !== 'running') return t;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The registry CA bundle as the appliance reads it, and the raw extraConfig. */
async function written(): Promise<{ ec: Record<string, string>; bundle: string | undefined }> {
  const ec = await vmExtraConfig(admin, NAME);
  const b = decodeVchConfig(ec, SecretKey.fromString(ec['guestinfo.ovfEnv']!)).certificate.registryCertificateAuthorities;
  return { ec, bundle: b ? Buffer.from(b).toString('utf8') : undefined };
}

/** GET's model, checked against the served spec. */
async function getModel(): Promise<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const a = await call('GET', vchUrl());
  expect(a.status).toBe(200);
  let schema = responseSchema(spec, '/target/{target}/vch/{vchId}', 'GET', 200)!;
  if (schema['$ref']) schema = resolveRef(spec, schema['$ref']);
  expect(checkSchema(spec, schema, a.json, '$', { strict: true })).toEqual([]);
  return a.json;
}

const ca = async (name: string) => (await createCaCertificate(await generateRsaKeyPair(2048), caSubject(name, ['cregca test']))).certPem;

(haveFixtures ? describe : describe.skip)('vic-machine-server: the registry CAs in the VCH model', () => {
  let cas: string[];
  let clientCa: string;
  let starter: { stop: () => Promise<number> } | undefined;

  beforeAll(async () => {
    srv = await startServer({ cwd, args: ['--no-console'] });
    spec = (await request(srv.http, 'GET', '/container/swagger.json')).json;
    [clientCa, ...cas] = await Promise.all(['client-ca.example.com', 'registry-a.example.com', 'registry-b.example.com', 'registry-c.example.com'].map(ca));
    // clients verified (as configure-auth.test.ts): configure's check of the Docker API takes the stand-in's refusal
    // of a client without a certificate as the API being up
    const appliance = playAppliance(admin, NAME, IP, { requireClientCert: true, timeoutMs: 110_000 });
    try {
      const a = await call('POST', `${T()}/vch?${tp()}`, {
        name: NAME, compute: { resource: { name: 'DC0_C0' } }, network: { bridge: { port_group: { name: 'DC0_DVPG0' } } },
        auth: { client: { certificate_authorities: [{ pem: clientCa }] }, server: { generate: { cname: 'vch-regca.example.com' } } },
        registry: { certificate_authorities: [{ pem: cas[0] }, { pem: cas[1] }] },
      });
      expect([a.status, a.json.message]).toEqual([201, undefined]);
      const task = await taskOf(a);
      expect(task.json).toMatchObject({ operation: 'create', state: 'success' });
      id = task.json.vch.id as string;
    } finally {
      (await appliance.catch(() => undefined))?.stop?.();
    }
    starter = componentsStarter(sim, admin, NAME, { type: 'VirtualMachine', value: id }, IP);
  }, 180_000);
  afterAll(async () => {
    await starter?.stop();
    await srv?.stop();
  });

  test('GET shows the registry CAs the VCH was made with, one certificate each, the client CA and the server certificate (no key); a PUT of GET\'s model changes nothing', async () => {
    expect((await written()).bundle).toBe(cas[0]! + cas[1]!);
    const { runtime: _r, ...model } = await getModel();
    expect(model.registry.certificate_authorities).toEqual([{ pem: cas[0] }, { pem: cas[1] }]);
    // as 1.5's GET (vch_get.go): auth.client.certificate_authorities and auth.server.certificate, here with the names
    // read from the certificate beside it; never the private key
    expect(model.auth.client).toEqual({ certificate_authorities: [{ pem: clientCa }] });
    const served = await call('GET', `${T()}/vch/${id}/certificate?${tp()}`);
    expect(served.status).toBe(200);
    expect(model.auth.server.certificate).toEqual({ pem: served.text });
    expect(Object.keys(model.auth.server).sort()).toEqual(['certificate', 'generate']);
    expect(model.auth.server.generate.cname).toBe('vch-regca.example.com');
    expect(JSON.stringify(model)).not.toMatch(/PRIVATE KEY/);
    const before = await written();
    const put = await call('PUT', vchUrl(), model);
    expect([put.status, put.json.message]).toEqual([202, undefined]);
    expect((await taskOf(put)).json).toMatchObject({ state: 'success', result: { changed: false, changes: [] } });
    expect((await written()).ec).toEqual(before.ec);
  }, 120_000);

  test('PATCH with a new list replaces them (one removed, one added); GET shows the new list', async () => {
    const a = await call('PATCH', vchUrl(), { registry: { certificate_authorities: [{ pem: cas[1] }, { pem: cas[2] }] } });
    expect([a.status, a.json.message]).toEqual([202, undefined]);
    expect((await taskOf(a)).json).toMatchObject({ state: 'success', result: { changed: true, changes: ['registry CAs: replaced'] } });
    expect((await written()).bundle).toBe(cas[1]! + cas[2]!);
    expect((await getModel()).registry.certificate_authorities).toEqual([{ pem: cas[1] }, { pem: cas[2] }]);
    // a patch not naming them keeps them
    const other = await call('PATCH', vchUrl(), { syslog_addr: 'tcp://127.0.0.1:514' });
    expect((await taskOf(other)).json).toMatchObject({ state: 'success', result: { changes: [expect.stringContaining('syslog')] } });
    expect((await written()).bundle).toBe(cas[1]! + cas[2]!);
  }, 120_000);

  test('PATCH with [] removes them; GET then has none', async () => {
    const a = await call('PATCH', vchUrl(), { registry: { certificate_authorities: [] } });
    expect([a.status, a.json.message]).toEqual([202, undefined]);
    expect((await taskOf(a)).json).toMatchObject({ state: 'success', result: { changed: true, changes: ['registry CAs: replaced'] } });
    expect((await written()).bundle).toBeUndefined();
    expect((await getModel()).registry?.certificate_authorities).toBeUndefined();
  }, 120_000);
});
