// Key calculation: the original's own key tests, plus computed keys of the VCH spec.

import { describe, expect, test } from '@jest/globals';
import {
  calculateKey, calculateScope, configKey, descriptors, encodeVchConfig, newVchConfig, Scope, VICE_PREFIX,
} from '../../../src/vic/config/index.js';

const P = VICE_PREFIX; // "guestinfo.vice."

describe('calculateKey (ported from extraconfig/keys_test.go)', () => {
  const key = (scopes: string[], prefix: string, k: string): string => calculateKey(calculateScope(scopes), prefix, k);
  test.each([
    ['hidden stays hidden', ['hidden'], 'a/b', 'c', 'a/b/c'],
    ['hide a visible prefix', ['hidden'], `${P}/a/b`, 'c', 'a/b/c'],
    ['reveal', ['read-only'], 'a/b', 'c', `${P}/a/b/c`],
    ['visible read-only', ['read-only'], `${P}/a/b`, 'c', `${P}/a/b/c`],
    ['visible read-write', ['read-write'], `${P}.a.b`, 'c', `${P}.a.b.c`],
    ['top-level read-only', ['read-only'], '', 'a', `${P}/a`],
    ['read-only to read-write', ['read-write'], `${P}/a/b`, 'c', `${P}.a.b.c`],
    ['read-write to read-only', ['read-only'], `${P}.a.b`, 'c', `${P}/a/b/c`],
    ['compound key', ['read-write'], `${P}.a`, 'b/c', `${P}.a.b.c`],
    ['no scopes 1', [], `${P}.a/b`, 'c', 'a/b/c'],
    ['no scopes 2', [], `${P}.a.b`, 'c', 'a.b/c'],
    ['no scopes 3', [], 'a.b', 'c', 'a.b/c'],
    ['secret', ['secret', 'read-write'], `${P}.a.b`, 'c', `${P}.a.b.c@secret`],
    ['non-persistent', ['non-persistent', 'read-write'], `${P}.a.b`, 'c', `${P}.a.b.c@non-persistent`],
  ])('%s', (_n, scopes, prefix, k, want) => {
    expect(key(scopes, prefix, k)).toBe(want);
  });

  test('multiple suffixes', () => {
    const k = key(['non-persistent', 'secret', 'read-write'], `${P}.a.b`, 'c');
    expect(k).toContain('@secret');
    expect(k).toContain('@non-persistent');
  });

  test('invalid scopes and hidden+non-persistent give no key', () => {
    expect(calculateScope(['bogus'])).toBe(Scope.Invalid);
    expect(key(['bogus'], '', 'a')).toBe('');
    expect(key(['hidden', 'non-persistent'], '', 'a')).toBe('');
  });
});

describe('configKey', () => {
  test.each([
    [['executorConfig', 'networks', 'client', 'assigned', 'ip'], 'guestinfo.vice..init.networks|client.assigned.IP'],
    [['executorConfig', 'sessions', 'vicadmin', 'started'], 'guestinfo.vice..init.sessions|vicadmin.started'],
    [['executorConfig', 'common', 'id'], 'guestinfo.vice./init/common/id'],
    [['executorConfig', 'common', 'name'], 'init/common/name'],
    [['executorConfig', 'version', 'pluginVersion'], 'guestinfo.vice./init/version/PluginVersion'],
    [['executorConfig', 'networks', 'public', 'network', 'common', 'notes'], 'init/networks|public/network/Common/notes'],
    [['executorConfig', 'sessions', 'x', 'cmd', 'args'], 'guestinfo.vice./init/sessions|x/cmd/Args'],
    [['executorConfig', 'sessions', 'x', 'cmd', 'args', 0], 'guestinfo.vice./init/sessions|x/cmd/Args~'],
    [['executorConfig', 'execs', 'x', 'cmd', 'path'], 'guestinfo.vice./init/execs|x/cmd/Path@non-persistent'],
    [['executorConfig', 'diagnostics', 'resurrectionCount'], 'guestinfo.vice..init.diagnostics.resurrections'],
    [['connection', 'token'], 'guestinfo.vice./connect/token@secret'],
    [['connection'], 'guestinfo.vice./connect'],
    [['certificate', 'hostCertificate', 'key'], 'guestinfo.vice./cert/HostCertificate/Key@secret'],
    [['storage', 'volumeLocations', 'default', 'path'], 'guestinfo.vice./storage/VolumeLocations|default/Path'],
    [['storage', 'imageStores', 0, 'host'], 'guestinfo.vice./storage/image_stores|0/Host'],
    [['network', 'containerNetworks', 'bridge', 'type'], 'guestinfo.vice..network.container_networks|bridge.type'],
    [['network', 'containerNetworks', 'x', 'nameservers', 0], 'guestinfo.vice./network/container_networks|x/dns|0'],
    [['container', 'containerNameConvention'], 'guestinfo.vice./container/ContainerNameConvention'],
    [['vicMachineCreateOptions'], 'guestinfo.vice./vic_machine_create_options'],
  ])('%j', (path, want) => {
    expect(configKey(path)).toBe(want);
  });

  test('unknown or unencoded fields are refused', () => {
    expect(() => configKey(['nope'])).toThrow(/no field/);
    expect(() => configKey(['connection', 'token', 'x'])).toThrow(/cannot select/);
  });
});

describe('descriptors', () => {
  test('every struct has unique props and Go names, and the zero config has every modelled field', () => {
    for (const s of descriptors.ALL_STRUCTS) {
      const props = s.fields.map((f) => f.prop).filter((p) => p !== '');
      expect(new Set(props).size).toBe(props.length);
      expect(new Set(s.fields.map((f) => f.go)).size).toBe(s.fields.length);
      for (const f of s.fields) if (f.prop === '') expect(f.tag?.recurse).toBe('depth=0');
    }
    const zero = newVchConfig();
    expect(Object.keys(zero).sort()).toEqual(descriptors.VIRTUAL_CONTAINER_HOST_CONFIG_SPEC.fields.map((f) => f.prop).sort());
  });

  test('an empty config encodes to the keys the original writes for a zero spec', () => {
    const ec = encodeVchConfig(newVchConfig(), { secretKey: new Uint8Array(32) });
    expect(Object.keys(ec).sort()).toEqual([
      'guestinfo.ovfEnv',
      'guestinfo.vice..init.createtime',
      'guestinfo.vice..init.diagnostics.resurrections',
      'guestinfo.vice./connect/keepalive',
      'guestinfo.vice./connect/target',
      'guestinfo.vice./connect/target_thumbprint',
      'guestinfo.vice./connect/token@secret',
      'guestinfo.vice./connect/username',
      'guestinfo.vice./container/ContainerNameConvention',
      'guestinfo.vice./container/UseVMGroup',
      'guestinfo.vice./container/VMGroupName',
      'guestinfo.vice./container/bootstrap_image_path',
      'guestinfo.vice./container/container_count',
      'guestinfo.vice./create_bridge_network',
      'guestinfo.vice./grant_permissions',
      'guestinfo.vice./init/asymrouting',
      'guestinfo.vice./init/common/ExecutionEnvironment',
      'guestinfo.vice./init/common/id',
      'guestinfo.vice./init/diagnostics/debug',
      'guestinfo.vice./init/domainname',
      'guestinfo.vice./init/hostname',
      'guestinfo.vice./init/imageid',
      'guestinfo.vice./init/layerid',
      'guestinfo.vice./init/repo',
      'guestinfo.vice./network/bridge_network',
      'guestinfo.vice./storage/scratch_size',
      'guestinfo.vice./storage/storage_quota',
      'init/common/name',
      'init/common/notes',
    ]);
  });
});
