// A small DER encoder (X.690 distinguished encoding rules): just the types an X.509 certificate of our own needs.
// Written here rather than taken from a library: node-forge would add ~100 kB gzipped to the console's bundle for
// what is a few dozen lines of tag-length-value bytes. Pure TypeScript, no DOM: the unit tests run it in Node.
export type Bytes = Uint8Array<ArrayBuffer>;

/** Universal tags used here. */
export const TAG = {
  BOOLEAN: 0x01, INTEGER: 0x02, BIT_STRING: 0x03, OCTET_STRING: 0x04, NULL: 0x05, OID: 0x06, UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13, UTC_TIME: 0x17, GENERALIZED_TIME: 0x18, SEQUENCE: 0x30, SET: 0x31,
} as const;

export function concat(...parts: Uint8Array[]): Bytes {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The length octets: short form below 128, else 0x80|n followed by n big-endian bytes (the fewest, as DER requires). */
function lengthOf(n: number): Bytes {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** One tag-length-value. */
export function tlv(tag: number, ...content: Uint8Array[]): Bytes {
  const body = concat(...content);
  return concat(Uint8Array.of(tag), lengthOf(body.length), body);
}

export const sequence = (...items: Uint8Array[]): Bytes => tlv(TAG.SEQUENCE, ...items);

/** SET OF in DER sorts its elements by their encodings. */
export function setOf(...items: Uint8Array[]): Bytes {
  const sorted = [...items].sort((a, b) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return a.length - b.length;
  });
  return tlv(TAG.SET, ...sorted);
}

export const nullValue = (): Bytes => Uint8Array.of(TAG.NULL, 0);
export const boolean = (v: boolean): Bytes => Uint8Array.of(TAG.BOOLEAN, 1, v ? 0xff : 0);
export const octetString = (b: Uint8Array): Bytes => tlv(TAG.OCTET_STRING, b);

/** A non-negative INTEGER from its big-endian magnitude: leading zero bytes dropped, one 0x00 added when the top bit is set. */
export function unsignedInteger(magnitude: Uint8Array): Bytes {
  let i = 0;
  while (i < magnitude.length - 1 && magnitude[i] === 0) i++;
  const m = magnitude.subarray(i);
  return m.length && m[0]! & 0x80 ? tlv(TAG.INTEGER, Uint8Array.of(0), m) : tlv(TAG.INTEGER, m.length ? m : Uint8Array.of(0));
}

export function smallInteger(n: number): Bytes {
  if (!Number.isInteger(n) || n < 0 || n > 0x7fffffff) throw new RangeError(`not a small non-negative integer: ${n}`);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return unsignedInteger(Uint8Array.from(bytes.length ? bytes : [0]));
}

/** BIT STRING of whole bytes (a key, a signature): no unused bits. */
export const bitString = (b: Uint8Array): Bytes => tlv(TAG.BIT_STRING, Uint8Array.of(0), b);

/**
 * A named-bit BIT STRING (KeyUsage): bit 0 is the first byte's top bit; DER drops trailing zero bits and says how
 * many of the last byte's bits are unused.
 */
export function namedBits(bits: readonly number[]): Bytes {
  if (!bits.length) return tlv(TAG.BIT_STRING, Uint8Array.of(0));
  const last = Math.max(...bits);
  const bytes = new Uint8Array(Math.floor(last / 8) + 1);
  for (const b of bits) bytes[Math.floor(b / 8)]! |= 0x80 >> (b % 8);
  return tlv(TAG.BIT_STRING, Uint8Array.of(7 - (last % 8)), bytes);
}

/** OBJECT IDENTIFIER from its dotted form: the first two arcs in one byte, each arc base 128 with continuation bits. */
export function oid(dotted: string): Bytes {
  const arcs = dotted.split('.').map(Number);
  if (arcs.length < 2 || arcs.some((a) => !Number.isSafeInteger(a) || a < 0)) throw new RangeError(`not an object identifier: ${dotted}`);
  const out: number[] = [];
  for (const arc of [arcs[0]! * 40 + arcs[1]!, ...arcs.slice(2)]) {
    const chunk: number[] = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(TAG.OID, Uint8Array.from(out));
}

const utf8 = (s: string): Bytes => new TextEncoder().encode(s) as Bytes;

/** PrintableString when the text allows it (as Go writes names), UTF8String otherwise. */
export function directoryString(s: string): Bytes {
  return /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(s) ? tlv(TAG.PRINTABLE_STRING, utf8(s)) : tlv(TAG.UTF8_STRING, utf8(s));
}

/** RFC 5280 Time: UTCTime (YYMMDDHHMMSSZ) for 1950 through 2049, GeneralizedTime (YYYYMMDDHHMMSSZ) otherwise. */
export function time(d: Date): Bytes {
  const p = (n: number) => String(n).padStart(2, '0');
  const y = d.getUTCFullYear();
  const rest = `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  return y >= 1950 && y < 2050 ? tlv(TAG.UTC_TIME, utf8(`${p(y % 100)}${rest}`)) : tlv(TAG.GENERALIZED_TIME, utf8(`${String(y).padStart(4, '0')}${rest}`));
}

/** [n] EXPLICIT: a constructed context-specific tag around one encoding. */
export const explicit = (n: number, inner: Uint8Array): Bytes => tlv(0xa0 | n, inner);

/** [n] IMPLICIT primitive: the content of a primitive type under a context-specific tag. */
export const implicitPrimitive = (n: number, content: Uint8Array): Bytes => tlv(0x80 | n, content);
