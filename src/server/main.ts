// vic-machine-server's entry: flags, the TLS certificate (made and kept when none is given, its fingerprint printed),
// the listeners, and SIGTERM/SIGINT → graceful stop → exit 0.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HELP, parseServerArgs, ServerUsageError } from './options.js';
import { startServer } from './server.js';
import { loadTlsIdentity } from './tls-identity.js';

/** The package directory (dist/server/ and src/server/ are two levels below it): ISOs next to the program. */
export const packageDir = (): string => path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let o;
  try {
    o = parseServerArgs(argv, env, process.cwd(), packageDir());
  } catch (e) {
    if (e instanceof ServerUsageError) {
      process.stderr.write(`vic-machine-server: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (o.help) {
    process.stdout.write(HELP);
    return 0;
  }
  let tls;
  try {
    if (o.schemes.includes('https')) {
      tls = await loadTlsIdentity({ tlsCertificate: o.tlsCertificate, tlsKey: o.tlsKey, tlsCa: o.tlsCa, stateDirectory: o.stateDirectory, hosts: [o.host, o.tlsHost] });
      const how = tls.source === 'given' ? `certificate ${tls.certPath}` : `${tls.source === 'new' ? 'new' : 'kept'} self-signed certificate ${tls.certPath}`;
      process.stderr.write(`TLS: ${how}\nTLS certificate SHA-256 fingerprint: ${tls.sha256}\n`);
    } else {
      process.stderr.write('WARNING: serving plain HTTP (--scheme http): credentials cross the network unencrypted\n');
    }
  } catch (e) {
    process.stderr.write(`vic-machine-server: ${(e as Error).message}\n`);
    return 2;
  }
  let server;
  try {
    server = await startServer(o, tls);
  } catch (e) {
    process.stderr.write(`vic-machine-server: cannot listen: ${(e as Error).message}\n`);
    return 1;
  }
  return new Promise<number>((resolve) => {
    const onSignal = (sig: string): void => {
      process.stderr.write(`${sig}: stopping\n`);
      server.stop().then(() => resolve(0), (e) => { process.stderr.write(`vic-machine-server: ${(e as Error).message}\n`); resolve(1); });
    };
    process.once('SIGTERM', () => onSignal('SIGTERM'));
    process.once('SIGINT', () => onSignal('SIGINT'));
  });
}
