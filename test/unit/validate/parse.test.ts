// Pure parsing used by create's validation: datastore specs (spaces, ds://, [ds] path, names with slashes),
// volume stores, IPv4 CIDRs and ranges, trust levels, firewall rule coverage, license features, issue rendering.
import { describe, expect, test } from '@jest/globals';
import {
  checkInput, datastoreUrl, firewallVerdict, formatIssue, isRoutableGateway, licenseFeatures, nameProblems, normalizeInput, parseCidr,
  parseDatastoreSpec, parseFirewallLevel, parseIpRange, parseVolumeStore, ruleCoversPort, shellQuote, splitDatastorePath,
  type DatastoreSpec, type FirewallRulesetLike,
} from '../../../src/vic/validate/index.js';

const spec = (s: string): DatastoreSpec => {
  const r = parseDatastoreSpec(s);
  if ('error' in r) throw new Error(r.error);
  return r;
};

describe('datastore specs', () => {
  test.each([
    ['LocalDS_0', 'LocalDS_0', ''],
    ['LocalDS_0/images', 'LocalDS_0', 'images'],
    ['LocalDS_0/images/xyz/', 'LocalDS_0', 'images/xyz'],
    ['ds://LocalDS_0/images/xyz', 'LocalDS_0', 'images/xyz'],
    ['ds://LocalDS_0', 'LocalDS_0', ''],
    ['DS://Local DS_0/a b', 'Local DS_0', 'a b'],
    ['Local DS_0/vch', 'Local DS_0', 'vch'],
    ['Local%20DS_0/vch', 'Local DS_0', 'vch'],
    ['[Local DS (1)] some/path', 'Local DS (1)', 'some/path'],
    ['[datastore1]', 'datastore1', ''],
    ['', '', ''],
    ['ds://', '', ''],
  ])('%j → datastore %j, path %j', (input, datastore, path) => {
    const r = spec(input);
    expect(r.datastore).toBe(datastore);
    expect(r.path).toBe(path);
  });

  test('another scheme is refused with the original message', () => {
    expect(parseDatastoreSpec('nfs://host/x')).toEqual({ error: 'bad scheme "nfs" provided for datastore' });
  });

  test('the longest existing datastore name wins, so names with slashes resolve', () => {
    expect(splitDatastorePath(spec('a/b/images'), ['a', 'a/b'])).toEqual({ datastore: 'a/b', path: 'images' });
    expect(splitDatastorePath(spec('a/b/images'), ['a'])).toEqual({ datastore: 'a', path: 'b/images' });
    expect(splitDatastorePath(spec('zz/images'), ['a'])).toEqual({ datastore: 'zz', path: 'images' });
    expect(splitDatastorePath(spec('[a/b] x'), ['a'])).toEqual({ datastore: 'a/b', path: 'x' });
  });

  test('ds:// URLs for the configuration', () => {
    expect(datastoreUrl('LocalDS_0', '')).toBe('ds://LocalDS_0');
    expect(datastoreUrl('Local DS_0', 'vch/images')).toBe('ds://Local DS_0/vch/images');
  });
});

describe('volume stores', () => {
  test.each([
    ['LocalDS_0/volumes:default', { label: 'default', datastore: 'LocalDS_0', path: 'volumes' }],
    ['LocalDS_0:default', { label: 'default', datastore: 'LocalDS_0', path: '' }],
    ['ds://LocalDS_0/vch1-VOL:vol 1', { label: 'vol 1', datastore: 'LocalDS_0', path: 'vch1-VOL' }],
    ['[Local DS_0] vols:default', { label: 'default', datastore: 'Local DS_0', path: 'vols' }],
  ])('%j', (input, expected) => {
    expect(parseVolumeStore(input)).toEqual(expected);
  });

  test('nfs with mount options', () => {
    expect(parseVolumeStore('nfs://10.0.0.5/exports/vols?uid=1000&gid=1000&proto=tcp:shared')).toEqual({
      label: 'shared',
      nfs: { url: 'nfs://10.0.0.5/exports/vols?uid=1000&gid=1000&proto=tcp', host: '10.0.0.5', path: '/exports/vols', options: { uid: '1000', gid: '1000', proto: 'tcp' } },
    });
  });

  test.each(['LocalDS_0', 'LocalDS_0:', ':label', 'ds://LocalDS_0', 'LocalDS_0/x:bad|label', 'http://x/y:label', 'LocalDS_0/x?y=1:label'])('%j is refused', (input) => {
    expect(parseVolumeStore(input)).toHaveProperty('error');
  });
});

describe('IPv4', () => {
  test('CIDRs', () => {
    expect(parseCidr('172.16.0.1/16')).toEqual({ ip: '172.16.0.1', prefix: 16, network: '172.16.0.0/16' });
    expect(parseCidr('10.0.0.2/24')?.network).toBe('10.0.0.0/24');
    for (const bad of ['10.0.0.1', '10.0.0.256/24', '10.0.0.1/33', 'x/24', '010.0.0.1/8']) expect(parseCidr(bad)).toBeUndefined();
  });

  test('ranges as CIDR or first-last', () => {
    expect(parseIpRange('10.0.0.0/30')).toMatchObject({ first: '10.0.0.0', last: '10.0.0.3' });
    expect(parseIpRange('10.0.0.10-10.0.0.20')).toMatchObject({ first: '10.0.0.10', last: '10.0.0.20' });
    expect(parseIpRange('10.0.0.20-10.0.0.10')).toBeUndefined();
    expect(parseIpRange('nonsense')).toBeUndefined();
  });

  test('routable gateways', () => {
    expect(isRoutableGateway(parseCidr('172.16.0.1/16')!)).toBe(true);
    for (const bad of ['0.0.0.0/8', '127.0.0.1/8', '224.0.0.1/4', '169.254.1.1/16', '10.0.0.0/24', '10.0.0.255/24']) {
      expect(isRoutableGateway(parseCidr(bad)!)).toBe(false);
    }
  });

  test('trust levels, any case', () => {
    expect(parseFirewallLevel('Published')).toBe('published');
    expect(parseFirewallLevel('wide')).toBeUndefined();
  });
});

describe('name', () => {
  test('the original rules', () => {
    expect(nameProblems('vch-1 (test)_x')).toEqual([]);
    expect(nameProblems('vch/1')[0]).toMatch(/unsupported character "\/" in "vch\/1"/);
    expect(nameProblems('x'.repeat(32))[0]).toMatch(/exceeds the permitted 31 characters limit/);
  });
});

describe('host firewall: outbound 2377/tcp', () => {
  const rs = (key: string, enabled: boolean, port: number, endPort: number, allowed?: FirewallRulesetLike['allowedHosts']) => ({
    key, enabled, rule: [{ port, endPort, direction: 'outbound', portType: 'dst', protocol: 'tcp' }], allowedHosts: allowed ?? { allIp: true },
  });
  const blocked = { defaultPolicy: { outgoingBlocked: true } };

  test('rule coverage', () => {
    expect(ruleCoversPort({ port: 2377, direction: 'outbound', protocol: 'tcp', portType: 'dst' })).toBe(true);
    expect(ruleCoversPort({ port: 0, endPort: 65535, direction: 'outbound', protocol: 'tcp', portType: 'dst' })).toBe(true);
    expect(ruleCoversPort({ port: 2377, direction: 'inbound', protocol: 'tcp', portType: 'dst' })).toBe(false);
    expect(ruleCoversPort({ port: 2377, direction: 'outbound', protocol: 'udp', portType: 'dst' })).toBe(false);
    expect(ruleCoversPort({ port: 2377, direction: 'outbound', protocol: 'tcp', portType: 'src' })).toBe(false);
    expect(ruleCoversPort({ port: 8000, endPort: 8100, direction: 'outbound', protocol: 'tcp' })).toBe(false);
  });

  test('verdicts', () => {
    expect(firewallVerdict({ ...blocked, ruleset: [rs('vSPC', true, 0, 65535)] })).toEqual({ status: 'ok', rulesets: ['vSPC'] });
    expect(firewallVerdict({ ...blocked, ruleset: [rs('vic-engine', true, 2377, 2377)] })).toEqual({ status: 'ok', rulesets: ['vic-engine'] });
    expect(firewallVerdict({ ...blocked, ruleset: [rs('vSPC', false, 0, 65535)] })).toEqual({ status: 'blocked' });
    expect(firewallVerdict({ defaultPolicy: { outgoingBlocked: false }, ruleset: [] })).toEqual({ status: 'unblocked' });
    expect(firewallVerdict(undefined)).toEqual({ status: 'unknown' });
    const restricted = { ...blocked, ruleset: [rs('vSPC', true, 0, 65535, { allIp: false, ipAddress: ['10.0.0.5'], ipNetwork: [{ network: '192.168.0.0', prefixLength: 24 }] })] };
    expect(firewallVerdict(restricted)).toEqual({ status: 'restricted', allowed: ['10.0.0.5', '192.168.0.0/24'] });
    expect(firewallVerdict(restricted, '10.0.0.5')).toMatchObject({ status: 'ok' });
    expect(firewallVerdict(restricted, '192.168.0.77')).toMatchObject({ status: 'ok' });
    expect(firewallVerdict(restricted, '10.0.0.6')).toEqual({ status: 'excluded', ip: '10.0.0.6', allowed: ['10.0.0.5', '192.168.0.0/24'] });
  });
});

test('license features drop edition suffixes', () => {
  const f = licenseFeatures([{ properties: [{ key: 'feature', value: { key: 'serialuri:2' } }, { key: 'feature', value: { key: 'dvs' } }, { key: 'ProductName', value: 'x' }] }]);
  expect([...f].sort()).toEqual(['dvs', 'serialuri']);
  expect(licenseFeatures(undefined).size).toBe(0);
});

test('shell quoting for suggested commands', () => {
  expect(shellQuote('vc.example.com/DC0')).toBe('vc.example.com/DC0');
  expect(shellQuote('My Cluster')).toBe(`'My Cluster'`);
  expect(shellQuote(`it's`)).toBe(`'it'\\''s'`);
});

test('issues render as the original prints suggestions, naming the flag', () => {
  expect(formatIssue({ code: 'compute-resource-not-found', flag: '--compute-resource', message: "compute resource 'fake' not found", suggestions: ['DC0_C0', 'DC0_H0'] })).toEqual([
    "compute resource 'fake' not found (--compute-resource)", 'Suggested values for --compute-resource:', '  "DC0_C0"', '  "DC0_H0"',
  ]);
  expect(formatIssue({ code: 'host-firewall-blocked', flag: '--target', message: 'x', fix: 'vic-machine update firewall --target t --allow' })).toEqual([
    'x (--target)', 'To fix this, run: vic-machine update firewall --target t --allow',
  ]);
});

describe('input checks (no inventory)', () => {
  const base = { name: 'vch1' };
  const flags = (i: Parameters<typeof normalizeInput>[0]) => checkInput(normalizeInput(i)).map((x) => [x.flag, x.message]);

  test('defaults: bridge = name, public = VM Network, client = public, management = client', () => {
    expect(normalizeInput({ name: 'v' })).toMatchObject({ bridgeNetwork: 'v', publicNetwork: 'VM Network', clientNetwork: 'VM Network', managementNetwork: 'VM Network' });
    expect(normalizeInput({ name: 'v', publicNetwork: 'p', clientNetwork: 'c' })).toMatchObject({ clientNetwork: 'c', managementNetwork: 'c' });
  });

  test('a clean input has no issues', () => {
    expect(flags({ ...base, containerNetworks: [{ vsphereName: 'DC0_DVPG1', alias: 'cn', gateway: '10.0.0.1/24', ipRange: '10.0.0.10-10.0.0.20', dns: ['8.8.8.8'], firewall: 'Open' }] })).toEqual([]);
  });

  test('every container-network problem, each with its flag', () => {
    expect(flags({
      ...base,
      containerNetworks: [
        { vsphereName: 'a', alias: 'bridge' },
        { vsphereName: 'b', alias: 'x', ipRange: '10.0.0.0/24' },
        { vsphereName: 'c', alias: 'x', gateway: '10.0.0.1/24', ipRange: ['10.1.0.0/24', '10.0.0.2-10.0.0.9', '10.0.0.5-10.0.0.6'], dns: 'nope', firewall: 'wide' },
        { vsphereName: 'My Net', alias: 'My Net' },
        { vsphereName: 'e', alias: 'e', gateway: '127.0.0.1/8' },
      ],
    })).toEqual([
      ['--container-network', 'Cannot use reserved name "bridge" for container network'],
      ['--container-network-ip-range', 'IP range specified without gateway for container network "x"'],
      ['--container-network', 'Container network alias "x" is used for both "b" and "c"'],
      ['--container-network-ip-range', 'IP range "10.1.0.0/24" is not in subnet "10.0.0.0/24"'],
      ['--container-network-ip-range', 'Overlapping ip ranges: "10.0.0.5-10.0.0.6" "10.0.0.2-10.0.0.9"'],
      ['--container-network-dns', 'Error parsing container network parameter c:nope: "nope" is not an IPv4 address'],
      ['--container-network-firewall', 'Unrecognized container trust level wide.'],
      ['--container-network', 'A network alias must be supplied when network name "My Net" contains spaces.'],
      ['--container-network-gateway', 'Gateway 127.0.0.1 is not a routable address'],
    ]);
  });

  test('volume labels, static addresses, quota, name', () => {
    expect(flags({
      name: 'a/b',
      volumeStores: [{ label: 'v', datastore: 'd', path: '' }, { label: 'v', datastore: 'd', path: 'x' }],
      managementNetwork: 'mgmt',
      staticIp: { public: { ip: '10.0.0.2' }, management: { ip: '10.0.1.2/24', gateway: '10.0.0.0/16,10.2.0.0/16:10.9.0.1' } },
      storageQuotaGB: -1,
    }).map(([f]) => f)).toEqual(['--name', '--volume-store', '--public-network-ip', '--management-network-gateway', '--storage-quota']);
  });
});
