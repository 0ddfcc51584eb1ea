/**
 * Writing certificate files with the right modes, and the docker environment (`<name>.env`).
 *
 * Modes: folder 0700 (also corrected when it already exists), private keys and `cert.pfx` 0600, certificates and the
 * env file 0644. Key files are created with 0600 from the first byte (open mode, then an explicit chmod against the
 * umask) and are never overwritten. If writing fails half way, the files written so far (and a folder we created)
 * are removed again.
 */
import { chmod, mkdir, open, rm, rmdir, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { CertificateError } from './errors.js';
import type { TlsMode } from './options.js';

export const DIR_MODE = 0o700;
export const KEY_MODE = 0o600;
export const CERT_MODE = 0o644;

export interface FileToWrite {
  name: string;
  content: string | Buffer;
  mode: number;
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/** Create (0700) or fix (chmod 0700) the certificate folder. Returns whether it was created. */
export async function ensureCertDirectory(dir: string): Promise<boolean> {
  const existed = await exists(dir);
  if (!existed) await mkdir(dir, { recursive: true, mode: DIR_MODE });
  await chmod(dir, DIR_MODE);
  return !existed;
}

async function writeOne(path: string, content: string | Buffer, mode: number, overwrite: boolean): Promise<void> {
  const fh = await open(path, overwrite ? 'w' : 'wx', mode);
  try {
    await fh.chmod(mode);
    await fh.writeFile(content);
  } finally {
    await fh.close();
  }
}

/**
 * Write `files` into `dir` (created 0700 if needed, mode fixed if it exists). Existing files are never overwritten.
 * All-or-nothing: on failure, written files and a folder created here are removed, and a `CertificateError`
 * (`write-failed`, naming `--tls-cert-path`) is thrown. Returns the absolute paths written.
 */
export async function writeCertificateFiles(dir: string, files: readonly FileToWrite[], displayDir = dir): Promise<string[]> {
  const written: string[] = [];
  let created = false;
  try {
    created = await ensureCertDirectory(dir);
    for (const f of files) {
      const p = join(dir, f.name);
      await writeOne(p, f.content, f.mode, false);
      written.push(p);
    }
    return written;
  } catch (err) {
    for (const p of written.reverse()) await rm(p, { force: true }).catch(() => undefined);
    if (created) await rmdir(dir).catch(() => undefined);
    const e = err as NodeJS.ErrnoException;
    const reason = e.code === 'EEXIST' ? `${e.path ?? 'a file'} already exists` : e.code === 'EACCES' ? 'permission denied' : e.message;
    throw new CertificateError('write-failed', `Unable to write certificates to "${displayDir}": ${reason}; choose another --tls-cert-path`, {
      flag: '--tls-cert-path',
      path: displayDir,
      cause: err,
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Docker environment

export const DOCKER_TLS_PORT = 2376;
export const DOCKER_PLAIN_PORT = 2375;

export interface DockerEnvOptions {
  mode: TlsMode;
  /** Address the VCH's docker API is reached at (IP or name). */
  host: string;
  /** Default 2376 with TLS, 2375 without. */
  port?: number;
  /**
   * Absolute (or cwd-relative) cert path; required for `tlsverify`. For `tls`, give it when the folder has a
   * `ca.pem` (the self-signed server certificate we save there): docker ≥ 19.03 opens `<DOCKER_CERT_PATH>/ca.pem`
   * (default `~/.docker/ca.pem`) even with `--tls` alone and fails if it is missing (docker/cli#2468).
   */
  certPath?: string;
  cwd?: string;
}

function absolute(p: string, cwd: string | undefined): string {
  return isAbsolute(p) ? p : resolve(cwd ?? process.cwd(), p);
}

/** `host:port`, IPv6 literals in brackets. */
export function dockerHostPort(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * The docker environment variables, in vic-machine's order:
 *  - tlsverify: `DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=<absolute cert path> DOCKER_HOST=<h>:2376 COMPOSE_TLS_VERSION=TLSv1_2`
 *  - tls:       `DOCKER_HOST=<h>:2376 COMPOSE_TLS_VERSION=TLSv1_2 DOCKER_TLS=1 [DOCKER_CERT_PATH=<absolute cert path>]`
 *  - none:      `DOCKER_HOST=<h>:2375 COMPOSE_TLS_VERSION=TLSv1_2` (the original always added COMPOSE_TLS_VERSION)
 * Fixed against the original: DOCKER_CERT_PATH is the real absolute path of the cert folder (1.5 used
 * `abs(basename(path))`, wrong for any `--tls-cert-path` outside the working directory), and `--no-tlsverify` adds
 * `DOCKER_TLS=1` (docker ≥ 23 reads it) — without it docker speaks plain HTTP to the TLS port. New variables go last
 * so the line starts as before for scripts that parse it.
 */
export function dockerEnvironment(options: DockerEnvOptions): Array<[string, string]> {
  const port = options.port ?? (options.mode === 'none' ? DOCKER_PLAIN_PORT : DOCKER_TLS_PORT);
  const host = dockerHostPort(options.host, port);
  switch (options.mode) {
    case 'none':
      return [['DOCKER_HOST', host], ['COMPOSE_TLS_VERSION', 'TLSv1_2']];
    case 'tls': {
      const vars: Array<[string, string]> = [['DOCKER_HOST', host], ['COMPOSE_TLS_VERSION', 'TLSv1_2'], ['DOCKER_TLS', '1']];
      if (options.certPath) vars.push(['DOCKER_CERT_PATH', absolute(options.certPath, options.cwd)]);
      return vars;
    }
    case 'tlsverify': {
      if (!options.certPath) throw new Error('dockerEnvironment: certPath is required for tlsverify');
      const certPath = absolute(options.certPath, options.cwd);
      return [['DOCKER_TLS_VERIFY', '1'], ['DOCKER_CERT_PATH', certPath], ['DOCKER_HOST', host], ['COMPOSE_TLS_VERSION', 'TLSv1_2']];
    }
  }
}

/** Single-quote a value for POSIX shells (and dotenv/compose) when it needs it. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]*$/.test(value) ? value : `'${value.replaceAll("'", `'"'"'`)}'`;
}

/** The one-line form vic-machine printed after "Docker environment variables:" (values quoted only when needed). */
export function formatDockerEnvLine(vars: ReadonlyArray<readonly [string, string]>): string {
  return vars.map(([k, v]) => `${k}=${shellQuote(v)}`).join(' ');
}

/** File form: one `KEY=value` per line with a trailing newline (usable by `. file`, `export $(cat file)` and compose). */
export function formatDockerEnvFile(vars: ReadonlyArray<readonly [string, string]>): string {
  return vars.map(([k, v]) => `${k}=${shellQuote(v)}\n`).join('');
}

/**
 * Write `<dir>/<name>.env` (0644, replaced if present). When the folder does not exist it is created (0700) only if
 * `createDirectory` is set (the original wrote no env file with `--no-tls`, where no folder exists). Returns the path
 * written, or undefined when the folder is missing and may not be created.
 */
export async function writeDockerEnvFile(
  dir: string,
  name: string,
  vars: ReadonlyArray<readonly [string, string]>,
  options: { createDirectory?: boolean } = {},
): Promise<string | undefined> {
  if (!(await exists(dir))) {
    if (!options.createDirectory) return undefined;
    await mkdir(dir, { recursive: true, mode: DIR_MODE });
    await chmod(dir, DIR_MODE);
  }
  const p = join(dir, `${name}.env`);
  await writeOne(p, formatDockerEnvFile(vars), CERT_MODE, true);
  return p;
}

/**
 * The docker command vic-machine suggested at the end of create, e.g.
 * `docker -H 10.0.0.5:2376 --tlsverify --tlscacert="vch1/ca.pem" --tlscert="vch1/cert.pem" --tlskey="vch1/key.pem" info`.
 * With `tls` and a cert path: `docker -H h:2376 --tls --tlscacert="vch1/ca.pem" info` (the original printed no
 * `--tlscacert`, which current docker clients reject when `~/.docker/ca.pem` does not exist).
 */
export function dockerCommand(options: { mode: TlsMode; host: string; port?: number; certPath?: string; withClientCert?: boolean }): string {
  const port = options.port ?? (options.mode === 'none' ? DOCKER_PLAIN_PORT : DOCKER_TLS_PORT);
  const parts = ['docker', '-H', dockerHostPort(options.host, port)];
  const q = (f: string): string => JSON.stringify(join(options.certPath!, f));
  if (options.mode === 'tls') {
    parts.push('--tls');
    // docker ≥ 19.03 insists on reading a CA file even with --tls alone (docker/cli#2468).
    if (options.certPath) parts.push(`--tlscacert=${q('ca.pem')}`);
  }
  if (options.mode === 'tlsverify') {
    parts.push('--tlsverify');
    if (options.certPath && options.withClientCert !== false) {
      parts.push(`--tlscacert=${q('ca.pem')}`, `--tlscert=${q('cert.pem')}`, `--tlskey=${q('key.pem')}`);
    }
  }
  parts.push('info');
  return parts.join(' ');
}
