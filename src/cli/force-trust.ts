// `--force` and an unverified target certificate. vic-machine 1.5 let --force skip certificate verification
// silently; here it still may (it keeps its meaning), but never silently: the certificate that was accepted is
// always printed with its thumbprints and the --thumbprint that would verify it next time. A pinned --thumbprint that
// does not match is never overridden, with or without --force.
import type { CommandContext } from './context.js';
import type { ResolvedTarget } from './resolved-target.js';
import { describeCertificate } from './trust-prompt.js';

export async function acceptUnverifiedOnForce(t: ResolvedTarget, force: boolean, ctx: Pick<CommandContext, 'out'>): Promise<void> {
  if (!force || t.thumbprint) return;
  const { probePeer } = await import('../vim/transport.js');
  const { info, error } = await probePeer(t.url, {});
  if (!error || (error as { reason?: string }).reason !== 'untrusted') return;
  ctx.out.warn([
    `--force: accepting the certificate of ${t.url.host}, which is not trusted (${String(error.message.split('\n')[0]).replace(/^The certificate of \S+ is not trusted \((.*)\)\.$/, '$1')})`,
    ...describeCertificate(info),
    `Verify it out of band, then pass --thumbprint ${info.sha1} instead of relying on --force.`,
  ].join('\n'));
  t.thumbprint = info.sha1;
}
