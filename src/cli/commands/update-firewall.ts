// `vic-machine update firewall --allow|--deny` (reference §5.5): the ruleset that permits outbound 2377/tcp (the
// appliance's serial-over-LAN link) is enabled or disabled on every host of --compute-resource; see
// src/vic/firewall/update-firewall.ts. Progress, the original's warning and one line per host on stderr; the result
// (with --json `{action, computeResource, hosts[]}`) on stdout. --timeout bounds the whole command.
import type { CommandContext, CommandResult } from '../context.js';
import type { UpdateFirewallOptions } from '../options.js';
import { packageVersion } from '../version.js';

export async function run(options: UpdateFirewallOptions, ctx: CommandContext): Promise<CommandResult | void> {
  const { resolveTarget } = await import('../target.js');
  const { openSession } = await import('../../vic/vch/connect.js');
  const { updateFirewall, firewallWarning, hostLabel } = await import('../../vic/firewall/update-firewall.js');
  const action = options.allow ? 'allow' : 'deny';
  const t = await resolveTarget(options, ctx);
  ctx.out.info('### Updating Firewall ####');
  const { withinTimeout } = await import('../deadline.js');
  const { session, report } = await withinTimeout({ ms: options.timeout, what: 'Update', signal: ctx.signal, phase: () => ctx.out.lastInfo }, async (signal) => {
    const session = await openSession(t, `vic-machine/${packageVersion()}`);
    ctx.onCleanup(() => session.logout());
    ctx.out.info('Validating target');
    ctx.out.info('');
    ctx.out.warn('### WARNING ###');
    for (const l of firewallWarning(action)) ctx.out.warn(`\t${l}`);
    ctx.out.info('');
    const report = await updateFirewall(session, {
      action, datacenterPath: t.datacenterPath, computeResource: options.computeResource, log: (l) => ctx.out.info(l), signal,
    });
    return { session, report };
  });
  await session.logout();
  for (const h of report.hosts) {
    if (action === 'allow' && h.outbound2377 === 'restricted') ctx.out.warn(`Ruleset "${h.ruleset}" on host "${hostLabel(h)}" only permits some addresses: the VCH's management address must be among them`);
    if (action === 'deny' && h.outbound2377 === 'permitted') ctx.out.warn(`Another enabled ruleset still permits dst 2377/tcp outbound on host "${hostLabel(h)}"`);
  }
  ctx.out.info('Firewall changes complete');
  ctx.out.info('Command completed successfully');
  const verb = action === 'allow' ? 'enabled' : 'disabled';
  const text = report.hosts.map((h) => `${h.path}\t${h.ruleset}\t${h.changed ? verb : `already ${verb}`}`).join('\n');
  return { data: report, text };
}
