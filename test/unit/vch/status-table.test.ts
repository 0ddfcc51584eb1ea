import { describe, expect, test } from '@jest/globals';
import { tabwriter } from '../../../src/vic/vch/table.js';
import { upgradeStatus } from '../../../src/vic/vch/status.js';
import { isVch, isContainerVm } from '../../../src/vic/vch/find.js';

const build = (n: string) => ({ version: 'v1.5.8', gitCommit: '9489f63', buildDate: '', buildNumber: n, state: '', pluginVersion: 10 });

describe('ls table', () => {
  test('the bytes of the original (tabwriter minwidth 8, padding 8)', () => {
    expect(tabwriter([['ID', 'PATH', 'NAME', 'VERSION', 'UPGRADE STATUS'],
      ['vm-73', '/DC0/host/DC0_C0/Resources', 'vch1', 'v1.5.8-1-9489f63', 'Up to date']])).toBe(
      'ID           PATH                              NAME        VERSION                 UPGRADE STATUS\n' +
      'vm-73        /DC0/host/DC0_C0/Resources        vch1        v1.5.8-1-9489f63        Up to date');
    expect(tabwriter([['ID', 'PATH', 'NAME', 'VERSION', 'UPGRADE STATUS']])).toBe('ID        PATH        NAME        VERSION        UPGRADE STATUS');
  });
});

describe('upgrade status (§4.6)', () => {
  const installer = { short: 'v1.5.8-2-abcdef0', buildNumber: '2' };
  test.each([
    ['2', {}, 'up-to-date', 'Up to date'],
    ['1', {}, 'upgradeable', 'Upgradeable to v1.5.8-2-abcdef0'],
    ['3', {}, 'newer', 'VCH has newer version'],
    ['1', { UpdateInProgress: 'true' }, 'in-progress', 'Upgrade in progress'],
    ['x', {}, 'unknown', 'Unknown: invalid BuildNumber - comparing "2" to "x"'],
  ])('VCH build %s %j → %s', (n, ec, kind, short) => {
    expect(upgradeStatus(installer, build(n), ec)).toMatchObject({ kind, short });
  });
  test('a held lock: inspect says who holds it and since when, where recorded (1.5\'s locks carry no holder)', () => {
    expect(upgradeStatus(installer, build('1'), { UpdateInProgress: 'true', UpdateInProgressInfo: 'configure by ops from h (pid 7) since 2026-11-23T01:00:00Z' }).long)
      .toEqual(['Upgrade/configure in progress', 'Held by configure by ops from h (pid 7) since 2026-11-23T01:00:00Z']);
    expect(upgradeStatus(installer, build('1'), { UpdateInProgress: 'true', UpdateInProgressInfo: '<nil>' }).long).toEqual(['Upgrade/configure in progress']);
  });
  test('no installer ISO → unknown, saying why', () => {
    expect(upgradeStatus({ problem: 'no appliance.iso found' }, build('1'), {}).short).toMatch(/^Unknown: installer version unknown: no appliance.iso/);
  });
});

describe('recognising VCHs and containers (§4.3)', () => {
  const ref = { type: 'VirtualMachine', value: 'vm-9' };
  test('a VCH names itself or is being created', () => {
    expect(isVch({ ref, extraConfig: { 'guestinfo.vice./init/common/id': 'VirtualMachine:vm-9' } })).toBe(true);
    expect(isVch({ ref, extraConfig: { 'guestinfo.vice./init/common/id': 'CreatingVCH' } })).toBe(true);
    expect(isVch({ ref, extraConfig: { 'guestinfo.vice./init/common/id': 'VirtualMachine:vm-8' } })).toBe(false);
    expect(isVch({ ref, extraConfig: {} })).toBe(false);
  });
  test('a container VM has a root version', () => {
    expect(isContainerVm({ extraConfig: { 'guestinfo.vice./version/Version': 'v1.5.8' } })).toBe(true);
    expect(isContainerVm({ extraConfig: { 'guestinfo.vice./init/version/Version': 'v1.5.8' } })).toBe(false);
  });
});
