// `vic-machine ls`: the original's table (ID, PATH, NAME, VERSION, UPGRADE STATUS; reference §7.1) on stdout, or with
// --json `{installerVersion, vchs: [{id, moref, path, name, version, upgradeStatus: {kind, text}, powerState,
// creating, datacenter}], roundTrips}` (docs/commands.md). Found in bulk: see src/vic/vch/find.ts.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandContext, CommandResult } from '../context.js';
import type { LsOptions } from '../options.js';
import { packageVersion } from '../version.js';

export const installerDir = (): string => path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export async function run(options: LsOptions, ctx: CommandContext): Promise<CommandResult | void> {
  const { resolveTarget } = await import('../target.js');
  const { openSession } = await import('../../vic/vch/connect.js');
  const { listVchs } = await import('../../vic/vch/list.js');
  const { installerVersion } = await import('../../vic/vch/status.js');
  const { tabwriter } = await import('../../vic/vch/table.js');
  const { withinTimeout } = await import('../deadline.js');
  const t = await resolveTarget(options, ctx);
  ctx.out.info('### Listing VCHs ####');
  const installer = await installerVersion([ctx.cwd, installerDir()]);
  const { session, res } = await withinTimeout({ ms: options.timeout, what: 'List', signal: ctx.signal, phase: () => ctx.out.lastInfo }, async () => {
    const session = await openSession(t, `vic-machine/${packageVersion()}`);
    ctx.onCleanup(() => session.logout());
    ctx.out.info('Validating target');
    if (options.computeResource) ctx.out.info('Validating compute resource');
    const res = await listVchs(session, {
      datacenterPath: t.datacenterPath, computeResource: options.computeResource, log: (l) => ctx.out.info(l),
    }, installer, ctx.out);
    return { session, res };
  });
  await session.logout();
  const roundTrips = session.client.totalRoundTrips;
  ctx.out.debug(`ls: ${roundTrips} SOAP round trips for ${res.vchs.length} VCHs`);
  const rows = [['ID', 'PATH', 'NAME', 'VERSION', 'UPGRADE STATUS'],
    ...res.vchs.map((v) => [v.id, v.path, v.name, v.version, v.upgradeStatus.text])];
  return { data: { ...res, roundTrips }, text: `\n${tabwriter(rows)}\n` };
}
