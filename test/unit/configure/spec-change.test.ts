// configure in the specification's terms: the change from a VCH's current specification to a requested one (what
// vic-machine-server's PUT and PATCH send: the VCH model, as GET answers it, with some fields changed), settings
// configure cannot change named by their field, and the change turned into configure's input the CLI's flags make too.
import { describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { decodeVchConfigDetailed } from '../../../src/vic/config/index.js';
import { configureInputOf, specChange } from '../../../src/vic/configure/spec-change.js';
import { parseConfigureFlags, type ConfigureFlagValues } from '../../../src/vic/configure/request.js';
import { vchModelOf, vchSpecOfModel, type VchModel } from '../../../src/vic/spec/vch-model.js';
import { vchSpecOf } from '../../../src/vic/vch/inspect-config.js';
import type { VchSpec } from '../../../src/vic/spec/vch-spec.js';
import { FIXTURES, haveFixtures } from '../../support/fixture-vch.js';

const NETWORKS: Record<string, string> = {
  'Network:network-7': 'VM Network', 'DistributedVirtualPortgroup:dvportgroup-13': 'DC0_DVPG0', 'DistributedVirtualPortgroup:dvportgroup-15': 'DC0_DVPG1',
};

/** The fixture's VCH; `registryCas`: the bundle its configuration holds (the fixture has none). */
function current(registryCas?: string): VchSpec {
  const ec = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'rich', 'extraconfig.running.json'), 'utf8')) as Record<string, string>;
  const config = decodeVchConfigDetailed(ec, { unsealSecrets: false }).config;
  if (registryCas) config.certificate.registryCertificateAuthorities = new TextEncoder().encode(registryCas);
  return vchSpecOf({
    name: 'vch-rich', config, computeResourcePath: '/DC0/host/DC0_C0/Resources',
    pool: { cpuAllocation: { limit: 10000, reservation: 512, shares: { level: 'high', shares: 8000 } }, memoryAllocation: { limit: 8000, reservation: 512, shares: { level: 'custom', shares: 6000 } } },
    vm: { memoryMB: 4096, numCPUs: 2 }, networkName: (m) => NETWORKS[m],
  }).spec;
}

/** What a client PUTs: the GET body (of `of`) with `edit` applied. */
function put(edit: (m: VchModel) => void, of: VchSpec = current()): VchSpec {
  const m = JSON.parse(JSON.stringify(vchModelOf(of))) as VchModel;
  edit(m);
  return vchSpecOfModel(m).spec;
}

(haveFixtures ? describe : describe.skip)('the change from the current specification to the requested one', () => {
  test('the GET body sent back unchanged: no change, nothing refused', () => {
    expect(specChange(current(), put(() => undefined))).toEqual({ change: {}, unchangeable: [], problems: [] });
    expect(specChange(current(), put(() => undefined), { given: { clientCas: true, registryCas: true } })).toEqual({ change: {}, unchangeable: [], problems: [] });
  });

  test('the model carries the VCH\'s server certificate (with the names read from it) and its client CAs, one certificate each, no key', () => {
    const auth = vchModelOf(current()).auth!;
    expect(auth.server?.certificate?.pem).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/);
    expect(auth.server?.generate).toBeDefined();
    expect(auth.server?.private_key).toBeUndefined();
    expect(auth.client?.certificate_authorities).toHaveLength(1);
    expect(auth.client?.certificate_authorities![0]!.pem).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/);
    expect(JSON.stringify(vchModelOf(current()))).not.toMatch(/PRIVATE KEY/);
  });

  test('what configure changes: each field to its setting; the rest is left as it is', () => {
    const { change, unchangeable } = specChange(current(), put((m) => {
      m.network!.container!.push({ alias: 'extra', port_group: { name: 'VM Network' }, firewall: 'open' });
      m.storage!.volume_stores!.push({ datastore: 'ds://LocalDS_0/more', label: 'more' });
      m.network!.public!.nameservers = ['8.8.8.8'];
      delete m.registry!.image_fetch_proxy;
      m.syslog_addr = 'udp://10.0.0.9:514';
      m.compute!.cpu!.limit = { value: 12, units: 'GHz' };
      m.container!['x-vic-max_containers'] = 0;
      m.endpoint!.operations_credentials = { user: 'ops2', password: 'pw2' };
    }));
    expect(unchangeable).toEqual([]);
    expect(change).toEqual({
      containerNetworks: expect.arrayContaining([expect.objectContaining({ alias: 'extra' }), expect.objectContaining({ alias: 'routable' })]),
      volumeStores: expect.arrayContaining([{ location: 'ds://LocalDS_0/more', label: 'more' }]),
      dns: ['8.8.8.8'], httpProxy: '', noProxy: '', syslogAddress: 'udp://10.0.0.9:514', cpu: { limit: 12000 }, maxContainers: 0,
      operationsCredentials: { user: 'ops2', password: 'pw2', grantPermissions: false },
    });
    const { input, problems } = configureInputOf(change);
    expect(problems).toEqual([]);
    expect(input.request).toMatchObject({ dnsServers: ['8.8.8.8'], httpProxy: '', noProxy: '', syslogAddress: 'udp://10.0.0.9:514', containerCount: 0, ops: { user: 'ops2', password: 'pw2', grantPerms: false } });
    expect(input.pool).toEqual({ cpuLimitMHz: 12000 });
    expect(input.containerNetworks?.map((n) => n.alias).sort()).toEqual(['extra', 'routable']);
  });

  test('settings configure cannot change are named by their field (a PUT answers 409 for them)', () => {
    const { unchangeable } = specChange(current(), put((m) => {
      m.name = 'renamed';
      m.network!.bridge!.ip_range = '172.16.0.0/12';
      m.storage!.image_stores = ['ds://LocalDS_0/elsewhere'];
      m.endpoint!.cpu = { sockets: 4 };
      m.auth = { no_tls: true };
      delete m.endpoint!.operations_credentials;
    }));
    expect(unchangeable.map((u) => u.path)).toEqual(['name', 'endpoint.cpu.sockets', 'storage.image_stores', 'network.bridge', 'auth.no_tls', 'endpoint.operations_credentials']);
    expect(unchangeable[0]!.message).toBe('configure cannot change name ("vch-rich" → "renamed"); make a new VCH for that');
  });

  test('the same image store spelled otherwise is no change', () => {
    expect(specChange(current(), put((m) => { m.storage!.image_stores = ['LocalDS_0/vchimages']; })).unchangeable).toEqual([]);
  });

  test('registry CAs given replace the stored bundle (--registry-ca); a body without them leaves it', () => {
    const pem = (n: string) => `-----BEGIN CERTIFICATE-----\nMIIB${n}\n-----END CERTIFICATE-----`;
    const { change } = specChange(current(), put((m) => { m.registry!.certificate_authorities = [{ pem: pem('AA') }, { pem: `${pem('BB')}\n\n` }]; }));
    expect(change).toEqual({ registryCas: [pem('AA'), `${pem('BB')}\n\n`] });
    expect(new TextDecoder().decode(configureInputOf(change).input.request.registryCaPem)).toBe(`${pem('AA')}\n${pem('BB')}\n`);
    expect(specChange(current(), put((m) => { delete m.registry!.certificate_authorities; })).change).toEqual({});
  });

  test('the registry CAs the VCH has are in its model, one certificate each; sent back (spelled otherwise) no change; a new list or [] replaces them', () => {
    const pem = (n: string) => `-----BEGIN CERTIFICATE-----\nMIIB${n}\n-----END CERTIFICATE-----\n`;
    const vch = current(`${pem('AA')}${pem('BB')}`);
    expect(vchModelOf(vch).registry?.certificate_authorities).toEqual([{ pem: pem('AA') }, { pem: pem('BB') }]);
    const given = { given: { clientCas: false, registryCas: true } };
    expect(specChange(vch, put(() => undefined, vch), given).change).toEqual({});
    expect(specChange(vch, put((m) => { m.registry!.certificate_authorities = [{ pem: `\n${pem('AA').replace(/\n/g, '\r\n')}` }, { pem: pem('BB').trim() }]; }, vch), given).change).toEqual({});
    expect(specChange(vch, put((m) => { m.registry!.certificate_authorities = [{ pem: pem('BB') }]; }, vch), given).change).toEqual({ registryCas: [pem('BB')] });
    expect(specChange(vch, put((m) => { m.registry!.certificate_authorities = [{ pem: pem('BB') }, { pem: pem('AA') }]; }, vch), given).change).toEqual({ registryCas: [pem('BB'), pem('AA')] });
    expect(specChange(vch, put((m) => { m.registry!.certificate_authorities = []; }, vch), given).change).toEqual({ registryCas: [] });
    // a PUT body without them keeps them, as it keeps the other certificates
    expect(specChange(vch, put((m) => { delete m.registry!.certificate_authorities; }, vch)).change).toEqual({});
  });

  test('a new ops user without its password is refused, naming the field', () => {
    const { change } = specChange(current(), put((m) => { m.endpoint!.operations_credentials = { user: 'ops2' }; }));
    expect(configureInputOf(change).problems).toEqual([expect.objectContaining({ path: 'endpoint.operations_credentials.password' })]);
  });
});

test('the CLI\'s flags make the same input through the same change', () => {
  const none: ConfigureFlagValues = {
    containerNetwork: ['DC0_DVPG1:routable'], containerNetworkGateway: ['DC0_DVPG1:10.10.0.1/16'], containerNetworkIpRange: [], containerNetworkDns: [], containerNetworkFirewall: [],
    volumeStore: ['LocalDS_0/v:default'], dnsServer: ['1.1.1.1'], syslogAddress: '', containerNameConvention: '', cpu: 100, memoryShares: { level: 'high' },
  };
  const r = parseConfigureFlags(none, new Set(['container-network', 'container-network-gateway', 'volume-store', 'dns-server', 'syslog-address', 'cpu', 'memory-shares']));
  const { input } = configureInputOf({
    containerNetworks: [{ portGroup: { name: 'DC0_DVPG1' }, alias: 'routable', gateway: '10.10.0.1/16', ipRanges: [], dns: [] }],
    volumeStores: [{ location: 'LocalDS_0/v', label: 'default' }], dns: ['1.1.1.1'], syslogAddress: '', cpu: { limit: 100 }, memory: { shares: { level: 'high' } },
  });
  expect(r).toEqual(input);
});
