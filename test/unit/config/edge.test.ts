// (d) Edge cases of the encoding, and the Go-compatible helpers the builder relies on.

import { describe, expect, test } from '@jest/globals';
import {
  base64Decode, decodeVchConfig, decodeVchConfigDetailed, encodeVchConfig, goURLString, ipNetString, ipString,
  newVchConfig, parseCIDR, parseGoURL, parseIP, parseSyslogAddress, normalizeProxy, normalizeNoProxy, storedTarget,
  storedRegistryLists, goURL, newContainerNetwork, newSessionConfig, type VirtualContainerHostConfigSpec,
} from '../../../src/vic/config/index.js';
import {
  goIpRange, imageStoreUrl, parseByteSize, parseDatastoreLocation, parseGateway, parseIpv4Range, parseVolumeStore, volumeStoreUrl,
} from '../../../src/vic/spec/values/index.js';
import { formatFloatE, parseGoBool, parseGoInt, encodeRoot, decodeRoot } from '../../../src/vic/config/codec.js';
import type { StructDesc } from '../../../src/vic/config/descriptors.js';

const KEY = new Uint8Array(32).fill(7);
const roundTrip = (c: VirtualContainerHostConfigSpec): VirtualContainerHostConfigSpec => decodeVchConfig(encodeVchConfig(c, { secretKey: KEY }));

describe('empty values', () => {
  test('empty strings are written as <nil> and read back as ""', () => {
    const ec = encodeVchConfig(newVchConfig(), { secretKey: KEY });
    expect(ec['guestinfo.vice./init/hostname']).toBe('<nil>');
    expect(ec['init/common/name']).toBe('<nil>');
    const raw = encodeVchConfig(newVchConfig(), { secretKey: KEY, escapeNil: false });
    expect(raw['guestinfo.vice./init/hostname']).toBe('');
    expect(decodeVchConfig(ec)).toEqual(newVchConfig());
    expect(decodeVchConfig(raw)).toEqual(newVchConfig());
  });

  test('a literal "<nil>" value cannot be stored: it reads back as ""', () => {
    const c = newVchConfig();
    c.executorConfig.hostname = '<nil>';
    expect(roundTrip(c).executorConfig.hostname).toBe('');
  });

  test('empty slices, maps, byte slices and nil pointers are not written', () => {
    const c = newVchConfig();
    c.executorConfig.key = new Uint8Array(0);
    c.registry.insecureRegistries = [];
    const ec = encodeVchConfig(c, { secretKey: KEY });
    expect(Object.keys(ec).some((k) => /insecure|\/key$|version|syslog|sessions|networks/.test(k))).toBe(false);
    const back = decodeVchConfig(ec);
    expect(back.executorConfig.key).toBeUndefined();
    expect(back.registry.insecureRegistries).toEqual([]);
    expect(back.executorConfig.version).toBeUndefined();
  });

  test('a pointer to an all-empty struct is written (as <nil>s) and comes back non-nil', () => {
    const c = newVchConfig();
    c.executorConfig.diagnostics.sysLogConfig = { network: '', rAddr: '' };
    const ec = encodeVchConfig(c, { secretKey: KEY });
    expect(ec['guestinfo.vice./init/diagnostics/syslog/Network']).toBe('<nil>');
    expect(decodeVchConfig(ec).executorConfig.diagnostics.sysLogConfig).toEqual({ network: '', rAddr: '' });
  });
});

describe('slices and maps', () => {
  test('primitive slices: count = len-1 and values joined by | at key~', () => {
    const c = newVchConfig();
    c.vicMachineCreateOptions = ['--name=a'];
    c.registry.insecureRegistries = ['a', 'b~c', ''];
    const ec = encodeVchConfig(c, { secretKey: KEY });
    expect(ec['guestinfo.vice./vic_machine_create_options']).toBe('0');
    expect(ec['guestinfo.vice./vic_machine_create_options~']).toBe('--name=a');
    expect(ec['guestinfo.vice./registry/insecure_registries']).toBe('2');
    expect(ec['guestinfo.vice./registry/insecure_registries~']).toBe('a|b~c|');
    expect(roundTrip(c).registry.insecureRegistries).toEqual(['a', 'b~c', '']);
  });

  test('a | inside a slice value is written as is and splits on read, as in the original (lossy)', () => {
    const c = newVchConfig();
    c.registry.insecureRegistries = ['a|b', 'c'];
    const ec = encodeVchConfig(c, { secretKey: KEY });
    expect(ec['guestinfo.vice./registry/insecure_registries~']).toBe('a|b|c');
    // count says 2 values: the first two pieces are taken
    expect(decodeVchConfig(ec).registry.insecureRegistries).toEqual(['a', 'b']);
  });

  test('a count promising more values than stored yields zero values (the original would panic)', () => {
    const ec = { 'guestinfo.vice./registry/insecure_registries': '2', 'guestinfo.vice./registry/insecure_registries~': 'a' };
    expect(decodeVchConfig(ec).registry.insecureRegistries).toEqual(['a', '', '']);
  });

  test('map keys are listed in byte (UTF-8) order, like Go sort.Strings', () => {
    const c = newVchConfig();
    for (const k of ['\uFFFD', '😀', 'z', 'é', 'A']) c.executorConfig.annotations[k] = k;
    const ec = encodeVchConfig(c, { secretKey: KEY });
    expect(ec['init/annotations']).toBe('A|z|é|\uFFFD|😀');
    expect(ec['init/annotations|😀']).toBe('😀');
    expect(roundTrip(c).executorConfig.annotations).toEqual(c.executorConfig.annotations);
  });

  test('a "." in a map key under a read-only key is re-separated to "/" (as the original) and still round-trips', () => {
    const c = newVchConfig();
    c.storage.volumeLocations['my.vol'] = goURL({ scheme: 'ds', host: 'ds1', path: '[ds1] v' });
    const ec = encodeVchConfig(c, { secretKey: KEY });
    expect(ec['guestinfo.vice./storage/VolumeLocations']).toBe('my.vol');
    expect(ec['guestinfo.vice./storage/VolumeLocations|my/vol/Host']).toBe('ds1');
    expect(roundTrip(c).storage.volumeLocations).toEqual(c.storage.volumeLocations);
  });

  test('read-write keys re-separate "/" to "."', () => {
    const c = newVchConfig();
    c.network.containerNetworks['a/b'] = { ...newContainerNetwork(), type: 'external' };
    const ec = encodeVchConfig(c, { secretKey: KEY });
    expect(ec['guestinfo.vice..network.container_networks|a.b.type']).toBe('external');
    expect(ec['guestinfo.vice./network/container_networks|a/b/Common/id']).toBe('<nil>');
    expect(roundTrip(c).network.containerNetworks['a/b']!.type).toBe('external');
  });

  test('net.IP slices and struct slices are written element by element', () => {
    const c = newVchConfig();
    const n = newContainerNetwork();
    n.nameservers = [parseIP('8.8.8.8')!, parseIP('::1')!];
    n.destinations = [parseCIDR('10.0.0.0/8').net];
    c.network.containerNetworks['x'] = n;
    const ec = encodeVchConfig(c, { secretKey: KEY });
    expect(ec['guestinfo.vice./network/container_networks|x/dns']).toBe('1');
    expect(ec['guestinfo.vice./network/container_networks|x/dns|0']).toBe('AAAAAAAAAAAAAP//CAgICA==');
    expect(ec['guestinfo.vice./network/container_networks|x/dns|1']).toBe('AAAAAAAAAAAAAAAAAAAAAQ==');
    expect(ec['guestinfo.vice./network/container_networks|x/destinations|0/IP']).toBe('CgAAAA==');
    expect(ec['guestinfo.vice./network/container_networks|x/destinations|0/Mask']).toBe('/wAAAA==');
    expect(roundTrip(c).network.containerNetworks['x']).toEqual(n);
  });

  test('non-persistent execs: the decoration is inherited and hidden fields below it are dropped', () => {
    const c = newVchConfig();
    c.executorConfig.execs['e1'] = { ...newSessionConfig(), stopSignal: 'TERM' };
    c.executorConfig.execs['e1']!.common.notes = 'dropped';
    const ec = encodeVchConfig(c, { secretKey: KEY });
    expect(ec['guestinfo.vice./init/execs@non-persistent']).toBe('e1');
    expect(ec['guestinfo.vice./init/execs|e1/stopSignal@non-persistent']).toBe('TERM');
    expect(ec['guestinfo.vice..init.execs|e1.detail.starttime@non-persistent']).toBe('0');
    expect(Object.keys(ec).some((k) => k.includes('notes') && k.includes('execs'))).toBe(false);
    expect(roundTrip(c).executorConfig.execs['e1']!.stopSignal).toBe('TERM');
  });
});

describe('value forms', () => {
  test('unicode, |, ~ and @ in string values round-trip', () => {
    const c = newVchConfig();
    c.executorConfig.common.name = 'vch-ünï|cødé~😀';
    c.connection.token = 'tök|en~@secret';
    c.connection.username = 'administrator@vsphere.local';
    const ec = encodeVchConfig(c, { secretKey: KEY });
    expect(ec['init/common/name']).toBe('vch-ünï|cødé~😀');
    const back = roundTrip(c);
    expect(back.executorConfig.common.name).toBe(c.executorConfig.common.name);
    expect(back.connection.token).toBe(c.connection.token);
    expect(back.connection.username).toBe(c.connection.username);
  });

  test('integers, durations, booleans and int64 beyond 32 bits', () => {
    const c = newVchConfig();
    c.connection.keepalive = 30_000_000_000; // 30s in ns
    c.storage.storageQuota = 5 * 2 ** 30;
    c.executorConfig.diagnostics.debugLevel = -1;
    c.createBridgeNetwork = true;
    const ec = encodeVchConfig(c, { secretKey: KEY });
    expect(ec['guestinfo.vice./connect/keepalive']).toBe('30000000000');
    expect(ec['guestinfo.vice./storage/storage_quota']).toBe('5368709120');
    expect(ec['guestinfo.vice./init/diagnostics/debug']).toBe('-1');
    expect(ec['guestinfo.vice./create_bridge_network']).toBe('true');
    expect(roundTrip(c)).toEqual(c);
  });

  test('Go parsing rules for ints and bools; bad values give zero', () => {
    expect(parseGoInt('+12')).toBe(12);
    expect(parseGoInt('9223372036854775808')).toBeUndefined();
    expect(parseGoInt('1.5')).toBeUndefined();
    expect(parseGoBool('T')).toBe(true);
    expect(parseGoBool('yes')).toBeUndefined();
    const c = decodeVchConfig({ 'guestinfo.vice./container/container_count': 'x', 'guestinfo.vice./create_bridge_network': '1' });
    expect(c.container.containerCount).toBe(0);
    expect(c.createBridgeNetwork).toBe(true);
  });

  test('floats use Go strconv E format', () => {
    expect(formatFloatE(1.5)).toBe('1.5E+00');
    expect(formatFloatE(1e6)).toBe('1E+06');
    expect(formatFloatE(-0.000125)).toBe('-1.25E-04');
    expect(formatFloatE(1e100)).toBe('1E+100');
    const S: StructDesc = { name: 'T', fields: [{ prop: 'f', go: 'F', type: { kind: 'float' }, tag: { scope: 'read-only', key: 'f' } }] };
    const out: Record<string, string> = {};
    encodeRoot({ urlFieldSet: 'go1.8' }, (k, v) => { out[k] = v; }, S, { f: 2.5 });
    expect(out).toEqual({ 'guestinfo.vice./f': '2.5E+00' });
    expect(decodeRoot({ sawGo119UrlFields: false, errors: [] }, (k) => out[k], S)).toEqual({ f: 2.5 });
  });

  test('time.Time values are kept verbatim (exit logs)', () => {
    const c = newVchConfig();
    c.executorConfig.diagnostics.exitLogs = [{ time: '2018-01-02 03:04:05.123456789 +0000 UTC', exitStatus: 2, message: 'boom' }];
    const ec = encodeVchConfig(c, { secretKey: KEY });
    expect(ec['guestinfo.vice..init.diagnostics.exitlogs']).toBe('0');
    expect(ec['guestinfo.vice..init.diagnostics.exitlogs|0.Time']).toBe('2018-01-02 03:04:05.123456789 +0000 UTC');
    expect(roundTrip(c).executorConfig.diagnostics.exitLogs).toEqual(c.executorConfig.diagnostics.exitLogs);
  });

  test('bytes are standard base64; malformed base64 leaves the field empty and is reported', () => {
    const c = newVchConfig();
    c.certificate.registryCertificateAuthorities = new Uint8Array([0xfb, 0xff, 0xfe]);
    const ec = encodeVchConfig(c, { secretKey: KEY });
    expect(ec['guestinfo.vice./cert/RegistryCertificateAuthorities']).toBe('+//+');
    const bad = decodeVchConfigDetailed({ 'guestinfo.vice./cert/RegistryCertificateAuthorities': '+//' });
    expect(bad.config.certificate.registryCertificateAuthorities).toBeUndefined();
    expect(bad.errors[0]!.key).toBe('guestinfo.vice./cert/RegistryCertificateAuthorities');
    expect(() => base64Decode('a-b_')).toThrow();
  });

  test('unknown keys are reported, not lost', () => {
    const d = decodeVchConfigDetailed({ UpdateInProgress: 'true', 'vmotion.checkpointFBSize': '4194304', 'guestinfo.vice./init/hostname': 'h' });
    expect(d.unknownKeys).toEqual({ UpdateInProgress: 'true', 'vmotion.checkpointFBSize': '4194304' });
    expect(d.config.executorConfig.hostname).toBe('h');
  });
});

describe('Go helpers', () => {
  test('IP forms', () => {
    expect(Array.from(parseIP('1.2.3.4')!)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 1, 2, 3, 4]);
    expect(parseIP('1.2.3')).toBeUndefined();
    expect(ipString(parseIP('fe80::1:2')!)).toBe('fe80::1:2');
    expect(ipString(parseIP('::ffff:10.0.0.1')!)).toBe('10.0.0.1');
    const c = parseCIDR('192.168.100.10/24');
    expect(c.ip.length).toBe(16);
    expect(Array.from(c.net.ip)).toEqual([192, 168, 100, 0]);
    expect(ipNetString(c.net)).toBe('192.168.100.0/24');
    expect(() => parseCIDR('1.2.3.4')).toThrow('invalid CIDR address');
  });

  test('IP ranges as the configuration stores them (ip.ParseRange: 4-byte CIDR ranges, 16-byte first-last ones)', () => {
    const range = (s: string) => goIpRange(parseIpv4Range(s));
    expect(range('10.10.1.0/24')).toEqual({ firstIP: new Uint8Array([10, 10, 1, 0]), lastIP: new Uint8Array([10, 10, 1, 255]) });
    const r = range('10.0.0.5-10.0.0.9');
    expect(r.firstIP.length).toBe(16);
    expect(ipString(r.lastIP)).toBe('10.0.0.9');
    expect(ipString(range('10.0.0.5-20').lastIP)).toBe('10.0.0.20');
    expect(() => range('10.0.0.9-10.0.0.5')).toThrow('ends before it starts');
  });

  test('gateway specs', () => {
    const g = parseGateway('10.1.0.0/16,10.2.0.0/16:192.168.1.1');
    expect(g.address).toBe(0xc0a80101);
    expect(g.destinations).toEqual([{ address: 0x0a010000, prefix: 16 }, { address: 0x0a020000, prefix: 16 }]);
    expect(() => parseGateway('a:b:c')).toThrow('specified incorrectly');
    expect(() => parseGateway('nope')).toThrow('"nope" in "nope" is not a gateway IP address');
  });

  test('URLs as Go parses and prints them', () => {
    expect(goURLString(parseGoURL('http://proxy.example.com:3128'))).toBe('http://proxy.example.com:3128');
    expect(goURLString(parseGoURL('https://u:p@h/a%20b?x=1#f'))).toBe('https://u:p@h/a%20b?x=1#f');
    const n = parseGoURL('nfs://10.0.0.1/export/vols?uid=1000&gid=1000');
    expect([n.scheme, n.host, n.path, n.rawQuery]).toEqual(['nfs', '10.0.0.1', '/export/vols', 'uid=1000&gid=1000']);
    expect(() => parseGoURL('http://a b/')).toThrow('invalid character');
    expect(normalizeProxy('http://p:3128')).toBe('http://p:3128');
    expect(() => normalizeProxy('foo')).toThrow('Could not parse HTTP(S) proxy - expected format http(s)://fqnd_or_ip:port: foo');
    expect(normalizeNoProxy(' localhost , .example.com')).toBe('localhost,.example.com');
    expect(storedTarget('127.0.0.1:8996/DC0')).toBe('https://127.0.0.1:8996');
    expect(storedTarget('https://user:pw@vc.example.com/DC0')).toBe('https://vc.example.com');
  });

  test('datastore locations and volume stores', () => {
    const image = (s: string, dflt?: string) => imageStoreUrl(parseDatastoreLocation(s), dflt);
    const volume = (s: string) => volumeStoreUrl(parseVolumeStore(s));
    expect(image('LocalDS_0')).toMatchObject({ scheme: 'ds', host: 'LocalDS_0', path: '' });
    expect(image('ds://LocalDS_0/a/b')).toMatchObject({ scheme: 'ds', host: 'LocalDS_0', path: 'a/b' });
    expect(image('datastore 1/x')).toMatchObject({ host: 'datastore 1', path: 'x', rawPath: 'datastore 1/x' });
    expect(image('', 'dflt')).toMatchObject({ host: 'dflt' });
    expect(() => image('')).toThrow('datastore empty');
    expect(() => image('nfs://x/y')).toThrow('bad scheme "nfs" provided for datastore');
    expect(parseVolumeStore('nfs://h/p:lbl')).toMatchObject({ label: 'lbl', target: { kind: 'nfs', nfs: { host: 'h', path: '/p' } } });
    expect(() => parseVolumeStore('nolabel')).toThrow('is not <location>:<label>');
    expect(volume('LocalDS_0/volumes:v')).toMatchObject({ scheme: 'ds', host: 'LocalDS_0', path: '[LocalDS_0] volumes' });
    expect(volume('ds://LocalDS_0:v')).toMatchObject({ path: '[LocalDS_0] VIC' });
    expect(volume('nfs://h/share?uid=1:v')).toMatchObject({ scheme: 'nfs', host: 'h', path: '/share', rawQuery: 'uid=1' });
    expect(() => volume('nfs://h:v')).toThrow('missing the path field');
  });

  test('sizes, syslog, registries', () => {
    expect(parseByteSize('8GB')).toBe(8e9);
    expect(parseByteSize('6 gb')).toBe(6e9);
    expect(parseByteSize('512')).toBe(512);
    expect(parseByteSize('8 GiB')).toBe(8 * 2 ** 30);
    expect(parseSyslogAddress('tcp://127.0.0.1')).toEqual({ network: 'tcp', rAddr: '127.0.0.1:514' });
    expect(parseSyslogAddress('udp://[::1]:1514')).toEqual({ network: 'udp', rAddr: '[::1]:1514' });
    expect(() => parseSyslogAddress('http://x')).toThrow('syslog address transport should be udp or tcp');
    expect(storedRegistryLists(['reg:5000'], [])).toEqual({ insecureRegistries: ['reg:5000'], registryWhitelist: [] });
    expect(storedRegistryLists(['reg:5000'], ['reg:5000', '*.corp.com', '10.0.0.1/8'])).toEqual({
      insecureRegistries: ['reg:5000'], registryWhitelist: ['*.corp.com', '10.0.0.0/8', 'reg:5000'],
    });
    expect(storedRegistryLists(['insec.io'], ['https://sec.io'])).toEqual({ insecureRegistries: ['insec.io'], registryWhitelist: ['https://sec.io', 'insec.io'] });
    expect(() => storedRegistryLists(['10.0.0.0/8'], [])).toThrow('invalid insecure registry entry: 10.0.0.0/8');
  });
});

