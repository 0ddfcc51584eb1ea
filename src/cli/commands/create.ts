// `vic-machine create`: turns the flags (with VIC_MACHINE_* and --config) into the VCH specification
// (src/vic/spec/flags.ts), hands it to create (src/vic/create/request.ts → create-vch.ts), and prints what the
// developer needs: the VCH ID, DOCKER_HOST, the docker command, the admin portal and the env file.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TraceEvent } from '../../vim/soap-client.js';
import type { CommandContext, CommandResult } from '../context.js';
import type { CreateOptions } from '../options.js';
import type { VchSpec } from '../../vic/spec/vch-spec.js';
import { packageVersion } from '../version.js';

/** Flags that vic_machine_create_options never records (credentials and local file paths, as the original). */
const NOT_RECORDED = new Set(['user', 'password', 'ops-password', 'tls-server-cert', 'tls-server-key', 'tls-cert-path',
  'registry-ca', 'tls-ca', 'extended-help', 'dry-run']);

/**
 * The values vic-machine 1.5 records for a flag. With client verification, one --organization and a --tls-cname that is
 * not a wildcard, the original appends the cname to the organization list before it records the options (§6.2), so
 * the cname is recorded as a second --organization.
 */
function recordedValues(g: { name: string; values: readonly string[] }, o: CreateOptions): readonly string[] {
  if (g.name === 'organization' && g.values.length === 1 && o.tlsCname && !o.tlsCname.startsWith('*') && !o.noTls && !o.noTlsverify) {
    return [...g.values, o.tlsCname];
  }
  return g.values;
}

/**
 * The ops user's password (§3.1 item 5): an ops user without one is prompted for on a terminal, and an error without
 * one (never the admin password). The other rules of the ops flags are the specification's (src/vic/spec/flags.ts).
 */
async function opsPassword(spec: VchSpec, ctx: CommandContext): Promise<void> {
  const ops = spec.endpoint.operationsCredentials;
  if (!ops || ops.password !== undefined) return;
  const { UsageError } = await import('../errors.js');
  if (ctx.interactive) ops.password = await ctx.promptPassword(`vSphere password for ${ops.user}:`);
  else throw new UsageError(`no password for ops user ${ops.user}, and no terminal to prompt on`, { code: 'no-terminal', flag: '--ops-password', hint: 'pass --ops-password' });
}

export async function run(o: CreateOptions, ctx: CommandContext): Promise<CommandResult | void> {
  const { resolveTarget } = await import('../target.js');
  const { createVch, planCreate } = await import('../../vic/create/create-vch.js');
  const { createRequestOf } = await import('../../vic/create/request.js');
  // The flags make the specification, checked on their own before anything connects.
  const spec = (await import('../../vic/spec/flags.js')).specFromCreateFlags(o);
  const t = await resolveTarget(o, ctx);
  await (await import('../force-trust.js')).acceptUnverifiedOnForce(t, o.force, ctx);
  await opsPassword(spec, ctx);
  const version = packageVersion();

  const createOptions = ctx.given
    .filter((g) => !g.secret && !NOT_RECORDED.has(g.name))
    .flatMap((g) => recordedValues(g, o).map((v) => `--${g.name}=${g.name === 'target' ? t.url.origin + (t.datacenterPath ?? '') : v}`));

  ctx.out.info(o.dryRun ? '### Validating VCH (dry run: nothing is created) ####' : '### Installing VCH ####');
  if (!spec.endpoint.operationsCredentials) ctx.out.warn('Using administrative user for VCH operation - use --ops-user to improve security (see -x for advanced help)');
  let session: { logout(): Promise<void> } | undefined;
  ctx.onCleanup(() => session?.logout());
  let lastProgress = '';
  const request = createRequestOf(spec, {
    target: { url: t.url, user: t.user, password: t.password, thumbprint: t.thumbprint, datacenterPath: t.datacenterPath, requestTimeoutMs: t.requestTimeoutMs },
    cwd: ctx.cwd, createOptions, force: o.force, timeoutMs: o.timeout, userAgent: `vic-machine/${version}`,
    ...(o.tlsCertPath ? { certPath: o.tlsCertPath } : {}),
    isos: {
      appliance: o.applianceIso, bootstrap: o.bootstrapIso,
      installerDir: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..'),
    },
  });
  // While the appliance boots (the longest quiet stretch), a spinner where a person watches: a terminal, no --json.
  // Every log line is still printed (and logged) as usual; the spinner is cleared around it.
  // (A terminal that reports no width, as some pseudo-terminals do, gets none: ora would redraw without end.)
  const stderr = ctx.out.stderr;
  const spin = stderr.isTTY && (stderr.columns ?? 0) > 0 && !ctx.out.json ? (await import('ora')).default : undefined;
  let spinner: ReturnType<NonNullable<typeof spin>> | undefined;
  const stopSpinner = (): void => { spinner?.stop(); spinner = undefined; };
  ctx.onCleanup(stopSpinner);
  const print = (level: 'info' | 'warn' | 'debug', m: string): void => {
    spinner?.clear();
    if (level === 'warn') ctx.out.warn(m);
    else if (level === 'debug') ctx.out.debug(m);
    else ctx.out.info(m);
    if (spin && !spinner && m === 'Waiting for IP information') spinner = spin({ text: 'waiting for the appliance', stream: stderr as NodeJS.WriteStream, discardStdin: false }).start();
    spinner?.render();
  };
  const hooks: Parameters<typeof createVch>[1] = {
    log: print,
    onSession: (s) => { session = s; },
    ...(ctx.runLog ? { runLog: ctx.runLog } : {}),
    // Each round trip with its time: --debug 2 or VIC_MACHINE_TRACE=1 (which leaves the VCH's own debug level alone).
    ...((o.debug ?? 0) >= 2 || ctx.env['VIC_MACHINE_TRACE'] === '1' ? {
      onTrace: (t: TraceEvent) => ctx.out.info(`trace: ${t.method} ${t.outcome} ${t.ms.toFixed(0)} ms (${t.requestBytes} B out, ${t.responseBytes} B in)`),
    } : {}),
    onUploadProgress: (file, p) => {
      // Progress only where a person watches, and at most one line per 10 %.
      if (!stderr.isTTY || ctx.out.json) return;
      const pct = `${Math.floor((p.bytes / Math.max(1, p.total)) * 10) * 10}%`;
      if (pct !== lastProgress) ctx.out.info(`  ${file}: ${pct}`);
      lastProgress = pct;
    },
    signal: ctx.signal,
  };

  // On a terminal, choices left out (datacenter, compute resource, image store, bridge network) are offered as lists.
  const withChoices = async <T>(attempt: () => Promise<T>): Promise<T> => !ctx.interactive ? attempt()
    : (await import('../choices-prompt.js')).withChoices(attempt, request, ctx, async () => { await session?.logout(); session = undefined; });
  if (o.dryRun) {
    const { formatDryRun } = await import('../../vic/create/dry-run.js');
    const dry = await withChoices(() => planCreate(request, hooks));
    return { text: formatDryRun(dry).join('\n'), data: dry };
  }
  const result = await withChoices(() => createVch(request, hooks)).finally(stopSpinner);
  const { renderTemplateFile } = await import('../template.js');
  const text = renderTemplateFile('create-summary.txt', {
    id: result.id, adminPortal: result.adminPortal,
    publishedPortsAddress: result.publishedPortsAddress ?? result.clientIp,
    managementAddress: result.managementAddress ?? result.clientIp,
    dockerEnvLine: result.dockerEnv.map(([k, v]) => `${k}=${v}`).join(' '),
    envFile: result.envFile, dockerCommand: result.dockerCommand,
  });
  return {
    text,
    data: {
      id: result.id, name: result.name, dockerHost: result.dockerHost,
      dockerEnv: Object.fromEntries(result.dockerEnv), dockerCommand: result.dockerCommand,
      envFile: result.envFile, certPath: result.certPath, adminPortal: result.adminPortal,
      publishedPortsAddress: result.publishedPortsAddress ?? result.clientIp,
      managementAddress: result.managementAddress ?? result.clientIp, roundTrips: result.roundTrips,
    },
  };
}
