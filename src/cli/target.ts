// Credential processing of the target group (reference §1.1 Target.HasCredentials), plus govc's variables at lower
// priority (ecosystem-notes §5.4). Loaded by command implementations, not for --help.
//
// Order of precedence:
//   target:   --target, $VIC_MACHINE_TARGET (both already in TargetFlags.target), $GOVC_URL
//   user:     --user, $VIC_MACHINE_USER (TargetFlags.user), the target URL's user, $GOVC_USERNAME
//   password: --password, $VIC_MACHINE_PASSWORD (TargetFlags.password), the target URL's password, $GOVC_PASSWORD,
//             then a masked prompt when stdin and stdout are terminals
//   trust:    --thumbprint; else with --force the certificate is accepted and printed (force-trust.ts); else on a
//             terminal an untrusted certificate is shown and the admin asked (trust-prompt.ts); else the connection
//             fails with the --thumbprint to pass. This step prints, so it runs only for contexts with an output
//             (commands), not for parsers and unit tests, which resolve credentials only.
// $GOVC_USERNAME/$GOVC_PASSWORD are only used for the host $GOVC_URL names (or when $GOVC_URL is not set), so that
// govc credentials meant for one server are never sent to another.
import type { CommandContext } from './context.js';
import { UsageError } from './errors.js';
import { parseDuration, parseTargetUrl } from './flags/types.js';
import type { TargetFlags } from './options.js';
import { readPin } from '../vim/thumbprint.js';
import type { ResolvedTarget } from './resolved-target.js';

export type { ResolvedTarget };

export type TargetContext = Pick<CommandContext, 'env' | 'interactive' | 'promptPassword'> & Partial<Pick<CommandContext, 'out'>>;

export interface ResolveTargetOptions {
  /** do not prompt and do not fail when no password is found (password is then "") */
  passwordOptional?: boolean;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function datacenterFromPath(pathname: string): string | undefined {
  const p = decode(pathname).replace(/\/+$/, '');
  return p === '' ? undefined : p;
}

export async function resolveTarget(flags: TargetFlags & { force?: boolean }, ctx: TargetContext & { confirm?: (message: string) => Promise<boolean> }, opts: ResolveTargetOptions = {}): Promise<ResolvedTarget> {
  const env = ctx.env;
  let url = flags.target;
  let source: ResolvedTarget['source'] = 'flag';
  let govcUrl: URL | undefined;
  if (env.GOVC_URL) {
    govcUrl = parseTargetUrl(env.GOVC_URL);
    if (!govcUrl && !url) throw new UsageError('$GOVC_URL is not a valid URL', { code: 'environment-invalid', flag: '--target' });
  }
  if (!url && govcUrl) {
    url = govcUrl;
    source = 'GOVC_URL';
  }
  if (!url) {
    throw new UsageError('--target argument must be specified', { code: 'required-flag-missing', flag: '--target', hint: 'or set VIC_MACHINE_TARGET' });
  }
  const govcCredentialsApply = !govcUrl || govcUrl.host === url.host;

  const user = flags.user || decode(url.username) || (govcCredentialsApply ? env.GOVC_USERNAME ?? '' : '');
  if (!user) {
    throw new UsageError('vSphere user must be specified, either with --user or as part of --target', { code: 'required-flag-missing', flag: '--user', hint: 'or set VIC_MACHINE_USER' });
  }

  let password: string | undefined = flags.password;
  if (password === undefined && url.password !== '') password = decode(url.password);
  if (password === undefined && govcCredentialsApply && env.GOVC_PASSWORD !== undefined && env.GOVC_PASSWORD !== '') password = env.GOVC_PASSWORD;
  if (password === undefined) {
    if (opts.passwordOptional) {
      password = '';
    } else if (ctx.interactive) {
      password = await ctx.promptPassword(`vSphere password for ${user}:`);
    } else {
      throw new UsageError(`no vSphere password for ${user}, and no terminal to prompt on`, {
        code: 'no-terminal', flag: '--password',
        hint: 'pass --password or set VIC_MACHINE_PASSWORD',
      });
    }
  }

  const base = new URL(`${url.protocol}//${url.host}`);
  const resolved: ResolvedTarget = { url: base, host: url.hostname.replace(/^\[(.*)\]$/, '$1'), user, password, source };
  const apiTimeout = env.VIC_MACHINE_API_TIMEOUT?.trim();
  if (apiTimeout) {
    const ms = parseDuration(apiTimeout);
    if (ms === undefined || ms < 1000) {
      throw new UsageError(`invalid value "${apiTimeout}" for VIC_MACHINE_API_TIMEOUT: expected a duration of at least 1s, such as 90s or 5m`, {
        code: 'environment-invalid', hint: 'unset it for the default of 5m',
      });
    }
    resolved.requestTimeoutMs = ms;
  }
  let dc = source === 'GOVC_URL' ? undefined : datacenterFromPath(url.pathname);
  if (source === 'GOVC_URL' && env.GOVC_DATACENTER) dc = env.GOVC_DATACENTER.startsWith('/') ? env.GOVC_DATACENTER : `/${env.GOVC_DATACENTER}`;
  if (dc !== undefined) resolved.datacenterPath = dc;
  if (flags.thumbprint) resolved.thumbprint = readPin(flags.thumbprint);
  if (ctx.out && !opts.passwordOptional && !resolved.thumbprint) {
    if (flags.force) await (await import('./force-trust.js')).acceptUnverifiedOnForce(resolved, true, { out: ctx.out });
    else await (await import('./trust-prompt.js')).confirmUnknownCertificate(resolved, { ...ctx, out: ctx.out });
  }
  return resolved;
}

/** The target as it may be printed: `https://host[:port]/datacenter`, never credentials. */
export function displayTarget(t: Pick<ResolvedTarget, 'url' | 'datacenterPath'>): string {
  return `${t.url.origin}${t.datacenterPath ?? ''}`;
}
