// vic-machine-server's command line: the flags of VIC 1.5's go-swagger server (--scheme, --host, --port, --tls-*,
// --graceful-timeout, --log-directory), with go-swagger's environment fallbacks (HOST, PORT, TLS_HOST, TLS_PORT,
// TLS_CERTIFICATE, TLS_PRIVATE_KEY, TLS_CA_CERTIFICATE), plus this server's own few (marked "not in 1.5").
// Parsed by hand, as go-swagger's flags are simple: `--flag value` or `--flag=value`, --scheme repeatable.
import path from 'node:path';

export type Scheme = 'http' | 'https';

export interface ServerOptions {
  schemes: Scheme[];
  host: string;
  /** 0 = a free port (go-swagger's default) */
  port: number;
  tlsHost: string;
  tlsPort: number;
  tlsCertificate?: string;
  tlsKey?: string;
  /** CA bundle: when given, clients must present a certificate it signed (go-swagger's --tls-ca) */
  tlsCa?: string;
  gracefulTimeoutMs: number;
  logDirectory?: string;
  /** where the ISOs are looked for, in order (not in 1.5: --iso-directory, VIC_MACHINE_SERVER_ISO_DIR) */
  isoDirectories: string[];
  /** origins allowed by CORS; none = CORS off (not in 1.5: --cors-origin, VIC_MACHINE_SERVER_CORS_ORIGIN) */
  corsOrigins: string[];
  /** where the self-signed certificate is kept between starts (not in 1.5: --state-directory) */
  stateDirectory: string;
  /** how long an idle vSphere session is kept for reuse (not in 1.5: --session-idle, default 60s) */
  sessionIdleMs: number;
  /** serve the web console at / (not in 1.5: --no-console turns it off) */
  console: boolean;
  /** how long an idle console session keeps its vSphere session (not in 1.5: --console-idle, default 15m) */
  consoleIdleMs: number;
  help: boolean;
}

export class ServerUsageError extends Error {
  override readonly name = 'ServerUsageError';
}

export const HELP = `Usage:
  vic-machine-server [OPTIONS]

The VIC 1.5 REST API for managing virtual container hosts (docs/server.md).

Application Options:
      --scheme=            the listeners to enable, repeatable: http, https (default: https)
      --graceful-timeout=  grace period for running operations when the server stops (default: 15s)
      --host=              the IP to listen on for http (default: localhost) [$HOST]
      --port=              the port to listen on for http, 0 = a free port (default: 0) [$PORT]
      --tls-host=          the IP to listen on for https (default: --host) [$TLS_HOST]
      --tls-port=          the port to listen on for https, 0 = a free port (default: 0) [$TLS_PORT]
      --tls-certificate=   the certificate to use for https (default: a self-signed one, kept in --state-directory) [$TLS_CERTIFICATE]
      --tls-key=           the private key of --tls-certificate [$TLS_PRIVATE_KEY]
      --tls-ca=            CA certificates: clients must present a certificate signed by one of them [$TLS_CA_CERTIFICATE]
      --log-directory=     write the request log to <dir>/vic-machine-server.log too (stderr always)
      --iso-directory=     where appliance and bootstrap ISOs are found, repeatable (default: the working directory,
                           then the program's package directory) [$VIC_MACHINE_SERVER_ISO_DIR, colon-separated]
      --cors-origin=       allow cross-origin requests from this origin, repeatable (default: none, CORS off)
                           [$VIC_MACHINE_SERVER_CORS_ORIGIN, comma-separated]
      --state-directory=   where the self-signed certificate is kept (default: $XDG_STATE_HOME/vic-machine-server or
                           ~/.local/state/vic-machine-server) [$VIC_MACHINE_SERVER_STATE_DIR]
      --session-idle=      how long an idle vSphere session is kept for reuse (default: 60s)
      --no-console         do not serve the web console at / (docs/console.md)
      --console-idle=      how long an idle console session keeps its vSphere session (default: 15m)

Help Options:
  -h, --help               Show this help message
`;

const VALUE_FLAGS = new Set([
  'scheme', 'host', 'port', 'tls-host', 'tls-port', 'tls-certificate', 'tls-key', 'tls-ca', 'graceful-timeout',
  'log-directory', 'iso-directory', 'cors-origin', 'state-directory', 'session-idle', 'console-idle',
]);

/** Go durations as go-swagger takes them (`15s`, `1m30s`, `500ms`); a bare number is seconds. */
export function parseGoDuration(flag: string, v: string): number {
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let total = 0;
  let consumed = '';
  for (let m = re.exec(v); m; m = re.exec(v)) {
    consumed += m[0];
    total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  }
  if (!consumed || consumed !== v) throw new ServerUsageError(`invalid value "${v}" for --${flag}: expected a duration such as 15s, 1m or 500ms`);
  return total;
}

function parsePort(flag: string, v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 65535) throw new ServerUsageError(`invalid value "${v}" for --${flag}: expected a port number 0-65535`);
  return n;
}

function defaultStateDirectory(env: NodeJS.ProcessEnv): string {
  if (env.VIC_MACHINE_SERVER_STATE_DIR) return env.VIC_MACHINE_SERVER_STATE_DIR;
  const base = env.XDG_STATE_HOME || path.join(env.HOME || '/root', '.local', 'state');
  return path.join(base, 'vic-machine-server');
}

export function parseServerArgs(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string, packageDir: string): ServerOptions {
  const values = new Map<string, string[]>();
  let help = false;
  let noConsole = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h' || a === '--help' || a === 'help') { help = true; continue; }
    if (a === '--no-console') { noConsole = true; continue; }
    const m = /^--?([a-z][a-z-]*)(?:=(.*))?$/s.exec(a);
    if (!m) throw new ServerUsageError(`unexpected argument "${a}": vic-machine-server takes flags only (see --help)`);
    const name = m[1]!;
    if (!VALUE_FLAGS.has(name)) throw new ServerUsageError(`unknown flag --${name} (see --help)`);
    let v = m[2];
    if (v === undefined) {
      v = argv[++i];
      if (v === undefined) throw new ServerUsageError(`flag --${name} needs a value`);
    }
    values.set(name, [...(values.get(name) ?? []), v]);
  }
  const one = (name: string, envName?: string): string | undefined => values.get(name)?.at(-1) ?? (envName ? env[envName] || undefined : undefined);

  const schemes = (values.get('scheme') ?? ['https']).flatMap((s) => s.split(',')).map((s) => s.trim().toLowerCase());
  for (const s of schemes) if (s !== 'http' && s !== 'https') throw new ServerUsageError(`invalid value "${s}" for --scheme: expected http or https`);
  const host = one('host', 'HOST') ?? 'localhost';
  const o: ServerOptions = {
    schemes: [...new Set(schemes)] as Scheme[],
    host,
    port: parsePort('port', one('port', 'PORT') ?? '0'),
    tlsHost: one('tls-host', 'TLS_HOST') ?? host,
    tlsPort: parsePort('tls-port', one('tls-port', 'TLS_PORT') ?? '0'),
    gracefulTimeoutMs: parseGoDuration('graceful-timeout', one('graceful-timeout') ?? '15s'),
    // each folder once: the working directory is often the package's own, and a hint naming it twice reads as a bug
    isoDirectories: [...new Set(values.get('iso-directory')?.map((d) => path.resolve(cwd, d))
      ?? (env.VIC_MACHINE_SERVER_ISO_DIR ? env.VIC_MACHINE_SERVER_ISO_DIR.split(':').filter(Boolean).map((d) => path.resolve(cwd, d)) : [cwd, packageDir]))],
    corsOrigins: values.get('cors-origin') ?? (env.VIC_MACHINE_SERVER_CORS_ORIGIN ? env.VIC_MACHINE_SERVER_CORS_ORIGIN.split(',').map((s) => s.trim()).filter(Boolean) : []),
    stateDirectory: path.resolve(cwd, one('state-directory') ?? defaultStateDirectory(env)),
    sessionIdleMs: parseGoDuration('session-idle', one('session-idle') ?? '60s'),
    console: !noConsole,
    consoleIdleMs: parseGoDuration('console-idle', one('console-idle') ?? '15m'),
    help,
  };
  const cert = one('tls-certificate', 'TLS_CERTIFICATE');
  const key = one('tls-key', 'TLS_PRIVATE_KEY');
  const ca = one('tls-ca', 'TLS_CA_CERTIFICATE');
  if (cert) o.tlsCertificate = path.resolve(cwd, cert);
  if (key) o.tlsKey = path.resolve(cwd, key);
  if (ca) o.tlsCa = path.resolve(cwd, ca);
  if (!!o.tlsCertificate !== !!o.tlsKey) {
    throw new ServerUsageError(o.tlsCertificate ? '--tls-certificate needs --tls-key (the private key of that certificate)' : '--tls-key needs --tls-certificate');
  }
  const logDir = one('log-directory');
  if (logDir) o.logDirectory = path.resolve(cwd, logDir);
  if (!o.schemes.length) throw new ServerUsageError('--scheme: at least one of http, https');
  return o;
}
