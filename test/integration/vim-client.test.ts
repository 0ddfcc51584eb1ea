// The SOAP client against the simulator: trust, login, faults, finder, paging, tasks, extraConfig semantics,
// waiting for property changes, and datastore transfers.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startVcsim, type Vcsim } from '../support/vcsim.js';
import { CurrentTime, FindByInventoryPath, Logout, PowerOffVM_Task, PowerOnVM_Task, ReconfigVM_Task } from '../../src/vim/methods.generated.js';
import { Session } from '../../src/vim/session.js';
import { TlsTrustError, VimFault } from '../../src/vim/faults.js';
import { loadInventory } from '../../src/vim/inventory.js';
import { Finder, MultipleFoundError, NotFoundError } from '../../src/vim/finder.js';
import { retrieveFromView, retrieveOne, waitForProperties } from '../../src/vim/property-collector.js';
import { runTask } from '../../src/vim/task.js';
import { DatastoreFiles } from '../../src/vim/datastore-files.js';
import type { MoRef } from '../../src/vim/types.js';

let sim: Vcsim;
const connect = (o: { user?: string; password?: string; thumbprint?: string } = {}) => Session.connect({
  url: sim.url, user: o.user ?? 'admin', password: o.password ?? 's3cret!', trust: { thumbprint: o.thumbprint ?? sim.thumbprintSHA1 },
});

beforeAll(async () => {
  sim = await startVcsim({ username: 'admin', password: 's3cret!', model: { pool: 2, vm: 2 } });
});
afterAll(async () => {
  await sim?.stop();
});

describe('trust and login', () => {
  test('a pinned SHA-1 or SHA-256 thumbprint logs in; logout closes the session', async () => {
    const before = await sim.openSessions();
    for (const tp of [sim.thumbprintSHA1, sim.thumbprintSHA256, sim.thumbprintSHA1.replace(/:/g, '').toLowerCase()]) {
      const s = await connect({ thumbprint: tp });
      expect(s.isVC).toBe(true);
      expect(await sim.openSessions()).toBe(before + 1);
      await s.logout();
      expect(await sim.openSessions()).toBe(before);
    }
  });

  test('a wrong thumbprint fails before any request byte is sent, and shows the real thumbprints', async () => {
    await sim.resetStats();
    const wrong = 'AA:'.repeat(19) + 'AA';
    const err = await connect({ thumbprint: wrong }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TlsTrustError);
    const t = err as TlsTrustError;
    expect(t.reason).toBe('mismatch');
    expect(t.message).toContain(sim.thumbprintSHA1);
    expect(t.message).toContain(sim.thumbprintSHA256);
    expect(t.message).toMatch(/--thumbprint/);
    expect((await sim.stats()).total).toBe(0);
  });

  test('an untrusted certificate without a pin is refused with both thumbprints and the flag to pass', async () => {
    await sim.resetStats();
    const err = await Session.connect({ url: sim.url, user: 'admin', password: 's3cret!' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TlsTrustError);
    expect((err as TlsTrustError).reason).toBe('untrusted');
    expect((err as Error).message).toContain(`--thumbprint ${sim.thumbprintSHA1}`);
    expect((await sim.stats()).total).toBe(0);
  });

  test('a wrong password is an InvalidLogin fault and leaves no session', async () => {
    const before = await sim.openSessions();
    const err = await connect({ password: 'wrong' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VimFault);
    expect((err as VimFault).faultName).toBe('InvalidLogin');
    expect(await sim.openSessions()).toBe(before);
  });

  test('an expired session is logged in again once, transparently', async () => {
    const s = await connect();
    try {
      // End the session behind the client's back, as an idle timeout on vCenter would.
      await Logout(s.client, { _this: s.content.sessionManager! });
      const t = await CurrentTime(s, { _this: { type: 'ServiceInstance', value: 'ServiceInstance' } });
      expect(typeof t).toBe('string');
      expect(s.client.roundTrips.get('Login')).toBe(2);
    } finally {
      await s.logout();
    }
  });
});

describe('inventory', () => {
  let s: Session;
  beforeAll(async () => { s = await connect(); });
  afterAll(async () => { await s.logout(); });

  test('paths: absolute, relative to the datacenter folder, by name, by managed object id, with wildcards', async () => {
    const f = new Finder(await loadInventory(s));
    const dc = f.datacenter();
    expect(dc.path).toBe('/DC0');
    const cluster = f.findOne('compute', 'DC0_C0', dc);
    expect(cluster.ref.type).toBe('ClusterComputeResource');
    expect(f.findOne('compute', '/DC0/host/DC0_C0', dc).ref).toEqual(cluster.ref);
    expect(f.findOne('compute', 'DC0_C0/Resources', dc).ref.type).toBe('ResourcePool');
    expect(f.findOne('compute', cluster.ref.value, dc).path).toBe('/DC0/host/DC0_C0');
    expect(f.findOne('datastore', 'LocalDS_*', dc).name).toBe('LocalDS_0');
    expect(f.findOne('network', 'VM Network', dc).ref.type).toBe('Network');
    expect(f.findOne('network', 'DC0_DVPG0', dc).ref.type).toBe('DistributedVirtualPortgroup');
  });

  test('not found lists what exists; several matches list the matches', async () => {
    const f = new Finder(await loadInventory(s));
    const dc = f.datacenter();
    const nf = (() => { try { f.findOne('datastore', 'nope', dc); } catch (e) { return e; } })() as NotFoundError;
    expect(nf).toBeInstanceOf(NotFoundError);
    expect(nf.message).toMatch(/datastore "nope" was not found/);
    expect(nf.candidates).toContain('LocalDS_0');
    const mf = (() => { try { f.findOne('compute', 'DC0_C0/Resources/*', dc); } catch (e) { return e; } })() as MultipleFoundError;
    expect(mf).toBeInstanceOf(MultipleFoundError);
    expect(mf.matches.length).toBeGreaterThanOrEqual(2);
  });
});

describe('bulk retrieval', () => {
  let big: Vcsim;
  beforeAll(async () => { big = await startVcsim({ model: { vm: 500 } }); });
  afterAll(async () => { await big?.stop(); });

  test('a container view pages through 1,000 VMs with ContinueRetrievePropertiesEx', async () => {
    const s = await Session.connect({ url: big.url, user: 'u', password: 'p', trust: { thumbprint: big.thumbprintSHA1 } });
    try {
      const vms = await retrieveFromView(s, s.content.rootFolder, ['VirtualMachine'], ['name', 'runtime.powerState'], { pageSize: 100 });
      expect(vms.length).toBeGreaterThanOrEqual(1000);
      expect(new Set(vms.map((v) => v.ref.value)).size).toBe(vms.length);
      expect(s.client.roundTrips.get('ContinueRetrievePropertiesEx')).toBeGreaterThanOrEqual(9);
      expect(typeof (vms[0]!.props as { name: string }).name).toBe('string');
    } finally {
      await s.logout();
    }
  });
});

describe('tasks, extraConfig and waiting', () => {
  let s: Session;
  let vm: MoRef;
  beforeAll(async () => {
    s = await connect();
    vm = (await retrieveFromView(s, s.content.rootFolder, ['VirtualMachine'], ['name']))[0]!.ref;
  });
  afterAll(async () => { await s.logout(); });

  const extraConfig = async () => {
    const p = await retrieveOne<{ 'config.extraConfig': { key: string; value: string }[] }>(s, vm, ['config.extraConfig']);
    return p['config.extraConfig'];
  };

  test('a task that succeeds returns; one that fails rejects with its fault', async () => {
    const state = (await retrieveOne<{ 'runtime.powerState': string }>(s, vm, ['runtime.powerState']))['runtime.powerState'];
    if (state !== 'poweredOff') await runTask(s, PowerOffVM_Task, { _this: vm });
    await expect(runTask(s, PowerOnVM_Task, { _this: vm })).resolves.toBeDefined();
    const err = await runTask(s, PowerOnVM_Task, { _this: vm }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VimFault);
    expect((err as VimFault).faultName).toBe('InvalidPowerState');
  });

  test('extraConfig: a key is replaced, not duplicated, and an empty value deletes it', async () => {
    await runTask(s, ReconfigVM_Task, { _this: vm, spec: { extraConfig: [{ key: 'guestinfo.test', value: 'one' }] } });
    await runTask(s, ReconfigVM_Task, { _this: vm, spec: { extraConfig: [{ key: 'guestinfo.test', value: 'two' }] } });
    let ec = (await extraConfig()).filter((o) => o.key === 'guestinfo.test');
    expect(ec).toEqual([expect.objectContaining({ key: 'guestinfo.test', value: 'two' })]);
    await runTask(s, ReconfigVM_Task, { _this: vm, spec: { extraConfig: [{ key: 'guestinfo.test', value: '' }] } });
    ec = (await extraConfig()).filter((o) => o.key === 'guestinfo.test');
    expect(ec).toEqual([]);
  });

  test('WaitForUpdatesEx reports an extraConfig change made by someone else; a wait times out with what it waited for', async () => {
    const other = await connect();
    try {
      const waiting = waitForProperties(s, vm, ['config.extraConfig'], (p) => {
        const ec = p['config.extraConfig'] as { key: string; value: string }[] | undefined;
        return ec?.find((o) => o.key === 'guestinfo.vice..init.networks|client.assigned.IP')?.value;
      }, { timeoutMs: 20_000 });
      setTimeout(() => {
        void runTask(other, ReconfigVM_Task, { _this: vm, spec: { extraConfig: [{ key: 'guestinfo.vice..init.networks|client.assigned.IP', value: 'AAAAAAAAAAAAAP//fwAAAQ==' }] } });
      }, 200);
      await expect(waiting).resolves.toBe('AAAAAAAAAAAAAP//fwAAAQ==');
      await expect(waitForProperties(s, vm, ['runtime.powerState'], (p) => (p['runtime.powerState'] === 'suspended' ? 1 : undefined),
        { timeoutMs: 1500, what: 'the VM to suspend' })).rejects.toThrow(/timed out after 1.5s waiting for the VM to suspend/);
    } finally {
      await other.logout();
    }
  });
});

describe('datastore files', () => {
  let s: Session;
  let files: DatastoreFiles;
  let dir: string;
  beforeAll(async () => {
    s = await connect();
    const f = new Finder(await loadInventory(s));
    const dc = f.datacenter();
    const ds = f.findOne('datastore', 'LocalDS_0', dc);
    files = new DatastoreFiles(s, { datacenterPath: 'DC0', datacenter: dc.ref, datastoreName: ds.name, datastore: ds.ref });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vicm-ds-'));
  });
  afterAll(async () => {
    await s.logout();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('mkdir, list, stat, delete', async () => {
    await files.mkdir('t1/sub');
    await files.uploadBuffer('hello', 't1/sub/a.txt');
    expect(await files.stat('t1/sub/a.txt')).toEqual({ size: 5 });
    expect((await files.list('t1/sub')).map((f) => f.path)).toEqual(['a.txt']);
    expect((await files.read('t1/sub/a.txt')).toString()).toBe('hello');
    await files.remove('t1');
    expect(await files.stat('t1/sub/a.txt')).toBeUndefined();
    await expect(files.remove('t1')).resolves.toBeUndefined();
  });

  test('a task that does not finish within the request timeout: a timeout naming the method and task, and vSphere asked to cancel it', async () => {
    const quick = await Session.connect({ url: sim.url, user: 'admin', password: 's3cret!', trust: { thumbprint: sim.thumbprintSHA1 }, requestTimeoutMs: 1000 });
    try {
      const vm = (await FindByInventoryPath(quick, { _this: quick.content.searchIndex!, inventoryPath: 'DC0/vm/DC0_H0_VM0' }))!;
      await sim.resetStats();
      await sim.injectFaults({ method: 'ReconfigVM_Task', kind: 'taskhang', delayMs: 3000 });
      const t0 = Date.now();
      await expect(runTask(quick, ReconfigVM_Task, { _this: vm, spec: { annotation: 'never' } }))
        .rejects.toThrow(/^timed out after 1s waiting for ReconfigVM_Task \(task-\d+\) to finish$/);
      expect(Date.now() - t0).toBeLessThan(2500);
      expect((await sim.stats()).soap['CancelTask']).toBe(1);
    } finally {
      await sim.clearFaults();
      await quick.logout();
    }
  });

  test('a transfer that moves no data for the request timeout has stalled: it fails (and is retried) instead of hanging', async () => {
    const quick = await Session.connect({ url: sim.url, user: 'admin', password: 's3cret!', trust: { thumbprint: sim.thumbprintSHA1 }, requestTimeoutMs: 500 });
    try {
      const f = new DatastoreFiles(quick, files.ref);
      await sim.injectFaults({ method: 'http:PUT', kind: 'slow', delayMs: 1500 });
      const t0 = Date.now();
      await expect(f.uploadBuffer('x', 'stall/a.txt', { attempts: 1 })).rejects.toThrow(/^HTTP PUT of stall\/a\.txt on LocalDS_0 stalled: no data moved for 1 s$/);
      expect(Date.now() - t0).toBeLessThan(1400);
      // retried: the second attempt is answered at once
      await sim.injectFaults({ method: 'http:PUT', kind: 'slow', delayMs: 1500 });
      await f.uploadBuffer('y', 'stall/b.txt', { backoffMs: 10 });
      expect((await f.read('stall/b.txt')).toString()).toBe('y');
      await f.remove('stall');
    } finally {
      await sim.clearFaults();
      await quick.logout();
    }
  });

  test('a 256 MiB upload and download are byte-identical, with progress', async () => {
    const src = path.join(dir, 'big.bin');
    const size = 256 * 1024 * 1024;
    const block = crypto.randomBytes(1 << 20);
    const fd = fs.openSync(src, 'w');
    for (let i = 0; i < size / block.length; i++) { block.writeUInt32LE(i, 0); fs.writeSync(fd, block); }
    fs.closeSync(fd);
    const hash = (p: string) => crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    let last = 0;
    await files.upload(src, 'big/big.bin', { onProgress: (p) => { last = p.bytes; } });
    expect(last).toBe(size);
    const dst = path.join(dir, 'back.bin');
    expect(await files.download('big/big.bin', dst)).toBe(size);
    expect(hash(dst)).toBe(hash(src));
    await files.remove('big');
  });
});
