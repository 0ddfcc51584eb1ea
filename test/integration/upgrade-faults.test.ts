// The reliability sweep for `vic-machine upgrade` (test/support/maintenance-sweep.ts): a clean upgrade (v1.5.8 build
// 1 → build 2) learns every SOAP method and datastore transfer it makes and how often; then, for each call point, a
// fresh simulator gets a VCH made by our create, ONE fault at that point, and upgrade runs. It must end either in
// success (the new version and CD-ROM, one rollback point, the lock released) or in a non-zero exit with one message
// and no stack trace AND the VCH exactly at its old version: its configuration and CD-ROM as before, no snapshot and no
// uploaded ISO left, powered on, the lock released; no session left either way.
//
// CI runs every write point and the first, middle and last of each read; the full sweep for the docs table:
// UPGRADE_FAULT_SWEEP=full npm test -- test/integration/upgrade-faults.test.ts
import { afterAll, beforeAll, expect } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeTestIso } from '../support/iso-fixture.js';
import { describeSweep, runSweepCase } from '../support/maintenance-sweep.js';

const NAME = 'vchu';
const API_TIMEOUT_MS = 1000;
let isoDir: string;
let ipSeq = 10;

beforeAll(async () => {
  isoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vicm-upfaults-iso-'));
  for (const kind of ['appliance', 'bootstrap']) {
    await writeTestIso(path.join(isoDir, 'old', `${kind}.iso`), { publisher: 'VMware Inc. v1.5.8-1-9489f63' });
    await writeTestIso(path.join(isoDir, 'new', `${kind}.iso`), { publisher: 'VMware Inc. v1.5.8-2-abcdef1' });
  }
});
afterAll(() => {
  fs.rmSync(isoDir, { recursive: true, force: true });
});

describeSweep({
  command: 'upgrade',
  writes: new Set(['CreateSnapshot_Task', 'RemoveSnapshot_Task', 'RevertToSnapshot_Task', 'PowerOffVM_Task', 'PowerOnVM_Task',
    'ReconfigVM_Task', 'DeleteDatastoreFile_Task', 'http:PUT']),
  extraCases: [
    { method: 'PowerOnVM_Task', nth: 1, kind: 'taskfault', fault: 'InsufficientResourcesFault' },
    { method: 'CreateSnapshot_Task', nth: 1, kind: 'taskfault', fault: 'InvalidState' },
    { method: 'ReconfigVM_Task', nth: 1, kind: 'drop-after' }, // the lock written, its answer lost
    { method: 'ReconfigVM_Task', nth: 2, kind: 'drop-after' }, // the configuration written, its answer lost
    { method: 'http:PUT', nth: 1, kind: 'drop' },
    { method: 'CreateSnapshot_Task', nth: 1, kind: 'taskhang', delayMs: 2 * API_TIMEOUT_MS },
    { method: 'PowerOffVM_Task', nth: 1, kind: 'slow', delayMs: 2 * API_TIMEOUT_MS },
  ],
  clean: (calls) => expect(calls['CreateSnapshot_Task']).toBe(1),
  run: (c) => runSweepCase({
    name: NAME, ip: `127.0.2.${ipSeq++}`, apiTimeoutMs: API_TIMEOUT_MS, command: 'upgrade',
    isos: { appliance: path.join(isoDir, 'old', 'appliance.iso'), bootstrap: path.join(isoDir, 'old', 'bootstrap.iso') },
    args: ['--appliance-iso', path.join(isoDir, 'new', 'appliance.iso'), '--bootstrap-iso', path.join(isoDir, 'new', 'bootstrap.iso'), '--timeout', '20s'],
    succeeded: ({ after }) => [
      ...(after.ec['guestinfo.vice./init/version/BuildNumber'] !== '2' ? [`exit 0 at build ${after.ec['guestinfo.vice./init/version/BuildNumber']}`] : []),
      ...(after.snapshots.join() !== 'upgrade for 2' ? [`snapshots ${JSON.stringify(after.snapshots)} (one rollback point expected)`] : []),
      ...(after.cdrom !== `[LocalDS_0] ${NAME}/v1.5.8-2-abcdef1-appliance.iso` ? [`CD-ROM ${after.cdrom}`] : []),
    ],
    unchanged: ({ after }) => (after.ec['guestinfo.vice./init/version/BuildNumber'] !== '1' ? [`at build ${after.ec['guestinfo.vice./init/version/BuildNumber']}`] : []),
  }, c),
});
