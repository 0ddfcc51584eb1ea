// The certificate part of a configure asked for as a whole specification (PUT/PATCH): what the VCH's TLS as its model
// shows it and the requested one make configure do, in the terms of configure's TLS flags; what configure cannot do
// (TLS off) and what cannot be done without more input (client verification without CAs) named by field.
import { describe, expect, test } from '@jest/globals';
import { tlsChange } from '../../../src/vic/configure/tls-change.js';
import type { TlsSpec } from '../../../src/vic/spec/vch-spec.js';

const CA = { pem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' };
const CERT = { pem: '-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n' };
const CA2 = { pem: '-----BEGIN CERTIFICATE-----\nMIID\n-----END CERTIFICATE-----\n' };
const OTHER = { pem: '-----BEGIN CERTIFICATE-----\nMIIF\n-----END CERTIFICATE-----\n' };
const KEY = { pem: '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n' };
const tls = (t: Partial<TlsSpec>): TlsSpec => ({ mode: 'verify', organization: [], keySize: 2048, clientCas: [], ...t });
const none = { clientCas: false, registryCas: false };
const verifying = tls({ cname: 'vch.example.com' });

describe('tlsChange', () => {
  test('the same TLS as the model shows it (a PUT of GET\'s model): no change', () => {
    expect(tlsChange(verifying, tls({ cname: 'vch.example.com' }), none)).toEqual({ problems: [], unchangeable: [] });
    expect(tlsChange(tls({ mode: 'no-verify' }), tls({ mode: 'no-verify' }), none)).toEqual({ problems: [], unchangeable: [] });
    expect(tlsChange(tls({ mode: 'none' }), tls({ mode: 'none' }), none)).toEqual({ problems: [], unchangeable: [] });
  });

  test('a new cname, organization or key size: a new server certificate (--tls-cname), the CAs kept', () => {
    expect(tlsChange(verifying, tls({ cname: 'new.example.com' }), none).change).toEqual({ mode: 'verify', server: { generate: { cname: 'new.example.com', organization: [], keySize: 2048 } } });
    expect(tlsChange(verifying, tls({ cname: 'vch.example.com', organization: ['Org'] }), none).change?.server).toEqual({ generate: { cname: 'vch.example.com', organization: ['Org'], keySize: 2048 } });
    expect(tlsChange(verifying, tls({ cname: 'vch.example.com', keySize: 4096 }), none).change?.server).toEqual({ generate: { cname: 'vch.example.com', organization: [], keySize: 4096 } });
  });

  test('a certificate with its key replaces the server certificate (--tls-server-cert/key); a certificate alone must be the VCH\'s', () => {
    expect(tlsChange(verifying, tls({ cname: 'vch.example.com', serverCertificate: CERT, serverKey: KEY }), none).change).toEqual({ mode: 'verify', server: { certificate: CERT, key: KEY } });
    expect(tlsChange(verifying, tls({ cname: 'vch.example.com', serverCertificate: CERT }), none, CERT.pem)).toEqual({ problems: [], unchangeable: [] });
    const alone = tlsChange(verifying, tls({ cname: 'vch.example.com', serverCertificate: CERT }), none, 'another');
    expect(alone.problems.map((p) => p.path)).toEqual(['auth.server.private_key']);
  });

  test('client CAs replace the VCH\'s (--tls-ca) and turn verification on; [] given is refused', () => {
    expect(tlsChange(verifying, tls({ cname: 'vch.example.com', clientCas: [CA] }), { ...none, clientCas: true }).change).toEqual({ mode: 'verify', clientCas: [CA] });
    expect(tlsChange(tls({ mode: 'no-verify' }), tls({ clientCas: [CA] }), { ...none, clientCas: true }).change).toEqual({ mode: 'verify', clientCas: [CA] });
    expect(tlsChange(verifying, tls({ cname: 'vch.example.com' }), { ...none, clientCas: true }).problems.map((p) => p.path)).toEqual(['auth.client.certificate_authorities']);
  });

  test('verification on without CAs is refused (no client certificate with its key is ever answered); with no_tls_verify still true, named', () => {
    const off = tls({ mode: 'no-verify' });
    const r = tlsChange(off, tls({}), none);
    expect(r.problems.map((p) => p.path)).toEqual(['auth.client.certificate_authorities']);
    expect(r.problems[0]!.message).toContain('makes no client certificates');
    expect(tlsChange(off, tls({ mode: 'no-verify', clientCas: [CA] }), { ...none, clientCas: true }).problems.map((p) => p.path)).toEqual(['auth.client.no_tls_verify']);
  });

  test('no_tls_verify: verification off, the server certificate kept (--no-tlsverify)', () => {
    expect(tlsChange(verifying, tls({ mode: 'no-verify', cname: 'vch.example.com' }), none).change).toEqual({ mode: 'no-verify' });
  });

  describe('the VCH\'s certificates as a GET answers them (the server certificate, the client CAs; never a key)', () => {
    const vch = tls({ cname: 'vch.example.com', serverCertificate: CERT, clientCas: [CA] });
    const otherwise = (s: { pem: string }) => ({ pem: `\n${s.pem.replace(/\n/g, '\r\n')}\n` });
    const named = { ...none, clientCas: true };

    test('sent back (a PUT of GET\'s model), spelled otherwise: no change', () => {
      expect(tlsChange(vch, tls({ cname: 'vch.example.com', serverCertificate: otherwise(CERT), clientCas: [otherwise(CA)] }), named)).toEqual({ problems: [], unchangeable: [] });
      expect(tlsChange(vch, tls({ cname: 'vch.example.com', serverCertificate: CERT, clientCas: [CA] }), none)).toEqual({ problems: [], unchangeable: [] });
    });

    test('other client CAs replace them; another certificate needs its key; a new cname beside the VCH\'s certificate (a merge patch\'s base) makes a new one', () => {
      expect(tlsChange(vch, tls({ cname: 'vch.example.com', serverCertificate: CERT, clientCas: [CA, CA2] }), named).change).toEqual({ mode: 'verify', clientCas: [CA, CA2] });
      expect(tlsChange(vch, tls({ cname: 'vch.example.com', serverCertificate: CERT, clientCas: [CA2] }), named).change).toEqual({ mode: 'verify', clientCas: [CA2] });
      expect(tlsChange(vch, tls({ cname: 'vch.example.com', serverCertificate: OTHER, clientCas: [CA] }), named).problems.map((p) => p.path)).toEqual(['auth.server.private_key']);
      expect(tlsChange(vch, tls({ cname: 'new.example.com', serverCertificate: CERT, clientCas: [CA] }), none).change)
        .toEqual({ mode: 'verify', server: { generate: { cname: 'new.example.com', organization: [], keySize: 2048 } } });
    });

    test('no_tls_verify: true beside the VCH\'s CAs a merge patch did not name: verification off; beside CAs the body names: refused', () => {
      expect(tlsChange(vch, tls({ mode: 'no-verify', cname: 'vch.example.com', serverCertificate: CERT, clientCas: [CA] }), none).change).toEqual({ mode: 'no-verify' });
      expect(tlsChange(vch, tls({ mode: 'no-verify', cname: 'vch.example.com', serverCertificate: CERT, clientCas: [CA] }), named).problems.map((p) => p.path)).toEqual(['auth.client.no_tls_verify']);
    });
  });

  test('TLS off is what configure cannot do (409 naming auth.no_tls); a VCH without TLS gets it with a new server certificate', () => {
    expect(tlsChange(verifying, tls({ mode: 'none' }), none).unchangeable.map((p) => p.path)).toEqual(['auth.no_tls']);
    expect(tlsChange(tls({ mode: 'none' }), tls({ mode: 'no-verify', cname: 'on.example.com' }), none).change)
      .toEqual({ mode: 'no-verify', server: { generate: { cname: 'on.example.com', organization: [], keySize: 2048 } } });
  });
});
