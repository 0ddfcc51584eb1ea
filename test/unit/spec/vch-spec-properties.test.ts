// Property tests (fast-check) of the specification's written forms, over generated specifications:
//   specification → VCH model (JSON text) → specification is the same specification;
//   specification → create flags → the CLI's parser → specification is the same specification.
// The generators make specifications in canonical form (what any front end makes: defaults filled in, sizes in their
// one spelling), with what each form can carry: PEM text and moref ids in the model, files and names in flags.
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { parseArgs } from '../../../src/cli/main.js';
import type { CreateOptions } from '../../../src/cli/options.js';
import { createFlagsOf, specFromCreateFlags } from '../../../src/vic/spec/flags.js';
import { formatByteSize } from '../../../src/vic/spec/values/size.js';
import { vchModelOf, vchSpecOfModel } from '../../../src/vic/spec/vch-model.js';
import {
  FIREWALL_LEVELS, type ApplianceNetworkSpec, type ContainerNetworkSpec, type InventoryRef, type PemSource, type Shares, type TlsSpec, type VchSpec,
} from '../../../src/vic/spec/vch-spec.js';

const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/);
const octet = fc.integer({ min: 1, max: 254 });
const ip = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));
/** An address with its prefix (a static IP, a container gateway). */
const addressWithPrefix = fc.tuple(ip, fc.integer({ min: 8, max: 30 })).map(([a, p]) => `${a}/${p}`);
/** A network in CIDR form, its address the network's own (a routing destination, a bridge range). */
const network = fc.tuple(octet, octet, fc.integer({ min: 8, max: 24 })).map(([a, b, p]) => {
  const n = ((a << 24) | (b << 16)) >>> 0;
  const mask = (0xffffffff << (32 - p)) >>> 0;
  const net = (n & mask) >>> 0;
  return `${[net >>> 24, (net >>> 16) & 255, (net >>> 8) & 255, net & 255].join('.')}/${p}`;
});
const ipRange = fc.oneof(network, fc.tuple(ip, ip).map(([a, b]) => `${a}-${b}`));
const shares: fc.Arbitrary<Shares> = fc.oneof(
  fc.constantFrom<Shares>({ level: 'low' }, { level: 'normal' }, { level: 'high' }),
  fc.integer({ min: 1, max: 100000 }).map((n): Shares => ({ level: 'custom', shares: n })),
);
const allocation = fc.record({ limit: fc.integer({ min: 1, max: 100000 }), reservation: fc.integer({ min: 1, max: 100000 }), shares }, { requiredKeys: [] });
const pem = fc.base64String({ minLength: 4, maxLength: 40 }).filter((b) => /^[A-Za-z0-9+/]+={0,2}$/.test(b))
  .map((b): PemSource => ({ pem: `-----BEGIN CERTIFICATE-----\n${b}\n-----END CERTIFICATE-----\n` }));
const file = word.map((w): PemSource => ({ file: `/certs/${w}.pem` }));
const byName = word.map((name): InventoryRef => ({ name }));
const ref = (ids: boolean): fc.Arbitrary<InventoryRef> => (ids ? fc.oneof(byName, word.map((id): InventoryRef => ({ id }))) : byName);
const host = fc.tuple(word, fc.integer({ min: 1, max: 65535 })).map(([h, p]) => `${h}.example.com:${p}`);

function applianceNetwork(ids: boolean, portGroup?: fc.Arbitrary<InventoryRef>): fc.Arbitrary<ApplianceNetworkSpec> {
  // a gateway goes with a static address (1.5 refuses one alone)
  const statik = fc.option(fc.record({
    staticIp: addressWithPrefix,
    gateway: fc.option(fc.record({ address: ip, routingDestinations: fc.array(network, { maxLength: 2 }) }), { nil: undefined }),
  }), { nil: undefined });
  return fc.tuple(portGroup ?? ref(ids), statik).map(([pg, s]) => ({
    portGroup: pg, ...(s ? { staticIp: s.staticIp, ...(s.gateway ? { gateway: s.gateway } : {}) } : {}),
  }));
}

function containerNetworks(ids: boolean): fc.Arbitrary<ContainerNetworkSpec[]> {
  const one = fc.record({
    portGroup: ref(ids), alias: word, gateway: fc.option(addressWithPrefix, { nil: undefined }),
    ipRanges: fc.array(ipRange, { maxLength: 2 }), dns: fc.array(ip, { maxLength: 2 }), firewall: fc.option(fc.constantFrom(...FIREWALL_LEVELS), { nil: undefined }),
  }).map((n): ContainerNetworkSpec => ({
    portGroup: n.portGroup, alias: n.alias, ipRanges: n.gateway ? n.ipRanges : [], dns: n.dns,
    ...(n.gateway ? { gateway: n.gateway } : {}), ...(n.firewall ? { firewall: n.firewall } : {}),
  }));
  return fc.uniqueArray(one, { maxLength: 3, selector: (n) => n.alias }).filter((ns) =>
    ns.every((n) => n.alias !== 'bridge') && new Set(ns.map((n) => JSON.stringify(n.portGroup))).size === ns.length);
}

/** TLS as each form carries it: the model carries PEM and no files; flags files and no PEM. */
function tls(form: 'model' | 'flags'): fc.Arbitrary<TlsSpec> {
  const source = form === 'model' ? pem : file;
  const generated = fc.record({
    cname: fc.option(word.map((w) => `${w}.example.com`), { nil: undefined }), organization: fc.array(word, { maxLength: 2 }),
    keySize: fc.constantFrom(2048, 3072, 4096),
  });
  const none = fc.constant<TlsSpec>({ mode: 'none', organization: [], keySize: 2048, clientCas: [] });
  const noVerify = generated.map((g): TlsSpec => ({ mode: 'no-verify', ...(g.cname ? { cname: g.cname } : {}), organization: g.organization, keySize: g.keySize, clientCas: [] }));
  const verify = fc.tuple(generated, fc.array(source, { maxLength: 2 })).map(([g, cas]): TlsSpec => ({
    mode: 'verify', ...(g.cname ? { cname: g.cname } : {}), organization: g.organization, keySize: g.keySize, clientCas: cas,
  }));
  const own = fc.tuple(source, source, fc.array(source, { maxLength: 1 })).map(([cert, key, cas]): TlsSpec => ({
    mode: 'verify', organization: [], keySize: 2048, serverCertificate: cert, serverKey: key, clientCas: cas,
  }));
  return fc.oneof(none, noVerify, verify, own);
}

function vchSpec(form: 'model' | 'flags'): fc.Arbitrary<VchSpec> {
  const ids = form === 'model';
  return fc.record({
    name: word, debug: fc.integer({ min: 0, max: 3 }),
    resource: fc.option(ref(ids), { nil: undefined }), cpu: allocation, memory: allocation, affinity: fc.boolean(),
    cpus: fc.integer({ min: 1, max: 8 }), memoryMB: fc.integer({ min: 512, max: 16384 }),
    ops: fc.option(fc.record({ user: word, password: word, grantPermissions: fc.boolean() }), { nil: undefined }),
    imageStore: fc.option(fc.tuple(word, word).map(([d, p]) => `ds://${d}/${p}`), { nil: undefined }),
    volumeStores: fc.uniqueArray(fc.record({ label: word, location: fc.tuple(word, word).map(([d, p]) => `ds://${d}/${p}`) }), { maxLength: 2, selector: (v) => v.label }),
    baseImageSize: fc.integer({ min: 1, max: 64000 }).map((mb) => formatByteSize(mb * 1e6)),
    quotaGB: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }),
    bridge: fc.record({ portGroup: fc.option(ref(ids), { nil: undefined }), ipRange: network, width: fc.integer({ min: 16, max: 30 }) }),
    // flags cannot tell a client or management network on the public port group without an address of its own from none
    publicName: word,
    client: fc.option(applianceNetwork(ids), { nil: undefined }), management: fc.option(applianceNetwork(ids), { nil: undefined }),
    publicStatic: applianceNetwork(ids),
    dns: fc.array(ip, { maxLength: 3 }), container: containerNetworks(ids), asymmetricRoutes: fc.boolean(),
    tls: tls(form),
    insecure: fc.array(host, { maxLength: 2 }), whitelist: fc.array(host, { maxLength: 2 }), registryCas: fc.array(form === 'model' ? pem : file, { maxLength: 2 }),
    http: fc.option(host.map((h) => `http://${h}`), { nil: undefined }), https: fc.option(host.map((h) => `https://${h}`), { nil: undefined }),
    noProxy: fc.option(fc.array(word, { minLength: 1, maxLength: 3 }).map((ws) => ws.join(',')), { nil: undefined }),
    syslog: fc.option(fc.tuple(fc.constantFrom('tcp', 'udp'), host).map(([t, h]) => `${t}://${h}`), { nil: undefined }),
    nameConvention: fc.option(word.map((w) => `${w}-{name}`), { nil: undefined }), maxContainers: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }),
  }).map((g): VchSpec => {
    const pub: ApplianceNetworkSpec = { ...g.publicStatic, portGroup: { name: `pub-${g.publicName}` } };
    const other = (n: ApplianceNetworkSpec | undefined): ApplianceNetworkSpec | undefined =>
      (n && form === 'flags' && 'name' in n.portGroup && n.portGroup.name === `pub-${g.publicName}` && !n.staticIp ? undefined : n);
    const client = other(g.client);
    const management = other(g.management);
    return {
      name: g.name, debug: g.debug,
      compute: { ...(g.resource ? { resource: g.resource } : {}), cpu: g.cpu, memory: g.memory, affinityVmGroup: g.affinity },
      endpoint: { cpus: g.cpus, memoryMB: g.memoryMB, ...(g.ops ? { operationsCredentials: g.ops } : {}) },
      storage: { ...(g.imageStore ? { imageStore: g.imageStore } : {}), volumeStores: g.volumeStores, baseImageSize: g.baseImageSize, ...(g.quotaGB ? { quotaGB: g.quotaGB } : {}) },
      network: {
        bridge: { ...(g.bridge.portGroup ? { portGroup: g.bridge.portGroup } : {}), ipRange: g.bridge.ipRange, width: g.bridge.width },
        public: pub, ...(client ? { client } : {}), ...(management ? { management } : {}),
        dns: g.dns, container: g.container, asymmetricRoutes: g.asymmetricRoutes,
      },
      tls: g.tls,
      registry: { insecure: g.insecure, whitelist: g.whitelist, certificateAuthorities: g.registryCas },
      proxy: { ...(g.http ? { http: g.http } : {}), ...(g.https ? { https: g.https } : {}), ...(g.noProxy ? { noProxy: g.noProxy } : {}) },
      ...(g.syslog ? { syslogAddress: g.syslog } : {}),
      container: { ...(g.nameConvention ? { nameConvention: g.nameConvention } : {}), ...(g.maxContainers ? { maxContainers: g.maxContainers } : {}) },
    };
  });
}

describe('specification ⇄ VCH model', () => {
  test('specification → model → JSON text → specification: the same specification', () => {
    fc.assert(fc.property(vchSpec('model'), (spec) => {
      const text = JSON.stringify(vchModelOf(spec, {}, { withSecrets: true }));
      expect(vchSpecOfModel(JSON.parse(text)).spec).toEqual(spec);
    }), { numRuns: 300 });
  });

  test('without secrets (a GET): the same specification less the ops password', () => {
    fc.assert(fc.property(vchSpec('model'), (spec) => {
      const back = vchSpecOfModel(JSON.parse(JSON.stringify(vchModelOf(spec)))).spec;
      const expected = structuredClone(spec);
      if (expected.endpoint.operationsCredentials) delete expected.endpoint.operationsCredentials.password;
      if (expected.tls.serverKey) delete expected.tls.serverKey;
      expect(back).toEqual(expected);
    }), { numRuns: 100 });
  });
});

describe('specification ⇄ create flags', () => {
  test('specification → flags → the CLI\'s parser → specification: the same specification (the ops password aside)', async () => {
    await fc.assert(fc.asyncProperty(vchSpec('flags'), async (spec) => {
      const argv = createFlagsOf(spec).map(({ flag, value }) => `--${flag}=${value}`);
      const parsed = await parseArgs(['create', '--target', 'vc.example.com', '--user', 'u', '--password', 'p', ...argv], {});
      const back = specFromCreateFlags(parsed!.options as unknown as CreateOptions);
      const expected = structuredClone(spec);
      if (expected.endpoint.operationsCredentials) delete expected.endpoint.operationsCredentials.password;
      expect(back).toEqual(expected);
    }), { numRuns: 60 });
  });
});
