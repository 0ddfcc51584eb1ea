// configure's flags → request: only flags the user gave count.
import { expect, test } from '@jest/globals';
import { certificatesRequested, containerNetworkSpecs, parseConfigureFlags, type ConfigureFlagValues } from '../../../src/vic/configure/request.js';

const none: ConfigureFlagValues = {
  containerNetwork: [], containerNetworkGateway: [], containerNetworkIpRange: [], containerNetworkDns: [], containerNetworkFirewall: [],
  volumeStore: [], dnsServer: [], syslogAddress: '', containerNameConvention: '',
};

test('flags left out change nothing; flags given empty clear', () => {
  expect(parseConfigureFlags(none, new Set())).toEqual({ request: {}, pool: {} });
  const r = parseConfigureFlags({ ...none, httpProxy: '', dnsServer: [''] }, new Set(['http-proxy', 'dns-server', 'syslog-address', 'volume-store']));
  expect(r.request).toEqual({ httpProxy: '', dnsServers: [''], syslogAddress: '', volumeStores: [] });
  // --thumbprint is not a value of the request: what is stored is the SHA-1 of the certificate the connection saw
  // (set by the command once connected), whatever spelling or algorithm was given
  // (the CLI hands in its whole options object, --thumbprint included)
  const cliOptions = { ...none, thumbprint: 'aa:bb' };
  expect(parseConfigureFlags(cliOptions, new Set(['thumbprint'])).request).toEqual({});
});

test('pool flags become the pool request; quota and containers pass through (<= 0 handled later as unlimited)', () => {
  const r = parseConfigureFlags({ ...none, cpu: 0, memoryShares: { level: 'custom', shares: 500 }, storageQuota: 0, containers: 5 }, new Set());
  expect(r.pool).toEqual({ cpuLimitMHz: 0, memoryShares: { level: 'custom', shares: 500 } });
  expect(r.request).toEqual({ storageQuotaGB: 0, containerCount: 5 });
});

test('container networks: any of the five flags makes the set explicit; per-network values keyed by vSphere name, as create keys them', () => {
  expect(parseConfigureFlags(none, new Set(['container-network'])).containerNetworks).toEqual([]);
  expect(containerNetworkSpecs({ ...none, containerNetwork: ['VM Network:pub', 'b:c'], containerNetworkGateway: ['VM Network:10.0.0.1/24'], containerNetworkDns: ['b:8.8.8.8', 'b:1.1.1.1'] })).toEqual([
    { portGroup: 'VM Network', alias: 'pub', gateway: '10.0.0.1/24' },
    { portGroup: 'b', alias: 'c', dns: ['8.8.8.8', '1.1.1.1'] },
  ]);
  // 1.5's rule: at most one colon (configure once split at the last one, create at the first)
  expect(() => containerNetworkSpecs({ ...none, containerNetwork: ['a:b:c'] })).toThrow('Invalid value for parameter a:b:c');
  expect(() => containerNetworkSpecs({ ...none, containerNetwork: ['x'], containerNetworkFirewall: ['x:open', 'x:closed'] })).toThrow('Duplicate firewall specified for container network x');
  expect(() => containerNetworkSpecs({ ...none, containerNetwork: ['x'], containerNetworkIpRange: ['y:10.0.0.0/24'] })).toThrow('"y" should be a vSphere network name');
});

test('certificates are regenerated only for --tls-cname, --no-tlsverify, or a server certificate with its key', () => {
  const f = { tlsCname: '', noTlsverify: false, tlsServerKey: '', tlsServerCert: '' };
  expect(certificatesRequested(f)).toBe(false);
  expect(certificatesRequested({ ...f, tlsServerCert: 'c.pem' })).toBe(false);
  expect(certificatesRequested({ ...f, tlsServerCert: 'c.pem', tlsServerKey: 'k.pem' })).toBe(true);
  expect(certificatesRequested({ ...f, noTlsverify: true })).toBe(true);
  expect(certificatesRequested({ ...f, tlsCname: 'x' })).toBe(true);
});
