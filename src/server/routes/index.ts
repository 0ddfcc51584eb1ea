// Every route this server serves: the metadata routes, the tasks, and the vSphere routes in both of 1.5's forms
// (/target/{target}/... and /target/{target}/datacenter/{datacenter}/...).
import type { Route } from '../router.js';
import { metadataRoutes } from './metadata.js';
import { taskRoutes } from './tasks.js';
import { listRoute } from './vch-list.js';
import { getRoute } from './vch-get.js';
import { certificateRoute } from './vch-certificate.js';
import { logRoute } from './vch-log.js';
import { deleteRoute } from './vch-delete.js';
import { firewallRoutes } from './target-firewall.js';
import { actionRoute } from './vch-action.js';
import { createRoute } from './vch-create.js';
import { configureRoutes } from './vch-configure.js';

export const TARGET_PREFIXES = ['/target/{target}', '/target/{target}/datacenter/{datacenter}'] as const;

export function allRoutes(): Route[] {
  const out: Route[] = [...metadataRoutes, ...taskRoutes];
  for (const p of TARGET_PREFIXES) {
    out.push(
      ...firewallRoutes(p), listRoute(p), getRoute(p), certificateRoute(p), logRoute(p), deleteRoute(p),
      createRoute(p),
      ...configureRoutes(p),
      actionRoute(p),
    );
  }
  return out;
}
