// (b) THE parity test: the configuration built from each fixture's create flags through buildVchConfig, encoded,
// equals what vic-machine 1.5.8 wrote (extraconfig.installer.json) key by key, except the random values.
//
// Inputs that come from the environment rather than the flags are taken from the recorded run: the simulator
// inventory (morefs, inventory paths; fixtures.ts SIM) and the generated certificates (which differ on every
// create; they are read back from the recorded extraConfig, unsealing the key with the recorded secret key).
// `vic_machine_create_options` is the list of `--flag=value` strings the CLI logs (its flag order and quirks are
// the CLI's business); it is taken from the recording too, after checking it holds every flag of command.txt.

import { describe, expect, test } from '@jest/globals';
import {
  buildVchConfig, compareExtraConfig, decodeVchConfigDetailed, encodeVchConfig, applianceNics,
  type ContainerNetworkInput, type VchCreateInput,
} from '../../../src/vic/config/index.js';
import {
  parseByteSize, parseDatastoreLocation, parseDnsServers, parseGateway, parseIpv4, parseIpv4Cidr, parseIpv4Range, parseVolumeStore,
} from '../../../src/vic/spec/values/index.js';
import { commandFlags, extraConfigFixture, FIXTURE_RUNS, SIM, type FixtureRun } from './fixtures.js';

/** Builds the create input for a fixture run from its command.txt flags (what the create command will do). */
export function createInputForRun(run: FixtureRun): VchCreateInput {
  const flags = commandFlags(run);
  const one = (name: string): string | undefined => flags.get(name)?.[0];
  const all = (name: string): string[] => flags.get(name) ?? [];
  const moref = (pg: string): string => {
    const m = SIM.networks[pg];
    if (!m) throw new Error(`no network ${pg} in the simulator`);
    return m;
  };
  const name = one('name')!;
  const recorded = decodeVchConfigDetailed(extraConfigFixture(run, 'installer')).config;

  // container networks: --container-network pg[:alias]; the other options are keyed by port group
  const byPg = (flag: string): Map<string, string[]> => {
    const m = new Map<string, string[]>();
    for (const v of all(flag)) {
      const [pg, val] = v.split(/:(.*)/s) as [string, string];
      m.set(pg, [...(m.get(pg) ?? []), val]);
    }
    return m;
  };
  const gws = byPg('container-network-gateway');
  const ranges = byPg('container-network-ip-range');
  const dns = byPg('container-network-dns');
  const fws = byPg('container-network-firewall');
  const containerNetworks: ContainerNetworkInput[] = all('container-network').map((v) => {
    const [pg, alias] = v.split(':') as [string, string | undefined];
    const gw = gws.get(pg)?.[0];
    const fw = fws.get(pg)?.[0];
    return {
      portGroup: pg, alias: alias || pg, moref: moref(pg),
      ...(gw ? { gateway: parseIpv4Cidr(gw) } : {}), ipRanges: (ranges.get(pg) ?? []).map(parseIpv4Range),
      dns: (dns.get(pg) ?? []).map(parseIpv4), ...(fw ? { firewall: fw } : {}),
    };
  });

  const noTls = one('no-tls') === 'true';
  const hostCert = recorded.certificate.hostCertificate;
  const publicPg = one('public-network') ?? 'VM Network';
  const bridgePg = one('bridge-network') ?? name;
  const debug = one('debug');
  const containers = one('containers');
  return {
    name,
    version: SIM.version,
    ...(debug !== undefined ? { debug: Number(debug) } : {}),
    target: SIM.target,
    thumbprint: SIM.thumbprint,
    opsUser: one('ops-user') ?? SIM.user,
    opsPassword: one('ops-password') ?? SIM.password,
    datacenterName: SIM.datacenterName,
    clusterPath: SIM.clusterPath,
    resourcePoolPath: SIM.resourcePoolPath,
    vchPool: SIM.vchPool,
    applianceVm: SIM.applianceVm,
    bootstrapIsoName: `${SIM.isoVersion}-bootstrap.iso`,
    imageStore: parseDatastoreLocation(one('image-store')!),
    volumeStores: all('volume-store').map(parseVolumeStore),
    ...(one('base-image-size') ? { baseImageSizeBytes: parseByteSize(one('base-image-size')!) } : {}),
    ...(containers ? { containerCount: Number(containers) } : {}),
    publicNetwork: {
      portGroup: publicPg, moref: moref(publicPg),
      ...(one('public-network-ip') ? { ip: parseIpv4Cidr(one('public-network-ip')!) } : {}),
      ...(one('public-network-gateway') ? { gateway: parseGateway(one('public-network-gateway')!) } : {}),
    },
    bridgeNetwork: { portGroup: bridgePg, moref: moref(bridgePg) },
    ...(one('bridge-network-range') ? { bridgeNetworkRange: parseIpv4Cidr(one('bridge-network-range')!) } : {}),
    ...(one('bridge-network-width') ? { bridgeNetworkWidth: Number(one('bridge-network-width')) } : {}),
    dnsServers: parseDnsServers(all('dns-server')),
    containerNetworks,
    ...(noTls || !hostCert ? {} : { serverCertificatePem: hostCert.cert!, serverKeyPem: hostCert.key! }),
    ...(recorded.certificate.certificateAuthorities ? { clientCaPem: recorded.certificate.certificateAuthorities } : {}),
    insecureRegistries: all('insecure-registry'),
    whitelistRegistries: all('whitelist-registry'),
    httpProxy: one('http-proxy'),
    httpsProxy: one('https-proxy'),
    noProxy: one('no-proxy'),
    syslogAddress: one('syslog-address'),
    createOptions: recorded.vicMachineCreateOptions,
  };
}

describe('parity with vic-machine 1.5.8 create (extraconfig.installer.json)', () => {
  for (const run of FIXTURE_RUNS) {
    test(`${run}: every key and value, Go 1.19 url field set (as the recording's binary)`, () => {
      const input = createInputForRun(run);
      // the recorded create options hold every flag of command.txt
      for (const [flag, values] of commandFlags(run)) {
        if (flag === 'ops-password') continue; // never stored
        for (const v of values) expect(input.createOptions).toContain(`--${flag}=${v}`);
      }
      const expected = extraConfigFixture(run, 'installer');
      const ours = encodeVchConfig(buildVchConfig(input), { urlFieldSet: 'go1.19', includeApplianceKeys: true });
      const cmp = compareExtraConfig(expected, ours);
      const report = {
        run, keys: Object.keys(expected).length, equal: cmp.equal.length,
        environment: cmp.environmentDifferences.map((d) => `${d.key} (${d.kind})`),
        differences: cmp.differences, missing: cmp.missing, extra: cmp.extra,
      };
      // eslint-disable-next-line no-console
      if (process.env['PARITY_REPORT']) console.log(JSON.stringify(report, null, 1));
      expect(cmp.missing).toEqual([]);
      expect(cmp.extra).toEqual([]);
      expect(cmp.differences).toEqual([]);
      // only the secret key and the ciphertexts differ
      expect(cmp.environmentDifferences.map((d) => d.kind).every((k) => k === 'secret-key' || k === 'ciphertext')).toBe(true);
      expect(cmp.equal.length + cmp.environmentDifferences.length).toBe(Object.keys(expected).length);
      // and the sealed values hold the same secrets
      const a = decodeVchConfigDetailed(expected).config;
      const b = decodeVchConfigDetailed(ours).config;
      expect(b).toEqual(a);
    });

    test(`${run}: default (Go 1.8 url field set) differs only by the OmitHost/RawFragment keys`, () => {
      const expected = extraConfigFixture(run, 'installer');
      const ours = encodeVchConfig(buildVchConfig(createInputForRun(run)), { includeApplianceKeys: true });
      const cmp = compareExtraConfig(expected, ours);
      expect(cmp.differences).toEqual([]);
      expect(cmp.extra).toEqual([]);
      expect(cmp.missing.length).toBeGreaterThan(0);
      for (const k of cmp.missing) expect(k).toMatch(/^guestinfo\.vice\.\/storage\/(image_stores|VolumeLocations)\|[^/]+\/(OmitHost|RawFragment)$/);
    });

    test(`${run}: against the running VCH only guest-written keys and the NIC slot order differ`, () => {
      const expected = extraConfigFixture(run, 'running');
      const input = createInputForRun(run);
      input.createOptions = decodeVchConfigDetailed(expected).config.vicMachineCreateOptions; // --timeout differed
      const ours = encodeVchConfig(buildVchConfig(input), { urlFieldSet: 'go1.19', includeApplianceKeys: true });
      const cmp = compareExtraConfig(expected, ours);
      expect(cmp.differences).toEqual([]);
      expect(cmp.extra).toEqual([]);
      for (const k of cmp.missing) expect(k).toMatch(/^guestinfo\.vice\.\.init\.networks\|[a-z]+\.assigned\.(IP|Mask)$/);
      const kinds = new Set(cmp.environmentDifferences.map((d) => d.kind));
      for (const k of kinds) expect(['secret-key', 'ciphertext', 'guest-written', 'nic-slot', 'certificate']).toContain(k);
    });
  }

  test('NICs: one per distinct network, public/client/management sharing one', () => {
    const conf = buildVchConfig(createInputForRun('basic'));
    expect(applianceNics(conf)).toEqual([
      { network: { type: 'Network', value: 'network-7' }, networkId: 'Network:network-7', slot: 1184, roles: ['public', 'client', 'management'] },
      { network: { type: 'DistributedVirtualPortgroup', value: 'dvportgroup-13' }, networkId: 'DistributedVirtualPortgroup:dvportgroup-13', slot: 1216, roles: ['bridge'] },
    ]);
  });

  test('before the VM exists the ID is CreatingVCH', () => {
    const input = createInputForRun('basic');
    delete input.applianceVm;
    expect(encodeVchConfig(buildVchConfig(input))['guestinfo.vice./init/common/id']).toBe('CreatingVCH');
  });
});
