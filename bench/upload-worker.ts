// One upload in its own process, so that process.resourceUsage().maxRSS is this run's peak. Spawned by main.ts with
// one JSON argument; prints one JSON line (UploadResult) on stdout.
//   mode "progress": DatastoreFiles.upload with an onProgress callback that renders a progress line to /dev/null
//   mode "plain":    DatastoreFiles.upload without onProgress
//   mode "raw":      node:https PUT, fs.createReadStream().pipe(req), Content-Length and the session cookie
//   mode "raw1m":    the same with 1 MiB reads (createReadStream's highWaterMark, as DatastoreFiles.upload uses)
//   mode "idle":     log in and out, no transfer: the RSS floor of these processes
// Every mode logs in with Session.connect first (the raw PUT needs the cookie), so the processes load the same code.
import fs from 'node:fs';
import https from 'node:https';
import { DatastoreFiles, type DatastoreRef } from '../src/vim/datastore-files.js';
import { Session } from '../src/vim/session.js';

export type UploadMode = 'progress' | 'plain' | 'raw' | 'raw1m' | 'idle';

export interface UploadJob {
  mode: UploadMode;
  url: string;
  user: string;
  password: string;
  thumbprint: string;
  file: string;
  /** datastore path of the upload */
  target: string;
  ref: DatastoreRef;
}

export interface UploadResult {
  mode: UploadMode;
  bytes: number;
  ms: number;
  /** peak resident set size of the process, bytes */
  maxRSS: number;
  /** onProgress calls (mode progress) */
  progressCalls: number;
  /** CPU time (user + system) of the whole process, ms */
  cpuMs: number;
  /** time spent inside onProgress, ms (mode progress) */
  progressMs: number;
  /** HTTP status (mode raw) */
  status?: number;
}

function rawPut(url: URL, file: string, size: number, cookie: string | undefined, highWaterMark?: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, {
      method: 'PUT',
      // The simulator's built-in certificate; the benchmark measures throughput, not trust.
      rejectUnauthorized: false,
      headers: {
        'Content-Type': 'application/octet-stream',
        'Content-Length': String(size),
        ...(cookie ? { Cookie: `vmware_soap_session=${cookie}` } : {}),
      },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    const src = highWaterMark ? fs.createReadStream(file, { highWaterMark }) : fs.createReadStream(file);
    src.on('error', reject);
    src.pipe(req);
  });
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as UploadJob;
  const { size } = fs.statSync(job.file);
  const session = await Session.connect({ url: job.url, user: job.user, password: job.password, trust: { thumbprint: job.thumbprint } });
  const files = new DatastoreFiles(session, job.ref);
  let progressCalls = 0;
  let progressMs = 0;
  let status: number | undefined;
  let ms = 0;
  const started = performance.now();
  try {
    if (job.mode === 'idle') {
      // nothing: the floor
    } else if (job.mode === 'raw' || job.mode === 'raw1m') {
      status = await rawPut(files.url(job.target), job.file, size, session.cookie, job.mode === 'raw1m' ? 1 << 20 : undefined);
      if (status < 200 || status > 299) throw new Error(`raw PUT: HTTP ${status}`);
    } else if (job.mode === 'progress') {
      const fd = fs.openSync('/dev/null', 'w');
      const startedAt = Date.now();
      try {
        await files.upload(job.file, job.target, {
          onProgress: ({ bytes, total }) => {
            const t = performance.now();
            progressCalls++;
            // What a CLI progress line costs: formatting plus one write.
            const pct = total > 0 ? (100 * bytes / total).toFixed(1) : '?';
            const secs = (Date.now() - startedAt) / 1000;
            const rate = secs > 0 ? (bytes / 1e6 / secs).toFixed(1) : '0.0';
            fs.writeSync(fd, `\rUploading ${job.target}: ${pct}% ${(bytes / 1e6).toFixed(0)}/${(total / 1e6).toFixed(0)} MB ${rate} MB/s`);
            progressMs += performance.now() - t;
          },
        });
      } finally {
        fs.closeSync(fd);
      }
    } else {
      await files.upload(job.file, job.target);
    }
    // The transfer only: from the first byte read to the server's answer (the login and logout are not timed).
    ms = performance.now() - started;
  } finally {
    await session.logout();
  }
  const ru = process.resourceUsage();
  const result: UploadResult = {
    cpuMs: (ru.userCPUTime + ru.systemCPUTime) / 1000,
    mode: job.mode, bytes: job.mode === 'idle' ? 0 : size, ms, maxRSS: ru.maxRSS * 1024, progressCalls, progressMs, status,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`upload-worker: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
