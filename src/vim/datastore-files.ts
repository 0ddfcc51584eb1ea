// Datastore files: HTTP transfers through /folder/<path>?dcPath=<datacenter path>&dsName=<datastore> (the session
// cookie, an explicit Content-Length, constant memory, whole-file retries with back-off), and the FileManager /
// HostDatastoreBrowser methods for mkdir, delete and list. The HTTP requests share the SOAP client's agent, so the
// target's certificate is trusted (or pinned) exactly as for SOAP.
import fs from 'node:fs';
import https from 'node:https';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { Readable, Transform, Writable } from 'node:stream';
import { TransportError, VimFault } from './faults.js';
import { DeleteDatastoreFile_Task, MakeDirectory, SearchDatastore_Task } from './methods.generated.js';
import { outsideText } from './secrets.js';
import { retrieveOne } from './property-collector.js';
import type { Session } from './session.js';
import { runTask } from './task.js';
import type { MoRef } from './types.js';

export interface TransferProgress {
  bytes: number;
  total: number;
}

export interface TransferOptions {
  /** called at most every `progressIntervalMs` and once at the end */
  onProgress?: (p: TransferProgress) => void;
  progressIntervalMs?: number;
  /** whole-file attempts on network errors and 5xx answers */
  attempts?: number;
  /** first back-off delay; doubles each attempt */
  backoffMs?: number;
  signal?: AbortSignal;
}

export interface DatastoreFileInfo {
  path: string;
  size?: number;
  modification?: string;
  type?: string;
}

export interface DatastoreRef {
  /** datacenter inventory path without the leading slash, e.g. "DC0" or "Folder/DC1" */
  datacenterPath: string;
  datacenter: MoRef;
  datastoreName: string;
  datastore: MoRef;
}

/** "[LocalDS_0] vch1/vch1.vmx" */
export function datastorePath(datastoreName: string, path: string): string {
  return `[${datastoreName}] ${path.replace(/^\/+/, '')}`;
}

/** Parses "[LocalDS_0] vch1/vch1.vmx" into its datastore and path. */
export function parseDatastorePath(p: string): { datastore: string; path: string } | undefined {
  const m = /^\[([^\]]+)\]\s*(.*)$/.exec(p);
  return m ? { datastore: m[1]!, path: m[2]! } : undefined;
}

function progressCounter(total: number, o: TransferOptions): Transform {
  let bytes = 0;
  let last = 0;
  const every = o.progressIntervalMs ?? 100;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      const now = Date.now();
      if (o.onProgress && now - last >= every) {
        last = now;
        o.onProgress({ bytes, total });
      }
      cb(null, chunk);
    },
    flush(cb) {
      o.onProgress?.({ bytes, total });
      cb();
    },
  });
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> => new Promise((resolve, reject) => {
  const t = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => { clearTimeout(t); reject(signal.reason); }, { once: true });
});

export class DatastoreFiles {
  constructor(private readonly session: Session, readonly ref: DatastoreRef) {}

  /** https://<target>/folder/<path>?dcPath=...&dsName=... */
  url(path: string): URL {
    const base = this.session.client.url;
    const u = new URL(`/folder/${path.replace(/^\/+/, '').split('/').map(encodeURIComponent).join('/')}`, base);
    // On ESXi the datacenter path is ignored (ha-datacenter); sending it is harmless.
    u.searchParams.set('dcPath', this.ref.datacenterPath);
    u.searchParams.set('dsName', this.ref.datastoreName);
    return u;
  }

  /** Starts a /folder request (counted as a round trip, like SOAP calls). */
  private request(method: string, path: string, headers: Record<string, string>, signal?: AbortSignal): ClientRequest {
    this.countHttp(method);
    const u = this.url(path);
    const cookie = this.session.cookie;
    const started = performance.now();
    const requestBytes = Number(headers['Content-Length'] ?? 0);
    let traced = false;
    const trace = (outcome: string, responseBytes: number): void => {
      if (traced) return;
      traced = true;
      this.session.client.trace({ method: `HTTP ${method} ${path}`, ms: performance.now() - started, outcome, requestBytes, responseBytes });
    };
    const req = https.request({
      protocol: u.protocol, hostname: u.hostname, port: u.port || 443, path: u.pathname + u.search, method,
      agent: this.session.client.agent, signal,
      headers: { 'User-Agent': this.session.client.userAgent, ...(cookie ? { Cookie: `vmware_soap_session=${cookie}` } : {}), ...headers },
    });
    // Listening for 'end' (not 'data') leaves the response paused for whoever reads it.
    req.on('response', (res) => {
      const bytes = Number(res.headers['content-length'] ?? 0);
      res.once('end', () => trace(`HTTP ${res.statusCode}`, bytes));
      res.once('error', (e: NodeJS.ErrnoException) => trace(e.code ?? 'error', bytes));
    });
    req.on('error', (e: NodeJS.ErrnoException) => trace(e.code ?? e.name, 0));
    // A transfer has no overall deadline (an ISO over a slow link takes what it takes), but one that moves no byte in
    // either direction for the request timeout has stalled: it fails (and is retried) instead of hanging the command.
    const stallMs = this.session.client.requestTimeoutMs;
    req.setTimeout(stallMs, () => req.destroy(new TransportError(
      `HTTP ${method} of ${path} on ${this.ref.datastoreName} stalled: no data moved for ${Math.round(stallMs / 1000)} s`, 'ETIMEDOUT')));
    return req;
  }

  /** The response of a request; connection errors become TransportErrors naming `what` (trust errors pass as they are). */
  private responseOf(req: ClientRequest, what: string): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      req.on('response', resolve);
      req.on('error', (e: NodeJS.ErrnoException) => reject(e instanceof TransportError || e.name === 'TlsTrustError' ? e
        : new TransportError(`${what}: ${outsideText(e.message)}`, e.code)));
    });
  }

  private countHttp(method: string): void {
    const k = `HTTP ${method}`;
    this.session.client.roundTrips.set(k, (this.session.client.roundTrips.get(k) ?? 0) + 1);
  }

  /** Uploads a local file, streaming it with its exact Content-Length; retries the whole file on failure. */
  async upload(localFile: string, path: string, o: TransferOptions = {}): Promise<void> {
    const { size } = await fs.promises.stat(localFile);
    await this.withRetries(`upload of ${path}`, o, () =>
      this.putStream(fs.createReadStream(localFile, { highWaterMark: 1 << 20 }), size, path, o));
  }

  /** Uploads bytes held in memory (small files: logs, .vmx edits). */
  async uploadBuffer(data: Buffer | string, path: string, o: TransferOptions = {}): Promise<void> {
    const buf = Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8');
    await this.withRetries(`upload of ${path}`, o, () => this.putStream(Readable.from([buf]), buf.length, path, o));
  }

  private async putStream(source: Readable, size: number, path: string, o: TransferOptions): Promise<void> {
    const what = `upload of ${path} to ${this.ref.datastoreName}`;
    const req = this.request('PUT', path, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(size) }, o.signal);
    // The server's answer decides: a 2xx answer to a request with an exact Content-Length means it has every byte.
    // Waiting for the request stream to report its own end as well (stream.pipeline on the ClientRequest) could
    // hang after a 200 had arrived: seen under load, both ISOs answered 200 and the upload never returned.
    const counter = progressCounter(size, o);
    const failed = new Promise<never>((_, reject) => {
      const fail = (e: NodeJS.ErrnoException): void => reject(e instanceof TransportError ? e : new TransportError(`${what}: ${outsideText(e.message)}`, e.code));
      source.once('error', fail);
      counter.once('error', fail);
    });
    failed.catch(() => undefined); // settled after success when the streams are torn down: not an unhandled rejection
    const response = this.responseOf(req, what).then((res) => {
      res.resume();
      const s = res.statusCode ?? 0;
      if (s !== 200 && s !== 201 && s !== 204) throw new TransportError(`${what}: HTTP ${s} ${outsideText(res.statusMessage ?? '')}`.trim(), undefined, s);
    });
    source.pipe(counter).pipe(req);
    try {
      await Promise.race([response, failed]);
    } finally {
      source.unpipe(counter);
      counter.unpipe(req);
      if (!source.destroyed) source.destroy();
      // An answer before the request was fully written (an error status) leaves the socket in an unknown state.
      if (!req.writableFinished) req.destroy();
    }
  }

  /** Downloads a file to a local path or a stream; resolves to the number of bytes. */
  async download(path: string, dest: string | Writable, o: TransferOptions = {}): Promise<number> {
    return this.withRetries(`download of ${path}`, o, async () => {
      const req = this.request('GET', path, {}, o.signal);
      req.end();
      const res = await this.responseOf(req, `download of ${path}`);
      const s = res.statusCode ?? 0;
      if (s === 404) {
        res.resume();
        throw new VimFault('FileNotFound', `File [${this.ref.datastoreName}] ${path} was not found`, { file: path });
      }
      if (s !== 200) {
        res.resume();
        throw new TransportError(`download of ${path}: HTTP ${s}`, undefined, s);
      }
      const total = Number(res.headers['content-length'] ?? -1);
      let bytes = 0;
      const count = progressCounter(total, { ...o, onProgress: (p) => { bytes = p.bytes; o.onProgress?.(p); } });
      const out = typeof dest === 'string' ? fs.createWriteStream(dest) : dest;
      await pipeline(res, count, out);
      if (total >= 0 && bytes !== total) throw new TransportError(`download of ${path}: got ${bytes} of ${total} bytes`, 'ECONNRESET');
      return bytes;
    });
  }

  /** Reads a small file into memory. */
  async read(path: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    await this.download(path, new Writable({ write(c: Buffer, _e, cb) { chunks.push(c); cb(); } }));
    return Buffer.concat(chunks);
  }

  /** Size of a file, undefined when it does not exist; retried like the transfers (a HEAD changes nothing). */
  /**
   * Whether a file or folder exists (one HEAD request, retried like stat). A folder answers with a redirect to its
   * listing (HTTP 301/302), which stat takes for an error.
   */
  async exists(path: string, o: TransferOptions = {}): Promise<boolean> {
    return this.withRetries(`stat of ${path}`, o, async () => {
      const req = this.request('HEAD', path, {}, o.signal);
      req.end();
      const res = await this.responseOf(req, `stat of ${path}`);
      res.resume();
      const s = res.statusCode ?? 0;
      if (s === 404) return false;
      if (s === 200 || (s >= 300 && s < 400)) return true;
      throw new TransportError(`stat of ${path}: HTTP ${s}`, undefined, s);
    });
  }

  async stat(path: string, o: TransferOptions = {}): Promise<{ size: number } | undefined> {
    return this.withRetries(`stat of ${path}`, o, async () => {
      const req = this.request('HEAD', path, {}, o.signal);
      req.end();
      const res = await this.responseOf(req, `stat of ${path}`);
      res.resume();
      if (res.statusCode === 404) return undefined;
      if (res.statusCode !== 200) throw new TransportError(`stat of ${path}: HTTP ${res.statusCode}`, undefined, res.statusCode);
      return { size: Number(res.headers['content-length'] ?? 0) };
    });
  }

  /** Creates a directory (and its parents). An existing directory is not an error. */
  async mkdir(path: string): Promise<void> {
    const fm = this.session.content.fileManager;
    if (!fm) throw new VimFault('NotSupported', 'the target has no file manager');
    try {
      await MakeDirectory(this.session, {
        _this: fm, name: datastorePath(this.ref.datastoreName, path), datacenter: this.ref.datacenter, createParentDirectories: true,
      });
    } catch (e) {
      if (e instanceof VimFault && e.faultName === 'FileAlreadyExists') return;
      throw e;
    }
  }

  /** Deletes a file or a directory with its contents. A missing file is not an error. */
  async remove(path: string): Promise<void> {
    const fm = this.session.content.fileManager;
    if (!fm) throw new VimFault('NotSupported', 'the target has no file manager');
    try {
      await runTask(this.session, DeleteDatastoreFile_Task, {
        _this: fm, name: datastorePath(this.ref.datastoreName, path), datacenter: this.ref.datacenter,
      });
    } catch (e) {
      if (e instanceof VimFault && e.faultName === 'FileNotFound') return;
      throw e;
    }
  }

  /** Files directly in a directory (HostDatastoreBrowser.SearchDatastore_Task). */
  async list(dir: string): Promise<DatastoreFileInfo[]> {
    const { browser } = await retrieveOne<{ browser: MoRef }>(this.session, this.ref.datastore, ['browser']);
    try {
      const res = await runTask(this.session, SearchDatastore_Task, {
        _this: browser, datastorePath: datastorePath(this.ref.datastoreName, dir),
        searchSpec: { details: { fileType: true, fileSize: true, modification: true, fileOwner: false }, matchPattern: ['*'] },
      });
      return (res?.file ?? []).map((f) => ({
        path: f.path, size: f.fileSize, modification: f.modification, type: f._type,
      }));
    } catch (e) {
      if (e instanceof VimFault && e.faultName === 'FileNotFound') return [];
      throw e;
    }
  }

  private async withRetries<T>(_what: string, o: TransferOptions, attempt: () => Promise<T>): Promise<T> {
    const attempts = o.attempts ?? 3;
    let delay = o.backoffMs ?? 1000;
    for (let i = 1; ; i++) {
      try {
        return await attempt();
      } catch (e) {
        const status = (e as TransportError).statusCode;
        const retryable = e instanceof TransportError && (status === undefined || status >= 500);
        if (!retryable || i >= attempts || o.signal?.aborted) throw e;
        await sleep(delay, o.signal);
        delay *= 2;
      }
    }
  }
}
