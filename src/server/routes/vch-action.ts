// POST .../vch/{vchId}?action=upgrade|debug (1.5 answered 501):
//   upgrade  `vic-machine upgrade` (src/vic/upgrade/upgrade.ts: lock, snapshot, new ISOs, migrate, power cycle,
//            revert on failure) to this server's ISOs. Body (all optional): `bootstrap-iso` (the name of a bootstrap
//            ISO this server offers, GET /container lists them; the appliance ISO of the same version goes with it),
//            `rollback` (true: back to the rollback point the last upgrade kept), and the extension `force` (upgrade
//            whatever the versions say, as --force).
//   debug    `vic-machine debug` (src/vic/debug/guest-access.ts): SSH enabled in the appliance; body (extensions, all
//            optional): `authorized_key` (public key text), `rootpw` (never logged, never in the task).
// Both run as tasks (operation.ts): answered when done, or at once with Prefer: respond-async.
import os from 'node:os';
import { assertGuestReady, checkAuthorizedKey, enableDebugAccess, readGuestReadiness } from '../../vic/debug/guest-access.js';
import { readIsoVersion } from '../../vic/iso/version.js';
import { pickVch, resolveScope, scanVms } from '../../vic/vch/find.js';
import { rollbackVch, upgradeVch } from '../../vic/upgrade/upgrade.js';
import { badRequest } from '../api-error.js';
import type { Credentials } from '../auth.js';
import { offeredIsos } from '../isos.js';
import { runOperation } from '../operation.js';
import type { RequestContext, Route } from '../router.js';
import { targetOf } from '../vsphere-target.js';

/** How long the appliance may take to come back (the CLI's --timeout default). */
const APPLIANCE_TIMEOUT_MS = 3 * 60_000;

function fields(body: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('the body must be a JSON object', '$');
  const b = body as Record<string, unknown>;
  for (const k of Object.keys(b)) if (!allowed.includes(k)) throw badRequest(`unknown field $.${k}: this action takes ${allowed.join(', ')}`, `$.${k}`);
  return b;
}

function bool(b: Record<string, unknown>, k: string): boolean {
  if (b[k] === undefined) return false;
  if (typeof b[k] !== 'boolean') throw badRequest(`$.${k} must be true or false`, `$.${k}`);
  return b[k] as boolean;
}

function text(b: Record<string, unknown>, k: string): string | undefined {
  if (b[k] === undefined) return undefined;
  if (typeof b[k] !== 'string' || !(b[k] as string)) throw badRequest(`$.${k} must be a non-empty string`, `$.${k}`);
  return b[k] as string;
}

/** The ISOs an upgrade installs: the bootstrap ISO asked for (or bootstrap.iso) and the appliance ISO of its version. */
async function upgradeIsos(ctx: RequestContext, bootstrapName: string | undefined) {
  const offered = await offeredIsos(ctx.server.isoDirectories);
  const boots = offered.filter((i) => i.kind === 'bootstrap');
  const boot = bootstrapName ? boots.find((i) => i.name === bootstrapName) : boots.find((i) => i.name === 'bootstrap.iso') ?? boots[0];
  if (!boot) {
    throw badRequest(bootstrapName ? `no bootstrap ISO "${bootstrapName}" here` : 'this server has no bootstrap ISO', '$.bootstrap-iso',
      boots.length ? `bootstrap ISOs: ${boots.map((i) => i.name).join(', ')}` : `put bootstrap.iso in ${ctx.server.isoDirectories.join(' or ')}`);
  }
  const app = offered.find((i) => i.kind === 'appliance' && i.version === boot.version);
  if (!app) throw badRequest(`no appliance ISO of version ${boot.version} (the version of ${boot.name}) here`, '$.bootstrap-iso');
  return {
    appliance: { path: app.path, version: await readIsoVersion(app.path, 'appliance') },
    bootstrap: { path: boot.path, version: await readIsoVersion(boot.path, 'bootstrap') },
  };
}

function who(c: Credentials): string {
  return `${c.kind === 'basic' ? c.user : 'a vSphere session (clone ticket)'} through vic-machine-server`;
}

export function actionRoute(prefix: string): Route {
  return {
    method: 'POST', path: `${prefix}/vch/{vchId}`, handler: async (ctx) => {
      const action = ctx.query.get('action');
      if (action !== 'upgrade' && action !== 'debug') throw badRequest(`invalid action ${JSON.stringify(action ?? '')}: expected upgrade or debug`, 'action');
      const t = targetOf(ctx);
      const id = ctx.params['vchId']!;
      const locate = async (session: Parameters<typeof resolveScope>[0], log: (m: string) => void) => {
        log('Validating target');
        const scope = await resolveScope(session, { ...t.scope, computeResource: undefined, withVms: true, log });
        const vch = pickVch(scope, await scanVms(scope), { id });
        return { scope, vch };
      };
      if (action === 'upgrade') {
        const b = fields(await ctx.body(), ['bootstrap-iso', 'rollback', 'force']);
        const rollback = bool(b, 'rollback');
        const force = bool(b, 'force');
        const isos = rollback ? undefined : await upgradeIsos(ctx, text(b, 'bootstrap-iso'));
        return runOperation(ctx, t, {
          operation: rollback ? 'rollback' : 'upgrade', vch: { id }, status: 202,
          run: async (session, task, validated) => {
            const { scope, vch } = await locate(session, task.info);
            task.vch = { id: vch.id, name: vch.name };
            validated();
            const common = {
              session, scope, vch, timeoutMs: APPLIANCE_TIMEOUT_MS, user: who(t.credentials), clientHost: os.hostname(),
              log: (level: 'info' | 'warn', m: string) => (level === 'warn' ? task.warn(m) : task.info(m)), signal: task.signal,
            };
            return rollback ? rollbackVch(common) : upgradeVch({ ...common, isos: isos!, force });
          },
        });
      }
      const b = fields(await ctx.body(), ['authorized_key', 'rootpw']);
      const key = text(b, 'authorized_key');
      const authorizedKey = key ? checkAuthorizedKey('$.authorized_key', key) : '';
      const rootPassword = text(b, 'rootpw');
      return runOperation(ctx, t, {
        operation: 'debug', vch: { id }, status: 202,
        run: async (session, task, validated) => {
          const { vch } = await locate(session, task.info);
          task.vch = { id: vch.id, name: vch.name };
          const processManager = assertGuestReady(await readGuestReadiness(session, vch.ref));
          validated();
          return enableDebugAccess(session, vch.ref, processManager, {
            authorizedKey, ...(rootPassword ? { rootPassword } : {}), signal: task.signal, log: task.info,
          });
        },
      });
    },
  };
}
