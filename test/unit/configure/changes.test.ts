// configure's rules on the configuration vic-machine 1.5.8 wrote for fixture "rich" (container network "routable"
// on DC0_DVPG1 with gateway, range, DNS and trust level; volume stores "default" and "fast"; an HTTP proxy, no-proxy,
// syslog, DNS 1.1.1.1, 50 containers).
import { describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { decodeVchConfig, encodeVchConfig, ipString, type VirtualContainerHostConfigSpec } from '../../../src/vic/config/index.js';
import { planConfigure, setEnv, type ConfigureRequest } from '../../../src/vic/configure/changes.js';
import { parseIpv4, parseIpv4Cidr, parseIpv4Range } from '../../../src/vic/spec/values/index.js';

const FIXTURE = '/work/shared/fixtures/vic-machine-1.5.8/rich/extraconfig.running.json';
const have = fs.existsSync(FIXTURE);
const load = (): VirtualContainerHostConfigSpec => decodeVchConfig(JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as Record<string, string>);

const NETS: Record<string, string> = { 'DistributedVirtualPortgroup:dvportgroup-13': 'DC0_DVPG0', 'DistributedVirtualPortgroup:dvportgroup-15': 'DC0_DVPG1', 'Network:network-7': 'VM Network' };
const names = { networkName: (m: string) => NETS[m] };
const routable = { portGroup: 'DC0_DVPG1', alias: 'routable', moref: 'DistributedVirtualPortgroup:dvportgroup-15', gateway: parseIpv4Cidr('10.10.0.1/16'), ipRanges: [parseIpv4Range('10.10.1.0/24')], dns: [parseIpv4('10.10.0.2')], firewall: 'published' };
const extra = { portGroup: 'VM Network', alias: 'extra', moref: 'Network:network-7', firewall: 'open' };
const VOLS = ['LocalDS_0/volumes:default', 'LocalDS_0/vol2:fast'];
const plan = (req: ConfigureRequest) => planConfigure(load(), req, names);
const env = (c: VirtualContainerHostConfigSpec, s: string) => c.executorConfig.sessions[s]!.cmd.env;

(have ? describe : describe.skip)('container networks: additions only', () => {
  test('the existing network repeated unchanged plus a new one: the new one is added, the old one kept byte for byte', () => {
    const before = load();
    const p = plan({ containerNetworks: [routable, extra] });
    expect(p.problems).toEqual([]);
    expect(p.changes).toEqual(['container network extra added (port group VM Network)']);
    expect(Object.keys(p.config.network.containerNetworks).sort()).toEqual(['bridge', 'extra', 'routable']);
    expect(p.config.network.containerNetworks['routable']).toEqual(before.network.containerNetworks['routable']);
    expect(p.config.network.containerNetworks['extra']).toMatchObject({ type: 'external', trustLevel: 2, common: { name: 'extra', id: 'Network:network-7' } });
  });

  test('an existing network left out: the original\'s errors, and the exact flags that repeat it', () => {
    const p = plan({ containerNetworks: [extra] });
    expect(p.problems).toEqual([{
      code: 'existing-value-missing', flag: '--container-network',
      message: 'all existing container networks must also be specified: Existing container-network DC0_DVPG1:routable not specified in configure command',
      hint: 'give them again, unchanged: --container-network DC0_DVPG1:routable --container-network-gateway DC0_DVPG1:10.10.0.1/16 '
        + '--container-network-ip-range DC0_DVPG1:10.10.1.0-10.10.1.255 --container-network-dns DC0_DVPG1:10.10.0.2 --container-network-firewall DC0_DVPG1:published',
    }]);
  });

  test('the hint\'s flags, given back, are accepted as unchanged (a range written first-last equals the CIDR it came from)', () => {
    const p = plan({ containerNetworks: [{ ...routable, ipRanges: [parseIpv4Range('10.10.1.0-10.10.1.255')] }] });
    expect(p.problems).toEqual([]);
    expect(p.changes).toEqual([]);
  });

  test.each([
    ['gateway', { gateway: parseIpv4Cidr('10.10.0.1/24') }, 'gateway 10.10.0.1/16 → 10.10.0.1/24'],
    ['ranges', { ipRanges: [parseIpv4Range('10.10.2.0/24')] }, 'ip ranges 10.10.1.0-10.10.1.255 → 10.10.2.0-10.10.2.255'],
    ['dns', { dns: [] }, 'dns 10.10.0.2 → none'],
    ['firewall', { firewall: 'closed' }, 'firewall published → closed'],
    ['port group', { portGroup: 'VM Network', moref: 'Network:network-7' }, 'port group DC0_DVPG1 → VM Network'],
  ])('a change to an existing network (%s) is refused, saying what changed', (_what, change, diff) => {
    const p = plan({ containerNetworks: [{ ...routable, ...change }] });
    expect(p.problems).toHaveLength(1);
    expect(p.problems[0]!.message).toBe(`changes to existing container networks are not supported: Found changes to existing container network routable (${diff})`);
    expect(p.problems[0]!.hint).toMatch(/^to keep it as it is: --container-network DC0_DVPG1:routable /);
  });

  test('bad values of a new network are problems of their flag; "bridge" is reserved', () => {
    const p = plan({ containerNetworks: [routable, { portGroup: 'VM Network', alias: 'bridge', moref: 'Network:network-7' }, { portGroup: 'x', alias: 'y', moref: 'Network:n-1', ipRanges: [parseIpv4Range('10.0.0.0/24')] }] });
    expect(p.problems.map((x) => x.message)).toEqual(['Cannot use reserved name "bridge" for container network', 'IP range specified without gateway for container network "y"']);
  });
});

(have ? describe : describe.skip)('volume stores: additions only', () => {
  test('existing ones repeated plus a new one: added, and listed so that its folder is made', () => {
    const p = plan({ volumeStores: [...VOLS, 'LocalDS_0/more:more'] });
    expect(p.problems).toEqual([]);
    expect(p.addedVolumeStores).toEqual([{ label: 'more', url: expect.objectContaining({ scheme: 'ds', host: 'LocalDS_0', path: '[LocalDS_0] more' }) }]);
    expect(p.changes).toEqual(['volume store more added (ds://LocalDS_0/[LocalDS_0] more)']);
    expect(Object.keys(p.config.storage.volumeLocations).sort()).toEqual(['default', 'fast', 'more']);
  });

  test('one left out: the original\'s error with every store to repeat; one changed: refused', () => {
    const left = plan({ volumeStores: ['LocalDS_0/volumes:default', 'LocalDS_0/more:more'] });
    expect(left.problems).toEqual([{
      code: 'existing-value-missing', flag: '--volume-store',
      message: 'all existing volume stores must also be specified: Existing volume store fast not specified in configure command',
      hint: "give them again, unchanged: --volume-store 'LocalDS_0/volumes:default' --volume-store 'LocalDS_0/vol2:fast'",
    }]);
    const changed = plan({ volumeStores: ['LocalDS_0/volumes:default', 'LocalDS_0/elsewhere:fast'] });
    expect(changed.problems.map((x) => x.message)).toEqual(['changes to existing volume stores are not supported: Found changes to existing volume store fast (ds://LocalDS_0/[LocalDS_0] vol2 → ds://LocalDS_0/[LocalDS_0] elsewhere)']);
    expect(changed.addedVolumeStores).toEqual([]);
  });

  test('a bad value names the flag', () => {
    expect(plan({ volumeStores: [...VOLS, 'nolabel'] }).problems[0]).toMatchObject({ flag: '--volume-store', message: expect.stringContaining('--volume-store "nolabel": "nolabel" is not <location>:<label>; expected <datastore>[/<path>]:<label>') });
  });
});

(have ? describe : describe.skip)('clearable and replaceable fields', () => {
  test('--http-proxy "" removes HTTP_PROXY and VICADMIN_HTTP_PROXY; the other variables stay', () => {
    const p = plan({ httpProxy: '' });
    expect(p.problems).toEqual([]);
    expect(env(p.config, 'docker-personality')).toEqual(['PATH=/sbin', 'GOTRACEBACK=all', 'NO_PROXY=localhost,.example.com']);
    expect(env(p.config, 'vicadmin')).toEqual(['PATH=/sbin:/bin', 'GOTRACEBACK=all', 'NO_PROXY=localhost,.example.com']);
    expect(p.changes).toEqual(['http-proxy: http://proxy.example.com:3128 → (none)']);
  });

  test('--https-proxy set, --no-proxy replaced (both components), a bad proxy refused naming its flag', () => {
    const p = plan({ httpsProxy: 'https://sec.example.com:443', noProxy: ' a , b ' });
    expect(env(p.config, 'docker-personality')).toEqual(['PATH=/sbin', 'GOTRACEBACK=all', 'HTTP_PROXY=http://proxy.example.com:3128', 'NO_PROXY=a,b', 'HTTPS_PROXY=https://sec.example.com:443']);
    expect(env(p.config, 'vicadmin')).toEqual(['PATH=/sbin:/bin', 'GOTRACEBACK=all', 'VICADMIN_HTTP_PROXY=http://proxy.example.com:3128', 'NO_PROXY=a,b', 'VICADMIN_HTTPS_PROXY=https://sec.example.com:443']);
    expect(plan({ httpProxy: 'ftp://x' }).problems).toEqual([{ code: 'proxy-invalid', flag: '--http-proxy', message: 'Could not parse HTTP(S) proxy - expected format http(s)://fqnd_or_ip:port: ftp://x' }]);
  });

  test('--dns-server replaces the servers of every appliance network; "" clears them (DHCP); a bad address is refused', () => {
    const p = plan({ dnsServers: ['8.8.8.8', '9.9.9.9'] });
    for (const role of ['public', 'client', 'management']) {
      const ep = p.config.executorConfig.networks[role];
      if (ep) expect(ep.network.nameservers.map(ipString)).toEqual(['8.8.8.8', '9.9.9.9']);
    }
    expect(p.changes).toEqual(['dns servers: 1.1.1.1 → 8.8.8.8, 9.9.9.9']);
    const cleared = plan({ dnsServers: [''] });
    expect(cleared.config.executorConfig.networks['public']!.network.nameservers).toEqual([]);
    expect(cleared.changes).toEqual(['dns servers: 1.1.1.1 → (none: DHCP)']);
    expect(plan({ dnsServers: ['1.1.1'] }).problems).toEqual([{ code: 'dns-server-invalid', flag: '--dns-server', message: 'Invalid DNS server specified: 1.1.1' }]);
  });

  test('--syslog-address "" removes syslog forwarding; a new one replaces it', () => {
    expect(plan({ syslogAddress: '' }).config.executorConfig.diagnostics.sysLogConfig).toBeUndefined();
    expect(plan({ syslogAddress: 'udp://logs.example.com' }).config.executorConfig.diagnostics.sysLogConfig).toEqual({ network: 'udp', rAddr: 'logs.example.com:514' });
    expect(plan({ syslogAddress: 'http://x' }).problems).toEqual([{ code: 'syslog-address-invalid', flag: '--syslog-address', message: 'syslog address transport should be udp or tcp' }]);
  });

  test('quota and containers: a value sets them, <= 0 makes them unlimited', () => {
    const p = plan({ storageQuotaGB: 5, containerCount: 0 });
    expect(p.config.storage.storageQuota).toBe(5 * 2 ** 30);
    expect(p.config.container.containerCount).toBe(0);
    expect(p.changes).toEqual(['storage quota: unlimited → 5 GB', 'containers: 50 → unlimited']);
  });

  test('ops user and password replaced (the password never in the change list), debug level, name convention', () => {
    const p = plan({ ops: { user: 'ops2', password: 'pw-2' }, debug: 3, containerNameConvention: 'vch-{name}' });
    expect(p.config.connection.username).toBe('ops2');
    expect(p.config.connection.token).toBe('pw-2');
    expect(p.config.executorConfig.diagnostics.debugLevel).toBe(3);
    expect(p.config.container.containerNameConvention).toBe('vch-{name}');
    expect(p.changes.join('\n')).not.toContain('pw-2');
    expect(p.changes).toContain('ops password: replaced');
    // recorded as create records it, in its place, so that inspect config prints the new ops user
    expect(p.config.vicMachineCreateOptions.filter((o) => o.startsWith('--ops-user='))).toEqual(['--ops-user=ops2']);
    expect(p.config.vicMachineCreateOptions.indexOf('--ops-user=ops2')).toBe(load().vicMachineCreateOptions.indexOf('--ops-user=opsuser'));
  });

  test('nothing requested: no change, and the re-encoded configuration equals the original key for key (secrets aside)', () => {
    const before = load();
    const p = plan({});
    expect(p.changes).toEqual([]);
    expect(p.problems).toEqual([]);
    const a = encodeVchConfig(before, { secretKey: new Uint8Array(32), urlFieldSet: 'go1.19' });
    const b = encodeVchConfig(p.config, { secretKey: new Uint8Array(32), urlFieldSet: 'go1.19' });
    const strip = (m: Record<string, string>) => Object.fromEntries(Object.entries(m).filter(([k]) => !k.endsWith('@secret')));
    expect(strip(b)).toEqual(strip(a));
  });
});

test('setEnv: add, replace, remove; reports whether anything changed', () => {
  const s = { cmd: { env: ['A=1'] } } as never as Parameters<typeof setEnv>[0] & { cmd: { env: string[] } };
  expect(setEnv(s, 'B', '2')).toBe(true);
  expect(setEnv(s, 'B', '2')).toBe(false);
  expect(setEnv(s, 'A', '3')).toBe(true);
  expect(setEnv(s, 'A', '')).toBe(true);
  expect(setEnv(s, 'A', '')).toBe(false);
  expect(s.cmd.env).toEqual(['B=2']);
});
