// The server's log: one line per request (time, method, route template, status, duration) and the server's own
// events, to stderr and, with --log-directory, to <dir>/vic-machine-server.log. Lines carry route templates and
// parameters that are not secret (target host, VCH id), never a header, a body, a credential or a ticket.
import fs from 'node:fs';
import path from 'node:path';

export const LOG_FILE = 'vic-machine-server.log';

export class RequestLog {
  private readonly file: fs.WriteStream | undefined;

  constructor(logDirectory: string | undefined, private readonly stderr: { write(s: string): unknown } = process.stderr) {
    if (logDirectory) {
      fs.mkdirSync(logDirectory, { recursive: true, mode: 0o700 });
      this.file = fs.createWriteStream(path.join(logDirectory, LOG_FILE), { flags: 'a', mode: 0o600 });
    }
  }

  private write(line: string): void {
    const l = `${new Date().toISOString()} ${line}\n`;
    this.stderr.write(l);
    this.file?.write(l);
  }

  info(message: string): void {
    this.write(message);
  }

  /** `request GET /container/target/{target}/vch 200 12ms target=127.0.0.1:8989` */
  request(method: string, route: string, status: number, ms: number, extra: Record<string, string | undefined> = {}): void {
    const kv = Object.entries(extra).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => `${k}=${JSON.stringify(v).slice(1, -1).replace(/\s/g, '_')}`);
    this.write(`request ${method} ${route} ${status} ${Math.round(ms)}ms${kv.length ? ` ${kv.join(' ')}` : ''}`);
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.file ? this.file.end(resolve) : resolve()));
  }
}
