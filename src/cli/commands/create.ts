// `vic-machine create`: turns the flags into a create request, runs it (src/vic/create/create-vch.ts), and prints
// what the developer needs: the VCH ID, DOCKER_HOST, the docker command, the admin portal and the env file.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TraceEvent } from '../../vim/soap-client.js';
import type { CommandContext, CommandResult } from '../context.js';
import type { CreateOptions, Shares } from '../options.js';
import { packageVersion } from '../version.js';

/** Flags that vic_machine_create_options never records (credentials and local file paths, as the original). */
const NOT_RECORDED = new Set(['user', 'password', 'ops-password', 'tls-server-cert', 'tls-server-key', 'tls-cert-path',
  'registry-ca', 'tls-ca', 'extended-help', 'dry-run']);

function sharesValue(s: Shares | undefined): string | number | undefined {
  if (!s) return undefined;
  return s.level === 'custom' ? s.shares : s.level;
}

/** `name:value` list entries keyed by the vSphere network name (the part before the first colon). */
function byNetwork(list: readonly string[], flag: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const entry of list) {
    const i = entry.indexOf(':');
    if (i <= 0) throw Object.assign(new Error(`${flag} "${entry}" must have the form <vsphere-network>:<value>`), { cliErrorType: 'usage', flag });
    const k = entry.slice(0, i);
    out.set(k, [...(out.get(k) ?? []), entry.slice(i + 1)]);
  }
  return out;
}

function containerNetworks(o: CreateOptions) {
  const gw = byNetwork(o.containerNetworkGateway, '--container-network-gateway');
  const ranges = byNetwork(o.containerNetworkIpRange, '--container-network-ip-range');
  const dns = byNetwork(o.containerNetworkDns, '--container-network-dns');
  const fw = byNetwork(o.containerNetworkFirewall, '--container-network-firewall');
  return o.containerNetwork.map((spec) => {
    const i = spec.lastIndexOf(':');
    const vsphereName = i > 0 ? spec.slice(0, i) : spec;
    const alias = i > 0 ? spec.slice(i + 1) : spec;
    return {
      vsphereName, alias,
      ...(gw.get(vsphereName) ? { gateway: gw.get(vsphereName)![0]! } : {}),
      ...(ranges.get(vsphereName) ? { ipRange: ranges.get(vsphereName)! } : {}),
      ...(dns.get(vsphereName) ? { dns: dns.get(vsphereName)! } : {}),
      ...(fw.get(vsphereName) ? { firewall: fw.get(vsphereName)![0]! } : {}),
    };
  });
}

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
 * The ops user's password (§3.1 item 5): --ops-password needs --ops-user; --ops-grant-perms needs an ops user; an
 * ops user without a password is prompted for on a terminal, and an error without one (never the admin password).
 */
async function opsCredentials(o: CreateOptions, ctx: CommandContext): Promise<string | undefined> {
  const { UsageError } = await import('../errors.js');
  if (!o.opsUser) {
    if (o.opsPassword !== undefined) throw new UsageError('Password for operations user specified without operations username', { flag: '--ops-password', hint: 'add --ops-user <user>' });
    if (o.opsGrantPerms) throw new UsageError('Invalid use of flag: --ops-grant-perms. Cannot setup Roles and Permissions for administrative user.', { flag: '--ops-grant-perms', hint: 'add --ops-user <user> (and --ops-password)' });
    return undefined;
  }
  if (o.opsPassword !== undefined) return o.opsPassword;
  if (ctx.interactive) return ctx.promptPassword(`vSphere password for ${o.opsUser}:`);
  throw new UsageError(`no password for ops user ${o.opsUser}, and no terminal to prompt on`, { flag: '--ops-password', hint: 'pass --ops-password' });
}

/** A static address as given; a gateway alone too, so that validation refuses it rather than it being dropped. */
function staticIp(ip: string, gateway: string) {
  return ip || gateway ? { ip, ...(gateway ? { gateway } : {}) } : undefined;
}

export async function run(o: CreateOptions, ctx: CommandContext): Promise<CommandResult | void> {
  const { resolveTarget } = await import('../target.js');
  const { createVch, planCreate } = await import('../../vic/create/create-vch.js');
  const { parseVolumeStore } = await import('../../vic/validate/index.js');
  const t = await resolveTarget(o, ctx);
  await (await import('../force-trust.js')).acceptUnverifiedOnForce(t, o.force, ctx);
  const opsPassword = await opsCredentials(o, ctx);
  const name = o.name;
  const version = packageVersion();

  const volumeStores = o.volumeStore.map((spec) => {
    const v = parseVolumeStore(spec);
    if ('error' in v) throw Object.assign(new Error(`--volume-store "${spec}": ${v.error}`), { cliErrorType: 'usage', flag: '--volume-store' });
    return v;
  });
  const createOptions = ctx.given
    .filter((g) => !g.secret && !NOT_RECORDED.has(g.name))
    .flatMap((g) => recordedValues(g, o).map((v) => `--${g.name}=${g.name === 'target' ? t.url.origin + (t.datacenterPath ?? '') : v}`));
  const pub = staticIp(o.publicNetworkIp, o.publicNetworkGateway);
  const cli = staticIp(o.clientNetworkIp, o.clientNetworkGateway);
  const mgmt = staticIp(o.managementNetworkIp, o.managementNetworkGateway);

  ctx.out.info(o.dryRun ? '### Validating VCH (dry run: nothing is created) ####' : '### Installing VCH ####');
  if (!o.opsUser) ctx.out.warn('Using administrative user for VCH operation - use --ops-user to improve security (see -x for advanced help)');
  let session: { logout(): Promise<void> } | undefined;
  ctx.onCleanup(() => session?.logout());
  let lastProgress = '';
  const request: Parameters<typeof createVch>[0] = {
    target: { url: t.url, user: t.user, password: t.password, thumbprint: t.thumbprint, datacenterPath: t.datacenterPath, requestTimeoutMs: t.requestTimeoutMs },
    validate: {
      name, computeResource: o.computeResource, imageStore: o.imageStore, volumeStores,
      bridgeNetwork: o.bridgeNetwork || name, publicNetwork: o.publicNetwork,
      ...(o.clientNetwork ? { clientNetwork: o.clientNetwork } : {}),
      ...(o.managementNetwork ? { managementNetwork: o.managementNetwork } : {}),
      containerNetworks: containerNetworks(o) as never,
      staticIp: { ...(pub ? { public: pub } : {}), ...(cli ? { client: cli } : {}), ...(mgmt ? { management: mgmt } : {}) },
      ...(o.storageQuota ? { storageQuotaGB: o.storageQuota } : {}),
      affinityVmGroup: o.affinityVmGroup,
    },
    config: {
      debug: o.debug ?? 0,
      imageStore: o.imageStore, volumeStores: o.volumeStore, baseImageSize: o.baseImageSize,
      ...(o.storageQuota ? { storageQuotaGB: o.storageQuota } : {}), ...(o.containers ? { containerCount: o.containers } : {}),
      bridgeNetworkRange: o.bridgeNetworkRange, bridgeNetworkWidth: Number(o.bridgeNetworkWidth),
      dnsServers: o.dnsServer, asymmetricRoutes: o.asymmetricRoutes,
      insecureRegistries: o.insecureRegistry, whitelistRegistries: o.whitelistRegistry,
      ...(o.httpProxy ? { httpProxy: o.httpProxy } : {}), ...(o.httpsProxy ? { httpsProxy: o.httpsProxy } : {}),
      ...(o.noProxy ? { noProxy: o.noProxy } : {}), ...(o.syslogAddress ? { syslogAddress: o.syslogAddress } : {}),
      ...(o.containerNameConvention ? { containerNameConvention: o.containerNameConvention } : {}),
      affinityVmGroup: o.affinityVmGroup, opsUser: o.opsUser, opsPassword,
      ...(o.opsGrantPerms ? { opsGrantPerms: true } : {}),
      createOptions,
    },
    certificates: {
      name, cwd: ctx.cwd, noTls: o.noTls, noTlsVerify: o.noTlsverify, keySize: o.certificateKeySize, force: o.force,
      ...(o.tlsCertPath ? { certPath: o.tlsCertPath } : {}), ...(o.tlsCname ? { cname: o.tlsCname } : {}),
      ...(o.tlsCa.length ? { tlsCa: o.tlsCa } : {}), ...(o.tlsServerCert ? { serverCert: o.tlsServerCert } : {}),
      ...(o.tlsServerKey ? { serverKey: o.tlsServerKey } : {}), ...(o.organization.length ? { organization: o.organization } : {}),
      ...([cli, pub, mgmt].some((a) => a?.ip) ? { staticIp: { address: [cli, pub, mgmt].find((a) => a?.ip)!.ip } } : {}),
    },
    isos: {
      appliance: o.applianceIso, bootstrap: o.bootstrapIso,
      installerDir: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..'),
    },
    cpu: { limit: o.cpu, reservation: o.cpuReservation, shares: sharesValue(o.cpuShares) },
    memory: { limit: o.memory, reservation: o.memoryReservation, shares: sharesValue(o.memoryShares) },
    endpointCpu: o.endpointCpu, endpointMemoryMB: o.endpointMemory,
    timeoutMs: o.timeout, cwd: ctx.cwd, userAgent: `vic-machine/${version}`,
  };
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
