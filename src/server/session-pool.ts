// vSphere sessions shared by the requests of one credential on one target: a request finds the session the previous
// one left (no Login), and a session nobody used for the idle period is logged out. So a client polling the list
// costs one Login per idle period at most, and no session outlives the server (closeAll on stop).
// Keyed by an HMAC of the credential with a per-process secret: the key says nothing about the password, and two
// credentials never share a session (nor a read: see coalesce).
import { createHmac, randomBytes } from 'node:crypto';
import { Session } from '../vim/session.js';
import type { CertificatePin } from '../vim/thumbprint.js';
import type { Credentials } from './auth.js';

export interface PoolTarget {
  /** https://host[:port] */
  url: URL;
  thumbprint?: CertificatePin | undefined;
}

interface Entry {
  key: string;
  session: Promise<Session>;
  users: number;
  idleTimer?: NodeJS.Timeout;
}

export interface PoolStats {
  logins: number;
  logouts: number;
  open: number;
}

export class SessionPool {
  private readonly entries = new Map<string, Entry>();
  private readonly secret = randomBytes(32);
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private closing = false;
  readonly stats: PoolStats = { logins: 0, logouts: 0, open: 0 };

  constructor(private readonly o: { idleMs: number; userAgent: string }) {}

  private keyOf(c: Exclude<Credentials, { kind: 'held' }>, t: PoolTarget): string {
    const h = createHmac('sha256', this.secret);
    h.update(JSON.stringify([c.kind, c.kind === 'basic' ? c.user : '', c.kind === 'basic' ? c.password : c.ticket, t.url.origin, String(t.thumbprint ?? '')]));
    return h.digest('hex');
  }

  private open(key: string, c: Exclude<Credentials, { kind: 'held' }>, t: PoolTarget): Entry {
    const session = Session.connect({
      url: t.url, user: c.kind === 'basic' ? c.user : 'ticket', password: c.kind === 'basic' ? c.password : '',
      ...(c.kind === 'ticket' ? { cloneTicket: c.ticket } : {}),
      trust: { thumbprint: t.thumbprint }, userAgent: this.o.userAgent,
    });
    const entry: Entry = { key, session, users: 0 };
    this.entries.set(key, entry);
    session.then(() => { this.stats.logins++; this.stats.open++; }, () => {
      // a failed login (bad password, untrusted certificate) is not kept: the next request tries again
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return entry;
  }

  /** Who a credential is, for tasks: the same user and password (any target), or any ticket holder. */
  ownerOf(c: Credentials): string {
    if (c.kind === 'ticket') return 'ticket';
    if (c.kind === 'held') return c.owner;
    return createHmac('sha256', this.secret).update(JSON.stringify([c.user, c.password])).digest('hex');
  }

  /** Runs fn with the credential's session on the target, logging in first when there is none. */
  async withSession<T>(c: Credentials, t: PoolTarget, fn: (s: Session, key: string) => Promise<T>): Promise<T> {
    if (this.closing) throw Object.assign(new Error('the server is stopping'), { cliErrorType: 'interrupted' });
    if (c.kind === 'held') {
      if (c.origin !== t.url.origin) throw Object.assign(new Error(`this session is for ${c.origin}, not ${t.url.origin}: log in to that target`), { cliErrorType: 'authentication' });
      return c.use(fn);
    }
    const key = this.keyOf(c, t);
    const entry = this.entries.get(key) ?? this.open(key, c, t);
    entry.users++;
    if (entry.idleTimer) clearTimeout(entry.idleTimer);
    entry.idleTimer = undefined;
    try {
      const s = await entry.session;
      return await fn(s, key);
    } catch (e) {
      // a session vSphere ended (and could not renew: a cloned one) is dropped, not handed to the next request
      if ((e as { faultName?: string }).faultName === 'NotAuthenticated' && this.entries.get(key) === entry) this.drop(entry);
      throw e;
    } finally {
      entry.users--;
      if (entry.users === 0 && this.entries.get(key) === entry) {
        entry.idleTimer = setTimeout(() => this.drop(entry), this.o.idleMs);
        entry.idleTimer.unref();
      }
    }
  }

  /**
   * Identical reads in flight at once share one vSphere read: `id` names the read (route and parameters) and is
   * combined with the session key, so reads are never shared across credentials.
   */
  coalesce<T>(sessionKey: string, id: string, read: () => Promise<T>): Promise<T> {
    const k = `${sessionKey}\0${id}`;
    const running = this.inFlight.get(k) as Promise<T> | undefined;
    if (running) return running;
    const p = read().finally(() => this.inFlight.delete(k));
    this.inFlight.set(k, p);
    return p;
  }

  private drop(entry: Entry): void {
    if (this.entries.get(entry.key) === entry) this.entries.delete(entry.key);
    if (entry.idleTimer) clearTimeout(entry.idleTimer);
    void entry.session.then(async (s) => {
      await s.logout();
      this.stats.logouts++;
      this.stats.open--;
    }, () => undefined);
  }

  /** Sessions in use or idle. */
  get size(): number {
    return this.entries.size;
  }

  /** Logs out every session (those still in use too: called when the server stops, after the grace period). */
  async closeAll(): Promise<void> {
    this.closing = true;
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.allSettled(all.map(async (e) => {
      if (e.idleTimer) clearTimeout(e.idleTimer);
      const s = await e.session;
      await s.logout();
      this.stats.logouts++;
      this.stats.open--;
    }));
  }
}
