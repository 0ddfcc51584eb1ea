import { describe, expect, test } from '@jest/globals';
import { createVmSpec, planNics } from '../../../src/vic/create/appliance-spec.js';
import { applianceState, decodeIp } from '../../../src/vic/appliance/wait-ready.js';
import { resourceConfigSpec } from '../../../src/vic/create/provision.js';
import { RollbackJournal } from '../../../src/vic/create/rollback.js';

const vmNet = { ref: { type: 'Network', value: 'network-7' }, name: 'VM Network' };
const dvpg = { ref: { type: 'DistributedVirtualPortgroup', value: 'dvportgroup-13' }, name: 'DC0_DVPG0', dvs: { portgroupKey: 'dvportgroup-13', switchUuid: 'fe a9' } };

describe('NICs', () => {
  test('one NIC per distinct port group, slots 1184 + 32n in role order public, client, management, bridge (as the fixture)', () => {
    const nics = planNics({ bridge: dvpg, public: vmNet, client: vmNet, management: vmNet });
    expect(nics.map((n) => [n.portGroup.name, n.pciSlot, n.roles])).toEqual([
      ['VM Network', 1184, ['public', 'client', 'management']],
      ['DC0_DVPG0', 1216, ['bridge']],
    ]);
  });

  test('the VM spec carries pvscsi, the NICs with their slots and backings, and the serial port to tether.debug', () => {
    const spec = createVmSpec({
      name: 'vch1', datastoreName: 'LocalDS_0', folderName: 'vch1', cpus: 1, memoryMB: 2048,
      nics: planNics({ bridge: dvpg, public: vmNet }), extraConfig: { a: 'b' }, alternateGuestName: 'Photon - VCH v1.5.8, 1, 9489f63',
    }) as { deviceChange: { device: Record<string, unknown> }[]; extraConfig: { key: string }[]; guestId: string };
    const types = spec.deviceChange.map((d) => d.device['_type']);
    expect(types).toEqual(['ParaVirtualSCSIController', 'VirtualVmxnet3', 'VirtualVmxnet3', 'VirtualSerialPort']);
    expect(spec.deviceChange[2]!.device['backing']).toEqual({
      _type: 'VirtualEthernetCardDistributedVirtualPortBackingInfo', port: { switchUuid: 'fe a9', portgroupKey: 'dvportgroup-13' },
    });
    expect((spec.deviceChange[3]!.device['backing'] as { fileName: string }).fileName).toBe('[LocalDS_0] vch1/tether.debug');
    expect(spec.extraConfig.map((o) => o.key)).toEqual(['a', 'answer.msg.serial.file.open']);
    expect(spec.guestId).toBe('otherGuest64');
  });
});

test('resource pool allocation: unlimited as -1, shares by level or count, every field set', () => {
  expect(resourceConfigSpec({ limit: 0 }, { limit: 1024, reservation: 512, shares: 163840 })).toEqual({
    cpuAllocation: { reservation: 0, expandableReservation: true, limit: -1, shares: { shares: 0, level: 'normal' } },
    memoryAllocation: { reservation: 512, expandableReservation: true, limit: 1024, shares: { shares: 163840, level: 'custom' } },
  });
});

test('appliance IPs are decoded from VIC\'s base64 16-byte form; state names waiting components', () => {
  expect(decodeIp('AAAAAAAAAAAAAP//fwAAAQ==')).toBe('127.0.0.1');
  expect(decodeIp('<nil>')).toBeUndefined();
  const s = applianceState({
    'guestinfo.vice..init.networks|client.assigned.IP': 'AAAAAAAAAAAAAP//CgAAAg==',
    'guestinfo.vice..init.sessions|vicadmin.started': 'true',
    'guestinfo.vice..init.sessions|port-layer.started': 'exit status 1',
  });
  expect(s.ips).toEqual({ client: '10.0.0.2' });
  expect(s.components).toEqual({ vicadmin: 'started successfully', 'docker-personality': 'waiting to launch', 'port-layer': 'exit status 1' });
});

test('rollback undoes newest first and carries on past a failing step', async () => {
  const j = new RollbackJournal();
  const order: string[] = [];
  j.record('pool', async () => { order.push('pool'); });
  j.record('folder', async () => { throw new Error('busy'); });
  j.record('vm', async () => { order.push('vm'); });
  const r = await j.rollback();
  expect(order).toEqual(['vm', 'pool']);
  expect(r.removed).toEqual(['vm', 'pool']);
  expect(r.failed).toEqual([{ what: 'folder', error: 'busy' }]);
});
