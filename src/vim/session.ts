// A logged-in vSphere session: service content, login/logout, one re-login on NotAuthenticated, keep-alive for
// long operations. Every open session is tracked so that an interrupted command can still log out.
import { VimFault } from './faults.js';
import { AcquireCloneTicket, CloneSession, CurrentTime, Login, Logout, RetrieveServiceContent } from './methods.generated.js';
import { SoapClient, type TraceEvent } from './soap-client.js';
import type { PeerCertificateInfo, TrustOptions } from './transport.js';
import { notVsphere, targetFailure } from './target-failure.js';
import type { DataObject, MoRef } from './types.js';

export interface ServiceContent extends DataObject {
  rootFolder: MoRef;
  propertyCollector: MoRef;
  viewManager?: MoRef;
  about: AboutInfo;
  sessionManager?: MoRef;
  searchIndex?: MoRef;
  fileManager?: MoRef;
  authorizationManager?: MoRef;
  licenseManager?: MoRef;
  virtualDiskManager?: MoRef;
  datastoreNamespaceManager?: MoRef;
  guestOperationsManager?: MoRef;
}

export interface AboutInfo extends DataObject {
  name: string;
  fullName: string;
  vendor: string;
  version: string;
  build: string;
  apiType: 'VirtualCenter' | 'HostAgent' | string;
  apiVersion: string;
  instanceUuid?: string;
}

export interface ConnectOptions {
  /** https://host[:port][/sdk]; a bare host is accepted */
  url: string | URL;
  user: string;
  password: string;
  /**
   * a vSphere clone ticket (SessionManager.AcquireCloneTicket of another session): logs in with CloneSession instead
   * of Login; `user` is then only a label and `password` unused (vic-machine-server's X-VMWARE-TICKET header)
   */
  cloneTicket?: string | undefined;
  trust?: TrustOptions;
  userAgent?: string;
  onTrace?: (e: TraceEvent) => void;
  /** idle keep-alive period; vSphere drops idle sessions after 30 minutes by default */
  keepAliveMs?: number;
  /** how long one request may go without an answer, and a datastore transfer without progress (default 5 min) */
  requestTimeoutMs?: number | undefined;
}

const SERVICE_INSTANCE: MoRef = { type: 'ServiceInstance', value: 'ServiceInstance' };

/** Sessions not yet logged out, so that a SIGINT handler can log them all out. */
const openSessions = new Set<Session>();

export async function logoutAll(): Promise<void> {
  await Promise.allSettled([...openSessions].map((s) => s.logout()));
}

/** The SDK URL of a target given as host, host:port, https://host or https://host/sdk. */
export function sdkUrl(target: string | URL): URL {
  const u = new URL(typeof target === 'string' && !/^[a-z]+:\/\//i.test(target) ? `https://${target}` : String(target));
  u.username = '';
  u.password = '';
  u.hash = '';
  u.search = '';
  u.pathname = '/sdk';
  return u;
}

export class Session {
  readonly client: SoapClient;
  private keepAliveTimer: NodeJS.Timeout | undefined;
  private loggedIn = false;
  private relogin: Promise<void> | undefined;
  userSession: DataObject | undefined;

  private constructor(
    client: SoapClient,
    readonly content: ServiceContent,
    private readonly credentials: { user: string; password: string; cloneTicket?: string | undefined },
  ) {
    this.client = client;
  }

  get about(): AboutInfo {
    return this.content.about;
  }

  /** True for vCenter, false for a standalone ESXi host. */
  get isVC(): boolean {
    return this.content.about.apiType === 'VirtualCenter';
  }

  get user(): string {
    return this.credentials.user;
  }

  /** The certificate the target presented to this session's verified connection (its SHA-1 and SHA-256 thumbprints). */
  get serverCertificate(): PeerCertificateInfo | undefined {
    return this.client.agent.peer;
  }

  /** A one-time ticket with which another client can join this session (SessionManager.AcquireCloneTicket). */
  async acquireCloneTicket(): Promise<string> {
    if (!this.content.sessionManager) throw new VimFault('NotSupported', 'the target has no session manager');
    return AcquireCloneTicket(this, { _this: this.content.sessionManager });
  }

  /** Connects and logs in: two round trips (RetrieveServiceContent, Login). */
  static async connect(o: ConnectOptions): Promise<Session> {
    const client = new SoapClient({
      url: sdkUrl(o.url), trust: o.trust ?? {}, userAgent: o.userAgent ?? 'vic-machine', onTrace: o.onTrace,
      ...(o.requestTimeoutMs ? { timeoutMs: o.requestTimeoutMs } : {}),
    });
    try {
      const content = await RetrieveServiceContent(client, { _this: SERVICE_INSTANCE })
        .catch((e: unknown) => { throw targetFailure(client.url, e); });
      if (!content?.about?.apiVersion) throw notVsphere(client.url, 'its SOAP answer holds no vSphere service content');
      client.apiVersion = content.about.apiVersion;
      const s = new Session(client, content, { user: o.user, password: o.password, cloneTicket: o.cloneTicket });
      await s.login();
      if (o.keepAliveMs !== 0) s.startKeepAlive(o.keepAliveMs ?? 10 * 60_000);
      return s;
    } catch (e) {
      client.close();
      throw e;
    }
  }

  private async login(): Promise<void> {
    if (!this.content.sessionManager) throw new VimFault('NotSupported', 'the target has no session manager');
    const { cloneTicket } = this.credentials;
    // A clone ticket is good for one CloneSession only: a session that expires cannot be renewed with it.
    if (cloneTicket !== undefined && this.userSession) throw new VimFault('NotAuthenticated', 'the session cloned from a ticket has ended');
    this.userSession = cloneTicket !== undefined
      ? await CloneSession(this.client, { _this: this.content.sessionManager, cloneTicket })
      : await Login(this.client, {
        _this: this.content.sessionManager, userName: this.credentials.user, password: this.credentials.password,
      });
    this.loggedIn = true;
    openSessions.add(this);
  }

  /** Calls a method; on NotAuthenticated (the session expired) logs in again once and repeats the call. */
  async call<T = unknown>(method: string, args: Record<string, unknown>, o?: { timeoutMs?: number; signal?: AbortSignal }): Promise<T> {
    try {
      return await this.client.call<T>(method, args, o);
    } catch (e) {
      if (!(e instanceof VimFault) || e.faultName !== 'NotAuthenticated' || !this.loggedIn || method === Logout.vimMethod) throw e;
      this.relogin ??= this.login().finally(() => { this.relogin = undefined; });
      await this.relogin;
      return this.client.call<T>(method, args, o);
    }
  }

  /** Sends CurrentTime while idle so that long uploads and waits keep the session. */
  startKeepAlive(periodMs: number): void {
    this.stopKeepAlive();
    this.keepAliveTimer = setInterval(() => {
      void CurrentTime(this, { _this: SERVICE_INSTANCE }).catch(() => undefined);
    }, periodMs);
    this.keepAliveTimer.unref();
  }

  private stopKeepAlive(): void {
    if (this.keepAliveTimer) clearInterval(this.keepAliveTimer);
    this.keepAliveTimer = undefined;
  }

  /** Logs out (idempotent) and closes the connections. Errors are swallowed: the session ends either way. */
  async logout(): Promise<void> {
    this.stopKeepAlive();
    openSessions.delete(this);
    if (this.loggedIn && this.content.sessionManager) {
      this.loggedIn = false;
      // Tried twice: a session left open after a passing fault stays on the server until it expires (the delete
      // sweep's Logout fault point); a second failure is given up on, as the command's outcome does not depend on it.
      const logout = () => Logout(this.client, { _this: this.content.sessionManager! }, { timeoutMs: 10_000 });
      await logout().catch(logout).catch(() => undefined);
    }
    this.client.close();
  }

  get cookie(): string | undefined {
    return this.client.sessionCookie;
  }
}

export { SERVICE_INSTANCE };
