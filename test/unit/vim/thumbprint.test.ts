// The thumbprint value type: every spelling an admin may paste parses to the value of its canonical form; the
// canonical form is 1.5's (upper case, colons); a malformed text says what is wrong with it.
import { describe, expect, test } from '@jest/globals';
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import { MalformedThumbprint, readPin, Thumbprint, ThumbprintSyntaxError } from '../../../src/vim/thumbprint.js';

const SHA1 = '2C:11:ED:D7:13:87:7D:B5:74:18:B8:1C:42:C2:56:1F:0D:B9:5B:B9';
const SHA256 = '44:8F:62:8A:8A:65:AA:18:56:0E:53:A8:0C:53:AC:B3:8C:51:B4:27:DF:03:34:08:23:49:14:11:47:DC:9B:F6';
const bare = (t: string) => t.replace(/:/g, '');

describe('Thumbprint.parse: every accepted spelling is the canonical value', () => {
  const spellings = (canonical: string, openssl: string): [string, string][] => [
    ['canonical (upper case, colons)', canonical],
    ['lower case, colons', canonical.toLowerCase()],
    ['mixed case', canonical.split(':').map((b, i) => (i % 2 ? b.toLowerCase() : b)).join(':')],
    ['no separators, upper case', bare(canonical)],
    ['no separators, lower case', bare(canonical).toLowerCase()],
    ['spaces between bytes (Windows certificate dialog)', canonical.replace(/:/g, ' ').toLowerCase()],
    ['hyphens between bytes', canonical.replace(/:/g, '-')],
    ['surrounding whitespace (a paste with its newline)', `  ${canonical}\n`],
    ['openssl 1.x prefix', `${openssl.toUpperCase()} Fingerprint=${canonical}`],
    ['openssl 3 prefix', `${openssl.toLowerCase()} Fingerprint=${canonical}`],
  ];
  for (const [algorithm, canonical, openssl] of [['SHA-1', SHA1, 'sha1'], ['SHA-256', SHA256, 'sha256']] as const) {
    test.each(spellings(canonical, openssl))(`${algorithm}: %s`, (_what, text) => {
      const t = Thumbprint.parse(text);
      expect(t.algorithm).toBe(algorithm);
      expect(t.format()).toBe(canonical);
      expect(t.equals(Thumbprint.parse(canonical))).toBe(true);
      expect(String(t)).toBe(canonical);
      expect(JSON.stringify({ t })).toBe(`{"t":"${canonical}"}`);
    });
  }

  test('a SHA-1 and a SHA-256 thumbprint are never equal, even of the same certificate', () => {
    expect(Thumbprint.parse(SHA1).equals(Thumbprint.parse(SHA256))).toBe(false);
    expect(Thumbprint.parse(SHA1).equals(undefined)).toBe(false);
  });
});

describe('Thumbprint.parse: malformed texts name what is wrong', () => {
  test.each([
    ['a truncated paste (7 bytes)', '2C:11:ED:D7:13:87:7D', /it has 7 bytes, where a SHA-1 thumbprint has 20 bytes and a SHA-256 thumbprint 32/],
    ['one byte short of SHA-1', SHA1.slice(0, -3), /it has 19 bytes/],
    ['an odd number of hex digits', SHA1.slice(0, -1), /it has 39 hex digits/],
    ['a letter that is not hex', SHA1.replace('2C', '2G'), /"G" is not a hex digit/],
    ['nothing', '   ', /holds no hex digits/],
    ['a word', 'nope', /"N" is not a hex digit/],
    ['named SHA-256 but 20 bytes', `sha256 Fingerprint=${SHA1}`, /named SHA-256 but has the 20 bytes of a SHA-1 thumbprint/],
  ])('%s', (_what, text, problem) => {
    expect(() => Thumbprint.parse(text)).toThrow(ThumbprintSyntaxError);
    expect(() => Thumbprint.parse(text)).toThrow(problem);
    expect(Thumbprint.tryParse(text)).toBeUndefined();
    const pin = readPin(text);
    expect(pin).toBeInstanceOf(MalformedThumbprint);
    expect((pin as MalformedThumbprint).given).toBe(text);
    expect((pin as MalformedThumbprint).problem).toMatch(problem);
  });
  test('readPin of a good text is the thumbprint', () => {
    expect(readPin(SHA1.toLowerCase())).toEqual(Thumbprint.parse(SHA1));
  });
});

describe('Thumbprint.of: a certificate\'s thumbprints, as Node and openssl compute them', () => {
  // any certificate will do: the first of Node's bundled roots
  const pem = tls.rootCertificates[0]!;
  const x = new X509Certificate(pem);
  test('SHA-1 and SHA-256 equal X509Certificate fingerprints; matches() checks with its own algorithm', () => {
    expect(Thumbprint.of(x).format()).toBe(x.fingerprint);
    expect(Thumbprint.of(x.raw, 'SHA-256').format()).toBe(x.fingerprint256);
    expect(Thumbprint.parse(x.fingerprint.toLowerCase()).matches(x)).toBe(true);
    expect(Thumbprint.parse(x.fingerprint256).matches(x.raw)).toBe(true);
    expect(Thumbprint.parse(SHA1).matches(x)).toBe(false);
  });
});
