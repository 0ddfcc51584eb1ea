// The route table: swagger path templates (relative to the base path /container) matched segment by segment. Small
// on purpose: the API has two dozen routes of one shape, and matching them needs no library.
import type { IncomingMessage } from 'node:http';
import type { ServerContext } from './context.js';

export interface Reply {
  status: number;
  /** JSON-encoded unless `text` is set */
  body?: unknown;
  /** a text body, sent as is with `contentType` */
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface RequestContext {
  req: IncomingMessage;
  url: URL;
  params: Record<string, string>;
  query: URLSearchParams;
  server: ServerContext;
  /** the request body, parsed as JSON (undefined when there was none) */
  body: () => Promise<unknown>;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** the swagger path template, e.g. /target/{target}/vch/{vchId} */
  path: string;
  handler: (ctx: RequestContext) => Promise<Reply>;
  /** not in 1.5's spec: an extension of this server (marked so in the spec it serves) */
  extension?: boolean;
}

export interface Match {
  route: Route;
  params: Record<string, string>;
}

function segments(p: string): string[] {
  return p.split('/').filter((s) => s !== '');
}

export class Router {
  private readonly compiled: { route: Route; segs: string[] }[] = [];

  constructor(readonly routes: readonly Route[]) {
    for (const r of routes) this.compiled.push({ route: r, segs: segments(r.path) });
  }

  /** The route for a method and path; `allowed` lists the methods of the path when only the method did not match. */
  match(method: string, pathname: string): { match?: Match; allowed: string[] } {
    let raw: string[];
    try {
      raw = segments(pathname).map(decodeURIComponent);
    } catch {
      return { allowed: [] };
    }
    const allowed: string[] = [];
    for (const { route, segs } of this.compiled) {
      if (segs.length !== raw.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < segs.length && ok; i++) {
        const t = segs[i]!;
        if (t.startsWith('{') && t.endsWith('}')) params[t.slice(1, -1)] = raw[i]!;
        else ok = t === raw[i];
      }
      if (!ok) continue;
      if (route.method === method) return { match: { route, params }, allowed };
      allowed.push(route.method);
    }
    return { allowed };
  }
}
