// (a) Decoding every recorded extraConfig and encoding it again reproduces it key by key: the same key set, the
// same values, except the random ones (secret key, ciphertexts), which must still have the right form and unseal
// to the same plaintext.

import { describe, expect, test } from '@jest/globals';
import {
  compareExtraConfig, decodeVchConfigDetailed, encodeVchConfig, SecretKey, isSecretKey, unescapeNil,
} from '../../../src/vic/config/index.js';
import { extraConfigFixture, FIXTURE_RUNS, FIXTURE_STATES } from './fixtures.js';

describe('decode -> encode reproduces the original extraConfig', () => {
  for (const run of FIXTURE_RUNS) {
    for (const state of FIXTURE_STATES) {
      test(`${run}/${state}`, () => {
        const original = extraConfigFixture(run, state);
        const decoded = decodeVchConfigDetailed(original);
        expect(decoded.errors).toEqual([]);
        expect(decoded.secretsUnsealed).toBe(true);
        // the fixture binary was built with a modern Go: url.URL has OmitHost/RawFragment
        expect(decoded.urlFieldSet).toBe('go1.19');
        // the only non-config key is the serial-port answer create adds
        expect(decoded.unknownKeys).toEqual({ 'answer.msg.serial.file.open': 'Append' });

        const reencoded = { ...encodeVchConfig(decoded.config, { urlFieldSet: decoded.urlFieldSet }), ...decoded.unknownKeys };
        const cmp = compareExtraConfig(original, reencoded);
        expect(cmp.missing).toEqual([]);
        expect(cmp.extra).toEqual([]);
        expect(cmp.differences).toEqual([]);
        // only the random values differ
        expect(cmp.environmentDifferences.map((d) => d.kind).sort()).toEqual(
          Object.keys(original).filter((k) => k === 'guestinfo.ovfEnv' || isSecretKey(k)).map((k) => (k === 'guestinfo.ovfEnv' ? 'secret-key' : 'ciphertext')).sort(),
        );
        expect(cmp.equal.length).toBe(Object.keys(original).length - cmp.environmentDifferences.length);

        // the new ciphertexts unseal (with the new key) to what the old ones held
        const newKey = SecretKey.fromString(reencoded['guestinfo.ovfEnv']!);
        const oldKey = SecretKey.fromString(original['guestinfo.ovfEnv']!);
        for (const k of Object.keys(original).filter(isSecretKey)) {
          expect(newKey.open(unescapeNil(reencoded[k]!), k)).toBe(oldKey.open(unescapeNil(original[k]!), k));
        }

        // re-encoding with the same key changes only the nonces; decoding that gives the same config again
        const again = encodeVchConfig(decoded.config, { urlFieldSet: 'go1.19', secretKey: decoded.secretKey! });
        expect(again['guestinfo.ovfEnv']).toBe(original['guestinfo.ovfEnv']);
        expect(decodeVchConfigDetailed(again).config).toEqual(decoded.config);
      });
    }
  }

  test('with the Go 1.8 url.URL field set the only change is the missing OmitHost/RawFragment keys', () => {
    const original = extraConfigFixture('rich', 'installer');
    const decoded = decodeVchConfigDetailed(original);
    const go18 = { ...encodeVchConfig(decoded.config), ...decoded.unknownKeys };
    const cmp = compareExtraConfig(original, go18);
    expect(cmp.extra).toEqual([]);
    expect(cmp.differences).toEqual([]);
    expect(cmp.missing.length).toBe(6); // image store + 2 volume stores, 2 keys each
    for (const k of cmp.missing) expect(k).toMatch(/\/(OmitHost|RawFragment)$/);
    // and a Go-1.8 encoding decodes to the same config
    expect(decodeVchConfigDetailed(go18).config).toEqual(decoded.config);
    expect(decodeVchConfigDetailed(go18).urlFieldSet).toBe('go1.8');
  });

  test('the decoded model holds what the flags asked for (rich)', () => {
    const c = decodeVchConfigDetailed(extraConfigFixture('rich', 'running')).config;
    expect(c.executorConfig.common.name).toBe('vch-rich');
    expect(c.executorConfig.common.id).toBe('VirtualMachine:vm-73');
    expect(c.connection).toEqual({
      target: 'https://127.0.0.1:8996', username: 'opsuser', token: 'opspass',
      targetThumbprint: '2C:11:ED:D7:13:87:7D:B5:74:18:B8:1C:42:C2:56:1F:0D:B9:5B:B9', keepalive: 0,
    });
    expect(Object.keys(c.executorConfig.networks).sort()).toEqual(['bridge', 'client', 'management', 'public']);
    expect(Object.keys(c.executorConfig.sessions).sort()).toEqual(['docker-personality', 'port-layer', 'vicadmin']);
    expect(c.executorConfig.sessions['vicadmin']!.started).toBe('true');
    expect(c.executorConfig.diagnostics.sysLogConfig).toEqual({ network: 'tcp', rAddr: '127.0.0.1:514' });
    expect(c.executorConfig.version).toEqual({ version: 'v1.5.8', gitCommit: '9489f63', buildDate: '2026/11/22@21:20:20', buildNumber: '1', state: '', pluginVersion: 10 });
    expect(Buffer.from(c.executorConfig.networks['client']!.assigned.ip!).toString('hex')).toBe('00000000000000000000ffff7f000001');
    const routable = c.network.containerNetworks['routable']!;
    expect(routable.type).toBe('external');
    expect(routable.trustLevel).toBe(1);
    expect(Array.from(routable.pools[0]!.firstIP!)).toEqual([10, 10, 1, 0]);
    expect(Array.from(routable.pools[0]!.lastIP!)).toEqual([10, 10, 1, 255]);
    expect(c.storage.volumeLocations['default']!.path).toBe('[LocalDS_0] volumes');
    expect(c.storage.scratchSize).toBe(6000000);
    expect(c.container.containerCount).toBe(50);
    expect(c.registry).toEqual({ registryWhitelist: ['reg.example.com:5000'], insecureRegistries: ['reg.example.com:5000'] });
    expect(Buffer.from(c.certificate.hostCertificate!.key!).toString().startsWith('-----BEGIN RSA PRIVATE KEY-----')).toBe(true);
    expect(Buffer.from(c.certificate.certificateAuthorities!).toString().startsWith('-----BEGIN CERTIFICATE-----')).toBe(true);
    expect(c.vicMachineCreateOptions.length).toBe(40);
  });

  test('without unsealing, secrets come back as ciphertext (GetNoSecretVCHConfig)', () => {
    const original = extraConfigFixture('basic', 'running');
    const d = decodeVchConfigDetailed(original, { unsealSecrets: false });
    expect(d.secretsUnsealed).toBe(false);
    expect(d.config.connection.token).toBe(original['guestinfo.vice./connect/token@secret']);
    // and encoding that again with the same key would double-seal: callers must not write such a config back
  });
});
