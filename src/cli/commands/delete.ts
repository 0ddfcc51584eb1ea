// `vic-machine delete` (reference §5.1): see src/vic/vch/delete.ts for what is removed and in which order. Progress on
// stderr; the result on stdout: the original's trailer, or with --json `{id, name, removed[], kept[], alreadyGone[]}`.
// Exit codes: 0 done (also when only leftovers of an interrupted delete were removed), 5 no such VCH, 6 refused
// (powered-on containers or an unsupported version without --force).
import type { CommandContext, CommandResult } from '../context.js';
import type { DeleteOptions } from '../options.js';
import { packageVersion } from '../version.js';

export async function run(options: DeleteOptions, ctx: CommandContext): Promise<CommandResult | void> {
  const { resolveTarget } = await import('../target.js');
  const { openSession } = await import('../../vic/vch/connect.js');
  const { pickVch, resolveScope, scanVms } = await import('../../vic/vch/find.js');
  const { deleteVch, deleteLeftovers, DELETE_INVENTORY_PATHS } = await import('../../vic/vch/delete.js');
  const t = await resolveTarget(options, ctx);
  await (await import('../force-trust.js')).acceptUnverifiedOnForce(t, options.force, ctx);
  ctx.out.info('### Removing VCH ####');
  const { withinTimeout } = await import('../deadline.js');
  const { session, report } = await withinTimeout({
    ms: options.timeout, what: 'Delete', signal: ctx.signal, phase: () => ctx.out.lastInfo,
    hint: 'run the same delete again: it removes what is left',
  }, async (signal) => {
    const session = await openSession(t, `vic-machine/${packageVersion()}`);
    ctx.onCleanup(() => session.logout());
    ctx.out.info('Validating target');
    const scope = await resolveScope(session, {
      datacenterPath: t.datacenterPath, computeResource: options.id ? undefined : options.computeResource,
      extraPaths: DELETE_INVENTORY_PATHS, log: (l) => ctx.out.info(l), withVms: true, // the VMs in the same round trip
    });
    const scan = await scanVms(scope);
    try {
      const vch = pickVch(scope, scan, options.id ? { id: options.id } : { name: options.name });
      return { session, report: await deleteVch(session, scope, scan, vch, { force: options.force, log: ctx.out, signal }) };
    } catch (e) {
      // By name, with the VM gone: finish what an interrupted delete left (its empty pool and VM folder).
      if (options.id || (e as { cliErrorType?: string }).cliErrorType !== 'not-found' || scan.vms.some((v) => v.name === options.name)) throw e;
      const report = await deleteLeftovers(session, scope, options.name, ctx.out);
      if (!report) throw e;
      return { session, report };
    }
  });
  await session.logout();
  const trailer = ['----------', 'If firewall changes were made for VIC during install, they were not reverted during delete',
    'To modify firewall rules see vic-machine update firewall --help', '----------', 'Completed successfully'];
  for (const l of trailer) ctx.out.info(l);
  return { data: report };
}
