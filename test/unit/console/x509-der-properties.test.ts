// The console's DER encoder against two other implementations, on generated values: node-forge's ASN.1 encoder
// (object identifiers, integers, lengths) and Node's X.509 parser (names of any text, validity dates before 1950,
// through 2049 and from 2050, serials), so that what the browser signs is what every reader reads.
import { describe, expect, test } from '@jest/globals';
import { X509Certificate } from 'node:crypto';
import fc from 'fast-check';
import forge from 'node-forge';
import { oid, tlv, unsignedInteger } from '../../../src/console/x509/der.js';
import { signCertificate } from '../../../src/console/x509/certificate.js';
import { basicConstraints } from '../../../src/console/x509/extensions.js';
import { generateKeyPair, type KeyPair } from '../../../src/console/x509/keys.js';
import { pem } from '../../../src/console/x509/pem.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const forgeHex = (a: ReturnType<typeof forge.asn1.create>) => forge.util.bytesToHex(forge.asn1.toDer(a).getBytes());

describe('against node-forge', () => {
  test('object identifiers', () => {
    const arc = fc.oneof(fc.integer({ min: 0, max: 127 }), fc.integer({ min: 128, max: 2 ** 31 - 1 }));
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 39 }), fc.array(arc, { maxLength: 8 }), (a, b, rest) => {
      const dotted = [a, b, ...rest].join('.');
      const expected = forgeHex(forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.OID, false, forge.asn1.oidToDer(dotted).getBytes()));
      expect(hex(oid(dotted))).toBe(expected);
    }), { numRuns: 300 });
  });

  test('non-negative integers of any size', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), (bytes) => {
      const n = BigInt(`0x${hex(bytes) || '0'}`);
      let h = n.toString(16);
      if (h.length % 2) h = `0${h}`;
      if (parseInt(h.slice(0, 2), 16) & 0x80) h = `00${h}`;
      const expected = forgeHex(forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.INTEGER, false, forge.util.hexToBytes(h)));
      expect(hex(unsignedInteger(bytes))).toBe(expected);
    }), { numRuns: 300 });
  });

  test('lengths', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 70_000 }), (n) => {
      const expected = forgeHex(forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.OCTETSTRING, false, '\0'.repeat(n)));
      expect(hex(tlv(0x04, new Uint8Array(n)))).toBe(expected);
    }), { numRuns: 60 });
  });
});

describe('against Node\'s X.509 parser', () => {
  let key: KeyPair;
  test('names of any text, validity before 1950, through 2049 and from 2050, serials: read back as written', async () => {
    key = await generateKeyPair(1024);
    const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter((s) => !/[\n\\,+="<>#;]/.test(s) && s.trim() === s);
    await fc.assert(fc.asyncProperty(text, fc.array(text, { maxLength: 2 }), fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2120-01-01T00:00:00Z'), noInvalidDate: true }),
      fc.integer({ min: 1, max: 40_000 }), fc.uint8Array({ minLength: 1, maxLength: 20 }),
      async (cn, organization, from, days, serial) => {
        const notBefore = new Date(Math.floor(from.getTime() / 1000) * 1000);
        const notAfter = new Date(notBefore.getTime() + days * 86_400_000);
        const subject = { commonName: cn, organization };
        const der = await signCertificate({ serial, subject, issuer: subject, notBefore, notAfter, spki: key.spki, extensions: [basicConstraints(true)] }, key.privateKey);
        const x = new X509Certificate(pem('CERTIFICATE', der));
        expect(x.subject).toBe([...organization.map((o) => `O=${o}`), `CN=${cn}`].join('\n'));
        expect(new Date(x.validFrom).getTime()).toBe(notBefore.getTime());
        expect(new Date(x.validTo).getTime()).toBe(notAfter.getTime());
        const magnitude = hex(serial).replace(/^(00)+(?=.)/, '').toUpperCase();
        expect(x.serialNumber.replace(/^0+(?=.)/, '')).toBe(magnitude.replace(/^0+(?=.)/, ''));
        expect(x.verify(x.publicKey)).toBe(true);
        expect(Buffer.from(der).equals(x.raw)).toBe(true);
      }), { numRuns: 40 });
  }, 120_000);
});
