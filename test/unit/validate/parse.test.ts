// Pure rules of create's validation: routable gateways, trust levels, firewall rule coverage, license features,
// issue rendering, the checks of the input alone.
import { describe, expect, test } from '@jest/globals';
import {
  checkInput, datastoreUrl, firewallVerdict, formatIssue, isRoutableGateway, licenseFeatures, nameProblems, normalizeInput,
  parseFirewallLevel, ruleCoversPort, shellQuote, type FirewallRulesetLike,
} from '../../../src/vic/validate/index.js';
import { parseIpv4Cidr, parseVolumeStore } from '../../../src/vic/spec/values/index.js';

// Datastore locations, volume stores, CIDRs and ranges are value types now: test/unit/spec/values-*.test.ts.
describe('IPv4 rules', () => {
  test('routable gateways', () => {
    expect(isRoutableGateway(parseIpv4Cidr('172.16.0.1/16'))).toBe(true);
    for (const bad of ['0.0.0.0/8', '127.0.0.1/8', '224.0.0.1/4', '169.254.1.1/16', '10.0.0.0/24', '10.0.0.255/24']) {
      expect(isRoutableGateway(parseIpv4Cidr(bad))).toBe(false);
    }
    expect(datastoreUrl('Local DS_0', 'vch/images')).toBe('ds://Local DS_0/vch/images');
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
      volumeStores: [parseVolumeStore('d:v'), parseVolumeStore('d/x:v')],
      managementNetwork: 'mgmt',
      staticIp: { public: { ip: '10.0.0.2' }, management: { ip: '10.0.1.2/24', gateway: '10.0.0.0/16,10.2.0.0/16:10.9.0.1' } },
      storageQuotaGB: -1,
    }).map(([f]) => f)).toEqual(['--name', '--volume-store', '--public-network-ip', '--management-network-gateway', '--storage-quota']);
  });
});
