/**
 * Docker API stand-in for the VCH appliance.
 *
 * The real appliance (the VIC 1.5 ISO) cannot boot in the simulator, so tests play it: a small HTTPS (or HTTP)
 * server that answers enough of the Docker Engine API for the real `docker` client's `info` and `version` and for
 * vic-machine's own API check (`GET /info`, `/_ping`). It reports itself as vSphere Integrated Containers v1.5.8
 * speaking API 1.25 (minimum 1.19), as VIC 1.5 did.
 *
 * TLS modes follow the VCH: `clientCaPem` given → client certificates are required and verified against it
 * (tlsverify); only a server certificate → TLS without client authentication (`--no-tlsverify`); `tls: false` →
 * plain HTTP (`--no-tls`, port 2375 on a real VCH). Binds only to 127.0.0.0/8; port 0 (a free port) by default.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';

export interface DockerApiStandInOptions {
  /** Loopback address to bind, `127.0.0.1` … `127.255.255.254`. */
  host: string;
  /** Default 0 (a free port). */
  port?: number;
  /** Server certificate (chain) and key; required unless `tls` is false. */
  serverCertPem?: string;
  serverKeyPem?: string;
  /** CA bundle for client certificates: when given, clients must present a certificate it verifies (tlsverify). */
  clientCaPem?: string;
  /** Default true; false = plain HTTP. */
  tls?: boolean;
  /** VCH name reported as `Name` by `/info`. Default `vch-stand-in`. */
  name?: string;
  /** Product version reported. Default `v1.5.8`. */
  version?: string;
  /** API version reported in `/_ping` and `/version`. Default `1.25`. */
  apiVersion?: string;
}

export interface DockerApiStandIn {
  host: string;
  port: number;
  /** `tcp://host:port` for DOCKER_HOST. */
  dockerHost: string;
  /** Every request as `METHOD /path` (including rejected ones that reached HTTP), in order. */
  requests: string[];
  /** TLS handshakes refused (e.g. missing or untrusted client certificate). */
  rejectedHandshakes: number;
  /** Subject CN of each client certificate presented on accepted requests (tlsverify), in order. */
  clientCertificates: string[];
  stop(): Promise<void>;
}

export const STAND_IN_API_VERSION = '1.25';
export const STAND_IN_MIN_API_VERSION = '1.19';

function assertLoopback(host: string): void {
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m || m.slice(1).some((o) => Number(o) > 255)) {
    throw new Error(`appliance stand-in binds only to 127.0.0.0/8, not "${host}"`);
  }
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function infoBody(name: string, version: string): Record<string, unknown> {
  return {
    ID: 'VCH-STAND-IN-0000-0000-0000-0000-0000-0000',
    Containers: 0,
    ContainersRunning: 0,
    ContainersPaused: 0,
    ContainersStopped: 0,
    Images: 0,
    Driver: `vSphere Integrated Containers ${version} Backend Engine`,
    DriverStatus: [
      ['VCH CPU limit', '2419 MHz'],
      ['VCH memory limit', '3.2 GiB'],
      ['VCH CPU usage', '0 MHz'],
      ['VCH memory usage', '0 B'],
      ['VMware Product', 'VMware vCenter Server'],
      ['VMware OS', 'linux-x64'],
      ['VMware OS version', '6.5.0'],
    ],
    SystemStatus: [['Volume Stores', 'default']],
    Plugins: { Volume: ['vsphere'], Network: ['bridge'], Authorization: null, Log: ['json-file'] },
    MemoryLimit: false,
    SwapLimit: false,
    KernelMemory: false,
    CpuCfsPeriod: false,
    CpuCfsQuota: false,
    CPUShares: false,
    CPUSet: false,
    PidsLimit: false,
    IPv4Forwarding: true,
    BridgeNfIptables: true,
    BridgeNfIp6tables: true,
    Debug: false,
    NFd: 0,
    OomKillDisable: true,
    NGoroutines: 0,
    SystemTime: new Date().toISOString(),
    LoggingDriver: 'json-file',
    CgroupDriver: '',
    NEventsListener: 0,
    KernelVersion: '4.4.41-1.ph1-esx',
    OperatingSystem: 'VMware Photon OS/Linux',
    OSType: 'linux',
    Architecture: 'x86_64',
    IndexServerAddress: 'https://index.docker.io/v1/',
    RegistryConfig: { InsecureRegistryCIDRs: [], IndexConfigs: {}, Mirrors: [] },
    NCPU: 2,
    MemTotal: 3435973836,
    DockerRootDir: '',
    HttpProxy: '',
    HttpsProxy: '',
    NoProxy: '',
    Name: name,
    Labels: [],
    ExperimentalBuild: false,
    ServerVersion: version,
    ClusterStore: '',
    ClusterAdvertise: '',
    Runtimes: {},
    DefaultRuntime: '',
    Swarm: { NodeID: '', NodeAddr: '', LocalNodeState: 'inactive', ControlAvailable: false, Error: '', RemoteManagers: null },
    LiveRestoreEnabled: false,
    Isolation: '',
    InitBinary: '',
    SecurityOptions: [],
    Warnings: null,
  };
}

function versionBody(version: string, apiVersion: string): Record<string, unknown> {
  return {
    Platform: { Name: 'vSphere Integrated Containers' },
    Components: [
      {
        Name: 'Engine',
        Version: version,
        Details: { ApiVersion: apiVersion, MinAPIVersion: STAND_IN_MIN_API_VERSION, GitCommit: '9489f63', GoVersion: 'go1.8.7', Os: 'linux', Arch: 'amd64', Experimental: 'false' },
      },
    ],
    Version: version,
    ApiVersion: apiVersion,
    MinAPIVersion: STAND_IN_MIN_API_VERSION,
    GitCommit: '9489f63',
    GoVersion: 'go1.8.7',
    Os: 'linux',
    Arch: 'amd64',
    KernelVersion: '4.4.41-1.ph1-esx',
    Experimental: false,
    BuildTime: '2019-06-28T21:29:06.000000000+00:00',
  };
}

/** Start the stand-in. Resolves when it is listening. */
export async function startDockerApiStandIn(options: DockerApiStandInOptions): Promise<DockerApiStandIn> {
  assertLoopback(options.host);
  const useTls = options.tls !== false;
  if (useTls && (!options.serverCertPem || !options.serverKeyPem)) {
    throw new Error('appliance stand-in: serverCertPem and serverKeyPem are required for TLS (or pass tls: false)');
  }
  const name = options.name ?? 'vch-stand-in';
  const version = options.version ?? 'v1.5.8';
  const apiVersion = options.apiVersion ?? STAND_IN_API_VERSION;
  const requests: string[] = [];
  const clientCertificates: string[] = [];
  let rejectedHandshakes = 0;

  const commonHeaders = {
    'Api-Version': apiVersion,
    'Docker-Experimental': 'false',
    Ostype: 'linux',
    Server: `Docker/${version} (linux)`,
  };

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://stand-in');
    requests.push(`${method} ${url.pathname}${url.search}`);
    const socket = req.socket as Partial<TLSSocket>;
    if (useTls && options.clientCaPem && typeof socket.getPeerCertificate === 'function') {
      const peer = socket.getPeerCertificate();
      clientCertificates.push(peer?.subject?.CN ? String(peer.subject.CN) : '');
    }
    // Strip an optional /vX.Y version prefix.
    const m = /^\/v(\d+\.\d+)(\/.*)$/.exec(url.pathname);
    const path = m ? m[2]! : url.pathname;
    if (m && compareApi(m[1]!, apiVersion) > 0) {
      json(res, 400, { message: `client version ${m[1]} is too new. Maximum supported API version is ${apiVersion}` }, commonHeaders);
      return;
    }
    if (path === '/_ping' && (method === 'GET' || method === 'HEAD')) {
      res.writeHead(200, { ...commonHeaders, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': '2', 'Cache-Control': 'no-cache, no-store, must-revalidate', Pragma: 'no-cache' });
      res.end(method === 'HEAD' ? undefined : 'OK');
      return;
    }
    if (path === '/info' && method === 'GET') return json(res, 200, infoBody(name, version), commonHeaders);
    if (path === '/version' && method === 'GET') return json(res, 200, versionBody(version, apiVersion), commonHeaders);
    json(res, 404, { message: `page not found: ${method} ${url.pathname}` }, commonHeaders);
  };

  let server: Server;
  if (useTls) {
    const tlsOptions: Parameters<typeof createHttpsServer>[0] = { cert: options.serverCertPem!, key: options.serverKeyPem!, minVersion: 'TLSv1.2' };
    if (options.clientCaPem) {
      tlsOptions.ca = options.clientCaPem;
      tlsOptions.requestCert = true;
      tlsOptions.rejectUnauthorized = true;
    }
    server = createHttpsServer(tlsOptions, handler);
    server.on('tlsClientError', () => {
      rejectedHandshakes += 1;
    });
  } else {
    server = createHttpServer(handler);
  }
  server.keepAliveTimeout = 1000;
  server.listen(options.port ?? 0, options.host);
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;

  const standIn: DockerApiStandIn = {
    host: options.host,
    port,
    dockerHost: `tcp://${options.host}:${port}`,
    requests,
    get rejectedHandshakes() {
      return rejectedHandshakes;
    },
    clientCertificates,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return standIn;
}

function compareApi(a: string, b: string): number {
  const [a1, a2] = a.split('.').map(Number);
  const [b1, b2] = b.split('.').map(Number);
  return a1! !== b1! ? a1! - b1! : a2! - b2!;
}
