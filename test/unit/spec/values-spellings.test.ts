// Every accepted spelling of each value type parses to the same value as its canonical form, and bad text is refused
// with what would be valid (src/vic/spec/values/). What the configuration gets from a value is checked here too for
// the findings of issue 13: the bracket form (1) and datastore paths with spaces (9).
import { describe, expect, test } from '@jest/globals';
import {
  formatByteSize, formatDatastoreLocation, formatDuration, formatGateway, formatIpAddress, formatIpv4Cidr, formatIpv4Range,
  formatShares, formatVolumeStore, goIpRange, imageStoreUrl, InvalidValueError, parseByteSize, parseDatastoreLocation,
  parseDnsServers, parseDuration, parseGateway, parseIpAddress, parseIpv4, parseIpv4Cidr, parseIpv4Range, parseShares, parseSizeIn,
  parseVolumeStore, volumeStoreUrl, nfsOptions,
} from '../../../src/vic/spec/values/index.js';
import { parseFlagValue } from '../../../src/cli/flags/types.js';

/** Each row: the canonical text first, then spellings that must parse to the same value. */
function sameValues<T>(parse: (s: string) => T, format: (v: T) => string, rows: string[][]): void {
  test.each(rows.flatMap((r) => r.map((s) => [s, r[0]!])))('%j means the same as %j', (spelling, canonical) => {
    const v = parse(spelling);
    expect(v).toEqual(parse(canonical));
    expect(format(v)).toBe(canonical);
  });
}

function refused(parse: (s: string) => unknown, rows: Array<[string, RegExp]>): void {
  test.each(rows)('%j is refused', (text, why) => {
    let err: unknown;
    try {
      parse(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidValueError);
    expect((err as InvalidValueError).detail).toMatch(why);
  });
}

describe('datastore locations', () => {
  sameValues(parseDatastoreLocation, formatDatastoreLocation, [
    ['ds://LocalDS_0/vchimages', 'LocalDS_0/vchimages', 'DS://LocalDS_0/vchimages', '[LocalDS_0] vchimages', '[LocalDS_0]vchimages',
      ' LocalDS_0/vchimages ', 'LocalDS_0/vchimages/', 'ds://LocalDS_0/vchimages/', 'LocalDS_0%2Fvchimages', 'LocalDS%5F0/vchimages'],
    ['ds://LocalDS_0', 'LocalDS_0', 'ds://LocalDS_0', '[LocalDS_0]', '[LocalDS_0] ', 'LocalDS_0/'],
    ['ds://LocalDS_0/deep/img store', 'LocalDS_0/deep/img store', '[LocalDS_0] deep/img store', 'LocalDS_0/deep/img%20store',
      'ds://LocalDS_0/deep/img%20store', 'LocalDS_0%2Fdeep%2Fimg%20store'],
    ['ds://Local DS (1)/a b', 'Local DS (1)/a b', '[Local DS (1)] a b', 'Local%20DS%20(1)/a%20b', 'ds://Local DS (1)/a b/'],
    ['ds://[odd] name/x', 'ds://[odd] name/x'],
    ['', 'ds://', '  ', 'ds:///'],
  ]);
  refused(parseDatastoreLocation, [
    ['nfs://host/x', /bad scheme "nfs".*expected datastore\[\/path\]/],
    ['LocalDS_0/a%zzb', /not a percent escape/],
    ['LocalDS_0/what?', /unsupported character "\?"/],
    ['LocalDS_0/a#b', /unsupported character "#"/],
    ['LocalDS_0/100%25', /unsupported character "%"/],
    ['[] path', /names no datastore/],
    ['[a/b] path', /contains "\/"/],
  ]);

  test('finding 1: the bracket form writes exactly what ds://LocalDS_0/vchimages writes', () => {
    const bracket = imageStoreUrl(parseDatastoreLocation('[LocalDS_0] vchimages'));
    expect(bracket).toEqual(imageStoreUrl(parseDatastoreLocation('ds://LocalDS_0/vchimages')));
    expect(bracket).toMatchObject({ scheme: 'ds', host: 'LocalDS_0', path: 'vchimages', rawPath: '' });
    expect(volumeStoreUrl(parseVolumeStore('[LocalDS_0] vols:default'))).toMatchObject({ scheme: 'ds', host: 'LocalDS_0', path: '[LocalDS_0] vols', rawPath: '' });
  });

  test('finding 9: a path Go escapes keeps RawPath = the unescaped datastore/path text, as 1.5.8 writes', () => {
    expect(imageStoreUrl(parseDatastoreLocation('LocalDS_0/deep/img store'))).toMatchObject({ host: 'LocalDS_0', path: 'deep/img store', rawPath: 'LocalDS_0/deep/img store' });
    expect(volumeStoreUrl(parseVolumeStore('LocalDS_0/vol dir:spaced'))).toMatchObject({ host: 'LocalDS_0', path: '[LocalDS_0] vol dir', rawPath: 'LocalDS_0/vol dir' });
    // a name Go escapes without a path: RawPath is the name (1.5 parsed "Local DS" and then moved it to Host)
    expect(imageStoreUrl(parseDatastoreLocation('Local DS'))).toMatchObject({ host: 'Local DS', path: '', rawPath: 'Local DS' });
    // parentheses are escaped in Go paths too
    expect(imageStoreUrl(parseDatastoreLocation('ds://LocalDS_0/v(1)'))).toMatchObject({ rawPath: 'LocalDS_0/v(1)' });
    // none named: the default datastore, and no RawPath
    expect(imageStoreUrl(parseDatastoreLocation(''), 'Local DS')).toMatchObject({ host: 'Local DS', path: '', rawPath: '' });
    expect(() => imageStoreUrl(parseDatastoreLocation(''))).toThrow('datastore empty');
  });
});

describe('volume stores', () => {
  sameValues(parseVolumeStore, formatVolumeStore, [
    ['ds://LocalDS_0/volumes:default', 'LocalDS_0/volumes:default', '[LocalDS_0] volumes:default', 'DS://LocalDS_0/volumes/:default',
      'LocalDS_0/volumes: default ', 'LocalDS_0%2Fvolumes:default'],
    ['ds://LocalDS_0:default', 'LocalDS_0:default', '[LocalDS_0]:default'],
    ['ds://LocalDS_0/vol dir:spaced', 'LocalDS_0/vol dir:spaced', 'LocalDS_0/vol%20dir:spaced', '[LocalDS_0] vol dir:spaced'],
    ['ds://LocalDS_0/a:b/c:vol 1', 'LocalDS_0/a:b/c:vol 1'],
    ['ds://:default', 'ds://:default'],
    ['nfs://10.0.0.5/exports/vols?uid=1000&gid=1000:shared', 'NFS://10.0.0.5/exports/vols?uid=1000&gid=1000:shared'],
    ['nfs://u@nfs.example.com:2049/a b:x', 'nfs://u@nfs.example.com:2049/a b:x'],
  ]);
  refused(parseVolumeStore, [
    ['LocalDS_0', /not <location>:<label>/],
    ['LocalDS_0:', /not <location>:<label>/],
    [':label', /not <location>:<label>/],
    ['ds://LocalDS_0', /has no label/],
    ['LocalDS_0/x:bad|label', /unsupported character "\|" in label/],
    ['http://x/y:label', /neither a datastore nor an NFS target/],
    ['LocalDS_0/x?y=1:label', /unsupported character "\?"/],
    ['nfs://host:label', /missing the path field/],
    ['nfs:///path:label', /missing the host field/],
  ]);

  test('NFS targets are written as url.Parse made them, options kept as written', () => {
    const v = parseVolumeStore('nfs://10.0.0.5/exports/vols?uid=1000&gid=1000&proto=tcp:shared');
    expect(volumeStoreUrl(v)).toMatchObject({ scheme: 'nfs', host: '10.0.0.5', path: '/exports/vols', rawQuery: 'uid=1000&gid=1000&proto=tcp', rawPath: '' });
    expect(v.target.kind === 'nfs' && nfsOptions(v.target.nfs)).toEqual({ uid: '1000', gid: '1000', proto: 'tcp' });
  });
});

describe('IPv4 addresses, CIDRs, ranges, gateways, DNS', () => {
  test.each([['10.0.0.1', ' 10.0.0.1 '], ['255.255.255.255', '255.255.255.255'], ['0.0.0.0', '0.0.0.0']])('%j = %j', (a, b) => {
    expect(parseIpv4(b)).toBe(parseIpv4(a));
  });
  refused(parseIpv4, [['10.0.0.256', /not an IPv4 address/], ['010.0.0.1', /not an IPv4 address/], ['10.0.0', /expected a dotted/], ['x', /IPv4/]]);

  sameValues(parseIpv4Cidr, formatIpv4Cidr, [['10.0.0.5/24', ' 10.0.0.5/24 ', '10.0.0.5 /24'], ['0.0.0.0/0', '0.0.0.0/0']]);
  refused(parseIpv4Cidr, [['10.0.0.1', /not in CIDR form/], ['10.0.0.1/33', /larger than 32/], ['x/24', /not an IPv4 address/]]);

  sameValues(parseIpv4Range, formatIpv4Range, [
    ['10.0.0.10-10.0.0.20', '10.0.0.10-20', ' 10.0.0.10 - 10.0.0.20 ', '10.0.0.10 - 20'],
    ['10.0.0.0/24', ' 10.0.0.0/24'],
    ['10.0.0.7/24', '10.0.0.7/24'],
  ]);
  refused(parseIpv4Range, [['10.0.0.20-10.0.0.10', /ends before it starts/], ['10.0.0.1-256', /not an IP range/], ['10.0.0.1', /not an IP range/], ['1-2-3', /not an IP range/]]);

  test('a range keeps its form: CIDR ranges are written with 4-byte addresses, first-last with 16-byte ones (ip.ParseRange)', () => {
    expect(goIpRange(parseIpv4Range('10.10.1.0/24'))).toEqual({ firstIP: new Uint8Array([10, 10, 1, 0]), lastIP: new Uint8Array([10, 10, 1, 255]) });
    expect(goIpRange(parseIpv4Range('10.0.0.5-9')).lastIP).toHaveLength(16);
  });

  sameValues(parseGateway, formatGateway, [
    // nothing before the colon: no routing destination (1.5's parseGatewaySpec; the specification's split took it too)
    ['10.0.0.1', ' 10.0.0.1 ', ':10.0.0.1', ' : 10.0.0.1'],
    ['10.1.0.0/16,10.2.0.0/16:10.0.0.1', '10.1.0.0/16, 10.2.0.0/16 : 10.0.0.1', '10.1.0.7/16,10.2.3.4/16:10.0.0.1'],
  ]);
  refused(parseGateway, [
    ['a:b:c', /specified incorrectly/], ['nope', /not a gateway IP address/], ['10.1.0.0:10.0.0.1', /not a CIDR/],
    // an empty destination among others is refused, as 1.5's net.ParseCIDR("") is
    ['10.1.0.0/16,:10.0.0.1', /routing destination "" .* is not a CIDR/],
  ]);

  sameValues((s) => parseIpAddress(s), formatIpAddress, [['10.0.0.53', ' 10.0.0.53'], ['fe80::1', 'FE80:0:0::1'], ['10.0.0.1', '::ffff:10.0.0.1']]);
  test('DNS lists: repeated flags and comma lists are the same list', () => {
    expect(parseDnsServers(['8.8.8.8,8.8.4.4'])).toEqual(parseDnsServers(['8.8.8.8', '8.8.4.4']));
    expect(parseDnsServers(['8.8.8.8, 8.8.4.4', ''])).toEqual(parseDnsServers(['8.8.8.8', '8.8.4.4']));
    expect(() => parseDnsServers(['8.8.8.8,nope'])).toThrow('"nope" is not an IP address');
  });
});

describe('sizes, shares, durations', () => {
  sameValues(parseByteSize, formatByteSize, [
    ['8GB', '8gb', '8 GB', '8G', '8g', '8Gb', '8000MB', '8000000KB', '8000000kB', '8000000000', '8000000000B', ' 8GB '],
    ['8500MB', '8.5GB', '8500m'],
    ['8589934592B', '8GiB', '8192MiB', '8 GiB'],
    ['512B', '512', '512b'],
  ]);
  refused(parseByteSize, [['8 GBs', /not a size/], ['-1GB', /not a size/], ['GB', /not a size/], ['8XB', /expected a size/]]);

  test.each([
    ['MB', '4096', ['4096MB', '4096M', '4GB', '4G', '4GiB', '4 GB', '4096mb', ' 4096 ', '4194304KB']],
    ['MB', '2048', ['2048', '2GB', '2048MiB']],
    ['GB', '500', ['500GB', '500G', '512000MB']],
    ['GB', '1024', ['1TB', '1T', '1024']],
    ['GB', '0', ['0']],
  ] as const)('in %s: %s', (unit, canonical, spellings) => {
    for (const s of spellings) expect(parseSizeIn(s, unit)).toBe(Number(canonical));
  });
  refused((s) => parseSizeIn(s, 'MB'), [['1.5MB', /not a whole number/], ['-1', /not a size in MB/], ['lots', /expected a whole number of MB/]]);
  refused((s) => parseSizeIn(s, 'GB'), [['100MB', /not a whole number of GB/]]);

  sameValues(parseShares, formatShares, [['high', 'HIGH', 'High', ' high '], ['normal', 'Normal'], ['low', 'LOW'], ['4000', '+4000', ' 4000']]);
  refused(parseShares, [['0', /not a shares value/], ['-5', /not a shares value/], ['medium', /low, normal, high/]]);

  sameValues(parseDuration, formatDuration, [
    ['3m0s', '3m', '180s', '180000ms', '0.05h', '2m60s', '1m120s'],
    ['1m30s', '90s', '1.5m', '1m30s'],
    ['0s', '0', '0s', '0ms'],
    ['500ms', '0.5s', '500ms'],
  ]);
  refused(parseDuration, [['3 minutes', /not a duration/], ['90', /not a duration/], ['', /expected a duration such as 90s/]]);
});

describe('the CLI parses MB and GB flags through the one size parser', () => {
  test.each([
    ['memory', 'MB', '4GB', 4096], ['memory', 'MB', '4096', 4096], ['endpoint-memory', 'MB', '2GiB', 2048],
    ['storage-quota', 'GB', '1TB', 1024], ['storage-quota', 'GB', '5', 5],
  ] as const)('--%s %s', (name, unit, raw, expected) => {
    expect(parseFlagValue({ name, type: 'opt-int', unit, usage: '' }, raw)).toBe(expected);
  });
  test('a value that is no size names the flag and what is valid', () => {
    expect(() => parseFlagValue({ name: 'memory', type: 'opt-int', unit: 'MB', usage: '' }, '1.5MB'))
      .toThrow('invalid value "1.5MB" for flag --memory: expected a whole number of MB such as 4096, or with a unit such as 4096MB or 4GB');
  });
});
