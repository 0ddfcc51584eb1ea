// Property tests (fast-check) of the thumbprint value type: for generated SHA-1 and SHA-256 values, format → parse is
// the same value, and every spelling an admin may paste (case, separators, openssl's prefix) parses to it too.
import { expect, test } from '@jest/globals';
import fc from 'fast-check';
import { Thumbprint } from '../../../src/vim/thumbprint.js';

const RUNS = { numRuns: 300 };
const hexOf = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const thumbprintBytes = fc.oneof(fc.uint8Array({ minLength: 20, maxLength: 20 }), fc.uint8Array({ minLength: 32, maxLength: 32 }));

/** A spelling of the hex: each letter's case chosen, a separator between bytes (or none), blanks around, a prefix. */
const spelling = (hex: string) => fc.record({
  upper: fc.array(fc.boolean(), { minLength: hex.length, maxLength: hex.length }),
  separator: fc.constantFrom('', ':', ' ', '-'),
  around: fc.constantFrom('', ' ', '\n', '\t '),
  prefix: fc.boolean(),
}).map(({ upper, separator, around, prefix }) => {
  const cased = [...hex].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('');
  const body = cased.match(/../g)!.join(separator);
  const name = hex.length === 40 ? 'SHA1' : 'sha256';
  return `${around}${prefix ? `${name} Fingerprint=` : ''}${body}${around}`;
});

test('format → parse is the same value (SHA-1 and SHA-256)', () => {
  fc.assert(fc.property(thumbprintBytes, (bytes) => {
    const t = Thumbprint.parse(hexOf(bytes));
    const again = Thumbprint.parse(t.format());
    expect(again.equals(t)).toBe(true);
    expect(again.format()).toBe(t.format());
    expect(t.algorithm).toBe(bytes.length === 20 ? 'SHA-1' : 'SHA-256');
    expect(t.format()).toMatch(/^[0-9A-F]{2}(:[0-9A-F]{2})*$/);
  }), RUNS);
});

test('every generated spelling parses to the canonical value', () => {
  fc.assert(fc.property(thumbprintBytes.chain((bytes) => fc.tuple(fc.constant(hexOf(bytes)), spelling(hexOf(bytes)))), ([hex, text]) => {
    expect(Thumbprint.parse(text).format()).toBe(hex.toUpperCase().match(/../g)!.join(':'));
  }), RUNS);
});

test('any other number of bytes is refused, naming the count', () => {
  fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }).filter((b) => b.length !== 20 && b.length !== 32), (bytes) => {
    expect(() => Thumbprint.parse(hexOf(bytes))).toThrow(`it has ${bytes.length} bytes`);
  }), RUNS);
});
