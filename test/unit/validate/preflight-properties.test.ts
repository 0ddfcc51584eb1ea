// Property tests (fast-check) of the checks before connecting against the configuration encoder they stand in front
// of: for generated bridge ranges and widths, static addresses and gateways, registries and sizes, whatever
// preflightCreate accepts, buildVchConfig encodes without throwing (nothing is left to fail while the appliance VM is
// created); and for the bridge network, which 1.5's validator adds no rule to, the two agree exactly.
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { preflightCreate, type PreflightCreateValues } from '../../../src/vic/validate/preflight.js';
import { buildVchConfig, type VchCreateInput } from '../../../src/vic/config/index.js';
import { parseByteSize, parseDatastoreLocation, parseGateway, parseIpv4Cidr } from '../../../src/vic/spec/values/index.js';

const RUNS = { numRuns: 400 };

const octet = fc.integer({ min: 0, max: 255 });
const ip = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));
const prefix = fc.integer({ min: 0, max: 32 });
const cidr = fc.tuple(ip, prefix).map(([a, p]) => `${a}/${p}`);
/** well-formed and not: what an admin types */
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const gateway = fc.oneof(ip, fc.tuple(fc.array(cidr, { minLength: 1, maxLength: 2 }), ip).map(([d, g]) => `${d.join(',')}:${g}`), fc.constantFrom('nope', '10.0.0.1:', '1:2:3'));
const width = fc.oneof(fc.integer({ min: -2, max: 34 }).map(String), fc.constantFrom('', 'abc', '16.5', ' 16'));
const portGroup = maybe(fc.constantFrom('pub', 'cli', 'mgmt', ''));
/** a network as admins mostly give it: DHCP, or an address with a gateway near it (often in its subnet), routes or not */
const plausible = fc.tuple(portGroup, octet, octet, octet, fc.integer({ min: 8, max: 30 }), fc.boolean(), fc.array(cidr, { maxLength: 2 }))
  .map(([network, a, b, c, p, withGateway, destinations]) => ({
    network, ip: `${a}.${b}.${c}.10/${p}`,
    gateway: withGateway ? `${destinations.length ? `${destinations.join(',')}:` : ''}${a}.${b}.${c}.1` : undefined,
  }));
const network = fc.oneof(
  fc.record({ network: portGroup }),
  plausible,
  fc.record({ network: portGroup, ip: maybe(fc.oneof(cidr, ip)), gateway: maybe(gateway) }),
);
const registry = fc.oneof(cidr, ip, fc.constantFrom('reg.example.com', 'reg.example.com:5000', 'http://r:5000/x', '*.example.com', '', 'http://[::1'));

function encode(v: PreflightCreateValues): void {
  const n = v.networks ?? {};
  const pg = (name: string | undefined, dflt: string) => (name && name.trim()) || dflt;
  const pub = pg(n.public?.network, 'VM Network');
  const cli = pg(n.client?.network, pub);
  const mgmt = pg(n.management?.network, cli);
  // the texts parsed as create parses them (src/vic/spec/values/) before it builds the configuration from the values
  const role = (portGroup: string, r: { ip?: string | undefined; gateway?: string | undefined } | undefined) => ({
    portGroup, moref: `Network:${portGroup.replace(/\s/g, '-')}`,
    ...(r?.ip ? { ip: parseIpv4Cidr(r.ip) } : {}), ...(r?.gateway ? { gateway: parseGateway(r.gateway) } : {}),
  });
  buildVchConfig({
    name: 'v', version: { version: 'v1.5.8', gitCommit: '', buildNumber: '', buildDate: '', state: '', pluginVersion: 10 },
    target: 'vc', thumbprint: '', datacenterName: 'DC0', clusterPath: '/DC0/host/C', resourcePoolPath: '/DC0/host/C/Resources/v',
    vchPool: 'ResourcePool:resgroup-1', imageStore: parseDatastoreLocation('ds://LocalDS_0'), bootstrapIsoName: 'b.iso',
    publicNetwork: role(pub, n.public), clientNetwork: role(cli, n.client), managementNetwork: role(mgmt, n.management),
    bridgeNetwork: { portGroup: 'br', moref: 'DistributedVirtualPortgroup:dvpg-1' },
    ...(v.bridgeNetworkRange ? { bridgeNetworkRange: parseIpv4Cidr(v.bridgeNetworkRange) } : {}),
    // as create hands it in: the flag's text as a number (NaN when it is none)
    ...(v.bridgeNetworkWidth !== undefined && v.bridgeNetworkWidth !== '' ? { bridgeNetworkWidth: Number(v.bridgeNetworkWidth) } : {}),
    insecureRegistries: [...(v.insecureRegistries ?? [])].filter((r) => r !== ''), whitelistRegistries: [...(v.whitelistRegistries ?? [])].filter((r) => r !== ''),
    ...(v.baseImageSize ? { baseImageSizeBytes: parseByteSize(v.baseImageSize) } : {}),
    opsUser: 'u', opsPassword: 'p',
  } as VchCreateInput);
}

const encodes = (v: PreflightCreateValues): boolean => {
  try {
    encode(v);
    return true;
  } catch {
    return false;
  }
};

describe('what the checks before connecting accept, the encoder encodes', () => {
  test('bridge range and width: the two agree', () => {
    fc.assert(fc.property(maybe(fc.oneof(cidr, fc.constantFrom('10.0.0.0/40', 'nope'))), width, (range, w) => {
      const v = { bridgeNetworkRange: range, bridgeNetworkWidth: w };
      // a width the flag parser would have refused (signs, decimals, blanks) is not the encoder's concern
      if (!/^\d*$/.test(w)) return;
      expect(preflightCreate(v).length === 0).toBe(encodes(v));
    }), RUNS);
  });

  test('static addresses and gateways of the three networks', () => {
    let accepted = 0;
    let acceptedStatic = 0;
    fc.assert(fc.property(fc.record({ public: network, client: network, management: network }), (networks) => {
      const v = { networks };
      if (preflightCreate(v).length) return;
      accepted++;
      if (Object.values(networks).some((n) => 'ip' in n && n.ip)) acceptedStatic++;
      expect(encodes(v)).toBe(true);
    }), { numRuns: 2000 });
    // the property is not empty: many generated configurations pass, static ones among them
    expect(accepted).toBeGreaterThan(100);
    expect(acceptedStatic).toBeGreaterThan(20);
  });

  test('registries and the base image size', () => {
    fc.assert(fc.property(fc.array(registry, { maxLength: 3 }), fc.array(registry, { maxLength: 3 }),
      maybe(fc.oneof(fc.constantFrom('8GB', '8XB', '0', '1.5GB', '10 MB', 'GB', '-1GB'), fc.integer({ min: 1, max: 99 }).map((n) => `${n}GB`))),
      (insecure, whitelist, size) => {
        const v = { insecureRegistries: insecure, whitelistRegistries: whitelist, baseImageSize: size };
        if (preflightCreate(v).length === 0) expect(encodes(v)).toBe(true);
      }), RUNS);
  });
});
