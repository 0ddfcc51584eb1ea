// `vic-machine inspect`: the facts of reference §7.2 — versions and upgrade status, VCH ID, admin portal, bridge
// range, published-ports and management addresses, docker environment and command — as text on stdout (logs on
// stderr), or with --json the InspectFacts object of src/vic/vch/inspect.ts (docs/commands.md).
// A powered-off appliance is an error, as in the original (exit 6, after the version block); a running appliance
// without an IP yet is not: the state of each NIC is shown instead of the docker facts.
import type { CommandContext, CommandResult } from '../context.js';
import type { InspectOptions } from '../options.js';
import { packageVersion } from '../version.js';
import { installerDir } from './ls.js';

export async function run(options: InspectOptions, ctx: CommandContext): Promise<CommandResult | void> {
  const { resolveTarget } = await import('../target.js');
  const { CliError } = await import('../errors.js');
  const { openSession } = await import('../../vic/vch/connect.js');
  const { locateVch } = await import('../../vic/vch/locate.js');
  const { inspectFacts } = await import('../../vic/vch/inspect.js');
  const { installerVersion } = await import('../../vic/vch/status.js');
  const t = await resolveTarget(options, ctx);
  ctx.out.info('### Inspecting VCH ####');
  const installer = await installerVersion([ctx.cwd, installerDir()]);
  const { withinTimeout } = await import('../deadline.js');
  const { session, vch } = await withinTimeout({ ms: options.timeout, what: 'Inspect', signal: ctx.signal, phase: () => ctx.out.lastInfo }, async () => {
    const session = await openSession(t, `vic-machine/${packageVersion()}`);
    ctx.onCleanup(() => session.logout());
    ctx.out.info('Validating target');
    const { vch } = await locateVch(session, {
      datacenterPath: t.datacenterPath, computeResource: options.computeResource, id: options.id, name: options.name,
      log: (l) => ctx.out.info(l), warn: (l) => ctx.out.warn(l),
    });
    return { session, vch };
  });
  await session.logout();
  const f = inspectFacts(vch, installer, { cwd: ctx.cwd, tlsCertPath: options.tlsCertPath, ...(ctx.env.HOME ? { home: ctx.env.HOME } : {}) });

  const lines: string[] = [
    '', `Installer version: ${f.installerVersion ?? 'unknown'}`, `VCH version: ${f.vchVersion}`, '', 'VCH upgrade status:', ...f.upgradeStatus.lines,
  ];
  if (f.powerState !== 'poweredOn') {
    if (!ctx.out.json) ctx.out.result(undefined, lines.join('\n'));
    throw new CliError('conflict', `VCH is not powered on, state ${f.powerState}`, { hint: 'power it on, or use `inspect config` to see its configuration' });
  }
  for (const w of f.warnings) ctx.out.warn(w);
  for (const n of f.notes) ctx.out.info(n);
  lines.push('', `VCH ID: ${f.id}`);
  if (!f.hostAddress) {
    ctx.out.warn('No client IP address assigned: the appliance has not reported its addresses yet');
    lines.push('', 'Network interfaces:');
    for (const n of f.nics) {
      lines.push(`${n.role}: ${n.assignedIp ? `assigned ${n.assignedIp}` : 'no IP address yet'}${n.staticIp ? ` (static ${n.staticIp})` : ''}${n.network ? ` on ${n.network}` : ''}`);
    }
  } else {
    lines.push('', 'VCH Admin Portal:', f.adminPortal!, '',
      `VCH Default Bridge Network Range: ${f.bridgeNetworkRange}`, `VCH Default Bridge Network Width: ${f.bridgeNetworkWidth}`, '',
      'Published ports can be reached at:', f.publishedPortsAddress ?? '(no public IP address assigned)');
    if (f.managementAddress !== null || f.nics.some((n) => n.role === 'management')) {
      lines.push('', 'Management traffic will use:', f.managementAddress ?? '(no management IP address assigned)');
    }
    lines.push('', 'Docker environment variables:', Object.entries(f.dockerEnvironment!).map(([k, v]) => `${k}=${v}`).join(' '),
      '', 'Connect to docker:', f.dockerCommand!);
  }
  ctx.out.info('Completed successfully');
  return { data: f, text: lines.join('\n') };
}
