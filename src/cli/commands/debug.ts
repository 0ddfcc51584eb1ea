// `vic-machine debug` (reference §5.4): enables SSH in the VCH appliance, installs --authorized-key as root's
// authorized_keys and sets --rootpw (until the appliance reboots), through guest operations; see
// src/vic/debug/guest-access.ts. As in 1.5, SSH is enabled whether or not --enable-ssh is given.
// The key file is read and checked before connecting. --timeout bounds the whole command. The password is never
// printed, logged or put in the JSON result.
import fs from 'node:fs';
import path from 'node:path';
import type { CommandContext, CommandResult } from '../context.js';
import type { DebugOptions } from '../options.js';
import { installerDir } from './ls.js';

export async function run(options: DebugOptions, ctx: CommandContext): Promise<CommandResult | void> {
  const { UsageError } = await import('../errors.js');
  const { openVch } = await import('../open-vch.js');
  const { inspectFacts } = await import('../../vic/vch/inspect.js');
  const { installerVersion } = await import('../../vic/vch/status.js');
  const { readGuestReadiness, assertGuestReady, enableDebugAccess, checkAuthorizedKey } = await import('../../vic/debug/guest-access.js');

  let authorizedKey = '';
  if (options.authorizedKey) {
    const file = path.resolve(ctx.cwd, options.authorizedKey);
    let content: string;
    try {
      content = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`Unable to read public key from ${options.authorizedKey}: ${(e as Error).message}`, { code: 'file-unreadable', flag: '--authorized-key' });
    }
    authorizedKey = checkAuthorizedKey(options.authorizedKey, content);
  }
  const installer = await installerVersion([ctx.cwd, installerDir()]);
  const { withinTimeout } = await import('../deadline.js');
  const { session, vch, facts, report } = await withinTimeout({ ms: options.timeout, what: 'Debug', signal: ctx.signal, phase: () => ctx.out.lastInfo }, async (signal) => {
    const { session, vch } = await openVch(options, ctx, '### Configuring VCH for debug ####');
    const facts = inspectFacts(vch, installer, { cwd: ctx.cwd, tlsCertPath: '', ...(ctx.env.HOME ? { home: ctx.env.HOME } : {}) });
    ctx.out.info(`Installer version: ${facts.installerVersion ?? 'unknown'}`);
    ctx.out.info(`VCH version: ${facts.vchVersion}`);

    const processManager = assertGuestReady(await readGuestReadiness(session, vch.ref));
    const report = await enableDebugAccess(session, vch.ref, processManager, {
      authorizedKey, ...(options.rootpw ? { rootPassword: options.rootpw } : {}), signal, log: (l) => ctx.out.info(l),
    });
    return { session, vch, facts, report };
  });
  await session.logout();
  if (!report.authorizedKeyInstalled && !report.rootPasswordSet) {
    ctx.out.warn('SSH is enabled, but neither --authorized-key nor --rootpw was given: root cannot log in unless it could before');
  }
  const ssh = facts.hostAddress ? `ssh root@${facts.hostAddress}` : null;
  const lines = ['', 'SSH to appliance:', ssh ?? '(the appliance has not reported an address yet: see vic-machine inspect)'];
  ctx.out.info('Completed successfully');
  return { data: { id: vch.id, name: vch.name, ...report, ssh }, text: lines.join('\n') };
}
