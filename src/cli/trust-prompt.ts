// An unknown target certificate on a terminal: show it (subject, issuer, validity, both thumbprints) and let the admin
// decide, instead of failing with a thumbprint to copy. Accepting prints the --thumbprint to pass next time; refusing
// ends with the same exact flag. Without a terminal there is never a prompt: the connection fails with the
// certificate's thumbprints and the --thumbprint to pass (src/vim/transport.ts), at no extra cost. `--force` keeps
// its meaning (accept), but always prints what it accepted (force-trust.ts).
import type { CommandContext } from './context.js';
import { CliError } from './errors.js';
import type { ResolvedTarget } from './resolved-target.js';
import type { Thumbprint } from '../vim/thumbprint.js';

export type TrustContext = Pick<CommandContext, 'interactive'> & Partial<Pick<CommandContext, 'out'>> & {
  /** the yes/no question (default: inquirer on stderr) */
  confirm?: (message: string) => Promise<boolean>;
};

interface CertificateShown {
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  sha256: Thumbprint;
  sha1: Thumbprint;
}

/** The certificate as the prompt and --force show it, one field per line. */
export function describeCertificate(c: CertificateShown): string[] {
  return [
    `  subject:  ${c.subject}`,
    `  issuer:   ${c.issuer}`,
    `  valid:    ${c.validFrom} to ${c.validTo}`,
    `  SHA-256:  ${c.sha256}`,
    `  SHA-1:    ${c.sha1}`,
  ];
}

/**
 * On a terminal, with no --thumbprint: one TLS handshake (no request) to see whether the target's certificate is
 * trusted; if it is not, ask. Sets t.thumbprint to the accepted certificate's SHA-1, so that every later connection
 * of the run (SOAP and datastore transfers) is pinned to exactly that certificate.
 */
export async function confirmUnknownCertificate(t: ResolvedTarget, ctx: TrustContext): Promise<void> {
  if (t.thumbprint || !ctx.interactive) return;
  const { probePeer } = await import('../vim/transport.js');
  // A target that cannot be reached is not a trust question: the real connection reports it, as without a terminal.
  const probe = await probePeer(t.url, {}).catch(() => undefined);
  if (!probe) return;
  const { info, error } = probe;
  if (!error || (error as { reason?: string }).reason !== 'untrusted') return;
  const reason = /is not trusted \((.*)\)\./.exec(error.message)?.[1] ?? 'not signed by a trusted authority';
  const host = t.url.host;
  const shown = [`The certificate of ${host} is not trusted (${reason}):`, ...describeCertificate(info),
    'Compare the thumbprint with the one shown on the vCenter or ESXi console before accepting it.'].join('\n');
  if (ctx.out) ctx.out.info(shown);
  else process.stderr.write(`${shown}\n`);
  const confirm = ctx.confirm ?? (async (m: string) => (await import('./prompt.js')).promptConfirm(m));
  const accepted = await confirm(`Trust this certificate of ${host} for this run?`);
  if (!accepted) {
    throw new CliError('tls-trust', `the certificate of ${host} was not accepted`, {
      flag: '--thumbprint', hint: `once verified, pass --thumbprint=${info.sha1}`,
    });
  }
  t.thumbprint = info.sha1;
  ctx.out?.info(`Accepted the certificate of ${host} (SHA-1 ${info.sha1}); to skip this question next time pass --thumbprint=${info.sha1}`);
}
