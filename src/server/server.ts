// The listeners (https by default, http only when --scheme http asks for it), TLS 1.2 and later, client
// certificates when --tls-ca is given, and the graceful stop: no new requests, running operations get the grace
// period to finish and are then cancelled (they roll back), every vSphere session is logged out.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { createApp } from './app.js';
import { servedSpec } from './api-spec.js';
import type { ServerContext } from './context.js';
import type { ServerOptions } from './options.js';
import { RequestLog } from './request-log.js';
import { Router } from './router.js';
import { allRoutes } from './routes/index.js';
import { SessionPool } from './session-pool.js';
import { TaskRegistry } from './tasks.js';
import type { TlsIdentity } from './tls-identity.js';
import { packageVersion } from '../vic/package-version.js';
import { mountConsole } from './console/mount.js';

export interface RunningServer {
  urls: string[];
  context: ServerContext;
  /** stops as on SIGTERM; resolves when every operation ended and every session is logged out */
  stop(): Promise<void>;
}

export async function startServer(o: ServerOptions, tls: TlsIdentity | undefined, stderr: { write(s: string): unknown } = process.stderr): Promise<RunningServer> {
  const mounted = o.console ? mountConsole(o) : undefined;
  const apiRoutes = allRoutes();
  const routes = [...apiRoutes, ...(mounted?.routes ?? [])];
  const spec = mounted ? mounted.spec(servedSpec(apiRoutes)) : servedSpec(apiRoutes);
  const stopping = new AbortController();
  const log = new RequestLog(o.logDirectory, stderr);
  const context: ServerContext = {
    pool: new SessionPool({ idleMs: o.sessionIdleMs, userAgent: `vic-machine-server/${packageVersion()}` }),
    isoDirectories: o.isoDirectories, log, spec: () => spec, stopping: stopping.signal, tasks: new TaskRegistry(), busy: new Map(),
  };
  const app = createApp({ router: new Router(routes), server: context, corsOrigins: o.corsOrigins });
  const handle = mounted ? mounted.front(app.handle, log) : app.handle;
  const servers: (http.Server | https.Server)[] = [];
  const sockets = new Set<Socket>();
  const urls: string[] = [];
  const listen = async (s: http.Server | https.Server, scheme: string, host: string, port: number): Promise<void> => {
    s.on('connection', (c: Socket) => { sockets.add(c); c.once('close', () => sockets.delete(c)); });
    s.on('secureConnection', (c: Socket) => { sockets.add(c); c.once('close', () => sockets.delete(c)); });
    await new Promise<void>((resolve, reject) => { s.once('error', reject); s.listen(port, host, () => { s.off('error', reject); resolve(); }); });
    const a = s.address() as AddressInfo;
    const shown = a.family === 'IPv6' ? `[${a.address}]` : a.address;
    urls.push(`${scheme}://${shown}:${a.port}`);
    servers.push(s);
  };
  if (o.schemes.includes('https')) {
    if (!tls) throw new Error('https needs a certificate');
    const s = https.createServer({
      key: tls.key, cert: tls.cert, minVersion: 'TLSv1.2',
      ...(tls.ca ? { ca: tls.ca, requestCert: true, rejectUnauthorized: true } : {}),
    }, handle);
    await listen(s, 'https', o.tlsHost, o.tlsPort);
  }
  if (o.schemes.includes('http')) await listen(http.createServer(handle), 'http', o.host, o.port);
  for (const u of urls) log.info(`Serving vic-machine-server at ${u}/container`);

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopped ??= (async () => {
    log.info(`Stopping: no new requests; ${context.tasks.running().length} operations running, grace period ${o.gracefulTimeoutMs / 1000}s`);
    const closed = Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    for (const s of servers) (s as http.Server).closeIdleConnections?.();
    const deadline = Date.now() + o.gracefulTimeoutMs;
    while ((app.active() > 0 || context.tasks.running().length > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (context.tasks.running().length) {
      log.info(`Grace period over: cancelling ${context.tasks.running().length} operations (they roll back)`);
      stopping.abort();
      await context.tasks.cancelAll();
    }
    // answers of cancelled operations get a moment to go out
    const drain = Date.now() + 2000;
    while (app.active() > 0 && Date.now() < drain) await new Promise((r) => setTimeout(r, 50));
    for (const c of sockets) c.destroy();
    await closed;
    const n = context.pool.size;
    await context.pool.closeAll();
    await mounted?.close();
    log.info(`Stopped: ${n} vSphere sessions logged out`);
    await log.close();
  })());
  return { urls, context, stop };
}
