import { beforeAll, describe, expect, test } from '@jest/globals';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import * as tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import {
  caSubject,
  clientSubject,
  createCaCertificate,
  createClientCertificate,
  createPfx,
  createServerCertificate,
  generateRsaKeyPairs,
  normaliseCname,
  organizationFor,
  randomSerialHex,
  serverAltNames,
  serverSubject,
  type IssuedCertificate,
  type RsaKeyPair,
} from '../../../src/vic/certificates/index.js';

const EKU_SERVER = '1.3.6.1.5.5.7.3.1';
const EKU_CLIENT = '1.3.6.1.5.5.7.3.2';

let keys: RsaKeyPair[];
let ca: IssuedCertificate;
let server: IssuedCertificate;
let client: IssuedCertificate;
const now = new Date('2026-11-22T12:00:00Z');

beforeAll(async () => {
  keys = await generateRsaKeyPairs(4, 2048);
  const org = organizationFor('vch1', undefined, '127.0.0.1');
  ca = await createCaCertificate(keys[0]!, caSubject('vch1', org), { now });
  const issuer = { certPem: ca.certPem, privateKey: keys[0]!.privateKey };
  server = await createServerCertificate(keys[1]!, serverSubject('vch1', org, '127.0.0.1'), serverAltNames('127.0.0.1'), issuer, { now });
  client = await createClientCertificate(keys[2]!, clientSubject('vch1', org), issuer, { now });
});

describe('keys', () => {
  test('PKCS#1 PEM, 2048 bits, e=65537', () => {
    const k = keys[0]!;
    expect(k.privateKeyPem.startsWith('-----BEGIN RSA PRIVATE KEY-----\n')).toBe(true);
    expect(k.publicKeyPem.startsWith('-----BEGIN PUBLIC KEY-----\n')).toBe(true);
    expect(k.privateKey.asymmetricKeyDetails).toMatchObject({ modulusLength: 2048, publicExponent: 65537n });
  });
  test('serials are positive 128-bit values in minimal form', () => {
    for (let i = 0; i < 200; i++) {
      const s = randomSerialHex();
      expect(s).toMatch(/^[4-7][0-9a-f]{31}$/);
    }
  });
});

describe('CA certificate', () => {
  test('self-signed CA with keyCertSign, subject O=<name>,O=<cname>,CN=<name> CA', () => {
    const x = new X509Certificate(ca.certPem);
    expect(x.ca).toBe(true);
    expect(x.subject).toBe('O=vch1\nO=127.0.0.1\nCN=vch1 CA');
    expect(x.issuer).toBe(x.subject);
    expect(x.verify(x.publicKey)).toBe(true);
    expect(x.checkPrivateKey(createPrivateKey(ca.keyPem))).toBe(true);
  });
  test('validity: now - 1 day .. now + 1 year', () => {
    const x = new X509Certificate(ca.certPem);
    expect(new Date(x.validFrom).toISOString()).toBe('2026-11-21T12:00:00.000Z');
    expect(new Date(x.validTo).toISOString()).toBe('2027-11-22T12:00:00.000Z');
  });
  test('extensions (openssl view)', () => {
    const text = opensslText(ca.certPem);
    if (!text) return;
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature, Key Encipherment, Key Agreement, Certificate Sign/);
    expect(text).toMatch(/Subject Key Identifier/);
    expect(text).toMatch(/Signature Algorithm: sha256WithRSAEncryption/);
  });
});

describe('server certificate', () => {
  test('signed by the CA, serverAuth, IP SAN, CN = cname', () => {
    const x = new X509Certificate(server.certPem);
    const c = new X509Certificate(ca.certPem);
    expect(x.checkIssued(c)).toBe(true);
    expect(x.verify(c.publicKey)).toBe(true);
    expect(x.ca).toBe(false);
    expect(x.keyUsage).toEqual([EKU_SERVER]);
    expect(x.subject).toBe('O=vch1\nO=127.0.0.1\nCN=127.0.0.1');
    expect(x.subjectAltName).toBe('IP Address:127.0.0.1');
    expect(x.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(x.checkIP('127.0.0.2')).toBeUndefined();
  });
  test('authority key identifier matches the CA subject key identifier', () => {
    const text = opensslText(server.certPem);
    const caText = opensslText(ca.certPem);
    if (!text || !caText) return;
    const ski = /Subject Key Identifier:\s*\n\s*([0-9A-F:]+)/.exec(caText)![1];
    expect(text).toContain(ski);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature, Key Encipherment, Key Agreement\n/);
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE/);
  });
  test('names become DNS SANs, extra IPs become IP SANs; wildcard cname', async () => {
    const org = organizationFor('vch-rich', ['Example'], 'vch.example.com');
    expect(org).toEqual(['Example', 'vch.example.com']);
    const s = await createServerCertificate(keys[3]!, serverSubject('vch-rich', org, 'vch.example.com'), serverAltNames('vch.example.com', ['10.0.0.5/24']), undefined);
    const x = new X509Certificate(s.certPem);
    expect(x.subjectAltName).toBe('DNS:vch.example.com, IP Address:10.0.0.5');
    expect(x.checkHost('vch.example.com')).toBe('vch.example.com');
    expect(x.checkIP('10.0.0.5')).toBe('10.0.0.5');
    expect(x.subject).toBe('O=Example\nO=vch.example.com\nCN=vch.example.com');

    const w = await createServerCertificate(keys[3]!, serverSubject('v', ['v'], '*.example.com'), serverAltNames('*.example.com'), undefined);
    expect(new X509Certificate(w.certPem).checkHost('vch7.example.com')).toBe('*.example.com');
  });
  test('IPv6 cname', async () => {
    const s = await createServerCertificate(keys[3]!, serverSubject('v6', ['v6'], 'fd00::5'), serverAltNames('fd00::5'), undefined);
    expect(new X509Certificate(s.certPem).checkIP('fd00::5')).toBe('fd00::5');
  });
  test('self-signed without cname: CN = VCH name, no SAN (the --no-tlsverify case)', async () => {
    const s = await createServerCertificate(keys[3]!, serverSubject('vch5', organizationFor('vch5', undefined, undefined), undefined), serverAltNames(undefined), undefined);
    const x = new X509Certificate(s.certPem);
    expect(x.subject).toBe('O=vch5\nCN=vch5');
    expect(x.subjectAltName).toBeUndefined();
    expect(x.verify(x.publicKey)).toBe(true);
  });
  test('non-printable organization values are UTF8String', async () => {
    const s = await createServerCertificate(keys[3]!, { commonName: 'x', organization: ['Ünïcode & Co_'] }, serverAltNames('x.example.com'), undefined);
    expect(new X509Certificate(s.certPem).subject).toContain('O=Ünïcode & Co_');
  });
});

describe('repeated builds', () => {
  test('a CA built after leaf certificates still has keyCertSign (forge caches encoded extensions)', async () => {
    for (let i = 0; i < 3; i++) {
      const ca2 = await createCaCertificate(keys[0]!, caSubject('again', ['again']));
      const leaf = await createServerCertificate(keys[3]!, serverSubject('again', ['again'], '127.0.0.9'), serverAltNames('127.0.0.9'), {
        certPem: ca2.certPem,
        privateKey: keys[0]!.privateKey,
      });
      // checkIssued (OpenSSL X509_check_issued) fails when the issuer lacks keyCertSign.
      expect(new X509Certificate(leaf.certPem).checkIssued(new X509Certificate(ca2.certPem))).toBe(true);
    }
  });
});

describe('client certificate', () => {
  test('clientAuth, DigitalSignature only, CN set (subject differs from the CA)', () => {
    const x = new X509Certificate(client.certPem);
    const c = new X509Certificate(ca.certPem);
    expect(x.verify(c.publicKey)).toBe(true);
    expect(x.keyUsage).toEqual([EKU_CLIENT]);
    expect(x.subject).toBe('O=vch1\nO=127.0.0.1\nCN=vch1 client');
    expect(x.subject).not.toBe(c.subject);
    const text = opensslText(client.certPem);
    if (text) expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature\n/);
  });
});

describe('TLS with the generated certificates', () => {
  test('mutual TLS handshake succeeds; a client without certificate is refused', async () => {
    const srv = tls.createServer({ cert: server.certPem, key: server.keyPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: true }, (s) => {
      s.end('hello');
    });
    srv.listen(0, '127.0.0.1');
    await once(srv, 'listening');
    const port = (srv.address() as AddressInfo).port;
    try {
      const data = await new Promise<string>((resolve, reject) => {
        const s = tls.connect({ host: '127.0.0.1', port, ca: ca.certPem, cert: client.certPem, key: client.keyPem }, () => undefined);
        let buf = '';
        s.on('data', (d) => (buf += d));
        s.on('end', () => resolve(buf));
        s.on('error', reject);
      });
      expect(data).toBe('hello');
      const refused = await new Promise<string>((resolve) => {
        const s = tls.connect({ host: '127.0.0.1', port, ca: ca.certPem });
        let buf = '';
        s.on('data', (d) => (buf += d));
        s.on('error', (e) => resolve(`error: ${e.message}`));
        s.on('end', () => resolve(buf));
      });
      expect(refused).not.toBe('hello');
    } finally {
      srv.close();
    }
  });
});

describe('cert.pfx', () => {
  test('PKCS#12 with empty password: Node loads it, openssl lists key + 2 certs', async () => {
    const pfx = await createPfx(client.keyPem, client.certPem, [ca.certPem], { friendlyName: 'vch1 docker client' });
    expect(() => tls.createSecureContext({ pfx, passphrase: '' })).not.toThrow();
    const info = opensslPkcs12Info(pfx);
    if (info) {
      expect(info).toMatch(/Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC/);
      expect(info.match(/Certificate bag/g)).toHaveLength(2);
      expect(info).toMatch(/MAC: sha1/);
    }
  });
});

describe('subject helpers', () => {
  test('organization default is the VCH name (+ cname), as the help text promised', () => {
    expect(organizationFor('vch1', undefined, undefined)).toEqual(['vch1']);
    expect(organizationFor('vch1', [], '127.0.0.1')).toEqual(['vch1', '127.0.0.1']);
    expect(organizationFor('vch1', ['A', 'B'], '127.0.0.1')).toEqual(['A', 'B']);
    expect(organizationFor('vch1', ['A'], '*.example.com')).toEqual(['A']);
    expect(organizationFor('vch1', [' ', ''], undefined)).toEqual(['vch1']);
  });
  test('normaliseCname', () => {
    expect(normaliseCname('10.0.0.5/24')).toEqual({ cname: '10.0.0.5' });
    expect(normaliseCname('VCH.Example.COM.')).toEqual({ cname: 'vch.example.com' });
    expect(normaliseCname('*.example.com')).toEqual({ cname: '*.example.com' });
    expect(normaliseCname('fd00::1')).toEqual({ cname: 'fd00::1' });
    expect(normaliseCname('https://vch.example.com')).toHaveProperty('problem');
    expect(normaliseCname('vch.example.com:2376')).toHaveProperty('problem');
    expect(normaliseCname('bad name')).toHaveProperty('problem');
    expect(normaliseCname('*.com')).toHaveProperty('problem');
    expect(normaliseCname('-x.example.com')).toHaveProperty('problem');
  });
});

describe('lazy node-forge', () => {
  test('no module under src/ imports node-forge at load time', () => {
    const root = join(process.cwd(), 'src');
    const offenders: string[] = [];
    const walk = (d: string): void => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.ts')) {
          const src = readFileSync(p, 'utf8');
          // Top-level (unindented) static imports or requires only; lazy loading inside functions is the point.
          if (/^import\s+(?!type\b)[^;]*from\s+['"]node-forge/m.test(src) || /^\S.*require\(['"]node-forge/m.test(src)) offenders.push(p);
        }
      }
    };
    walk(root);
    expect(offenders).toEqual([]);
  });
});

function opensslText(pem: string): string | undefined {
  try {
    return execFileSync('openssl', ['x509', '-noout', '-text'], { input: pem }).toString();
  } catch {
    return undefined;
  }
}

function opensslPkcs12Info(pfx: Buffer): string | undefined {
  const r = spawnSync('openssl', ['pkcs12', '-info', '-noout', '-passin', 'pass:'], { input: pfx });
  if (r.error) return undefined;
  expect(r.status).toBe(0);
  return `${r.stdout.toString()}${r.stderr.toString()}`;
}
