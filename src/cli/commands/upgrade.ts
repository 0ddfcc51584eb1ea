// `vic-machine upgrade`: the new ISOs checked before connecting, the VCH located, then (src/vic/upgrade/upgrade.ts)
// the upgrade inside the lock/snapshot/revert frame; or `--rollback` to the kept rollback point; or `--reset-progress`
// to clear a stale lock, saying whose it was. A failed upgrade exits non-zero and says whether the VCH was reverted
// (1.5 exited 0 there).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandContext, CommandResult } from '../context.js';
import type { UpgradeOptions } from '../options.js';
import { packageVersion } from '../version.js';

async function readIsos(o: UpgradeOptions, cwd: string) {
  const { locateIso, readIsoVersion } = await import('../../vic/iso/index.js');
  const { UsageError } = await import('../errors.js');
  const installerDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  const out: Partial<Record<'appliance' | 'bootstrap', { path: string; version: Awaited<ReturnType<typeof readIsoVersion>> }>> = {};
  for (const kind of ['appliance', 'bootstrap'] as const) {
    const given = kind === 'appliance' ? o.applianceIso : o.bootstrapIso;
    try {
      const located = await locateIso({ kind, cwd, installerDir, ...(given ? { given } : {}) });
      out[kind] = { path: located.path, version: await readIsoVersion(located.path, kind) };
    } catch (e) {
      throw new UsageError((e as Error).message, { code: 'iso-invalid', flag: `--${kind}-iso` });
    }
  }
  if (out.appliance!.version.raw.toLowerCase() !== out.bootstrap!.version.raw.toLowerCase()) {
    throw new UsageError(`the bootstrap ISO is version ${out.bootstrap!.version.raw} but the appliance ISO is ${out.appliance!.version.raw}; use the ISOs of one release`, { code: 'iso-version-mismatch', flag: '--bootstrap-iso' });
  }
  return out as Record<'appliance' | 'bootstrap', { path: string; version: Awaited<ReturnType<typeof readIsoVersion>> }>;
}

/** The client certificate create left in ./<name>/ (for the Docker API check of a tlsverify VCH). */
function clientCertIn(dir: string): { certPem: string; keyPem: string } | undefined {
  try {
    return { certPem: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8'), keyPem: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8') };
  } catch {
    return undefined;
  }
}


export async function run(o: UpgradeOptions, ctx: CommandContext): Promise<CommandResult | void> {
  const { resolveTarget } = await import('../target.js');
  const t = await resolveTarget(o, ctx);
  // The new ISOs before connecting (1.5's order): a wrong file costs no round trip (nor loading the SOAP client).
  const isos = o.rollback || o.resetProgress ? undefined : await readIsos(o, ctx.cwd);
  const { openSession } = await import('../../vic/vch/connect.js');
  const { locateVch } = await import('../../vic/vch/locate.js');
  await (await import('../force-trust.js')).acceptUnverifiedOnForce(t, o.force, ctx);
  ctx.out.info('### Upgrading VCH ####');
  const session = await openSession(t, `vic-machine/${packageVersion()}`);
  ctx.onCleanup(() => session.logout());
  ctx.out.info('Validating target');
  const { scope, vch } = await locateVch(session, {
    datacenterPath: t.datacenterPath, computeResource: o.computeResource, id: o.id, name: o.name, log: (l) => ctx.out.info(l),
  });
  ctx.out.info(`VCH ID: VirtualMachine:${vch.id}`);
  const log = (await import('../maintenance-command.js')).maintenanceLog(ctx);

  if (o.resetProgress) {
    return (await import('../maintenance-command.js')).resetProgress(ctx, session, vch);
  }
  const common = {
    session, scope, vch, timeoutMs: o.timeout, user: t.user, clientHost: os.hostname(),
    clientCert: clientCertIn(path.resolve(ctx.cwd, vch.name)), log, signal: ctx.signal,
  };
  if (o.rollback) {
    const { rollbackVch } = await import('../../vic/upgrade/upgrade.js');
    const r = await rollbackVch(common);
    ctx.out.info('Completed successfully');
    return { data: { id: vch.id, name: vch.name, rolledBackTo: r.snapshot, version: r.version }, text: `VCH ${vch.name} rolled back to "${r.snapshot}" (version ${r.version})` };
  }
  const { upgradeVch } = await import('../../vic/upgrade/upgrade.js');
  const r = await upgradeVch({ ...common, isos: isos!, force: o.force });
  ctx.out.info('Completed successfully');
  return { data: r, text: `VCH ${r.name} (${r.id}) upgraded from ${r.from} to ${r.to}; rollback point: snapshot "${r.snapshot}"` };
}
