// The one extraConfig rule of create, upgrade and configure (src/vic/config/changes.ts), on a recorded VCH.
import { describe, expect, test } from '@jest/globals';
import { configurationChanges, decodeVchConfigDetailed, encodeVchConfig, SecretKey } from '../../../src/vic/config/index.js';
import { extraConfigFixture } from './fixtures.js';

describe('configurationChanges', () => {
  test('what changed and what is new; "" for configuration keys that disappeared; other keys and keys already blank left alone', () => {
    const current = { 'guestinfo.vice./a': '1', 'guestinfo.vice./b': '2', 'guestinfo.vice./gone': 'x', 'init/common/notes': 'n',
      'guestinfo.vice./blank': '', UpdateInProgress: 'true', 'answer.msg.serial.file.open': 'Append' };
    const next = { 'guestinfo.vice./a': '1', 'guestinfo.vice./b': '3', 'guestinfo.vice./new': 'n' };
    expect(configurationChanges(current, next, { UpdateInProgress: 'true', 'answer.msg.serial.file.open': 'Append' }))
      .toEqual({ 'guestinfo.vice./b': '3', 'guestinfo.vice./new': 'n', 'guestinfo.vice./gone': '', 'init/common/notes': '' });
    // with nothing named as not-configuration (create: both sides are its own encodings), every vanished key goes
    expect(configurationChanges({ a: '1', b: '2', c: '3' }, { a: '1', b: 'x', d: '4' })).toEqual({ b: 'x', d: '4', c: '' });
  });

  test('a recorded 1.5.8 VCH re-encoded under a new key: the decoder\'s unknown keys stay, nothing is blanked that the new encoding has', () => {
    const ec = extraConfigFixture('rich', 'running');
    const decoded = decodeVchConfigDetailed(ec);
    const next = encodeVchConfig(decoded.config, { secretKey: SecretKey.generate(), urlFieldSet: decoded.urlFieldSet });
    const changes = configurationChanges(ec, next, decoded.unknownKeys);
    for (const k of Object.keys(decoded.unknownKeys)) expect(changes[k]).toBeUndefined();
    expect(Object.entries(changes).filter(([k, v]) => v === '' && k in next)).toEqual([]);
    // the sealed secrets and the key itself change; the rest of the configuration does not
    expect(Object.keys(changes).filter((k) => !k.includes('@secret') && k !== 'guestinfo.ovfEnv')).toEqual([]);
  });
});
