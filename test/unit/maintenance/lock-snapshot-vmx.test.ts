// The maintenance frame's pure parts: the lock's state and its holder text, the refusal that names the holder, the
// unique snapshot names, the .vmx reader the secret key comes back through.
import { describe, expect, test } from '@jest/globals';
import { holderText, LockHeldError, lockState } from '../../../src/vic/maintenance/lock.js';
import { parseVmx } from '../../../src/vic/maintenance/ovf-env.js';
import { MaintenanceError, MaintenanceTimeoutError, uniqueName } from '../../../src/vic/maintenance/runner.js';
import { ROLLBACK_POINT } from '../../../src/vic/maintenance/snapshot.js';

describe('lock', () => {
  test('held only when UpdateInProgress is true (any case); the holder only while held', () => {
    expect(lockState({})).toEqual({ held: false });
    expect(lockState({ UpdateInProgress: 'false', UpdateInProgressInfo: 'stale text' })).toEqual({ held: false });
    expect(lockState({ UpdateInProgress: 'True' })).toEqual({ held: true });
    expect(lockState({ UpdateInProgress: 'true', UpdateInProgressInfo: '<nil>' })).toEqual({ held: true });
    expect(lockState({ UpdateInProgress: 'true', UpdateInProgressInfo: 'upgrade by a from b (pid 1) since x' })).toEqual({ held: true, info: 'upgrade by a from b (pid 1) since x' });
  });

  test('the holder says what, who, from where, which process and since when (UTC, to the second)', () => {
    expect(holderText('upgrade', 'admin@vsphere.local', 'jumphost', new Date(Date.UTC(2026, 10, 23, 2, 55, 0, 123))))
      .toBe(`upgrade by admin@vsphere.local from jumphost (pid ${process.pid}) since 2026-11-23T02:55:00Z`);
  });

  test('the refusal names the holder and the way out, as a conflict', () => {
    const e = new LockHeldError('upgrade', { held: true, info: 'configure by ops from h (pid 7) since 2026-11-23T01:00:00Z' });
    expect(e.message).toBe('upgrade failed: another upgrade/configure operation is in progress (configure by ops from h (pid 7) since 2026-11-23T01:00:00Z)');
    expect(e.hint).toContain('--reset-progress');
    expect(e.cliErrorType).toBe('conflict');
    expect(new LockHeldError('configure', { held: true }).message).toBe('configure failed: another upgrade/configure operation is in progress');
  });
});

describe('snapshot names', () => {
  test('1.5\'s name when free, else the first free numbered one; all are rollback points', () => {
    expect(uniqueName('upgrade for 2', ['reconfigure for 2', 'mine'])).toBe('upgrade for 2');
    expect(uniqueName('upgrade for 2', ['upgrade for 2'])).toBe('upgrade for 2 (2)');
    expect(uniqueName('upgrade for 2', ['upgrade for 2', 'upgrade for 2 (2)', 'upgrade for 2 (4)'])).toBe('upgrade for 2 (3)');
    for (const n of ['upgrade for 2', 'upgrade for 2 (3)', 'reconfigure for 1']) expect(ROLLBACK_POINT.test(n)).toBe(true);
    expect(ROLLBACK_POINT.test('before patching')).toBe(false);
  });
});

describe('failure reports', () => {
  test('say the step, the cause and whether the VCH was reverted; typed for the exit code', () => {
    const timeout = new MaintenanceTimeoutError('upgrade', 30_000, 'waiting for the appliance');
    const e = new MaintenanceError('upgrade', 'waiting for the appliance', timeout, true);
    expect(e.message).toMatch(/^upgrade failed while waiting for the appliance: Upgrading VCH exceeded time limit of 30s while waiting for the appliance\./);
    expect(e.message).toContain('The VCH was reverted to its state before the upgrade.');
    expect(e.cliErrorType).toBe('timeout');
    const notReverted = new MaintenanceError('configure', 'powering on the appliance', new Error('no room'), false, new Error('revert task failed'));
    expect(notReverted.message).toContain('The revert failed too (revert task failed)');
    expect(notReverted.message).toContain('configure --rollback');
    expect(notReverted.cliErrorType).toBe('internal');
    expect(new MaintenanceError('upgrade', 's', Object.assign(new Error('interrupted'), { name: 'CliError' }), true).cliErrorType).toBe('interrupted');
  });
});

describe('parseVmx', () => {
  test('reads key = "value" lines, keys case-insensitively, |XX escapes decoded', () => {
    const vmx = [
      '.encoding = "UTF-8"',
      'guestinfo.ovfEnv = "c2VjcmV0LWtleQ=="',
      'displayName = "vch |22one|22 |7C two"',
      'not a pair',
      '  ethernet0.present="TRUE"  ',
    ].join('\r\n');
    const p = parseVmx(vmx);
    expect(p['guestinfo.ovfenv']).toBe('c2VjcmV0LWtleQ==');
    expect(p['displayname']).toBe('vch "one" | two');
    expect(p['ethernet0.present']).toBe('TRUE');
    expect(Object.keys(p)).toHaveLength(4);
  });
});
