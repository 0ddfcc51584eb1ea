// The human form of `create --dry-run`: one numbered line per action, the object named once.
import { expect, test } from '@jest/globals';
import { formatDryRun, type CreateDryRun } from '../../../src/vic/create/dry-run.js';

test('each action reads as one phrase: "upload [ds] path", "power on vch1", "create resource pool ..."', () => {
  const d: Omit<CreateDryRun, 'made'> = {
    dryRun: true, name: 'vch1', topology: 'vcenter-drs', datacenter: '/DC0', computeResource: '/DC0/host/C0/Resources', tls: 'tls',
    actions: [
      { object: 'resource pool', action: 'create', target: '/DC0/host/C0/Resources/vch1', details: 'memory limit 4096 MB' },
      { object: 'upload', action: 'upload', target: '[ds1] vch1/appliance.iso' },
      { object: 'power on', action: 'power on', target: 'vch1' },
    ],
    nics: [{ portGroup: 'VM Network', roles: ['public', 'client', 'management'], pciSlot: 1184 }],
    warnings: [], notes: [],
  };
  expect(formatDryRun(d).slice(3, 6)).toEqual([
    '   1. create resource pool /DC0/host/C0/Resources/vch1 (memory limit 4096 MB)',
    '   2. upload [ds1] vch1/appliance.iso',
    '   3. power on vch1',
  ]);
});
