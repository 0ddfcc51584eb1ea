// The reliability sweep for `vic-machine configure` (test/support/maintenance-sweep.ts): a clean configure that
// changes four things at once (a DNS server, an HTTP proxy, the pool's memory limit, a new volume store) learns every
// SOAP method and datastore transfer it makes and how often; then, for each call point, a fresh simulator gets a VCH
// made by our create, ONE fault at that point, and configure runs. It must end either in success (every change made,
// one rollback point, the lock released) or in a non-zero exit with one message and no stack trace AND the VCH
// exactly as before: its configuration, its pool's memory limit, no new volume-store folder, no snapshot, powered on,
// the lock released; no session left either way.
//
// CI runs every write point and the first, middle and last of each read; the full sweep for the docs table:
// CONFIGURE_FAULT_SWEEP=full npm test -- test/integration/configure-faults.test.ts
import { afterAll, beforeAll, expect } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeTestIso } from '../support/iso-fixture.js';
import { describeSweep, runSweepCase } from '../support/maintenance-sweep.js';
import { retrieveOne } from '../../src/vim/property-collector.js';
import { decodeVchConfig, ipString } from '../../src/vic/config/index.js';

const NAME = 'vchc';
const API_TIMEOUT_MS = 1000;
let isoDir: string;
let ipSeq = 10;

beforeAll(async () => {
  isoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vicm-cfgfaults-iso-'));
  for (const kind of ['appliance', 'bootstrap']) await writeTestIso(path.join(isoDir, `${kind}.iso`), { publisher: 'VMware Inc. v1.5.8-1-9489f63' });
});
afterAll(() => {
  fs.rmSync(isoDir, { recursive: true, force: true });
});

describeSweep({
  command: 'configure',
  writes: new Set(['CreateSnapshot_Task', 'RemoveSnapshot_Task', 'RevertToSnapshot_Task', 'PowerOffVM_Task', 'PowerOnVM_Task',
    'ReconfigVM_Task', 'UpdateConfig', 'MakeDirectory', 'DeleteDatastoreFile_Task', 'http:PUT']),
  extraCases: [
    { method: 'PowerOnVM_Task', nth: 1, kind: 'taskfault', fault: 'InsufficientResourcesFault' },
    { method: 'ReconfigVM_Task', nth: 1, kind: 'drop-after' }, // the lock written, its answer lost
    { method: 'ReconfigVM_Task', nth: 2, kind: 'drop-after' }, // the configuration written, its answer lost
    { method: 'UpdateConfig', nth: 1, kind: 'drop-after' },
    { method: 'MakeDirectory', nth: 1, kind: 'drop-after' }, // the folder made, its answer lost
    { method: 'CreateSnapshot_Task', nth: 1, kind: 'taskhang', delayMs: 2 * API_TIMEOUT_MS },
    { method: 'PowerOffVM_Task', nth: 1, kind: 'slow', delayMs: 2 * API_TIMEOUT_MS },
  ],
  clean: (calls) => {
    expect(calls['CreateSnapshot_Task']).toBe(1);
    expect(calls['UpdateConfig']).toBe(1);
  },
  run: (c) => runSweepCase<number>({
    name: NAME, ip: `127.0.3.${ipSeq++}`, apiTimeoutMs: API_TIMEOUT_MS, command: 'configure',
    isos: { appliance: path.join(isoDir, 'appliance.iso'), bootstrap: path.join(isoDir, 'bootstrap.iso') },
    args: ['--dns-server', '10.9.8.7', '--http-proxy', 'http://proxy.example.com:3128', '--memory', '2048', '--volume-store', 'LocalDS_0/vols2:extra', '--timeout', '20s'],
    // the pool's memory limit: a VM snapshot does not cover it
    capture: async (admin, vm) => (await retrieveOne<{ 'config.memoryAllocation': { limit: number } }>(admin, vm.pool!, ['config.memoryAllocation']))['config.memoryAllocation'].limit,
    succeeded: ({ sim, after }, limit) => {
      const conf = decodeVchConfig(after.ec);
      return [
        ...(!conf.executorConfig.networks['public']?.network.nameservers.map(ipString).includes('10.9.8.7') ? ['exit 0 without the DNS server'] : []),
        ...(!conf.executorConfig.sessions['docker-personality']!.cmd.env.includes('HTTP_PROXY=http://proxy.example.com:3128') ? ['exit 0 without the proxy'] : []),
        ...(!('extra' in conf.storage.volumeLocations) || !fs.existsSync(path.join(sim.datastores['LocalDS_0']!, 'vols2')) ? ['exit 0 without the volume store'] : []),
        ...(limit.after !== 2048 ? [`exit 0 with the memory limit at ${limit.after}`] : []),
        ...(after.snapshots.length !== 1 || !/^reconfigure for /.test(after.snapshots[0]!) ? [`snapshots ${JSON.stringify(after.snapshots)} (one rollback point expected)`] : []),
      ];
    },
    unchanged: (_ctx, limit) => (limit.after !== limit.before ? [`pool memory limit ${limit.after}, was ${limit.before}`] : []),
  }, c),
});
