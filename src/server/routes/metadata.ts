// The routes that need no vSphere: GET /container (metadata), /hello, /version, and the spec this server serves.
import { packageVersion } from '../../vic/package-version.js';
import { installerOf, offeredIsos } from '../isos.js';
import type { Route } from '../router.js';

export const metadataRoutes: Route[] = [
  {
    // 1.5 answered 501. The versions offered: the installer's (its appliance ISO), the bootstrap ISOs a create or
    // upgrade may name, and (extension) every ISO with its version and the server's own version.
    method: 'GET', path: '/', handler: async (ctx) => {
      const isos = await offeredIsos(ctx.server.isoDirectories);
      const installer = await installerOf(ctx.server.isoDirectories);
      return {
        status: 200, body: {
          ...(installer.short ? { version: installer.short } : {}),
          'bootstrap-images': isos.filter((i) => i.kind === 'bootstrap').map((i) => i.name),
          isos: isos.map((i) => ({ kind: i.kind, name: i.name, version: i.version })),
          server_version: packageVersion(),
          ...(installer.short ? {} : { problem: installer.problem }),
        },
      };
    },
  },
  { method: 'GET', path: '/hello', handler: async () => ({ status: 200, text: 'success' }) },
  {
    // The VIC version this server installs (its appliance ISO's), as ls reports the installer's; with no appliance ISO
    // found, the server's own version (as `vic-machine version` prints it): 1.5's server answered its build's version,
    // which its ISOs shared, never "unknown".
    method: 'GET', path: '/version', handler: async (ctx) => {
      const installer = await installerOf(ctx.server.isoDirectories);
      return { status: 200, text: installer.short ?? packageVersion(), headers: { 'X-Vic-Machine-Server-Version': packageVersion() } };
    },
  },
  { method: 'GET', path: '/swagger.json', extension: true, handler: async (ctx) => ({ status: 200, body: ctx.server.spec() }) },
];
