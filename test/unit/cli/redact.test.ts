import { describe, expect, test } from '@jest/globals';
import { Redactor } from '../../../src/cli/redact.js';
import { runSecrets } from '../../../src/cli/run-log.js';

describe('Redactor', () => {
  test('replaces declared secrets wherever they appear, also URL-encoded, longest first', () => {
    const r = new Redactor(['S3cr3t p@ss!', 'S3cr3t']);
    expect(r.redact('login with S3cr3t p@ss! failed')).toBe('login with <redacted> failed');
    expect(r.redact('url https://u:S3cr3t%20p%40ss!@vc/sdk')).not.toContain('S3cr3t');
    expect(r.redact('form S3cr3t+p%40ss!')).toBe('form <redacted>');
    expect(r.redact('xS3cr3tx')).toBe('x<redacted>x');
  });

  test('short secrets only as whole words; very short ones not at all', () => {
    const r = new Redactor(['pass', 'p']);
    expect(r.redact('--password pass')).toBe('--password <redacted>');
    expect(r.redact('compass bypass passed')).toBe('compass bypass passed');
    expect(r.redact('-p is a flag')).toBe('-p is a flag');
  });

  test('shapes of secrets that were never declared: PEM private keys, URL passwords, session cookies', () => {
    const r = new Redactor();
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nAbC=\n-----END RSA PRIVATE KEY-----';
    expect(r.redact(`key:\n${pem}\nafter`)).toBe('key:\n-----BEGIN RSA PRIVATE KEY-----<redacted>-----END RSA PRIVATE KEY-----\nafter');
    expect(r.redact('-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----')).toBe('-----BEGIN PRIVATE KEY-----<redacted>-----END PRIVATE KEY-----');
    expect(r.redact('target https://admin:hunter2@vc.example.com/DC0')).toBe('target https://admin:<redacted>@vc.example.com/DC0');
    expect(r.redact('Cookie: vmware_soap_session="52a1-77"; Path=/')).toBe('Cookie: vmware_soap_session="<redacted>"; Path=/');
    // certificates are not secrets
    const cert = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
    expect(r.redact(cert)).toBe(cert);
  });
});

describe('runSecrets', () => {
  test('secret flags, the target URL\'s password (raw and decoded), password-like variables', () => {
    const s = runSecrets([
      { name: 'password', values: ['flagpw'], secret: true },
      { name: 'target', values: ['https://root:url%40pw@esx.example.com'], secret: false },
      { name: 'name', values: ['vch1'], secret: false },
    ], { VIC_MACHINE_PASSWORD: 'envpw', GOVC_PASSWORD: 'govcpw', HOME: '/root' });
    expect(s).toEqual(expect.arrayContaining(['flagpw', 'url%40pw', 'url@pw', 'envpw', 'govcpw']));
    expect(s).not.toContain('vch1');
    expect(s).not.toContain('/root');
  });
});
