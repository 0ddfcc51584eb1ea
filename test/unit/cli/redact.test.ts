import { describe, expect, test } from '@jest/globals';
import { isDistinctive, Redactor } from '../../../src/cli/redact.js';
import { outsideText, SecretSet, withSecrets } from '../../../src/vim/secrets.js';
import { runSecrets } from '../../../src/cli/run-log.js';

describe('Redactor', () => {
  test('replaces declared secrets wherever they appear, also URL-encoded, longest first', () => {
    const r = new Redactor(['S3cr3t p@ss!', 'S3cr3t']);
    expect(r.redact('login with S3cr3t p@ss! failed')).toBe('login with <redacted> failed');
    expect(r.redact('url https://u:S3cr3t%20p%40ss!@vc/sdk')).not.toContain('S3cr3t');
    expect(r.redact('form S3cr3t+p%40ss!')).toBe('form <redacted>');
    expect(r.redact('xS3cr3t p@ss!x')).toBe('x<redacted>x');
    // 6 characters: could be a word of the tool's; left to the redaction of outside text
    expect(r.redact('xS3cr3tx')).toBe('xS3cr3tx');
  });

  test('the final net never touches the tool\'s own words, whatever the password', () => {
    const words = 'Credentials are not part of it: pass --user and --password. vic-machine ls: a VCH, user admin';
    for (const pw of ['pass', 'vic', 'user', 'a', 'p', 'password', 'vic-machine', 'admin']) {
      expect(isDistinctive(pw)).toBe(false);
      expect(new Redactor([pw]).redact(words)).toBe(words);
    }
    for (const pw of ['Passw0rd', 'VMware1!', 'correct horse', 'hunter2hunter2']) expect(isDistinctive(pw)).toBe(true);
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

describe('Redactor: tricky inputs', () => {
  test('a password as JSON, XML and URLs write it', () => {
    const pw = 'a"b\\c<d>&e\'f';
    const r = new Redactor([pw]);
    const json = JSON.stringify({ password: pw, user: 'root' });
    expect(r.redact(json)).toBe('{"password":"<redacted>","user":"root"}');
    expect(r.redact('<password>a&quot;b\\c&lt;d&gt;&amp;e&apos;f</password>')).toBe('<password><redacted></password>');
    expect(r.redact(`https://root:${encodeURIComponent(pw)}@vc/sdk`)).toBe('https://root:<redacted>@vc/sdk');
  });

  test('regular-expression characters in a password are taken literally', () => {
    const r = new SecretSet(['a.b', 'x*y+z(', 'q(1)?2$x']);
    expect(r.redact('a.b and axb')).toBe('<redacted> and axb');
    expect(r.redact('pw=x*y+z( end')).toBe('pw=<redacted> end');
    expect(new Redactor(['q(1)?2$x']).redact('q(1)?2$x and q12x')).toBe('<redacted> and q12x');
  });

  test('a password inside other words is replaced there too when it is long enough to be unambiguous', () => {
    const r = new Redactor(['hunter2hunter2']);
    expect(r.redact('prefixhunter2hunter2suffix')).toBe('prefix<redacted>suffix');
    expect(r.redact('hunter2 alone is not the password')).toBe('hunter2 alone is not the password');
  });

  test('every kind of PEM private key, CRLF line ends, several blocks, and a block cut off before its end', () => {
    const r = new Redactor();
    const ec = '-----BEGIN EC PRIVATE KEY-----\r\nMHcCAQEE\r\n-----END EC PRIVATE KEY-----';
    const enc = '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHD\n-----END ENCRYPTED PRIVATE KEY-----';
    const out = r.redact(`${ec}\ncert ok\n${enc}`);
    expect(out).not.toMatch(/MHcCAQEE|MIIFHD/);
    expect(out).toContain('cert ok');
    expect(r.redact('dump: -----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA')).toBe('dump: -----BEGIN RSA PRIVATE KEY-----<redacted>');
  });

  test('URL passwords of any scheme, the user kept', () => {
    const r = new Redactor();
    expect(r.redact('nfs://u:s3cret@host/share:label')).toBe('nfs://u:<redacted>@host/share:label');
    expect(r.redact('proxy http://proxyuser:pr%40xy@proxy:3128')).toBe('proxy http://proxyuser:<redacted>@proxy:3128');
    expect(r.redact('https://vc.example.com/sdk')).toBe('https://vc.example.com/sdk');
  });

  test('session cookies, quoted or not', () => {
    const r = new Redactor();
    expect(r.redact('Set-Cookie: vmware_soap_session=52b1c0de; Path=/; HttpOnly')).toBe('Set-Cookie: vmware_soap_session=<redacted>; Path=/; HttpOnly');
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

describe('outside text (src/vim/secrets.ts): every secret, short ones as whole words', () => {
  test('a vSphere fault or HTTP status that echoes the password, for short common-word passwords too', () => {
    for (const pw of ['pass', 'vic', 'user', 'a']) {
      const s = new SecretSet([pw]);
      expect(s.redact(`Cannot complete login for admin with password ${pw}.`)).toBe('Cannot complete login for admin with password <redacted>.');
      expect(s.redact(`<password>${pw}</password>`)).toBe('<password><redacted></password>');
      expect(s.redact(`https://admin:${pw}@vc/sdk`)).toBe('https://admin:<redacted>@vc/sdk');
    }
    // inside a longer word a short secret is not the secret
    expect(new SecretSet(['pass']).redact('compass bypass passed')).toBe('compass bypass passed');
    expect(new SecretSet(['a']).redact('a b ab')).toBe('<redacted> b ab');
    // a long one anywhere, in every encoding
    expect(new SecretSet(['S3cr3t p@ss!']).redact('xS3cr3t p@ss!x S3cr3t%20p%40ss! S3cr3t+p%40ss!')).toBe('x<redacted>x <redacted> <redacted>');
  });

  test('scoped: only the run\'s own secrets, also in callbacks it started; a secret added later counts', async () => {
    const one = new SecretSet(['pw-one']);
    const two = new SecretSet(['pw-two']);
    expect(outsideText('pw-one pw-two')).toBe('pw-one pw-two'); // no run
    const [a, b] = await Promise.all([
      withSecrets(one, async () => { await new Promise((r) => setTimeout(r, 5)); return outsideText('pw-one pw-two'); }),
      withSecrets(two, async () => { await new Promise((r) => setImmediate(r)); return outsideText('pw-one pw-two'); }),
    ]);
    expect(a).toBe('<redacted> pw-two');
    expect(b).toBe('pw-one <redacted>');
    withSecrets(one, () => {
      one.add('typed');
      expect(outsideText('typed at the prompt')).toBe('<redacted> at the prompt');
    });
  });
});
