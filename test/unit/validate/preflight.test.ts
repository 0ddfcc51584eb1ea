// The checks create and configure run before connecting (src/vic/validate/preflight.ts): each value the encoder or
// the appliance would refuse late is refused here with its code and flag, and what the encoder accepts passes.
import { describe, expect, test } from '@jest/globals';
import {
  checkApplianceNetworks, checkBridgeNetwork, checkDatastorePaths, checkRegistries, checkRegistryCa, preflightConfigure, preflightCreate,
} from '../../../src/vic/validate/preflight.js';
import { buildVchConfig, type VchCreateInput } from '../../../src/vic/config/index.js';
import {
  parseByteSize, parseDatastoreLocation, parseDnsServers, parseGateway, parseIpv4Cidr,
} from '../../../src/vic/spec/values/index.js';

const codes = (issues: { code?: string; flag: string }[]) => issues.map((i) => [i.code, i.flag]);

describe('appliance networks', () => {
  test('a gateway without a static IP, on each network (1.5: "Gateway provided without static IP")', () => {
    for (const role of ['public', 'client', 'management'] as const) {
      const issues = checkApplianceNetworks({ [role]: { network: role === 'public' ? undefined : `${role}-pg`, gateway: '10.0.0.1' } });
      expect(codes(issues)).toEqual([['gateway-without-ip', `--${role}-network-gateway`]]);
      expect(issues[0]!.message).toMatch(new RegExp(`^Gateway provided without static IP for ${role} network: .*--${role}-network-ip`));
    }
  });

  test('valid static configurations pass', () => {
    expect(checkApplianceNetworks({})).toEqual([]);
    expect(checkApplianceNetworks({ public: { ip: '10.0.0.5/24', gateway: '10.0.0.1' } })).toEqual([]);
    expect(checkApplianceNetworks({
      public: { network: 'pub', ip: '10.0.0.5/24', gateway: '10.0.0.1' },
      client: { network: 'cli', ip: '10.1.0.5/24', gateway: '10.9.0.0/16,10.8.0.0/16:10.1.0.1' },
      management: { network: 'mgmt', ip: '10.2.0.5/24', gateway: '10.7.0.0/16:10.2.0.1' },
    })).toEqual([]);
    // a client network on a port group of its own, addressed by DHCP, and the management network sharing it
    expect(checkApplianceNetworks({ client: { network: 'cli' }, management: { network: 'cli', ip: '10.2.0.5/24' } })).toEqual([]);
  });

  test('malformed addresses and unreachable gateways', () => {
    expect(codes(checkApplianceNetworks({ public: { ip: '10.0.0.5/99', gateway: '10.0.0.1' } }))).toEqual([['ip-invalid', '--public-network-ip']]);
    expect(codes(checkApplianceNetworks({ public: { ip: '10.0.0.5', gateway: '10.0.0.1' } }))).toEqual([['ip-invalid', '--public-network-ip']]);
    expect(codes(checkApplianceNetworks({ public: { ip: '10.0.0.5/24', gateway: 'notanip' } }))).toEqual([['gateway-invalid', '--public-network-gateway']]);
    const far = checkApplianceNetworks({ public: { ip: '10.0.0.5/24', gateway: '10.1.0.1' } });
    expect(codes(far)).toEqual([['gateway-unreachable', '--public-network-gateway']]);
    expect(far[0]!.message).toBe('public gateway with IP 10.1.0.1 is not reachable from 10.0.0.0/24 (--public-network-ip 10.0.0.5/24)');
  });

  test("1.5's routing rules: public needs a gateway and takes no destinations; client and management gateways need them", () => {
    expect(codes(checkApplianceNetworks({ public: { ip: '10.0.0.5/24' } }))).toEqual([['gateway-required', '--public-network-gateway']]);
    expect(codes(checkApplianceNetworks({ public: { ip: '10.0.0.5/24', gateway: '10.9.0.0/16:10.0.0.1' } }))).toEqual([['gateway-invalid', '--public-network-gateway']]);
    const noDest = checkApplianceNetworks({ client: { network: 'cli', ip: '10.1.0.5/24', gateway: '10.1.0.1' } });
    expect(codes(noDest)).toEqual([['gateway-invalid', '--client-network-gateway']]);
    expect(noDest[0]!.message).toMatch(/^client network gateway specified without at least one routing destination/);
  });

  test('a static address on the public port group only through the public options; one per port group', () => {
    const implicit = checkApplianceNetworks({ client: { ip: '10.0.0.6/24' } });
    expect(codes(implicit)).toEqual([['static-ip-on-shared-port-group', '--client-network-ip']]);
    expect(implicit[0]!.message).toMatch(/--client-network is not given, so it is the public network "VM Network"/);
    expect(codes(checkApplianceNetworks({ public: { network: 'pub' }, management: { network: 'pub', ip: '10.0.0.6/24' } })))
      .toEqual([['static-ip-on-shared-port-group', '--management-network-ip']]);
    // management defaults to the client network
    expect(codes(checkApplianceNetworks({ client: { network: 'cli', ip: '10.1.0.5/24' }, management: { ip: '10.1.0.6/24' } })))
      .toEqual([['static-ip-on-shared-port-group', '--management-network-ip']]);
  });
});

describe('bridge network range and width', () => {
  test('the default width (16) with a narrower range names both flags', () => {
    const issues = checkBridgeNetwork('172.16.0.0/24', undefined);
    expect(codes(issues)).toEqual([['bridge-width-invalid', '--bridge-network-width']]);
    expect(issues[0]!.message).toContain('--bridge-network-range 172.16.0.0/24');
    expect(issues[0]!.message).toContain('--bridge-network-width 16');
    expect(issues[0]!.message).toContain('from 24 to 30');
  });

  test('accepted: defaults, a width at or past the prefix up to 30', () => {
    expect(checkBridgeNetwork(undefined, undefined)).toEqual([]);
    expect(checkBridgeNetwork('', '')).toEqual([]);
    expect(checkBridgeNetwork('172.16.0.0/24', '24')).toEqual([]);
    expect(checkBridgeNetwork('10.0.0.0/8', 30)).toEqual([]);
  });

  test('refused: a width past 30, not a number, negative; a range that is not a CIDR', () => {
    for (const w of ['31', 'abc', '-1', '16.5', Number.NaN]) expect(codes(checkBridgeNetwork(undefined, w))).toEqual([['bridge-width-invalid', '--bridge-network-width']]);
    expect(checkBridgeNetwork(undefined, Number.NaN)[0]!.message).toMatch(/width: not a number/);
    expect(codes(checkBridgeNetwork('10.0.0.0/40', undefined))).toEqual([['bridge-range-invalid', '--bridge-network-range']]);
  });
});

describe('registries', () => {
  test('a CIDR is a whitelist entry, not an insecure registry', () => {
    const issues = checkRegistries(['10.0.0.0/8'], []);
    expect(codes(issues)).toEqual([['registry-invalid', '--insecure-registry']]);
    expect(issues[0]!.message).toMatch(/^invalid insecure registry entry: 10\.0\.0\.0\/8 is a CIDR, which only --whitelist-registry takes/);
    expect(checkRegistries([], ['10.0.0.0/8'])).toEqual([]);
  });

  test('hosts, host:port and URLs pass', () => {
    expect(checkRegistries(['10.0.0.5:5000', 'registry.example.com', 'http://r.example.com:5000/path'], ['*.example.com', '10.0.0.0/8'])).toEqual([]);
  });
});

describe('datastore folders', () => {
  test('".." out of the datastore, in every spelling of a location; NFS and names with dots pass', () => {
    for (const image of ['LocalDS_0/../x', 'ds://LocalDS_0/../x', '[LocalDS_0] ../x', 'LocalDS_0/a/../../x', 'ds://LocalDS_0/%2E%2E/x']) {
      expect(codes(checkDatastorePaths(image, []))).toEqual([['datastore-invalid', '--image-store']]);
    }
    expect(codes(checkDatastorePaths(undefined, ['LocalDS_0/../escaped:default', '[LocalDS_0] ../v:x'])))
      .toEqual([['volume-store-invalid', '--volume-store'], ['volume-store-invalid', '--volume-store']]);
    expect(checkDatastorePaths('my..ds/a..b/.x', ['LocalDS_0/vols:default', 'nfs://host/../share:nfs', 'ds://..ds/x:y', '[ds.1] a/b:c'])).toEqual([]);
  });

  test('a registry CA file must hold a PEM certificate', () => {
    expect(checkRegistryCa('ca.pem', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n')).toEqual([]);
    expect(codes(checkRegistryCa('key.pem', '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n'))).toEqual([['certificate-invalid', '--registry-ca']]);
    expect(checkRegistryCa('notes.txt', 'just text')[0]!.message).toMatch(/^--registry-ca notes.txt holds no PEM certificate/);
  });
});

describe('preflightCreate: what the encoder would refuse while the VM is created', () => {
  test('every value it accepts, the encoder accepts too (the same values build a configuration)', () => {
    const values = {
      networks: { public: { ip: '10.0.0.5/24', gateway: '10.0.0.1' }, client: { network: 'cli', ip: '10.1.0.5/24', gateway: '10.9.0.0/16:10.1.0.1' } },
      bridgeNetworkRange: '172.16.0.0/24', bridgeNetworkWidth: '28', insecureRegistries: ['10.0.0.5:5000'], whitelistRegistries: ['10.0.0.0/8'],
      dnsServers: ['10.0.0.53'], httpProxy: 'http://proxy:3128', syslogAddress: 'tcp://logs:601', baseImageSize: '4GB',
    };
    expect(preflightCreate(values)).toEqual([]);
    const input: VchCreateInput = {
      name: 'v', version: { version: 'v1.5.8', gitCommit: '', buildNumber: '', buildDate: '', state: '', pluginVersion: 10 },
      target: 'vc', thumbprint: '', datacenterName: 'DC0', clusterPath: '/DC0/host/C', resourcePoolPath: '/DC0/host/C/Resources/v',
      vchPool: 'ResourcePool:resgroup-1', imageStore: parseDatastoreLocation('ds://LocalDS_0'), bootstrapIsoName: 'b.iso',
      // the values as create parses them (src/vic/spec/values/), with the same parsers preflight checks them with
      publicNetwork: { portGroup: 'pub', moref: 'Network:n-1', ip: parseIpv4Cidr(values.networks.public.ip), gateway: parseGateway(values.networks.public.gateway) },
      clientNetwork: { portGroup: 'cli', moref: 'Network:n-2', ip: parseIpv4Cidr(values.networks.client.ip), gateway: parseGateway(values.networks.client.gateway) },
      bridgeNetwork: { portGroup: 'br', moref: 'DistributedVirtualPortgroup:dvpg-1' },
      bridgeNetworkRange: parseIpv4Cidr(values.bridgeNetworkRange), bridgeNetworkWidth: Number(values.bridgeNetworkWidth),
      insecureRegistries: values.insecureRegistries, whitelistRegistries: values.whitelistRegistries, dnsServers: parseDnsServers(values.dnsServers),
      httpProxy: values.httpProxy, syslogAddress: values.syslogAddress, baseImageSizeBytes: parseByteSize(values.baseImageSize),
      opsUser: 'u', opsPassword: 'p',
    } as VchCreateInput;
    expect(() => buildVchConfig(input)).not.toThrow();
  });

  test('each late failure is caught, with its code and flag', () => {
    expect(codes(preflightCreate({ baseImageSize: '8XB' }))).toEqual([['size-invalid', '--base-image-size']]);
    expect(codes(preflightCreate({ endpointMemoryMB: 2050 }))).toEqual([['size-invalid', '--endpoint-memory']]);
    expect(preflightCreate({ endpointMemoryMB: 2050 })[0]!.message).toMatch(/give 2048 or 2052$/);
    expect(preflightCreate({ endpointMemoryMB: 2048 })).toEqual([]);
    expect(codes(preflightCreate({ syslogAddress: 'tcp://host:99999' }))).toEqual([['syslog-address-invalid', '--syslog-address']]);
    expect(codes(preflightCreate({ syslogAddress: 'logs.example.com' }))).toEqual([['syslog-address-invalid', '--syslog-address']]);
    expect(codes(preflightCreate({ dnsServers: ['300.1.1.1'] }))).toEqual([['dns-server-invalid', '--dns-server']]);
    expect(codes(preflightCreate({ httpsProxy: 'ftp://proxy' }))).toEqual([['proxy-invalid', '--https-proxy']]);
    expect(codes(preflightCreate({ insecureRegistries: ['10.0.0.0/8'], bridgeNetworkRange: '172.16.0.0/24' })))
      .toEqual([['bridge-width-invalid', '--bridge-network-width'], ['registry-invalid', '--insecure-registry']]);
  });

  test('configure checks the values it takes', () => {
    expect(preflightConfigure({ dnsServers: ['10.0.0.53'], httpProxy: 'http://p:3128', syslogAddress: 'udp://logs' })).toEqual([]);
    expect(codes(preflightConfigure({ dnsServers: ['nope'], syslogAddress: 'logs', volumeStores: ['LocalDS_0/../v:x'] })))
      .toEqual([['volume-store-invalid', '--volume-store'], ['dns-server-invalid', '--dns-server'], ['syslog-address-invalid', '--syslog-address']]);
  });
});
