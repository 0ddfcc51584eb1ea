// The client certificates the console makes in the browser (src/console/x509/), made here with Node's WebCrypto
// (the same crypto.subtle API) and read back by Node's X.509 parser, node-forge and openssl: the CA and the client
// certificate carry what docker and the VCH need, and a TLS server that verifies clients against the CA accepts the
// client certificate and refuses one of another CA.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import * as tls from 'node:tls';
import forge from 'node-forge';
import { makeClientCertificates, organizationOf, type ClientCertificates } from '../../../src/console/x509/client-certificates.js';
import { derOf } from '../../../src/console/x509/pem.js';
import { caSubject, createServerCertificate, generateRsaKeyPairs, serverAltNames, serverSubject } from '../../../src/vic/certificates/index.js';

const now = new Date('2026-12-05T20:00:00Z');
const DAY = 86_400_000;
let set: ClientCertificates;
let ca: X509Certificate;
let client: X509Certificate;

beforeAll(async () => {
  set = await makeClientCertificates('vch-web', { now, cname: '127.0.0.5' });
  ca = new X509Certificate(set.caCertPem);
  client = new X509Certificate(set.clientCertPem);
}, 60_000);

type ForgeExt = { name: string; critical?: boolean; [k: string]: unknown };
const extensions = (pem: string): ForgeExt[] => (forge.pki.certificateFromPem(pem) as unknown as { extensions: ForgeExt[] }).extensions;

describe('the CA certificate', () => {
  test('self-signed, a CA, subject as the CLI names it (O = name and cname, CN "<name> CA")', () => {
    expect(ca.ca).toBe(true);
    expect(ca.subject).toBe('O=vch-web\nO=127.0.0.5\nCN=vch-web CA');
    expect(ca.issuer).toBe(ca.subject);
    expect(ca.verify(ca.publicKey)).toBe(true);
    expect(ca.checkIssued(ca)).toBe(true);
    expect(caSubject('vch-web', organizationOf('vch-web', '127.0.0.5'))).toEqual({ commonName: 'vch-web CA', organization: ['vch-web', '127.0.0.5'] });
  });

  test('valid from a day before now for 365 days (the CLI\'s defaults), a 2048-bit RSA key signed with SHA-256', () => {
    expect(new Date(ca.validFrom).getTime()).toBe(now.getTime() - DAY);
    expect(new Date(ca.validTo).getTime()).toBe(now.getTime() + 365 * DAY);
    expect(ca.publicKey.asymmetricKeyDetails).toMatchObject({ modulusLength: 2048, publicExponent: 65537n });
    expect(forge.pki.certificateFromPem(set.caCertPem).siginfo.algorithmOid).toBe('1.2.840.113549.1.1.11');
  });

  test('basicConstraints CA:true critical, keyUsage keyCertSign + cRLSign critical, subjectKeyIdentifier', () => {
    const ext = extensions(set.caCertPem);
    expect(ext.find((e) => e.name === 'basicConstraints')).toMatchObject({ critical: true, cA: true });
    expect(ext.find((e) => e.name === 'keyUsage')).toMatchObject({ critical: true, keyCertSign: true, cRLSign: true, digitalSignature: true, keyEncipherment: false });
    const ski = { subjectKeyIdentifier: String(ext.find((e) => e.name === 'subjectKeyIdentifier')?.['subjectKeyIdentifier']) };
    // RFC 5280 method 1, as openssl's "hash": SHA-1 of the public key's bits
    const rsaPublicKey = forge.asn1.toDer(forge.pki.publicKeyToRSAPublicKey(forge.pki.publicKeyFromPem(ca.publicKey.export({ type: 'spki', format: 'pem' }) as string))).getBytes();
    expect(ski.subjectKeyIdentifier).toBe(forge.md.sha1.create().update(rsaPublicKey).digest().toHex());
  });

  test('its key (PKCS#8 PEM) is the certificate\'s', () => {
    expect(set.caKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n([A-Za-z0-9+/=]{64}\n)*[A-Za-z0-9+/=]{1,64}\n-----END PRIVATE KEY-----\n$/);
    expect(ca.checkPrivateKey(createPrivateKey(set.caKeyPem))).toBe(true);
  });
});

describe('the client certificate', () => {
  test('signed by the CA, CN "<name> client", clientAuth only, not a CA', () => {
    expect(client.checkIssued(ca)).toBe(true);
    expect(client.verify(ca.publicKey)).toBe(true);
    expect(client.subject).toBe('O=vch-web\nO=127.0.0.5\nCN=vch-web client');
    expect(client.issuer).toBe(ca.subject);
    expect(client.ca).toBe(false);
    expect(client.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(client.checkPrivateKey(createPrivateKey(set.clientKeyPem))).toBe(true);
    expect(client.serialNumber).not.toBe(ca.serialNumber);
    expect(client.serialNumber).toMatch(/^[4-7][0-9A-F]{31}$/);
  });

  test('keyUsage digitalSignature + keyEncipherment critical, basicConstraints critical, authorityKeyIdentifier = the CA\'s SKI', () => {
    const ext = extensions(set.clientCertPem);
    expect(ext.find((e) => e.name === 'keyUsage')).toMatchObject({ critical: true, digitalSignature: true, keyEncipherment: true, keyCertSign: false });
    expect(ext.find((e) => e.name === 'basicConstraints')).toMatchObject({ critical: true, cA: false });
    expect(ext.find((e) => e.name === 'extKeyUsage')).toMatchObject({ clientAuth: true });
    expect((ext.find((e) => e.name === 'extKeyUsage') as { serverAuth?: boolean }).serverAuth).toBeFalsy();
    const caSki = String(extensions(set.caCertPem).find((e) => e.name === 'subjectKeyIdentifier')?.['subjectKeyIdentifier']);
    const aki = { value: String(ext.find((e) => e.name === 'authorityKeyIdentifier')?.['value']) };
    // AuthorityKeyIdentifier ::= SEQUENCE { [0] keyIdentifier }
    expect(Buffer.from(aki.value, 'binary').toString('hex')).toBe(`3016 8014 ${caSki}`.replace(/ /g, ''));
  });

  test('the DER is what Node parses back byte for byte, and each set is new (keys and serials)', async () => {
    expect(Buffer.from(derOf(set.clientCertPem, 'CERTIFICATE')).equals(client.raw)).toBe(true);
    const again = await makeClientCertificates('vch-web');
    expect(again.caKeyPem).not.toBe(set.caKeyPem);
    expect(new X509Certificate(again.caCertPem).serialNumber).not.toBe(ca.serialNumber);
    expect(createPublicKey(again.clientKeyPem).export({ type: 'spki', format: 'der' }).equals(createPublicKey(set.clientKeyPem).export({ type: 'spki', format: 'der' }))).toBe(false);
  }, 60_000);

  test('openssl verifies the client against the CA for TLS clients (purpose sslclient)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x509-'));
    fs.writeFileSync(`${dir}/ca.pem`, set.caCertPem);
    fs.writeFileSync(`${dir}/cert.pem`, set.clientCertPem);
    const r = spawnSync('openssl', ['verify', '-purpose', 'sslclient', '-attime', String(Math.floor(now.getTime() / 1000)), '-CAfile', `${dir}/ca.pem`, `${dir}/cert.pem`], { encoding: 'utf8' });
    fs.rmSync(dir, { recursive: true, force: true });
    if (r.error) return; // no openssl on this machine: Node's checks above stand
    expect(`${r.stdout}${r.stderr}`).toContain('cert.pem: OK');
  });
});

test('from 2050 the validity is a GeneralizedTime, which Node reads back', async () => {
  const late = await makeClientCertificates('vch-late', { now: new Date('2049-07-01T00:00:00Z'), keyBits: 1024 });
  expect(new Date(new X509Certificate(late.caCertPem).validTo).toISOString()).toBe('2050-07-01T00:00:00.000Z');
  expect(new Date(new X509Certificate(late.caCertPem).validFrom).toISOString()).toBe('2049-06-30T00:00:00.000Z');
}, 60_000);

test('a TLS server verifying clients against the CA accepts the client certificate and refuses one of another CA', async () => {
  const [serverKey] = await generateRsaKeyPairs(1, 2048);
  const server = await createServerCertificate(serverKey!, serverSubject('vch-web', ['vch-web'], '127.0.0.1'), serverAltNames('127.0.0.1'), undefined);
  const srv = tls.createServer({ cert: server.certPem, key: server.keyPem, ca: set.caCertPem, requestCert: true, rejectUnauthorized: true }, (s) => s.end('ok'));
  let refused = 0;
  srv.on('tlsClientError', () => { refused += 1; });
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as AddressInfo).port;
  const connect = (cert: string, key: string) => new Promise<string>((resolve) => {
    const c = tls.connect({ host: '127.0.0.1', port, ca: server.certPem, cert, key, servername: undefined as unknown as string }, () => undefined);
    let got = '';
    c.on('data', (d) => { got += String(d); });
    c.on('end', () => resolve(got));
    c.on('error', (e) => resolve(`error: ${e.message}`));
  });
  try {
    expect(await connect(set.clientCertPem, set.clientKeyPem)).toBe('ok');
    const other = await makeClientCertificates('other');
    // TLS 1.3: the client's handshake ends before the server's alert arrives; the server refused it, nothing was served
    expect(await connect(other.clientCertPem, other.clientKeyPem)).not.toBe('ok');
    expect(refused).toBe(1);
  } finally {
    srv.close();
  }
}, 60_000);
