// create's ops user (--ops-user/--ops-password/--ops-grant-perms) and DRS VM group (--affinity-vm-group), through the
// real command against the simulator: the roles and permissions vic-machine 1.5 gives the ops user, the VM group
// holding the appliance, the input rules, and a failed create that takes all of it back.
import { describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simulatorSuite } from '../support/simulator-suite.js';
import { startVcsim, type Vcsim } from '../support/vcsim.js';
import { runVicMachine } from '../support/cli-process.js';
import { playAppliance } from '../support/appliance-player.js';
import { Session } from '../../src/vim/session.js';
import { retrieveFromView, retrieveOne } from '../../src/vim/property-collector.js';
import type { MoRef } from '../../src/vim/types.js';
import { OPS_ROLES } from '../../src/vic/appliance/ops-permissions.js';


let sim: Vcsim;
let admin: Session;
let cwd: string;

simulatorSuite({ vcsim: { firewallOpen: true }, tmpPrefix: 'vicm-ops-', isos: true }, (s) => ({ sim, admin, cwd } = s));

const run = (args: string[]) => runVicMachine(cwd, args);

const target = () => ['--target', `${sim.host}/DC0`, '--user', 'user', '--password', 'pass', '--thumbprint', sim.thumbprintSHA1];
const am = () => admin.content['authorizationManager'] as MoRef;

async function roles(): Promise<{ roleId: number; name: string; privilege?: string[] }[]> {
  return (await retrieveOne<{ roleList: { roleId: number; name: string; privilege?: string[] }[] }>(admin, am(), ['roleList'])).roleList;
}
async function permissionsOf(user: string): Promise<{ entity: MoRef; roleId: number; propagate: boolean }[]> {
  const all = (await admin.call<{ entity: MoRef; principal: string; roleId: number; propagate: boolean }[] | undefined>('RetrieveAllPermissions', { _this: am() })) ?? [];
  return all.filter((p) => p.principal === user);
}
async function clusterGroups(): Promise<{ name: string; vm?: MoRef[] }[]> {
  const [c] = await retrieveFromView(admin, admin.content.rootFolder, ['ClusterComputeResource'], ['configurationEx']);
  return ((c!.props['configurationEx'] as { group?: { name: string; vm?: MoRef[] }[] }).group) ?? [];
}

describe('create --ops-user --ops-grant-perms --affinity-vm-group', () => {
  test('input rules: --ops-password or --ops-grant-perms without --ops-user, --ops-user without a password and no terminal', async () => {
    await sim.resetStats();
    const a = await run(['create', ...target(), '--name', 'x1', '--no-tlsverify', '--ops-password', 'secret']);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('Password for operations user specified without operations username');
    const b = await run(['create', ...target(), '--name', 'x1', '--no-tlsverify', '--ops-grant-perms']);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('Invalid use of flag: --ops-grant-perms');
    const c = await run(['create', ...target(), '--name', 'x1', '--no-tlsverify', '--ops-user', 'ops']);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('--ops-password');
    // all three before any request to vSphere beyond the admin's own login
    expect((await sim.stats()).soap['CreateResourcePool'] ?? 0).toBe(0);
  });

  test('a failure before power-on removes the roles, permissions and VM group this run created', async () => {
    const rolesBefore = (await roles()).map((r) => r.name).sort();
    await sim.injectFaults({ method: 'PowerOnMultiVM_Task', kind: 'taskfault', fault: 'InsufficientResourcesFault', message: 'no room' });
    try {
      const r = await run(['create', ...target(), '--compute-resource', 'DC0_C0', '--name', 'vch-ops-fail', '--image-store', 'LocalDS_0',
        '--bridge-network', 'DC0_DVPG0', '--no-tlsverify', '--ops-user', 'opsfail', '--ops-password', 'pw', '--ops-grant-perms',
        '--affinity-vm-group', '--timeout', '10s']);
      if (r.code !== 1) console.log(r.stderr);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/removed permission vic-vch-endpoint for opsfail/);
      expect(r.stderr).toContain('removed DRS VM group "vch-ops-fail"');
    } finally {
      await sim.clearFaults();
    }
    expect((await roles()).map((r) => r.name).sort()).toEqual(rolesBefore);
    expect(await permissionsOf('opsfail')).toEqual([]);
    expect((await clusterGroups()).map((g) => g.name)).not.toContain('vch-ops-fail');
  });

  test('grants the ops user its roles on each object, puts the appliance in a VM group, and records ADD', async () => {
    const stop = new AbortController();
    const appliance = playAppliance(admin, 'vch-ops', '127.0.0.71', { requireClientCert: false, timeoutMs: 110_000, signal: stop.signal });
    appliance.catch(() => undefined);
    await sim.resetStats();
    const r = await run(['create', ...target(), '--compute-resource', 'DC0_C0', '--name', 'vch-ops', '--image-store', 'LocalDS_0',
      '--bridge-network', 'DC0_DVPG0', '--container-network', 'DC0_DVPG1:routable', '--no-tlsverify',
      '--ops-user', 'opsuser', '--ops-password', 'opspass', '--ops-grant-perms', '--affinity-vm-group', '--timeout', '30s']);
    stop.abort('create ended');
    const standIn = await appliance.catch(() => undefined);
    try {
      if (r.code !== 0) console.log(r.stderr);
      expect(r.code).toBe(0);
      expect(r.stderr).not.toContain('opspass');
      // read once, by validation (is the ops user an administrator?); the grant reuses that answer
      expect((await sim.stats()).soap['RetrieveAllPermissions']).toBe(1);
      const byName = new Map((await roles()).map((x) => [x.name, x]));
      for (const [short, privileges] of Object.entries(OPS_ROLES)) {
        expect(byName.get(`vic-vch-${short}`)?.privilege?.filter((p) => !p.startsWith('System.')).sort()).toEqual([...privileges].sort());
      }
      const roleName = new Map([...byName.values()].map((x) => [x.roleId, x.name]));
      const perms = await permissionsOf('opsuser');
      const on = (type: string) => perms.filter((p) => p.entity.type === type).map((p) => `${roleName.get(p.roleId)} ${p.propagate}`);
      expect(on('Folder')).toEqual(['vic-vch-vcenter false']);
      expect(on('Datacenter')).toEqual(['vic-vch-datacenter true']);
      expect(on('ClusterComputeResource')).toEqual(['vic-vch-cluster true']); // --affinity-vm-group: it edits VM groups
      expect(on('Datastore')).toEqual(['vic-vch-datastore false']);
      expect(on('DistributedVirtualPortgroup')).toEqual(['vic-vch-network true']);
      expect(on('ResourcePool')).toEqual(['vic-vch-endpoint true']);
      const id = /^VCH ID: (vm-\d+)$/m.exec(r.stdout)![1];
      expect((await clusterGroups()).find((g) => g.name === 'vch-ops')?.vm?.map((v) => v.value)).toEqual([id]);
      const vms = await retrieveFromView(admin, admin.content.rootFolder, ['VirtualMachine'], ['name', 'config.extraConfig']);
      const ec = (vms.find((v) => v.props['name'] === 'vch-ops')!.props['config.extraConfig'] as { key: string; value: string }[]);
      expect(ec.find((o) => o.key === 'guestinfo.vice./grant_permissions')?.value).toBe('ADD');
      expect(ec.find((o) => o.key === 'guestinfo.vice./connect/username')?.value).toBe('opsuser');
      // delete removes the VM group too
      const d = await run(['delete', ...target(), '--compute-resource', 'DC0_C0', '--name', 'vch-ops', '--force']);
      if (d.code !== 0) console.log(d.stderr);
      expect(d.code).toBe(0);
      expect(d.stderr).toContain('Removing DRS VM group "vch-ops"');
      expect((await clusterGroups()).map((g) => g.name)).not.toContain('vch-ops');
    } finally {
      await standIn?.stop();
    }
  });

  test('--dry-run lists the grant and the VM group, and makes neither', async () => {
    const rolesBefore = (await roles()).length;
    const r = await run(['create', ...target(), '--compute-resource', 'DC0_C0', '--name', 'vch-ops-dry', '--bridge-network', 'DC0_DVPG0',
      '--no-tlsverify', '--ops-user', 'opsdry', '--ops-password', 'pw', '--ops-grant-perms', '--affinity-vm-group', '--dry-run', '--json']);
    expect(r.code).toBe(0);
    const planned = (JSON.parse(r.stdout) as { actions: { object: string; action: string; target: string }[] }).actions.map((a) => `${a.action} ${a.object} ${a.target}`);
    expect(planned).toEqual(expect.arrayContaining(['grant roles and permissions opsdry', 'create DRS VM group vch-ops-dry']));
    expect((await roles()).length).toBe(rolesBefore);
    expect(await permissionsOf('opsdry')).toEqual([]);
    expect((await clusterGroups()).map((g) => g.name)).not.toContain('vch-ops-dry');
  });

  test('a wrong ops password is a validation problem of --ops-user, reported before anything is created', async () => {
    const s = await startVcsim({ firewallOpen: true, username: 'user', password: 'pass' });
    try {
      const r = await run(['create', '--target', `${s.host}/DC0`, '--user', 'user', '--password', 'pass', '--thumbprint', s.thumbprintSHA1,
        '--compute-resource', 'DC0_C0', '--name', 'vch-badops', '--bridge-network', 'DC0_DVPG0', '--no-tlsverify',
        '--ops-user', 'opsuser', '--ops-password', 'Wr0ngPassw0rd']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('Failed to validate operations credentials for opsuser');
      expect(r.stderr).not.toContain('Wr0ngPassw0rd');
      expect((await s.stats()).soap['CreateResourcePool'] ?? 0).toBe(0);
    } finally {
      await s.stop();
    }
  });
});
