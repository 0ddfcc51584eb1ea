// `upgrade` and `upgrade --rollback` of a located VCH, inside the maintenance frame (lock, snapshot, revert on any
// failure: src/vic/maintenance/runner.ts). The steps follow vic-machine 1.5 (reference §5.2): upload the new ISOs
// next to the appliance, power it off, write the migrated configuration (re-encoded under a fresh secret key; its
// keys that disappeared are blanked, other keys untouched) and switch the CD-ROM to the new appliance ISO, power it
// on, and wait as create does. A failed upgrade also removes the ISOs it uploaded.
import fs from 'node:fs';
import path from 'node:path';
import { PowerOffVM_Task, PowerOnVM_Task, ReconfigVM_Task } from '../../vim/methods.generated.js';
import { DatastoreFiles, parseDatastorePath } from '../../vim/datastore-files.js';
import { retrieveOne } from '../../vim/property-collector.js';
import type { Session } from '../../vim/session.js';
import { runTask } from '../../vim/task.js';
import type { DataObject } from '../../vim/types.js';
import type { VirtualDevice } from '../../vim/types.generated.js';
import { configurationChanges, decodeVchConfig, decodeVchConfigDetailed, encodeVchConfig, SecretKey, shortVersion, type VirtualContainerHostConfigSpec } from '../config/index.js';
import { waitForAppliance, type ReadyResult } from '../appliance/wait-ready.js';
import { isoDatastoreName, type IsoVersion } from '../iso/index.js';
import { holderText } from '../maintenance/lock.js';
import { readVchSecretKey } from '../maintenance/ovf-env.js';
import { MaintenanceError, runMaintenance, type MaintenanceReport } from '../maintenance/runner.js';
import { listSnapshots, removeSnapshot, revertToSnapshot, ROLLBACK_POINT } from '../maintenance/snapshot.js';
import { takeLock, releaseLock } from '../maintenance/lock.js';
import { placementOf, type Scope, type VchRecord } from '../vch/find.js';
import { compareBuilds, migrateConfig } from './migrate.js';

export interface UpgradeLog {
  (level: 'info' | 'warn', message: string): void;
}

export interface UpgradeInput {
  session: Session;
  scope: Scope;
  vch: VchRecord;
  isos: Record<'appliance' | 'bootstrap', { path: string; version: IsoVersion }>;
  force: boolean;
  timeoutMs: number;
  /** who runs it, for the lock: user and client host */
  user: string;
  clientHost: string;
  /** client certificate and key for the Docker API check of a tlsverify VCH, when found locally */
  clientCert?: { certPem: string; keyPem: string } | undefined;
  log: UpgradeLog;
  signal?: AbortSignal;
}

export interface UpgradeResult {
  id: string;
  name: string;
  from: string;
  to: string;
  snapshot: string;
  removedSnapshots: string[];
  clientIp?: string | undefined;
}

export class UpgradeRefusedError extends Error {
  override readonly name = 'UpgradeRefusedError';
  readonly cliErrorType = 'conflict';
  readonly hint = 'use --force to upgrade anyway';
}

/** A VCH's datacenter and its datastores by name (for the .vmx and the ISO uploads). */
/** The configuration with its secrets (the key read back from the .vmx; the key's source goes to the log). */
export async function readConfig(session: Session, scope: Scope, vch: VchRecord, log: UpgradeLog): Promise<VirtualContainerHostConfigSpec> {
  const key = await readVchSecretKey(session, scope, vch);
  if (!key) throw new Error(`the secret key of VCH "${vch.name}" could not be read (neither from its .vmx file nor from the API): its secrets cannot be carried over`);
  log('info', key.source === 'vmx' ? 'Read the secret key from the appliance\'s .vmx file' : 'Read the secret key from the API (the .vmx file has none)');
  return decodeVchConfig(vch.extraConfig, key.key);
}


async function waitReady(i: UpgradeInput, config: VirtualContainerHostConfigSpec, signal: AbortSignal, timeoutMs: number): Promise<ReadyResult> {
  const cert = config.certificate.hostCertificate?.cert;
  const tls = !!cert?.length;
  const verify = !!config.certificate.certificateAuthorities?.length;
  // A tlsverify VCH answers only a client with its client certificate: without one here, the wait ends when the
  // components have started.
  const docker = !tls ? { port: 2375, tls: false } : !verify ? { port: 2376, tls: true, serverCertPem: Buffer.from(cert!).toString('utf8') }
    : i.clientCert ? { port: 2376, tls: true, serverCertPem: Buffer.from(cert!).toString('utf8'), clientCertPem: i.clientCert.certPem, clientKeyPem: i.clientCert.keyPem }
      : undefined;
  if (!docker) i.log('info', 'No client certificate found for this tlsverify VCH: the Docker API is not checked after the upgrade');
  return waitForAppliance(i.session, { vm: i.vch.ref, timeoutMs, ...(docker ? { docker } : {}), log: (m) => i.log('info', m), signal });
}

export async function upgradeVch(i: UpgradeInput): Promise<UpgradeResult> {
  const { session, vch, log } = i;
  const config = await readConfig(session, i.scope, vch, log);
  const from = shortVersion(config.executorConfig.version);
  const to = i.isos.appliance.version.raw;
  const cmp = compareBuilds(config.executorConfig.version, i.isos.appliance.version);
  if (cmp !== 'older' && !i.force) {
    throw new UpgradeRefusedError(cmp === 'unknown'
      ? `Unknown version of VCH "${vch.name}" (${from}) or of the installer (${to}); cannot tell whether this is an upgrade`
      : `"${vch.name}" has same or newer version ${from} than installer version ${to}. No upgrade is available.`);
  }

  const vmProps = await retrieveOne<{ 'config.files.vmPathName': string; 'config.hardware.device': VirtualDevice[]; 'runtime.powerState': string }>(
    session, vch.ref, ['config.files.vmPathName', 'config.hardware.device', 'runtime.powerState']);
  const vmx = parseDatastorePath(vmProps['config.files.vmPathName']);
  if (!vmx) throw new Error(`the appliance VM's files are not on a datastore (${vmProps['config.files.vmPathName']})`);
  const folder = path.posix.dirname(vmx.path);
  const { dc, datastores } = placementOf(i.scope, vch);
  const ds = datastores.get(vmx.datastore);
  if (!ds) throw new Error(`datastore ${vmx.datastore} of the appliance is not in the datacenter`);
  const files = new DatastoreFiles(session, { datacenterPath: dc.path.replace(/^\//, ''), datacenter: dc.ref, datastoreName: vmx.datastore, datastore: ds });
  const isoPath = (kind: 'appliance' | 'bootstrap') => `${folder}/${isoDatastoreName(i.isos[kind].version.raw, kind)}`;

  const migrated = structuredClone(config);
  for (const m of migrateConfig(migrated, i.isos.appliance.version, `[${vmx.datastore}] ${isoPath('bootstrap')}`)) log('info', `Migrating the configuration: ${m}`);
  const uploaded: string[] = [];
  const cdrom = vmProps['config.hardware.device'].find((d) => d._type === 'VirtualCdrom');
  if (!cdrom) throw new Error('the appliance VM has no CD-ROM to switch to the new appliance ISO');
  const wasOn = vmProps['runtime.powerState'] === 'poweredOn';
  let ready: ReadyResult | undefined;

  let report: MaintenanceReport;
  try {
    report = await runMaintenance(session, vch.ref, vch.extraConfig, {
      operation: 'upgrade', snapshotName: `upgrade for ${i.isos.appliance.version.build ?? to}`,
      holder: holderText('upgrade', i.user, i.clientHost), timeoutMs: i.timeoutMs, wasPoweredOn: wasOn,
      log, ...(i.signal ? { signal: i.signal } : {}),
    }, [
      {
        name: 'uploading the ISO images', run: async (signal) => {
          for (const kind of ['appliance', 'bootstrap'] as const) {
            const p = isoPath(kind);
            if ((await files.stat(p))?.size === fs.statSync(i.isos[kind].path).size) continue; // already there (a re-run)
            log('info', `Uploading ${path.basename(i.isos[kind].path)} as ${path.posix.basename(p)}`);
            await files.upload(i.isos[kind].path, p, { signal });
            uploaded.push(p);
          }
        },
      },
      {
        name: 'powering off the appliance', run: async (signal) => {
          if (wasOn) await runTask(session, PowerOffVM_Task, { _this: vch.ref }, { signal });
        },
      },
      {
        name: 'writing the new configuration', run: async (signal) => {
          const next = encodeVchConfig(migrated, { secretKey: SecretKey.generate() });
          log('info', `Switching appliance iso to [${vmx.datastore}] ${isoPath('appliance')}`);
          log('info', 'Setting VM configuration');
          await runTask(session, ReconfigVM_Task, {
            _this: vch.ref,
            spec: {
              alternateGuestName: `Photon - VCH ${i.isos.appliance.version.version}, ${i.isos.appliance.version.build ?? ''}, ${(i.isos.appliance.version.commit ?? '').padStart(7)}`,
              deviceChange: [{ operation: 'edit', device: { ...cdrom, backing: { _type: 'VirtualCdromIsoBackingInfo', fileName: `[${vmx.datastore}] ${isoPath('appliance')}` } } }],
              extraConfig: Object.entries(configurationChanges(vch.extraConfig, next, decodeVchConfigDetailed(vch.extraConfig, { unsealSecrets: false }).unknownKeys))
                .map(([key, value]) => ({ key, value })),
            },
          }, { signal });
        },
      },
      {
        name: 'powering on the appliance', run: async (signal) => {
          await runTask(session, PowerOnVM_Task, { _this: vch.ref }, { signal });
        },
      },
      {
        name: 'waiting for the appliance', run: async (signal) => {
          ready = await waitReady(i, migrated, signal, i.timeoutMs);
        },
      },
    ]);
  } catch (e) {
    if (e instanceof MaintenanceError && !e.reverted) {
      // the half-changed appliance may use them; --rollback removes them with the version it leaves
      if (uploaded.length) log('warn', `Kept the uploaded ISOs (${uploaded.join(', ')}): the VCH may use them until it is rolled back`);
      throw e;
    }
    await removeIsos(session, i.scope, vch, uploaded.map((p) => `[${vmx.datastore}] ${p}`), log);
    throw e;
  }
  return { id: vch.id, name: vch.name, from, to, snapshot: report.snapshot, removedSnapshots: report.removedSnapshots, clientIp: (ready as ReadyResult | undefined)?.clientIp };
}

const timeOf = (s: { createTime?: string }): number => Date.parse(s.createTime ?? '') || 0;

type VmDevices = { 'config.hardware.device': DataObject[] };

/** The ISOs an appliance uses: its CD-ROM's and its configuration's bootstrap image (datastore paths). */
function isosIn(extraConfig: Readonly<Record<string, string>>, devices: readonly DataObject[]): string[] {
  const cd = (devices.find((d) => d._type === 'VirtualCdrom') as { backing?: { fileName?: string } } | undefined)?.backing?.fileName;
  const bootstrap = extraConfig['guestinfo.vice./container/bootstrap_image_path'];
  return [cd, bootstrap].filter((p): p is string => !!p && p !== '<nil>' && /\.iso$/i.test(p));
}

async function removeIsos(session: Session, scope: Scope, vch: VchRecord, paths: readonly string[], log: UpgradeLog): Promise<void> {
  if (!paths.length) return;
  const { dc, datastores } = placementOf(scope, vch);
  for (const p of paths) {
    const where = parseDatastorePath(p);
    const ds = where ? datastores.get(where.datastore) : undefined;
    if (!where || !ds) continue;
    log('info', `Deleting upgrade iso ${p}`);
    await new DatastoreFiles(session, { datacenterPath: dc.path.replace(/^\//, ''), datacenter: dc.ref, datastoreName: where.datastore, datastore: ds })
      .remove(where.path).catch((err: Error) => log('warn', `VCH iso file "${p}" is not removed for ${err.message}. Use the vSphere UI to delete content`));
  }
}

/** `upgrade --rollback`: back to the rollback point the last upgrade/configure kept, under the same lock. */
export async function rollbackVch(i: Omit<UpgradeInput, 'isos' | 'force'>): Promise<{ snapshot: string; version: string }> {
  const { session, vch, log } = i;
  const { all } = await listSnapshots(session, vch.ref);
  // the newest one (there is one unless a run could not remove the older ones, or they were taken out of band)
  const point = all.filter((s) => ROLLBACK_POINT.test(s.name)).sort((a, b) => timeOf(a) - timeOf(b)).at(-1);
  if (!point) {
    throw Object.assign(new Error('A VCH version available from before the last upgrade could not be found. No error was reported, so it\'s possible that this VCH has never been upgraded or the saved previous version was removed out-of-band.'), { cliErrorType: 'not-found' });
  }
  log('info', 'Attempting rollback of VCH');
  await takeLock(session, vch.ref, vch.extraConfig, 'rollback', holderText('rollback', i.user, i.clientHost));
  try {
    const isosBefore = isosIn(vch.extraConfig, (await retrieveOne<VmDevices>(session, vch.ref, ['config.hardware.device']))['config.hardware.device']);
    log('info', `Reverting to snapshot "${point.name}"`);
    await revertToSnapshot(session, point.ref);
    await runTask(session, PowerOnVM_Task, { _this: vch.ref });
    const reverted = await retrieveOne<VmDevices & { 'config.extraConfig': { key: string; value: string }[] }>(session, vch.ref, ['config.extraConfig', 'config.hardware.device']);
    const after = Object.fromEntries(reverted['config.extraConfig'].map((o) => [o.key, String(o.value)]));
    const config = decodeVchConfig(after, after['guestinfo.ovfEnv'] && after['guestinfo.ovfEnv'] !== '<nil>' ? SecretKey.fromString(after['guestinfo.ovfEnv']) : undefined);
    await waitReady(i as UpgradeInput, config, i.signal ?? new AbortController().signal, i.timeoutMs).catch((e: Error) =>
      log('warn', `API may be slow to start - try to connect to API after a few minutes (${e.message})`));
    await removeSnapshot(session, point.ref);
    // the ISOs of the version left behind: the reverted appliance no longer uses them
    const isosAfter = isosIn(after, reverted['config.hardware.device']);
    await removeIsos(session, i.scope, vch, isosBefore.filter((p) => !isosAfter.includes(p)), log);
    return { snapshot: point.name, version: shortVersion(config.executorConfig.version) };
  } finally {
    await releaseLock(session, vch.ref).catch((e: Error) => log('warn', `Failed to reset UpdateInProgress: ${e.message}; use --reset-progress`));
  }
}
