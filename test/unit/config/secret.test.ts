// (c) Secret sealing: round trip, wrong keys, and unsealing the original's ciphertexts (format compatibility).

import { describe, expect, test } from '@jest/globals';
import nacl from 'tweetnacl';
import {
  decodeVchConfigDetailed, encodeVchConfig, newVchConfig, SecretKey, secretKeyFromVmx, unescapeNil,
} from '../../../src/vic/config/index.js';
import { extraConfigFixture, FIXTURE_RUNS, FIXTURE_STATES } from './fixtures.js';

const TOKEN = 'guestinfo.vice./connect/token@secret';
const HOST_KEY = 'guestinfo.vice./cert/HostCertificate/Key@secret';

describe('SecretKey', () => {
  test('seal/open round trip, fresh nonce every time', () => {
    const k = SecretKey.generate();
    expect(k.bytes.length).toBe(32);
    expect(Buffer.from(k.toString(), 'base64').length).toBe(32);
    for (const plain of ['', 'pass', 'pä$$wörd|~<nil>', 'x'.repeat(5000), '🔐']) {
      const a = k.seal(plain);
      const b = k.seal(plain);
      expect(a).not.toBe(b);
      expect(Buffer.from(a, 'base64').length).toBe(24 + 16 + Buffer.byteLength(plain));
      expect(k.open(a)).toBe(plain);
      expect(SecretKey.fromString(k.toString()).open(b)).toBe(plain);
    }
  });

  test('the format is base64(nonce || secretbox) with NaCl secretbox', () => {
    const k = SecretKey.generate();
    const sealed = Buffer.from(k.seal('hello'), 'base64');
    const opened = nacl.secretbox.open(sealed.subarray(24), sealed.subarray(0, 24), k.bytes);
    expect(Buffer.from(opened!).toString()).toBe('hello');
  });

  test('another key, a tampered box or garbage cannot be opened', () => {
    const k = SecretKey.generate();
    const other = SecretKey.generate();
    const sealed = k.seal('secret');
    expect(() => other.open(sealed, 'k')).toThrow('failed to decrypt value for k');
    const b = Buffer.from(sealed, 'base64');
    b[b.length - 1] ^= 1;
    expect(() => k.open(b.toString('base64'))).toThrow(/failed to decrypt/);
    expect(() => k.open('AAAA')).toThrow(/failed to decrypt/);
    expect(() => k.open('not base64!')).toThrow(/illegal base64/);
  });

  test('invalid keys are refused', () => {
    expect(() => SecretKey.fromString('AAAA')).toThrow('invalid secret key');
    expect(() => SecretKey.fromString('***')).toThrow();
    expect(() => SecretKey.fromBytes(new Uint8Array(31))).toThrow('invalid secret key');
  });

  test('the key is found in a .vmx file by exact key', () => {
    const k = SecretKey.generate();
    const vmx = `.encoding = "UTF-8"\nguestinfo.ovfEnvX = "nope"\nguestinfo.ovfEnv = "${k.toString()}"\n`;
    expect(secretKeyFromVmx(vmx).toString()).toBe(k.toString());
    expect(() => secretKeyFromVmx('displayName = "x"\n')).toThrow('unable to find guestinfo secret');
  });
});

describe('secrets in a VCH config', () => {
  test('encode seals, decode unseals, with the key in guestinfo.ovfEnv or given explicitly', () => {
    const c = newVchConfig();
    c.connection.token = 'p@ss|word';
    c.certificate.hostCertificate = { key: new Uint8Array(Buffer.from('-----BEGIN RSA PRIVATE KEY-----\n')), cert: new Uint8Array([1, 2, 3]) };
    const ec = encodeVchConfig(c);
    expect(ec[TOKEN]).not.toContain('p@ss');
    expect(decodeVchConfigDetailed(ec).config.connection.token).toBe('p@ss|word');
    const key = ec['guestinfo.ovfEnv']!;
    const { ['guestinfo.ovfEnv']: _, ...withoutKey } = ec;
    const d = decodeVchConfigDetailed(withoutKey, { secretKey: key });
    expect(d.config.connection.token).toBe('p@ss|word');
    expect(Buffer.from(d.config.certificate.hostCertificate!.key!).toString()).toBe('-----BEGIN RSA PRIVATE KEY-----\n');
  });

  test('an empty secret is still sealed (never written as <nil>)', () => {
    const ec = encodeVchConfig(newVchConfig());
    expect(ec[TOKEN]).not.toBe('<nil>');
    expect(Buffer.from(ec[TOKEN]!, 'base64').length).toBe(40);
    expect(decodeVchConfigDetailed(ec).config.connection.token).toBe('');
  });

  test('a given key is used (and written)', () => {
    const k = SecretKey.generate();
    const ec = encodeVchConfig(newVchConfig(), { secretKey: k.toString() });
    expect(ec['guestinfo.ovfEnv']).toBe(k.toString());
    expect(k.open(ec[TOKEN]!)).toBe('');
  });

  for (const run of FIXTURE_RUNS) {
    for (const state of FIXTURE_STATES) {
      test(`the original's secrets unseal with its key (${run}/${state})`, () => {
        const ec = extraConfigFixture(run, state);
        const key = SecretKey.fromString(ec['guestinfo.ovfEnv']!);
        expect(key.open(unescapeNil(ec[TOKEN]!))).toBe(run === 'rich' ? 'opspass' : 'pass');
        // a []byte secret: the sealed plaintext is the base64 of the bytes
        if (run !== 'notls') {
          expect(Buffer.from(key.open(ec[HOST_KEY]!), 'base64').toString()).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n[\s\S]+-----END RSA PRIVATE KEY-----\n$/);
        }
      });
    }
  }

  test('without the right key the fixture secrets cannot be unsealed', () => {
    const ec = extraConfigFixture('rich', 'running');
    // a random key
    const d1 = decodeVchConfigDetailed(ec, { secretKey: SecretKey.generate() });
    expect(d1.config.connection.token).toBe('');
    expect(d1.config.certificate.hostCertificate!.key).toBeUndefined();
    expect(d1.config.certificate.hostCertificate!.cert).toBeDefined(); // not secret
    expect(d1.errors.map((e) => e.key).sort()).toEqual([HOST_KEY, TOKEN]);
    // the key of another encode of the same VCH (the installer-time extraConfig)
    const otherKey = extraConfigFixture('rich', 'installer')['guestinfo.ovfEnv']!;
    const d2 = decodeVchConfigDetailed(ec, { secretKey: otherKey });
    expect(d2.errors.map((e) => e.error).sort()).toEqual([`failed to decrypt value for ${HOST_KEY}`, `failed to decrypt value for ${TOKEN}`].sort());
    // no key at all (guestinfo.ovfEnv hidden, as on real vSphere): ciphertext stays
    const { ['guestinfo.ovfEnv']: _, ...hidden } = ec;
    const d3 = decodeVchConfigDetailed(hidden);
    expect(d3.secretsUnsealed).toBe(false);
    expect(d3.config.connection.token).toBe(ec[TOKEN]);
    // everything that is not secret is still readable
    expect(d3.config.executorConfig.common.name).toBe('vch-rich');
  });
});
