// Certificate changes through PUT/PATCH (configure), as `vic-machine configure` makes them with its TLS flags, through
// the real vic-machine-server process against the simulator: a VCH made by create through the API (verifying clients
// against a CA of this test), its appliance played by the stand-in and its components restarted after each power
// cycle. What each change wrote is read back from the VM's extraConfig (decoded as the appliance decodes it) and from
// GET .../certificate; a bad pair changes nothing in vSphere; GET answers the client CAs and the server certificate
// (no key) and a PUT of GET's model changes no certificate; no private key text is in any answer, task or the
// server's logs.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { simulatorSuite } from '../support/simulator-suite.js';
import type { Vcsim } from '../support/vcsim.js';
import { haveFixtures } from '../support/fixture-vch.js';
import { playAppliance } from '../support/appliance-player.js';
import { componentsStarter } from '../support/maintenance-sweep.js';
import { startDockerApiStandIn } from '../support/appliance-stand-in.js';
import { vmExtraConfig } from '../support/vm-extra-config.js';
import type { Session } from '../../src/vim/session.js';
import { decodeVchConfig, SecretKey } from '../../src/vic/config/index.js';
import {
  caSubject, createCaCertificate, createServerCertificate, generateRsaKeyPair, serverAltNames, serverSubject,
} from '../../src/vic/certificates/index.js';
import { checkSchema, resolveRef, responseSchema } from './support/schema-check.js';
import { request, startServer, type Answer, type ServerProcess } from './support/server-process.js';

let sim: Vcsim;
let admin: Session;
let cwd: string;
const USER = 'auth-admin';
const PASSWORD = 'Au7h-Secr3t-pw';
simulatorSuite({ tmpPrefix: 'vicm-cauth-', isos: true, vcsim: { username: USER, password: PASSWORD, firewallOpen: true } }, (s) => ({ sim, admin, cwd } = s));

const AUTH = `${USER}:${PASSWORD}`;
const NAME = 'vch-auth';
const IP = '127.0.0.97';
let srv: ServerProcess;
let spec: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
let id: string;
const answers: Answer[] = [];
const T = () => `/container/target/${encodeURIComponent(sim.host)}`;
const tp = () => `thumbprint=${encodeURIComponent(sim.thumbprintSHA1)}`;
const vchUrl = () => `${T()}/vch/${id}?${tp()}`;

async function call(method: string, p: string, body?: unknown, headers?: Record<string, string>): Promise<Answer> {
  const a = await request(srv.http, method, p, { auth: AUTH, ...(body !== undefined ? { body } : {}), ...(headers ? { headers } : {}) });
  answers.push(a);
  return a;
}

/** The task of a 201/202 answer, followed to its end. */
async function taskOf(a: Answer): Promise<Answer> {
  const taskPath = new URL(a.json.task).pathname;
  for (;;) {
    const t = await call('GET', taskPath);
    if (t.json.state !== 'running') return t;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The VCH's configuration as the appliance reads it (secrets unsealed with its key), and the raw extraConfig. */
async function written() {
  const ec = await vmExtraConfig(admin, NAME);
  const conf = decodeVchConfig(ec, SecretKey.fromString(ec['guestinfo.ovfEnv']!));
  const text = (b?: Uint8Array) => (b ? Buffer.from(b).toString('utf8') : undefined);
  return {
    ec, cert: text(conf.certificate.hostCertificate?.cert), key: text(conf.certificate.hostCertificate?.key),
    cas: text(conf.certificate.certificateAuthorities), registryCas: text(conf.certificate.registryCertificateAuthorities),
  };
}

const ca = async (name: string) => createCaCertificate(await generateRsaKeyPair(2048), caSubject(name, ['cauth test']));
const serverPair = async (cname: string) => createServerCertificate(await generateRsaKeyPair(2048), serverSubject(NAME, [], cname), serverAltNames(cname), undefined);

(haveFixtures ? describe : describe.skip)('vic-machine-server: certificates through PUT/PATCH (configure)', () => {
  let ca1: { certPem: string };
  let ca2: { certPem: string };
  let starter: { stop: () => Promise<number> } | undefined;
  const keysSent: string[] = [];

  beforeAll(async () => {
    srv = await startServer({ cwd, args: ['--no-console'] });
    spec = (await request(srv.http, 'GET', '/container/swagger.json')).json;
    [ca1, ca2] = await Promise.all([ca('client-ca-1.example.com'), ca('client-ca-2.example.com')]);
    const appliance = playAppliance(admin, NAME, IP, { requireClientCert: true, timeoutMs: 110_000 });
    try {
      const a = await call('POST', `${T()}/vch?${tp()}`, {
        name: NAME, compute: { resource: { name: 'DC0_C0' } }, network: { bridge: { port_group: { name: 'DC0_DVPG0' } } },
        auth: { client: { certificate_authorities: [{ pem: ca1.certPem }] }, server: { generate: { cname: 'vch-auth.example.com' } } },
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

  test('PATCH a new client CA: the VCH verifies clients against exactly it, the server certificate kept; the registry CAs likewise', async () => {
    const before = await written();
    expect(before.cas).toBe(ca1.certPem);
    const a = await call('PATCH', vchUrl(), { auth: { client: { certificate_authorities: [{ pem: ca2.certPem }] } } }, { 'Content-Type': 'application/merge-patch+json' });
    expect([a.status, a.json.message]).toEqual([202, undefined]);
    const task = await taskOf(a);
    expect(task.json).toMatchObject({ operation: 'configure', state: 'success', result: { changed: true, changes: ['client verification CAs: replaced'] } });
    const after = await written();
    expect(after.cas).toBe(ca2.certPem);
    expect(after.cert).toBe(before.cert);
    expect(after.key).toBe(before.key);

    const r = await call('PATCH', vchUrl(), { registry: { certificate_authorities: [{ pem: ca1.certPem }] } });
    expect((await taskOf(r)).json).toMatchObject({ state: 'success', result: { changes: ['registry CAs: replaced'] } });
    expect((await written()).registryCas).toBe(ca1.certPem);
    const cleared = await call('PATCH', vchUrl(), { registry: { certificate_authorities: null } });
    expect((await taskOf(cleared)).json.state).toBe('success');
    expect((await written()).registryCas).toBeUndefined();
  }, 120_000);

  test('PATCH auth.server.generate.cname: a new server certificate for that name (CN and SAN), served by GET .../certificate; the client CAs kept', async () => {
    const before = await written();
    const a = await call('PATCH', vchUrl(), { auth: { server: { generate: { cname: 'renamed.example.com' } } } });
    expect([a.status, a.json.message]).toEqual([202, undefined]);
    const task = await taskOf(a);
    expect(task.json).toMatchObject({ state: 'success', result: { changes: ['server certificate: replaced'] } });
    const after = await written();
    expect(after.cert).not.toBe(before.cert);
    const x = new X509Certificate(after.cert!);
    expect(x.subject).toContain('CN=renamed.example.com');
    expect(x.subjectAltName).toContain('DNS:renamed.example.com');
    expect(after.cas).toBe(before.cas);
    const served = await call('GET', `${T()}/vch/${id}/certificate?${tp()}`);
    expect(served.status).toBe(200);
    expect(new X509Certificate(served.text).fingerprint256).toBe(x.fingerprint256);
    const model = await call('GET', vchUrl());
    expect(model.json.auth.server.generate.cname).toBe('renamed.example.com');
  }, 120_000);

  test('PATCH a certificate and private key: a pair that does not belong together is a 400 naming the key, nothing changed; a matching pair replaces', async () => {
    const [mine, other] = await Promise.all([serverPair('own.example.com'), serverPair('other.example.com')]);
    keysSent.push(mine.keyPem, other.keyPem);
    const before = await written();
    const bad = await call('PATCH', vchUrl(), { auth: { server: { certificate: { pem: mine.certPem }, private_key: { pem: other.keyPem } } } });
    expect(bad.status).toBe(400);
    expect(bad.json.field).toMatch(/^\$\.auth\.server\.(private_key|certificate)$/);
    expect(bad.json.message).toMatch(/auth\.server\.certificate and auth\.server\.private_key do not belong together/);
    expect(bad.json.message).not.toMatch(/input-\d\.pem|vicm-server-configure/);
    expect((await written()).ec).toEqual(before.ec);
    const alone = await call('PATCH', vchUrl(), { auth: { server: { certificate: { pem: mine.certPem } } } });
    expect([alone.status, alone.json.field]).toEqual([400, '$.auth.server.private_key']);

    const good = await call('PATCH', vchUrl(), { auth: { server: { certificate: { pem: mine.certPem }, private_key: { pem: mine.keyPem } } } });
    expect([good.status, good.json.message]).toEqual([202, undefined]);
    expect((await taskOf(good)).json.state).toBe('success');
    const after = await written();
    expect(after.cert!.trim()).toBe(mine.certPem.trim());
    expect(after.key!.trim()).toBe(mine.keyPem.trim());
  }, 120_000);

  test('GET answers the client CAs and the server certificate (as GET .../certificate serves it), no key, as the served spec says', async () => {
    const now = await written();
    const a = await call('GET', vchUrl());
    expect(a.status).toBe(200);
    let schema = responseSchema(spec, '/target/{target}/vch/{vchId}', 'GET', 200)!;
    if (schema['$ref']) schema = resolveRef(spec, schema['$ref']);
    expect(checkSchema(spec, schema, a.json, '$', { strict: true })).toEqual([]);
    // the CA of the first PATCH, the pair of the last replacement
    expect(a.json.auth.client).toEqual({ certificate_authorities: [{ pem: ca2.certPem }] });
    expect(now.cas).toBe(ca2.certPem);
    const served = await call('GET', `${T()}/vch/${id}/certificate?${tp()}`);
    expect(a.json.auth.server.certificate).toEqual({ pem: served.text });
    expect(served.text.trim()).toBe(now.cert!.trim());
    expect(a.json.auth.server.private_key).toBeUndefined();
    expect(a.text).not.toMatch(/PRIVATE KEY/);
    expect(a.text.replace(/\\n|\s/g, '')).not.toContain(now.key!.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '').slice(0, 64));
  }, 60_000);

  test('PUT of GET\'s model: no certificate changes (and nothing else); TLS off is a 409 naming auth.no_tls; an empty CA list or a key as a CA is a 400 naming it', async () => {
    const before = await written();
    const { runtime: _r, ...model } = (await call('GET', vchUrl())).json;
    expect(model.auth.server.certificate.pem).toContain('-----BEGIN CERTIFICATE-----');
    expect(model.auth.client.certificate_authorities).toHaveLength(1);
    const put = await call('PUT', vchUrl(), model);
    expect(put.status).toBe(202);
    expect((await taskOf(put)).json.result).toEqual({ changed: false, changes: [] });
    expect((await written()).ec).toEqual(before.ec);
    const off = await call('PATCH', vchUrl(), { auth: { no_tls: true, client: null, server: null } });
    expect([off.status, off.json.field]).toEqual([409, '$.auth.no_tls']);
    const empty = await call('PATCH', vchUrl(), { auth: { client: { certificate_authorities: [] } } });
    expect([empty.status, empty.json.field]).toEqual([400, '$.auth.client.certificate_authorities']);
    const keyAsCa = await call('PATCH', vchUrl(), { auth: { client: { certificate_authorities: [{ pem: keysSent[0] }] } } });
    expect([keyAsCa.status, keyAsCa.json.field]).toEqual([400, '$.auth.client.certificate_authorities[0].pem']);
    expect((await written()).ec).toEqual(before.ec);
  }, 120_000);

  test('no_tls_verify: true turns client verification off (the CAs go, the server certificate stays); back on only with CAs', async () => {
    const before = await written();
    // without client verification configure checks the Docker API with the server certificate: the stand-in serves it
    const api = await startDockerApiStandIn({ host: IP, port: 2376, tls: true, serverCertPem: before.cert!, serverKeyPem: before.key! });
    try {
      const off = await call('PATCH', vchUrl(), { auth: { client: { no_tls_verify: true } } });
      expect([off.status, off.json.message]).toEqual([202, undefined]);
      expect((await taskOf(off)).json).toMatchObject({ state: 'success', result: { changes: ['client verification: off (--no-tlsverify)'] } });
    } finally {
      await api.stop();
    }
    const after = await written();
    expect([after.cas, after.cert]).toEqual([undefined, before.cert]);
    expect((await call('GET', vchUrl())).json.auth.client).toEqual({ no_tls_verify: true });
    const noCa = await call('PATCH', vchUrl(), { auth: { client: { no_tls_verify: false } } });
    expect([noCa.status, noCa.json.field]).toEqual([400, '$.auth.client.certificate_authorities']);
    const both = await call('PATCH', vchUrl(), { auth: { client: { certificate_authorities: [{ pem: ca1.certPem }] } } });
    expect([both.status, both.json.field]).toEqual([400, '$.auth.client.no_tls_verify']);
    const on = await call('PATCH', vchUrl(), { auth: { client: { no_tls_verify: false, certificate_authorities: [{ pem: ca1.certPem }] } } });
    expect([on.status, on.json.message]).toEqual([202, undefined]);
    expect((await taskOf(on)).json).toMatchObject({ state: 'success', result: { changes: ['client verification: on (CAs added)'] } });
    expect((await written()).cas).toBe(ca1.certPem);
  }, 120_000);

  test('no private key text in any answer, task or the server\'s logs', () => {
    expect(answers.length).toBeGreaterThan(10);
    const keyBodies = keysSent.map((k) => k.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''));
    const texts = [...answers.map((a) => a.text), fs.readFileSync(srv.logFile, 'utf8'), srv.stderr()];
    for (const t of texts) {
      expect(t).not.toMatch(/PRIVATE KEY/);
      for (const k of keyBodies) expect(t.replace(/\\n|\s/g, '')).not.toContain(k.slice(0, 64));
    }
  });
});
