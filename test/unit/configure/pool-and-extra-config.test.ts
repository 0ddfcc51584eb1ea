// configure's pool settings and the extraConfig it writes.
import { describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import { decodeVchConfigDetailed, decodeVchConfig } from '../../../src/vic/config/index.js';
import { planConfigure } from '../../../src/vic/configure/changes.js';
import { extraConfigUpdate } from '../../../src/vic/configure/extra-config.js';
import { allocationOf, poolChange } from '../../../src/vic/configure/pool-settings.js';

// fixture "rich": --cpu 10000 --cpu-reservation 512 --cpu-shares high --memory 8000 --memory-reservation 512 --memory-shares 6000
const rich = {
  cpu: allocationOf({ reservation: 512, expandableReservation: true, limit: 10000, shares: { shares: 8000, level: 'high' } }),
  memory: allocationOf({ reservation: 512, expandableReservation: true, limit: 8000, shares: { shares: 6000, level: 'custom' } }),
};

describe('pool settings', () => {
  test('nothing given, or the same values: no UpdateConfig at all', () => {
    expect(poolChange(rich, {})).toBeUndefined();
    expect(poolChange(rich, { cpuLimitMHz: 10000, memoryShares: { level: 'custom', shares: 6000 }, cpuShares: { level: 'high' } })).toBeUndefined();
  });

  test('the given fields replaced, the others kept: a full spec as vSphere wants it', () => {
    const c = poolChange(rich, { memoryLimitMB: 4096, cpuShares: { level: 'low' } })!;
    expect(c.spec).toEqual({
      cpuAllocation: { reservation: 512, expandableReservation: true, limit: 10000, shares: { shares: 0, level: 'low' } },
      memoryAllocation: { reservation: 512, expandableReservation: true, limit: 4096, shares: { shares: 6000, level: 'custom' } },
    });
    expect(c.changes).toEqual(['cpu shares: high → low', 'memory limit: 8000 MB → 4096 MB']);
  });

  test('a limit <= 0 means unlimited (-1); reservations never below 0', () => {
    const c = poolChange(rich, { cpuLimitMHz: 0, memoryReservationMB: -5 })!;
    expect(c.spec.cpuAllocation.limit).toBe(-1);
    expect(c.spec.memoryAllocation.reservation).toBe(0);
    expect(c.changes).toEqual(['cpu limit: 10000 MHz → unlimited', 'memory reservation: 512 MB → 0 MB']);
  });

  test('allocationOf fills vSphere\'s defaults for a pool that reports nothing', () => {
    expect(allocationOf(undefined)).toEqual({ reservation: 0, expandableReservation: true, limit: -1, shares: { shares: 0, level: 'normal' } });
  });
});

const FIXTURE = '/work/shared/fixtures/vic-machine-1.5.8/rich/extraconfig.running.json';
(fs.existsSync(FIXTURE) ? describe : describe.skip)('the extraConfig a configure writes', () => {
  const current = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as Record<string, string>;
  const decoded = decodeVchConfigDetailed(current);

  test('only what changed, under a new secret key; other entries untouched; applied, it decodes to the new configuration', () => {
    const plan = planConfigure(decoded.config, { httpProxy: '', storageQuotaGB: 7 }, { networkName: () => undefined });
    const u = extraConfigUpdate(current, decoded, plan.config);
    const keys = Object.keys(u.entries).sort();
    // the key and every sealed value change; besides them only the proxy variables and the quota
    const plain = keys.filter((k) => k !== 'guestinfo.ovfEnv' && !k.endsWith('@secret'));
    expect(plain).toEqual([
      'guestinfo.vice./init/sessions|docker-personality/cmd/Env', 'guestinfo.vice./init/sessions|docker-personality/cmd/Env~',
      'guestinfo.vice./init/sessions|vicadmin/cmd/Env', 'guestinfo.vice./init/sessions|vicadmin/cmd/Env~',
      'guestinfo.vice./storage/storage_quota',
    ]);
    expect(u.entries['guestinfo.ovfEnv']).not.toBe(current['guestinfo.ovfEnv']);
    const applied: Record<string, string> = { ...current };
    for (const [k, v] of Object.entries(u.entries)) { if (v === '') delete applied[k]; else applied[k] = v; }
    const after = decodeVchConfig(applied);
    expect(after.storage.storageQuota).toBe(7 * 2 ** 30);
    expect(after.connection.token).toBe(decoded.config.connection.token); // secrets survive the new key
    expect(after.executorConfig.sessions['docker-personality']!.cmd.env).toEqual(['PATH=/sbin', 'GOTRACEBACK=all', 'NO_PROXY=localhost,.example.com']);
    expect(u.encoded).toMatchObject(Object.fromEntries(Object.entries(applied).filter(([k]) => k in u.encoded)));
  });

  test('a configuration key the new configuration lacks is blanked; a non-configuration key is never touched', () => {
    const withExtra = { ...current, UpdateInProgress: 'true', 'answer.msg.serial.file.open': 'Append' };
    const d = decodeVchConfigDetailed(withExtra);
    const plan = planConfigure(d.config, { syslogAddress: '' }, { networkName: () => undefined });
    const u = extraConfigUpdate(withExtra, d, plan.config);
    expect(u.entries['guestinfo.vice./init/diagnostics/syslog/Network']).toBe('');
    expect(u.entries['guestinfo.vice./init/diagnostics/syslog/RAddr']).toBe('');
    expect('UpdateInProgress' in u.entries).toBe(false);
    expect('answer.msg.serial.file.open' in u.entries).toBe(false);
  });
});
