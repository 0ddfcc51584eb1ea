// Property tests (fast-check): for generated values of each type, format → parse gives the same value back, and for
// datastore locations every accepted spelling of a generated value parses to it and writes the same URL.
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import {
  formatByteSize, formatDatastoreLocation, formatDuration, formatGateway, formatIpAddress, formatIpv4, formatIpv4Cidr, formatIpv4Range,
  formatShares, formatSizeIn, formatVolumeStore, imageStoreUrl, ipv4Bytes16, parseByteSize, parseDatastoreLocation, parseDuration,
  parseGateway, parseIpAddress, parseIpv4, parseIpv4Cidr, parseIpv4Range, parseShares, parseSizeIn, parseVolumeStore, networkOf,
  volumeStoreUrl, datastoreLocationOfUrl, volumeStoreTargetOfUrl, DEFAULT_VOLUME_STORE_PATH, type DatastoreLocation, type Ipv4Range, type Shares, type VolumeStore,
} from '../../../src/vic/spec/values/index.js';

const RUNS = { numRuns: 300 };

// Names and folders as vSphere admins make them: letters, digits, blanks inside, and - _ ( ) . , [ ] : (not the
// characters KB 2046088 rules out, not "/" in a name, no blanks at either end).
const nameChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_().,[] '.split(''), 'é', 'ü');
const word = fc.string({ unit: nameChar, minLength: 1, maxLength: 12 })
  .map((s) => s.trim()).filter((s) => s !== '' && !s.startsWith('['));
const segment = fc.oneof(word, fc.tuple(word, fc.constantFrom(':'), word).map(([a, c, b]) => `${a}${c}${b}`));
const location: fc.Arbitrary<DatastoreLocation> = fc.record({
  datastore: word,
  path: fc.array(segment, { maxLength: 3 }).map((xs) => xs.join('/')),
});
const ipv4 = fc.integer({ min: 0, max: 0xffffffff });
const cidr = fc.record({ address: ipv4, prefix: fc.integer({ min: 0, max: 32 }) });

describe('format → parse → the same value', () => {
  test('datastore locations', () => {
    fc.assert(fc.property(location, (v) => {
      expect(parseDatastoreLocation(formatDatastoreLocation(v))).toEqual(v);
    }), RUNS);
  });

  test('datastore locations: every spelling of a value is that value and writes the same URL', () => {
    fc.assert(fc.property(location, (v) => {
      const plain = v.path ? `${v.datastore}/${v.path}` : v.datastore;
      const spellings = [
        formatDatastoreLocation(v), plain, `DS://${plain}`, `${plain}/`,
        // vSphere's own form cannot hold a name with "]" (its paths have the same limit)
        ...(v.datastore.includes(']') ? [] : [`[${v.datastore}] ${v.path}`]),
        encodeURIComponent(plain), `ds://${encodeURIComponent(v.datastore)}/${v.path.split('/').map(encodeURIComponent).join('/')}`,
      ];
      const url = imageStoreUrl(v);
      for (const s of spellings) {
        expect(parseDatastoreLocation(s)).toEqual(v);
        expect(imageStoreUrl(parseDatastoreLocation(s))).toEqual(url);
      }
      // and inspect config reads the place back from the URL
      expect(datastoreLocationOfUrl(url)).toEqual(v);
    }), RUNS);
  });

  test('volume stores (datastore and NFS)', () => {
    const label = fc.string({ unit: fc.constantFrom(...'abcXYZ019 -_().'.split('')), minLength: 1, maxLength: 10 }).map((s) => s.trim()).filter(Boolean);
    const ds: fc.Arbitrary<VolumeStore> = fc.record({ label, target: location.map((l) => ({ kind: 'datastore' as const, location: l })) });
    const nfs: fc.Arbitrary<VolumeStore> = fc.record({
      label,
      target: fc.record({
        host: fc.constantFrom('10.0.0.5', 'nfs.example.com', 'nfs:2049'),
        path: fc.array(word.map((w) => w.replace(/[[\]]/g, '')).filter(Boolean), { minLength: 1, maxLength: 3 }).map((xs) => `/${xs.join('/')}`),
        query: fc.constantFrom('', 'uid=1000&gid=1000', 'proto=tcp'),
      }).map((n) => ({ kind: 'nfs' as const, nfs: parseNfs(n) })),
    });
    fc.assert(fc.property(fc.oneof(ds, nfs), (v) => {
      const again = parseVolumeStore(formatVolumeStore(v));
      expect(again).toEqual(v);
      expect(volumeStoreUrl(again, 'dflt')).toEqual(volumeStoreUrl(v, 'dflt'));
      // what inspect config reads back from the URL create wrote (a datastore store without a path gets VIC's folder)
      const t = v.target;
      expect(volumeStoreTargetOfUrl(volumeStoreUrl(v, 'dflt'))).toEqual(t.kind === 'datastore' && !t.location.path
        ? { ...t, location: { ...t.location, path: DEFAULT_VOLUME_STORE_PATH } } : t);
    }), RUNS);
  });

  test('IPv4 addresses and CIDRs', () => {
    fc.assert(fc.property(ipv4, (n) => expect(parseIpv4(formatIpv4(n))).toBe(n)), RUNS);
    fc.assert(fc.property(cidr, (c) => expect(parseIpv4Cidr(formatIpv4Cidr(c))).toEqual(c)), RUNS);
  });

  test('IP ranges (CIDR and first-last forms)', () => {
    const fromCidr = cidr.map((c): Ipv4Range => parseIpv4Range(formatIpv4Cidr(c)));
    const firstLast = fc.tuple(ipv4, ipv4).map(([a, b]): Ipv4Range => ({ first: Math.min(a, b), last: Math.max(a, b) }));
    fc.assert(fc.property(fc.oneof(fromCidr, firstLast), (r) => expect(parseIpv4Range(formatIpv4Range(r))).toEqual(r)), RUNS);
  });

  test('gateways with routing destinations', () => {
    const gw = fc.record({ address: ipv4, destinations: fc.array(cidr.map(networkOf), { maxLength: 3 }) });
    fc.assert(fc.property(gw, (g) => expect(parseGateway(formatGateway(g))).toEqual(g)), RUNS);
  });

  test('IP addresses of either family', () => {
    const v6 = fc.uint8Array({ minLength: 16, maxLength: 16 });
    fc.assert(fc.property(fc.oneof(ipv4.map(ipv4Bytes16), v6), (ip) => {
      expect(parseIpAddress(formatIpAddress(ip))).toEqual(ip);
    }), RUNS);
  });

  test('byte sizes and sizes in MB or GB', () => {
    const bytes = fc.oneof(fc.nat(), fc.nat({ max: 100_000 }).map((n) => n * 1e6), fc.nat({ max: 10_000 }).map((n) => n * 1e9));
    fc.assert(fc.property(bytes, (b) => expect(parseByteSize(formatByteSize(b))).toBe(b)), RUNS);
    fc.assert(fc.property(fc.nat(), fc.constantFrom('MB' as const, 'GB' as const), (n, u) => {
      expect(parseSizeIn(formatSizeIn(n), u)).toBe(n);
      // with the flag's own unit, and (MB) as GB where whole
      expect(parseSizeIn(`${n}${u}`, u)).toBe(n);
      if (u === 'MB') expect(parseSizeIn(`${n}GB`, u)).toBe(n * 1024);
    }), RUNS);
  });

  test('shares', () => {
    const shares: fc.Arbitrary<Shares> = fc.oneof(
      fc.constantFrom<Shares>({ level: 'low' }, { level: 'normal' }, { level: 'high' }),
      fc.integer({ min: 1, max: 2 ** 31 }).map((n): Shares => ({ level: 'custom', shares: n })),
    );
    fc.assert(fc.property(shares, (s) => expect(parseShares(formatShares(s))).toEqual(s)), RUNS);
  });

  test('durations (whole milliseconds up to days)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10 * 86_400_000 }), (ms) => {
      expect(parseDuration(formatDuration(ms))).toBeCloseTo(ms, 6);
    }), RUNS);
  });
});

function parseNfs(n: { host: string; path: string; query: string }) {
  const v = parseVolumeStore(`nfs://${n.host}${n.path}${n.query ? `?${n.query}` : ''}:x`);
  if (v.target.kind !== 'nfs') throw new Error('not nfs');
  return v.target.nfs;
}
