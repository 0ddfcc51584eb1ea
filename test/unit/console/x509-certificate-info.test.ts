// The console's reading of a certificate's subject, issuer and validity (src/console/x509/certificate-info.ts),
// against what Node's X509Certificate (OpenSSL) reads from the same certificates: a CA and a server certificate it
// signed (node-forge, as create makes them), and the certificate a VCH made by vic-machine 1.5.8 serves.
import { describe, expect, test } from '@jest/globals';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { decodeVchConfigDetailed } from '../../../src/vic/config/index.js';
import { FIXTURES, haveFixtures } from '../../support/fixture-vch.js';
import { certificateInfo } from '../../../src/console/x509/certificate-info.js';
import {
  caSubject, createCaCertificate, createServerCertificate, generateRsaKeyPair, serverAltNames, serverSubject,
} from '../../../src/vic/certificates/index.js';

/** OpenSSL's subject (one attribute a line), in the console's form. */
const openssl = (s: string) => s.split('\n').join(', ');

describe('certificateInfo', () => {
  test('a CA and a certificate it signed: subject, issuer, validity as OpenSSL reads them', async () => {
    const caKey = await generateRsaKeyPair(2048);
    const ca = await createCaCertificate(caKey, caSubject('registry-ca.example.com', ['Example Ünïcode']));
    const leaf = await createServerCertificate(await generateRsaKeyPair(2048), serverSubject('vch1', ['Example'], 'registry.example.com'),
      serverAltNames('registry.example.com'), { certPem: ca.certPem, privateKey: caKey.privateKey });
    for (const pem of [ca.certPem, leaf.certPem]) {
      const x = new X509Certificate(pem);
      const i = certificateInfo(pem);
      expect(i.subject).toBe(openssl(x.subject));
      expect(i.issuer).toBe(openssl(x.issuer));
      expect(i.notBefore.getTime()).toBe(new Date(x.validFrom).getTime());
      expect(i.notAfter.getTime()).toBe(new Date(x.validTo).getTime());
    }
    expect(certificateInfo(ca.certPem).name).toBe('registry-ca.example.com CA');
    expect(certificateInfo(leaf.certPem).issuer).toContain('CN=registry-ca.example.com');
  });

  (haveFixtures ? test : test.skip)('the certificate of the VCH vic-machine 1.5.8 made (fixture rich: two O= in one RDN)', () => {
    const ec = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'rich', 'extraconfig.running.json'), 'utf8')) as Record<string, string>;
    const pem = Buffer.from(decodeVchConfigDetailed(ec, { unsealSecrets: false }).config.certificate.hostCertificate!.cert!).toString('utf8');
    const x = new X509Certificate(pem);
    const i = certificateInfo(pem);
    expect(i.subject).toBe(openssl(x.subject));
    expect(i.subject).toContain(' + ');
    expect(i.issuer).toBe(openssl(x.issuer));
    expect(i.name).toBe('vch.example.com');
    expect([i.notBefore.getTime(), i.notAfter.getTime()]).toEqual([new Date(x.validFrom).getTime(), new Date(x.validTo).getTime()]);
  });

  test('text that is no certificate throws', () => {
    expect(() => certificateInfo('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----')).toThrow();
    expect(() => certificateInfo('nothing')).toThrow();
  });
});
