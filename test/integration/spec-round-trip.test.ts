// The VCH specification's round trips against the simulator: for VCHs made by vic-machine 1.5.8 (the three fixtures,
// planted as it left them) and by this tool (with and without --ops-user),
//   inspect config --format yaml → create --config (needing nothing but --user/--password, and --ops-password where the
//   VCH has an ops user of its own) reproduces the VCH's extraConfig key by key, random and environment values aside;
//   inspect config --format json → the specification is the one the YAML reads back into, plus the VCH's server
//   certificate and client CAs (which the flags, taking files, cannot carry).
// Each VCH is inspected, deleted, and made again from its YAML in the same simulator.
import { describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { simulatorSuite } from '../support/simulator-suite.js';
import type { Vcsim } from '../support/vcsim.js';
import { recreateFixture, haveFixtures } from '../support/fixture-vch.js';
import { playAppliance } from '../support/appliance-player.js';
import { runCli } from '../support/in-process-cli.js';
import { Session } from '../../src/vim/session.js';
import { Thumbprint } from '../../src/vim/thumbprint.js';
import { retrieveFromView } from '../../src/vim/property-collector.js';
import { compareExtraConfig } from '../../src/vic/config/index.js';
import { parseArgs } from '../../src/cli/main.js';
import type { CreateOptions } from '../../src/cli/options.js';
import { specFromCreateFlags } from '../../src/vic/spec/flags.js';
import { vchSpecOfModel } from '../../src/vic/spec/vch-model.js';

let sim: Vcsim;
let admin: Session;
let cwd: string;

simulatorSuite({ vcsim: { firewallOpen: true }, tmpPrefix: 'vicm-roundtrip-', isos: true }, (s) => ({ sim, admin, cwd } = s));

const vicMachine = (args: string[], dir = cwd) => runCli(args, dir, { VIC_MACHINE_LOG_FILE: '-' });
const target = () => ['--target', `${sim.host}/DC0`, '--user', 'user', '--password', 'pass', '--thumbprint', sim.thumbprintSHA1];

async function extraConfigOf(name: string): Promise<Record<string, string>> {
  const vms = await retrieveFromView(admin, admin.content.rootFolder, ['VirtualMachine'], ['name', 'config.extraConfig']);
  const vm = vms.find((v) => v.props['name'] === name);
  if (!vm) throw new Error(`no VM ${name}`);
  return Object.fromEntries((vm.props['config.extraConfig'] as { key: string; value: string }[])
    .map((o) => [o.key, String(o.value)]).filter(([k]) => k !== 'govcsim'));
}

const isos = () => ['--appliance-iso', path.join(cwd, 'appliance.iso'), '--bootstrap-iso', path.join(cwd, 'bootstrap.iso')];

/** Runs create with the appliance played by the stand-in; the VCH's configuration is written either way. */
async function createPlayed(name: string, ip: string, args: string[], dir: string): Promise<{ code: number; stderr: string }> {
  const stop = new AbortController();
  const appliance = playAppliance(admin, name, ip, { requireClientCert: false, timeoutMs: 60_000, signal: stop.signal });
  appliance.catch(() => undefined);
  const r = await vicMachine(['create', ...target(), ...isos(), ...args, '--timeout', '15s'], dir);
  stop.abort('done');
  (await appliance.catch(() => undefined))?.stop();
  return r;
}

// What create records of the flags it was given (spelled as given: `--compute-resource=DC0_C0` came back as the
// path `/DC0/host/DC0_C0/Resources`) and the fields Go 1.19 added to URLs in the recording binary (docs/extraconfig.md).
const RECORD_OF_INPUT = new Set(['guestinfo.vice./vic_machine_create_options', 'guestinfo.vice./vic_machine_create_options~']);
const GO119_URL_FIELDS = /\/(OmitHost|RawFragment)$/;

interface Case {
  title: string;
  name: string;
  ip: string;
  /** plants or creates the VCH */
  make: () => Promise<void>;
  /** beyond --user/--password */
  credentials: string[];
  opsUser?: string;
}

let dirs = 0;
const freshDir = (): string => fs.mkdtempSync(path.join(cwd, `run${dirs++}-`));

const CASES: Case[] = [
  ...(haveFixtures ? [['basic', 'vch1'], ['rich', 'vch-rich'], ['notls', 'vch-notls']].map(([fixture, name], n): Case => ({
    title: `1.5.8 fixture ${fixture}`, name: name!, ip: `127.0.0.${91 + n}`,
    make: async () => { await recreateFixture(admin, fixture!, name!); },
    credentials: fixture === 'rich' ? ['--ops-password', 'opspass'] : [],
    ...(fixture === 'rich' ? { opsUser: 'opsuser' } : {}),
  })) : []),
  {
    title: 'ours, without --ops-user', name: 'vch-ours', ip: '127.0.0.95', credentials: [],
    make: async () => {
      const r = await createPlayed('vch-ours', '127.0.0.95', ['--compute-resource', 'DC0_C0', '--name', 'vch-ours', '--image-store', 'LocalDS_0/imgs',
        '--volume-store', 'LocalDS_0/vols:default', '--bridge-network', 'DC0_DVPG0', '--container-network', 'DC0_DVPG1:routable',
        '--container-network-gateway', 'DC0_DVPG1:10.20.0.1/16', '--container-network-ip-range', 'DC0_DVPG1:10.20.0.10-10.20.0.20',
        '--container-network-firewall', 'DC0_DVPG1:open', '--memory', '4096', '--cpu-shares', 'low', '--endpoint-cpu', '2', '--containers', '10',
        '--storage-quota', '20', '--no-tlsverify', '--debug', '2', '--insecure-registry', 'r.example.com', '--https-proxy', 'https://p.example.com:3128',
        '--asymmetric-routes', '--syslog-address', 'udp://10.0.0.9', '--container-name-convention', 'ours-{name}'], freshDir());
      expect([0, 7]).toContain(r.code);
    },
  },
  {
    title: 'ours, with --ops-user', name: 'vch-ops', ip: '127.0.0.96', credentials: ['--ops-password', 'opspw'], opsUser: 'opsuser',
    make: async () => {
      const r = await createPlayed('vch-ops', '127.0.0.96', ['--compute-resource', 'DC0_C0', '--name', 'vch-ops', '--bridge-network', 'DC0_DVPG0',
        '--ops-user', 'opsuser', '--ops-password', 'opspw', '--tls-cname', 'vch-ops.example.com', '--organization', 'Ops'], freshDir());
      if (r.code !== 0 && r.code !== 7) console.log(r.stderr);
      expect([0, 7]).toContain(r.code);
    },
  },
];

describe.each(CASES)('$title', (c) => {
  test('inspect config → YAML → create --config reproduces the VCH key by key; → JSON reads back into the same specification', async () => {
    await c.make();
    const before = await extraConfigOf(c.name);
    const dir = freshDir();

    const y = await vicMachine(['inspect', 'config', ...target(), '--name', c.name, '--format', 'yaml']);
    expect(y.code).toBe(0);
    const file = path.join(dir, `${c.name}.yaml`);
    fs.writeFileSync(file, y.stdout, { mode: 0o600 });
    // an ops user only where the VCH has one of its own (1.5 stores the admin user for none)
    if (c.opsUser) expect(y.stdout).toContain(`ops-user: ${c.opsUser}`);
    else expect(y.stdout).not.toContain('ops-user');

    const j = await vicMachine(['inspect', 'config', ...target(), '--name', c.name, '--format', 'json']);
    expect(j.code).toBe(0);
    const fromJson = vchSpecOfModel(JSON.parse(j.stdout)).spec;
    const parsed = await parseArgs(['create', '--config', file, ...target()], {}, dir);
    const fromYaml = specFromCreateFlags(parsed!.options as unknown as CreateOptions);
    // The JSON (the VCH model, as vic-machine-server's GET) carries the VCH's server certificate and client CAs, as
    // 1.5's GET did; the flags cannot (--tls-server-cert and --tls-ca take files, and the key is never written out):
    // compared apart, against what the VCH's configuration holds (certificates only, no key)
    const { serverCertificate, clientCas, ...jsonTls } = fromJson.tls;
    expect({ ...fromJson, tls: { ...jsonTls, clientCas: [] } }).toEqual(fromYaml);
    const { decodeVchConfigDetailed } = await import('../../src/vic/config/index.js');
    const stored = decodeVchConfigDetailed(before, { unsealSecrets: false }).config.certificate;
    const certs = (b?: Uint8Array) => (b?.length ? Buffer.from(b).toString('utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/g) ?? [] : []);
    expect(serverCertificate ? [serverCertificate] : []).toEqual(certs(stored.hostCertificate?.cert).map((pem) => ({ pem })));
    expect(clientCas).toEqual(certs(stored.certificateAuthorities).map((pem) => ({ pem })));
    expect(j.stdout).not.toMatch(/PRIVATE KEY/);

    const del = await vicMachine(['delete', ...target(), '--name', c.name, '--force']);
    expect(del.code).toBe(0);
    // a dry run first (it asked for an ops password it could not have, finding 4), then the real create
    const dry = await vicMachine(['create', '--config', file, ...target(), ...isos(), ...c.credentials, '--dry-run'], dir);
    if (dry.code !== 0) console.log(dry.stderr);
    expect(dry.code).toBe(0);
    const r = await createPlayed(c.name, c.ip, ['--config', file, ...c.credentials], dir);
    if (r.code !== 0 && r.code !== 7) console.log(r.stderr);
    expect([0, 7]).toContain(r.code);

    const after = await extraConfigOf(c.name);
    const strip = (ec: Record<string, string>) => Object.fromEntries(Object.entries(ec).filter(([k]) => !RECORD_OF_INPUT.has(k)));
    const cmp = compareExtraConfig(strip(before), strip(after));
    console.log(`round trip (${c.title}): ${cmp.equal.length} keys equal, ${cmp.environmentDifferences.length} differ only in environment values (${cmp.environmentDifferences.map((d) => `${d.key.replace("guestinfo.vice.", "")} (${d.kind})`).join(", ")})`);
    expect(cmp.differences).toEqual([]);
    expect(cmp.extra).toEqual([]);
    expect(cmp.missing.filter((k) => !GO119_URL_FIELDS.test(k))).toEqual([]);
  });
});

describe('a VCH model naming inventory objects by moref id (as 1.5\'s GET answers and the vSphere Client plugin sends)', () => {
  test('plans the same VCH as the one naming them; an id that does not exist is a problem of its flag', async () => {
    const { loadInventory } = await import('../../src/vim/inventory.js');
    const { createRequestOf } = await import('../../src/vic/create/request.js');
    const { planCreate } = await import('../../src/vic/create/create-vch.js');
    const inv = await loadInventory(admin, {});
    const id = (p: string) => inv.byInventoryPath(p)!.ref.value;
    const model = (refs: 'id' | 'name') => ({
      name: 'vch-ids',
      compute: { resource: refs === 'id' ? { id: id('/DC0/host/DC0_C0') } : { name: 'DC0_C0' } },
      network: {
        bridge: { port_group: refs === 'id' ? { id: id('/DC0/network/DC0_DVPG0') } : { name: 'DC0_DVPG0' } },
        public: { port_group: refs === 'id' ? { id: id('/DC0/network/VM Network') } : { name: 'VM Network' } },
        container: [{ alias: 'routable', port_group: refs === 'id' ? { id: id('/DC0/network/DC0_DVPG1') } : { name: 'DC0_DVPG1' } }],
      },
      storage: { image_stores: ['ds://LocalDS_0'] },
      auth: { client: { no_tls_verify: true } },
    });
    const dir = freshDir();
    const plan = async (m: unknown) => planCreate(createRequestOf(vchSpecOfModel(m).spec, {
      target: { url: new URL(sim.url), user: 'user', password: 'pass', thumbprint: Thumbprint.parse(sim.thumbprintSHA1), datacenterPath: '/DC0' },
      cwd: dir, isos: { appliance: path.join(cwd, 'appliance.iso'), bootstrap: path.join(cwd, 'bootstrap.iso') },
      force: false, timeoutMs: 10_000, userAgent: 'test', createOptions: [],
    }), { log: () => undefined });
    const byId = await plan(model('id'));
    const byName = await plan(model('name'));
    expect(byId.nics).toEqual(byName.nics);
    expect(byId.actions).toEqual(byName.actions);
    expect(byId.computeResource).toBe(byName.computeResource);
    const bad = model('id');
    bad.network.container[0]!.port_group = { id: 'dvportgroup-999' };
    await expect(plan(bad)).rejects.toMatchObject({ issues: expect.arrayContaining([expect.objectContaining({ flag: '--container-network', message: 'no network with id "dvportgroup-999"' })]) });
  });
});

describe('--registry-ca (create read no file for it before the specification: the VCH trusted no registry CA)', () => {
  test('the CAs of the files given are written into the VCH\'s configuration; inspect config --format json shows them', async () => {
    const { caSubject, createCaCertificate, generateRsaKeyPair } = await import('../../src/vic/certificates/index.js');
    const dir = freshDir();
    const pems: string[] = [];
    for (const n of ['a', 'b']) {
      const { certPem } = await createCaCertificate(await generateRsaKeyPair(2048), caSubject(`registry-${n}.example.com`, ['test']));
      fs.writeFileSync(path.join(dir, `${n}.pem`), certPem);
      pems.push(certPem);
    }
    const r = await createPlayed('vch-regca', '127.0.0.97', ['--compute-resource', 'DC0_C0', '--name', 'vch-regca', '--bridge-network', 'DC0_DVPG0',
      '--no-tlsverify', '--registry-ca', 'a.pem', '--registry-ca', 'b.pem'], dir);
    if (r.code !== 0 && r.code !== 7) console.log(r.stderr);
    expect([0, 7]).toContain(r.code);
    const { decodeVchConfigDetailed } = await import('../../src/vic/config/index.js');
    const { config } = decodeVchConfigDetailed(await extraConfigOf('vch-regca'), { unsealSecrets: false });
    expect(Buffer.from(config.certificate.registryCertificateAuthorities ?? []).toString('utf8')).toBe(pems.join(''));
    // the VCH model carries them back, one certificate each; the YAML (flags take files) says where they are
    const j = await vicMachine(['inspect', 'config', ...target(), '--name', 'vch-regca', '--format', 'json']);
    expect(JSON.parse(j.stdout).registry.certificate_authorities).toEqual(pems.map((pem) => ({ pem })));
    const y = await vicMachine(['inspect', 'config', ...target(), '--name', 'vch-regca', '--format', 'yaml']);
    expect(y.stdout).toContain('# The VCH trusts 2 registry CA certificates, not written here (--registry-ca takes files):');
    expect(y.stdout).not.toContain('registry-ca:');
  });
});
