// The web console on vic-machine-server (docs/console.md): its routes (login, inventory), their spec, and the layer
// in front of the API that serves the bundle and resolves the session cookie. Off with --no-console.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerOptions } from '../options.js';
import type { RequestLog } from '../request-log.js';
import type { Route } from '../router.js';
import { consoleFront } from './front.js';
import { inventoryRoute } from './inventory-route.js';
import { sessionRoutes } from './session-routes.js';
import { TARGET_PREFIXES } from '../routes/index.js';
import { ConsoleSessions } from './sessions.js';
import { addConsoleSpec } from './spec.js';
import { loadBundle } from './static-files.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface MountedConsole {
  routes: Route[];
  spec(spec: Record<string, unknown>): Record<string, unknown>;
  front(api: Handler, log: RequestLog): Handler;
  /** logs out every console session (the server stops) */
  close(): Promise<void>;
}

export function mountConsole(o: Pick<ServerOptions, 'consoleIdleMs'>): MountedConsole {
  const sessions = new ConsoleSessions(o.consoleIdleMs);
  const routes = [...sessionRoutes(sessions), ...TARGET_PREFIXES.map(inventoryRoute)];
  const files = loadBundle();
  return {
    routes,
    spec: (spec) => addConsoleSpec(spec, routes),
    front: (api, log) => consoleFront({ sessions, files, log, api }),
    close: () => sessions.closeAll(),
  };
}
