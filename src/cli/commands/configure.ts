// `vic-machine configure` (reference §1.3, §5.3): changes an existing VCH. Only the flags given change anything.
// Order: the flags are checked (before connecting); the VCH is located; every rule is applied to its decoded
// configuration (src/vic/configure: container networks and volume stores can only be added, "" clears proxies,
// syslog and DNS, ...) and ALL problems are reported at once, before any change; certificates are regenerated or
// replaced only when a TLS flag asks for it; then the changes run under the maintenance runner shared with upgrade
// (lock, snapshot `reconfigure for <build>`, revert on failure): pool allocation, volume-store folders, power off,
// new configuration, power on, wait for the appliance. --reset-progress and --rollback as upgrade's.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CommandContext, CommandResult } from '../context.js';
import type { ConfigureOptions } from '../options.js';

const CERT_NOT_REQUESTED = 'No certificate regeneration requested. No new certificates provided. Certificates left unchanged.';

export async function run(options: ConfigureOptions, ctx: CommandContext): Promise<CommandResult | void> {
  const { UsageError, CliError } = await import('../errors.js');
  const { openVch } = await import('../open-vch.js');
  const { parseConfigureFlags, certificatesRequested } = await import('../../vic/configure/request.js');

  // -- before connecting: flags (the ops flags' rules and the container networks' parser are create's too)
  const ops = (await import('../../vic/spec/flags.js')).opsProblems(options);
  if (ops.length) throw new UsageError(ops[0]!.message, { code: 'flag-needs-another', flag: ops[0]!.flag, hint: 'add --ops-user <user> (and --ops-password)' });
  const given = new Set(ctx.given.map((g) => g.name));
  const { preflightConfigure, PreflightError } = await import('../../vic/validate/preflight.js');
  const preflight = preflightConfigure({
    dnsServers: options.dnsServer, httpProxy: options.httpProxy, httpsProxy: options.httpsProxy, syslogAddress: options.syslogAddress, volumeStores: options.volumeStore,
  });
  if (preflight.length) throw new PreflightError(preflight);
  const parsed = parseConfigureFlags(options, given);
  if (options.affinityVmGroup !== undefined) parsed.request.affinityVmGroup = options.affinityVmGroup;
  if (options.opsUser) {
    let password = options.opsPassword;
    if (password === undefined) {
      if (!ctx.interactive) throw new UsageError(`no password for ops user ${options.opsUser}, and no terminal to prompt on`, { code: 'no-terminal', flag: '--ops-password', hint: 'pass --ops-password' });
      password = await ctx.promptPassword(`vSphere password for ${options.opsUser}:`);
    }
    parsed.request.ops = { user: options.opsUser, password, ...(options.opsGrantPerms !== undefined ? { grantPerms: options.opsGrantPerms } : {}) };
  }
  if (given.has('registry-ca')) {
    const { checkRegistryCa } = await import('../../vic/validate/preflight.js');
    const pems = options.registryCa.filter((f) => f !== '').map((f) => {
      let pem: Buffer;
      try {
        pem = fs.readFileSync(path.resolve(ctx.cwd, f));
      } catch (e) {
        throw new UsageError(`Failed to load registry CA from file ${f}: ${(e as Error).message}`, { code: 'file-unreadable', flag: '--registry-ca' });
      }
      const wrong = checkRegistryCa(f, pem.toString('latin1'));
      if (wrong.length) throw new PreflightError(wrong);
      return pem;
    });
    parsed.request.registryCaPem = new Uint8Array(Buffer.concat(pems));
  }
  if (!!options.tlsServerCert !== !!options.tlsServerKey) {
    throw new UsageError('key and cert should be specified at the same time', { code: 'flag-needs-another', flag: options.tlsServerCert ? '--tls-server-key' : '--tls-server-cert' });
  }
  const newCerts = certificatesRequested(options);

  // -- the VCH and the plan
  const { CONFIGURE_INVENTORY_PATHS, prepareConfigure, readSecretKey, runConfigure, dockerEndpointAfter } = await import('../../vic/configure/configure-vch.js');
  const located = await openVch(options, ctx, options.rollback ? '### Rolling back VCH ####' : '### Configuring VCH ####', CONFIGURE_INVENTORY_PATHS);
  const { vch, session, scope, target } = located;
  const log = (await import('../maintenance-command.js')).maintenanceLog(ctx);
  if (options.resetProgress) {
    return (await import('../maintenance-command.js')).resetProgress(ctx, session, vch);
  }
  if (options.rollback) {
    const { rollbackVch } = await import('../../vic/upgrade/upgrade.js');
    const r = await rollbackVch({ session, scope, vch, timeoutMs: options.timeout, user: target.user, clientHost: os.hostname(), log, signal: ctx.signal });
    ctx.out.info('Completed successfully');
    return { data: { id: vch.id, name: vch.name, rolledBackTo: r.snapshot, version: r.version }, text: `VCH ${vch.name} rolled back to "${r.snapshot}"` };
  }
  // --thumbprint: the configuration records the SHA-1 of the certificate this connection was verified with
  if (target.thumbprint && session.serverCertificate) parsed.request.thumbprint = session.serverCertificate.sha1;
  const input = { ...parsed, secretKey: await readSecretKey(session, located) };
  let prepared = prepareConfigure(located, input);
  const problems = prepared.plan.problems;
  if (problems.length) {
    for (const p of problems) ctx.out.error(`${p.message}${p.hint ? `\n\t${p.hint}` : ''}`);
    const first = problems[0]!;
    throw new CliError('validation', problems.length === 1 ? first.message : `${problems.length} problems with the configuration (listed above); the first: ${first.message}`,
      { code: first.code, flag: first.flag, ...(first.hint ? { hint: first.hint } : {}), problems: problems.map((p) => ({ code: p.code, flag: p.flag, message: p.message, ...(p.hint ? { fix: p.hint } : {}) })) });
  }
  let written: { dir: string; files: string[]; createdDir: boolean } | undefined;
  let client: { certPem: string; keyPem: string } | undefined;
  if (!newCerts) {
    ctx.out.info(CERT_NOT_REQUESTED);
  } else {
    const certs = await newCertificates(options, ctx, vch.name, prepared.decoded.config);
    written = certs.written;
    client = certs.client;
    prepared = prepareConfigure(located, { ...input, request: { ...input.request, certificates: certs.pems } });
  }
  try {
    return await apply();
  } catch (e) {
    // certificates generated for a configure that did not happen are removed again
    if (written) {
      for (const f of written.files) fs.rmSync(f, { force: true });
      if (written.createdDir) fs.rmSync(written.dir, { recursive: true, force: true });
    }
    throw e;
  }

  async function apply(): Promise<CommandResult> {
    for (const c of [...prepared.plan.changes, ...(prepared.pool?.changes ?? [])]) ctx.out.info(`Change: ${c}`);
    if (prepared.empty) {
      ctx.out.info('The VCH already has this configuration: nothing to change');
      ctx.out.info('Completed successfully');
      return { data: { id: vch.id, name: vch.name, changes: [], changed: false }, text: 'No changes.' };
    }
    client ??= clientCertificate(ctx, options, vch.name);
    const report = await runConfigure({
      session, located, prepared, timeoutMs: options.timeout, user: target.user, clientHost: os.hostname(), log, signal: ctx.signal,
      ...(dockerEndpointAfter(prepared, client) ? { docker: dockerEndpointAfter(prepared, client)! } : {}),
    });
    await session.logout();
    ctx.out.info('Completed successfully');
    const changes = [...prepared.plan.changes, ...(prepared.pool?.changes ?? [])];
    return {
      data: { id: vch.id, name: vch.name, changed: true, changes, snapshot: report.snapshot, removedSnapshots: report.removedSnapshots },
      text: [`VCH ${vch.name} (${vch.id}) configured; rollback point: snapshot "${report.snapshot}" (configure --rollback)`, ...changes.map((c) => `  ${c}`)].join('\n'),
    };
  }
}

/**
 * New server certificate (and CA and client certificate with client verification) for `--tls-*` (§5.3 step 8, §6.4),
 * made by the domain's configure certificates (src/vic/configure/new-certificates.ts): the certificate folder must not
 * exist yet, so nothing a user has is overwritten.
 */
async function newCertificates(o: ConfigureOptions, ctx: CommandContext, name: string, conf: import('../../vic/config/index.js').VirtualContainerHostConfigSpec) {
  const { UsageError } = await import('../errors.js');
  const certPath = o.tlsCertPath || name;
  const dir = path.resolve(ctx.cwd, certPath);
  if (fs.existsSync(dir)) {
    throw new UsageError(`Specified or default certificate output location "${certPath}" already exists. Specify a location that does not yet exist with --tls-cert-path to continue`,
      { code: 'certificate-location-exists', flag: '--tls-cert-path', hint: 'configure never writes into an existing certificate folder' });
  }
  const made = await (await import('../../vic/configure/new-certificates.js')).newCertificates({
    name, cwd: ctx.cwd, certPath, config: conf, noTlsVerify: o.noTlsverify, keySize: o.certificateKeySize, force: o.force,
    ...(o.tlsCname ? { cname: o.tlsCname } : {}), ...(o.tlsCa.length ? { tlsCa: o.tlsCa } : {}),
    ...(o.tlsServerCert ? { serverCert: o.tlsServerCert } : {}), ...(o.tlsServerKey ? { serverKey: o.tlsServerKey } : {}),
    ...(o.organization.length ? { organization: o.organization } : {}),
    onLog: (e) => (e.level === 'warn' ? ctx.out.warn(e.message) : e.level === 'error' ? ctx.out.error(e.message) : ctx.out.info(e.message)),
  });
  return { pems: made.certificates, written: { dir, files: made.written, createdDir: true }, ...(made.client ? { client: made.client } : {}) };
}

/** The client certificate for checking the Docker API afterwards: cert.pem/key.pem in --tls-cert-path or ./<name>. */
function clientCertificate(ctx: CommandContext, o: ConfigureOptions, name: string): { certPem: string; keyPem: string } | undefined {
  const dir = path.resolve(ctx.cwd, o.tlsCertPath || name);
  try {
    return { certPem: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8'), keyPem: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8') };
  } catch {
    return undefined;
  }
}
