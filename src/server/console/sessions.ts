// The console's sessions: a random id (the HttpOnly cookie) mapped to a vSphere session held on the server for the
// console session's life, apart from the API's pool (whose sessions are shared per credential for a short reuse).
// A session nobody used for the idle period is logged out; "log out" and the server's stop log it out at once.
// The browser never holds a credential: only the cookie (not readable by script) and the CSRF token of the session.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Session } from '../../vim/session.js';

export interface ConsoleSession {
  id: string;
  /** sent with every change (X-CSRF-Token), compared in constant time */
  csrf: string;
  user: string;
  /** host[:port] as the admin typed it, and its origin for the API's {target} check */
  target: string;
  origin: string;
  datacenter?: string | undefined;
  session: Session;
  lastUsed: number;
  /** requests and tasks running on it: a session in use does not idle out */
  users: number;
}

export class ConsoleSessions {
  private readonly sessions = new Map<string, ConsoleSession>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(readonly idleMs: number) {
    this.sweeper = setInterval(() => this.sweep(), Math.min(30_000, Math.max(1000, idleMs / 4)));
    this.sweeper.unref();
  }

  add(o: Omit<ConsoleSession, 'id' | 'csrf' | 'lastUsed' | 'users'>): ConsoleSession {
    const s: ConsoleSession = { ...o, id: randomBytes(32).toString('base64url'), csrf: randomBytes(32).toString('base64url'), lastUsed: Date.now(), users: 0 };
    this.sessions.set(s.id, s);
    return s;
  }

  /** The live session of a cookie value (touched), or undefined when unknown or idle too long. */
  get(id: string | undefined): ConsoleSession | undefined {
    if (!id) return undefined;
    const s = this.sessions.get(id);
    if (!s) return undefined;
    if (s.users === 0 && Date.now() - s.lastUsed > this.idleMs) {
      void this.end(s.id);
      return undefined;
    }
    s.lastUsed = Date.now();
    return s;
  }

  static csrfMatches(s: ConsoleSession, token: string | undefined): boolean {
    if (!token) return false;
    const a = Buffer.from(s.csrf);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** Runs fn with the held vSphere session; the console session cannot idle out meanwhile (a long task). */
  async use<T>(s: ConsoleSession, fn: (session: Session) => Promise<T>): Promise<T> {
    s.users++;
    try {
      return await fn(s.session);
    } finally {
      s.users--;
      s.lastUsed = Date.now();
    }
  }

  /** Ends a console session: its vSphere session is logged out. */
  async end(id: string): Promise<boolean> {
    const s = this.sessions.get(id);
    if (!s) return false;
    this.sessions.delete(id);
    await s.session.logout().catch(() => undefined);
    return true;
  }

  get size(): number {
    return this.sessions.size;
  }

  private sweep(): void {
    const now = Date.now();
    for (const s of this.sessions.values()) if (s.users === 0 && now - s.lastUsed > this.idleMs) void this.end(s.id);
  }

  async closeAll(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.allSettled([...this.sessions.keys()].map((id) => this.end(id)));
  }
}
