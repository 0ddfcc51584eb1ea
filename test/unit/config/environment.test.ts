// ENVIRONMENT_DEPENDENT: the classification covers exactly what varies between recorded runs, and its forms accept
// every recorded value.

import { describe, expect, test } from '@jest/globals';
import { compareExtraConfig, environmentDependence, isEnvironmentDependent } from '../../../src/vic/config/index.js';
import { extraConfigFixture, FIXTURE_RUNS, FIXTURE_STATES } from './fixtures.js';

describe('environment-dependent keys', () => {
  test('every recorded value of a classified key has the classified form', () => {
    for (const run of FIXTURE_RUNS) {
      for (const state of FIXTURE_STATES) {
        for (const [k, v] of Object.entries(extraConfigFixture(run, state))) {
          const rule = environmentDependence(k);
          if (rule) expect({ key: k, ok: rule.form(v) }).toEqual({ key: k, ok: true });
        }
      }
    }
  });

  test('what changes between the installer and running recordings is all classified', () => {
    for (const run of FIXTURE_RUNS) {
      const cmp = compareExtraConfig(extraConfigFixture(run, 'installer'), extraConfigFixture(run, 'running'));
      expect(cmp.differences).toEqual([]);
      expect(cmp.missing).toEqual([]);
      for (const k of cmp.extra) expect(environmentDependence(k)?.kind).toBe('guest-written');
      const kinds = new Set(cmp.environmentDifferences.map((d) => d.kind));
      for (const k of kinds) expect(['secret-key', 'ciphertext', 'certificate', 'nic-slot', 'guest-written', 'create-options']).toContain(k);
    }
  });

  test('the random and site-specific keys are classified; configuration choices are not', () => {
    const yes = [
      'guestinfo.ovfEnv', 'guestinfo.vice./connect/token@secret', 'guestinfo.vice./cert/HostCertificate/Key@secret',
      'guestinfo.vice./init/common/id', 'guestinfo.vice./init/networks|client/Common/id',
      'guestinfo.vice./init/networks|bridge/network/Common/id', 'guestinfo.vice./network/container_networks|bridge/Common/id',
      'guestinfo.vice./container/ComputeResources|0/Value', 'guestinfo.vice./cert/HostCertificate/Cert',
      'guestinfo.vice./cert/CertificateAuthorities', 'guestinfo.vice./connect/target', 'guestinfo.vice./connect/target_thumbprint',
      'guestinfo.vice./init/version/BuildNumber', 'guestinfo.vice./init/version/BuildDate', 'guestinfo.vice./container/bootstrap_image_path',
      'guestinfo.vice..init.createtime', 'guestinfo.vice..init.sessions|vicadmin.detail.starttime',
      'guestinfo.vice..init.networks|client.assigned.IP', 'guestinfo.vice..init.sessions|port-layer.started',
    ];
    const no = [
      'init/common/name', 'guestinfo.vice./init/version/PluginVersion', 'guestinfo.vice./init/networks|public/network/default',
      'guestinfo.vice./network/bridge-ip-range/IP', 'guestinfo.vice./storage/scratch_size', 'guestinfo.vice./connect/username',
      'guestinfo.vice./init/sessions|vicadmin/cmd/Args~', 'guestinfo.vice./registry/insecure_registries~',
      'guestinfo.vice./container/ComputeResources|0/Type', 'guestinfo.vice..network.container_networks|bridge.type',
    ];
    for (const k of yes) expect({ k, dep: isEnvironmentDependent(k) }).toEqual({ k, dep: true });
    for (const k of no) expect({ k, dep: isEnvironmentDependent(k) }).toEqual({ k, dep: false });
  });

  test('a wrong form is reported as a difference', () => {
    const cmp = compareExtraConfig({ 'guestinfo.ovfEnv': 'AAAA', 'guestinfo.vice./init/common/id': 'VirtualMachine:vm-1' }, { 'guestinfo.ovfEnv': 'nope', 'guestinfo.vice./init/common/id': 'vm-1' });
    expect(cmp.differences.map((d) => d.reason)).toEqual(['not a valid secret-key value', 'not a valid moref value']);
  });
});
