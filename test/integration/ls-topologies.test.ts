// ls finds VCHs wherever vic-machine versions put them: in a resource pool of their own, in a vApp (VIC before 1.2),
// and directly in a cluster's root pool (DRS off); each once, and each can be inspected by name and by id.
import { describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simulatorSuite } from '../support/simulator-suite.js';
import type { Vcsim } from '../support/vcsim.js';
import { dc0, FIXTURES, haveFixtures } from '../support/fixture-vch.js';
import { runCli } from '../support/in-process-cli.js';
import { CreateChildVM_Task, CreateResourcePool, CreateVApp, CreateVM_Task, PowerOnVM_Task, ReconfigVM_Task } from '../../src/vim/methods.generated.js';
import { Session } from '../../src/vim/session.js';
import { runTask } from '../../src/vim/task.js';
import type { MoRef } from '../../src/vim/types.js';

let sim: Vcsim;
let admin: Session;
let cwd: string;

simulatorSuite({ tmpPrefix: 'vicm-topo-', isos: true }, (s) => ({ sim, admin, cwd } = s));

const vicMachine = (args: string[]) => runCli(args, cwd, { VIC_MACHINE_LOG_FILE: '-' });

const target = () => ['--target', `${sim.host}/DC0`, '--user', 'user', '--password', 'pass', '--thumbprint', sim.thumbprintSHA1];

/** A VM carrying a 1.5.8 VCH's configuration, its id its own moref, in `pool` (a pool, a vApp or a root pool). */
async function vchVm(name: string, pool: MoRef, folder: MoRef | undefined, host: MoRef): Promise<MoRef> {
  const ec = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'basic', 'extraconfig.running.json'), 'utf8')) as Record<string, string>;
  const config = { name, guestId: 'otherGuest64', files: { vmPathName: '[LocalDS_0]' }, numCPUs: 1, memoryMB: 512,
    extraConfig: Object.entries({ ...ec, 'guestinfo.vice./init/common/id': 'CreatingVCH', 'guestinfo.vice./init/common/name': name }).map(([key, value]) => ({ key, value })) };
  const vm = pool.type === 'VirtualApp'
    ? await runTask(admin, CreateChildVM_Task, { _this: pool, config, host })
    : await runTask(admin, CreateVM_Task, { _this: folder!, config, pool, host });
  await runTask(admin, ReconfigVM_Task, { _this: vm, spec: { extraConfig: [{ key: 'guestinfo.vice./init/common/id', value: `VirtualMachine:${vm.value}` }] } });
  await runTask(admin, PowerOnVM_Task, { _this: vm });
  return vm;
}

(haveFixtures ? describe : describe.skip)('ls across topologies', () => {
  test('a VCH in its own pool, one in a vApp, one in the cluster\'s root pool: each listed once, each inspectable', async () => {
    const dc = await dc0(admin);
    const pool = await CreateResourcePool(admin, { _this: dc.clusterPool, name: 'vch-pool', spec: {
      cpuAllocation: { reservation: 0, expandableReservation: true, limit: -1, shares: { shares: 4000, level: 'normal' } },
      memoryAllocation: { reservation: 0, expandableReservation: true, limit: -1, shares: { shares: 163840, level: 'normal' } },
    } });
    const app = await CreateVApp(admin, {
      _this: dc.clusterPool, name: 'vch-app',
      resSpec: {
        cpuAllocation: { reservation: 0, expandableReservation: true, limit: -1, shares: { shares: 4000, level: 'normal' } },
        memoryAllocation: { reservation: 0, expandableReservation: true, limit: -1, shares: { shares: 163840, level: 'normal' } },
      },
      configSpec: {}, vmFolder: dc.vmFolder,
    });
    const ids = {
      'vch-pool': (await vchVm('vch-pool', pool, dc.vmFolder, dc.host)).value,
      'vch-app': (await vchVm('vch-app', app, undefined, dc.host)).value,
      'vch-root': (await vchVm('vch-root', dc.clusterPool, dc.vmFolder, dc.host)).value,
    };
    const r = await vicMachine(['ls', ...target(), '--json']);
    expect(r.code).toBe(0);
    const vchs = (JSON.parse(r.stdout) as { vchs: { id: string; name: string; path: string }[] }).vchs;
    for (const [name, id] of Object.entries(ids)) {
      expect(vchs.filter((v) => v.id === id)).toEqual([expect.objectContaining({ name })]);
    }
    expect(vchs.find((v) => v.name === 'vch-root')!.path).toBe('/DC0/host/DC0_C0');
    expect(vchs.find((v) => v.name === 'vch-pool')!.path).toBe('/DC0/host/DC0_C0/Resources');
    for (const [name, id] of Object.entries(ids)) {
      const byId = await vicMachine(['inspect', ...target(), '--id', id, '--json']);
      expect(byId.code).toBe(0);
      expect((JSON.parse(byId.stdout) as { name: string }).name).toBe(name);
    }
  });
});
