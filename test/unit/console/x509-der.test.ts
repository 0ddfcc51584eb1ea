// The console's DER encoder (src/console/x509/der.ts), byte by byte against X.690's rules and known encodings.
import { describe, expect, test } from '@jest/globals';
import { bitString, boolean, namedBits, oid, sequence, setOf, smallInteger, time, tlv, unsignedInteger, directoryString } from '../../../src/console/x509/der.js';
import { children, readElement } from '../../../src/console/x509/der-reader.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('DER', () => {
  test('lengths: short form below 128, long form with the fewest bytes above', () => {
    expect(hex(tlv(0x04, new Uint8Array(127))).slice(0, 4)).toBe('047f');
    expect(hex(tlv(0x04, new Uint8Array(128))).slice(0, 6)).toBe('048180');
    expect(hex(tlv(0x04, new Uint8Array(255))).slice(0, 6)).toBe('0481ff');
    expect(hex(tlv(0x04, new Uint8Array(256))).slice(0, 8)).toBe('04820100');
    expect(hex(tlv(0x04, new Uint8Array(65536))).slice(0, 10)).toBe('0483010000');
  });

  test('INTEGER: minimal, a 0x00 before a set top bit, leading zeros dropped', () => {
    expect(hex(smallInteger(0))).toBe('020100');
    expect(hex(smallInteger(2))).toBe('020102');
    expect(hex(smallInteger(127))).toBe('02017f');
    expect(hex(smallInteger(128))).toBe('02020080');
    expect(hex(smallInteger(256))).toBe('02020100');
    expect(hex(unsignedInteger(Uint8Array.of(0, 0, 0x12)))).toBe('020112');
    expect(hex(unsignedInteger(Uint8Array.of(0xff, 1)))).toBe('020300ff01');
    expect(() => smallInteger(-1)).toThrow(RangeError);
  });

  test('OBJECT IDENTIFIER: sha256WithRSAEncryption, commonName, clientAuth', () => {
    expect(hex(oid('1.2.840.113549.1.1.11'))).toBe('06092a864886f70d01010b');
    expect(hex(oid('2.5.4.3'))).toBe('0603550403');
    expect(hex(oid('1.3.6.1.5.5.7.3.2'))).toBe('06082b06010505070302');
    expect(() => oid('1')).toThrow(RangeError);
  });

  test('BIT STRING: whole bytes, and named bits with trailing zeros dropped (KeyUsage)', () => {
    expect(hex(bitString(Uint8Array.of(0xab)))).toBe('030200ab');
    // digitalSignature, keyCertSign, cRLSign: bits 0, 5, 6 → 1000 0110, one unused bit (openssl writes 03 02 01 86)
    expect(hex(namedBits([0, 5, 6]))).toBe('03020186');
    // digitalSignature, keyEncipherment: bits 0, 2 → 1010 0000, five unused bits
    expect(hex(namedBits([0, 2]))).toBe('030205a0');
    expect(hex(namedBits([0]))).toBe('03020780');
    expect(hex(namedBits([8]))).toBe('0303070080');
  });

  test('BOOLEAN TRUE is 0xff; SET OF sorts its elements by encoding', () => {
    expect(hex(boolean(true))).toBe('0101ff');
    expect(hex(setOf(Uint8Array.of(2, 1, 9), Uint8Array.of(2, 1, 1)))).toBe('3106020101020109');
  });

  test('Time: UTCTime for 1950 through 2049, GeneralizedTime before and after (RFC 5280 §4.1.2.5)', () => {
    expect(Buffer.from(time(new Date('2026-12-05T20:01:02Z'))).toString('latin1')).toBe('\x17\x0d261205200102Z');
    expect(Buffer.from(time(new Date('2049-12-31T23:59:59Z'))).toString('latin1')).toBe('\x17\x0d491231235959Z');
    expect(Buffer.from(time(new Date('2050-01-01T00:00:00Z'))).toString('latin1')).toBe('\x18\x0f20500101000000Z');
    expect(Buffer.from(time(new Date('1949-12-31T23:59:59Z'))).toString('latin1')).toBe('\x18\x0f19491231235959Z');
    expect(Buffer.from(time(new Date('1950-01-01T00:00:00Z'))).toString('latin1')).toBe('\x17\x0d500101000000Z');
  });

  test('names: PrintableString when the text allows, UTF8String otherwise', () => {
    expect(directoryString('vch-1 CA')[0]).toBe(0x13);
    expect(directoryString('vch_1')[0]).toBe(0x0c);
    expect(Buffer.from(directoryString('Zürich').subarray(2)).toString('utf8')).toBe('Zürich');
  });

  test('the reader takes apart what the encoder wrote', () => {
    const s = sequence(smallInteger(5), oid('2.5.4.3'), tlv(0x04, new Uint8Array(300)));
    const top = readElement(s);
    expect(top.tag).toBe(0x30);
    expect(top.encoding.length).toBe(s.length);
    const parts = children(top.content);
    expect(parts.map((p) => p.tag)).toEqual([0x02, 0x06, 0x04]);
    expect(parts[2]!.content.length).toBe(300);
    expect(() => readElement(Uint8Array.of(0x30, 5, 1))).toThrow(/truncated/);
  });
});
