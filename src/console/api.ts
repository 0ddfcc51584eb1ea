// The console's client of vic-machine-server: the documented REST API under /container, same origin only. The
// session is an HttpOnly cookie the script cannot read; the CSRF token lives in this module's memory only (never in
// browser storage) and goes with every change. Nothing here talks to another origin.
export interface ApiErrorBody {
  message: string;
  type?: string;
  field?: string;
  hint?: string;
  problems?: { field?: string; message: string; suggestions?: string[] }[];
  certificate?: { sha1: string; sha256: string; subject?: string; issuer?: string; valid_from?: string; valid_to?: string };
  holder?: string;
  task?: string;
}

export class ApiFailure extends Error {
  constructor(readonly status: number, readonly body: ApiErrorBody) {
    super(body.message);
  }
}

export interface ConsoleSession {
  user: string;
  target: string;
  datacenter?: string;
  csrf_token: string;
  thumbprint?: string;
  idle_timeout_seconds: number;
  datacenters?: { id: string; name: string }[];
}

let current: ConsoleSession | undefined;
let onEnded: () => void = () => undefined;

export const session = (): ConsoleSession | undefined => current;
export function setSession(s: ConsoleSession | undefined): void {
  current = s;
}
export function whenSessionEnds(f: () => void): void {
  onEnded = f;
}

export async function call<T>(method: string, path: string, o: { body?: unknown; async?: boolean; text?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = { 'X-VIC-Console': '1', Accept: 'application/json' };
  if (method !== 'GET' && current) headers['X-CSRF-Token'] = current.csrf_token;
  if (o.body !== undefined) headers['Content-Type'] = 'application/json';
  if (o.async) headers['Prefer'] = 'respond-async';
  // the target's certificate as the session verified it, pinned for the logins the server makes on the session's behalf
  if (current?.thumbprint && path.startsWith('/container/target/')) path += `${path.includes('?') ? '&' : '?'}thumbprint=${encodeURIComponent(current.thumbprint)}`;
  const res = await fetch(path, { method, headers, credentials: 'same-origin', cache: 'no-store', ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}) });
  if (!res.ok) {
    let body: ApiErrorBody;
    try {
      body = await res.json() as ApiErrorBody;
    } catch {
      body = { message: `${res.status} ${res.statusText}` };
    }
    if (res.status === 401 && body.field === 'session' && current) {
      current = undefined;
      onEnded();
    }
    throw new ApiFailure(res.status, body);
  }
  if (res.status === 204) return undefined as T;
  return (o.text ? await res.text() : await res.json()) as T;
}

/** /container/target/{target}[/datacenter/{dc}] of the session. */
export function targetPath(): string {
  const s = current!;
  return `/container/target/${encodeURIComponent(s.target)}${s.datacenter ? `/datacenter/${encodeURIComponent(s.datacenter)}` : ''}`;
}

export interface VchListItem {
  id: string;
  name: string;
  version?: string;
  power_state?: string;
  upgrade_status?: string;
  upgrade_status_kind?: string;
  admin_portal?: string;
  docker_host?: string;
  path?: string;
  parent?: { name?: string };
  creating?: boolean;
}

export interface TaskView {
  id: string;
  operation: string;
  state: 'running' | 'success' | 'error' | 'cancelled';
  phase: string;
  log: string[];
  result?: unknown;
  error?: ApiErrorBody;
}

/** The task URI the server answered (absolute, of this origin) as a path. */
export const taskPath = (uri: string): string => new URL(uri, location.href).pathname;
