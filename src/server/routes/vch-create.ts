// POST /target/{target}[/datacenter/{datacenter}]/vch: `vic-machine create` from the VCH model. The body is read into
// the one VCH specification (src/vic/spec/vch-model.ts: every bad field at once, with its JSON path) and turned into
// create's request by the same function the CLI uses (src/vic/create/request.ts); what the server adds is how this run
// goes: the ISOs it offers, a private working folder (certificates given as PEM are written there for create to read;
// the certificates create generates are written there too, and the folder is removed when the run ends: no private
// key outlives the request or appears in an answer), and its own login (a clone of the caller's session).
// Answered as 1.5 answered: 201 once the VCH is made and powered on (the task goes on waiting for the appliance), or
// with Prefer: respond-async once the body is valid. Cancelling the task rolls back as Ctrl-C does in the CLI.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createVch } from '../../vic/create/create-vch.js';
import { createRequestOf } from '../../vic/create/request.js';
import { createFlagsOf } from '../../vic/spec/flags.js';
import { MODEL_PATH_OF_FLAG, vchSpecOfModel } from '../../vic/spec/vch-model.js';
import type { PemSource, VchSpec } from '../../vic/spec/vch-spec.js';
import { resolveScope } from '../../vic/vch/find.js';
import { packageVersion } from '../../vic/package-version.js';
import { badRequest } from '../api-error.js';
import { offeredIsos } from '../isos.js';
import { runOperation } from '../operation.js';
import type { RequestContext, Route } from '../router.js';
import { targetOf } from '../vsphere-target.js';

/** How long the appliance may take to come up (the CLI's --timeout default). */
const APPLIANCE_TIMEOUT_MS = 3 * 60_000;

/** Certificates given as PEM text, written to files in `dir` (0600) for create, which reads files. */
function withPemFiles(spec: VchSpec, dir: string): VchSpec {
  let n = 0;
  const file = (s: PemSource): PemSource => {
    if ('file' in s) return s;
    const f = path.join(dir, `input-${n++}.pem`);
    fs.writeFileSync(f, s.pem, { mode: 0o600 });
    return { file: f };
  };
  return {
    ...spec,
    tls: {
      ...spec.tls, clientCas: spec.tls.clientCas.map(file),
      ...(spec.tls.serverCertificate ? { serverCertificate: file(spec.tls.serverCertificate) } : {}),
      ...(spec.tls.serverKey ? { serverKey: file(spec.tls.serverKey) } : {}),
    },
    registry: { ...spec.registry, certificateAuthorities: spec.registry.certificateAuthorities.map(file) },
  };
}

/**
 * Create's validation names the flag of each problem; here each is named by its field of the body (the VCH model's
 * JSON path, MODEL_PATH_OF_FLAG), as the answer's `problems` say it.
 */
function inModelTerms(e: unknown): unknown {
  const issues = (e as { issues?: { flag?: string; message: string; suggestions?: string[] }[] }).issues;
  if (!Array.isArray(issues) || (e as { problems?: unknown }).problems) return e;
  const problems = issues.map((i) => ({ message: i.message, ...(i.suggestions ? { suggestions: i.suggestions } : {}),
    ...(i.flag && MODEL_PATH_OF_FLAG[i.flag] ? { path: MODEL_PATH_OF_FLAG[i.flag] } : i.flag ? { flag: i.flag } : {}) }));
  return Object.assign(e as object, { problems });
}

/** The ISOs of the version asked for (`version` of the body), or the installer's (appliance.iso, bootstrap.iso). */
async function createIsos(ctx: RequestContext, version: string | undefined): Promise<{ appliance: string; bootstrap: string }> {
  const offered = await offeredIsos(ctx.server.isoDirectories);
  const pick = (kind: 'appliance' | 'bootstrap') => (version ? offered.find((i) => i.kind === kind && i.version === version)
    : offered.find((i) => i.kind === kind && i.name === `${kind}.iso`));
  const appliance = pick('appliance');
  const bootstrap = pick('bootstrap');
  if (!appliance || !bootstrap) {
    const versions = [...new Set(offered.filter((i) => i.kind === 'appliance').map((i) => i.version))];
    throw version
      ? badRequest(`this server has no ${!appliance ? 'appliance' : 'bootstrap'} ISO of version ${version}`, '$.version', versions.length ? `versions offered: ${versions.join(', ')} (GET /container)` : undefined)
      : badRequest(`this server has no ${!appliance ? 'appliance.iso' : 'bootstrap.iso'} to create from`, undefined, `put the ISOs in ${ctx.server.isoDirectories.join(' or ')}`);
  }
  return { appliance: appliance.path, bootstrap: bootstrap.path };
}

export function createRoute(prefix: string): Route {
  return {
    method: 'POST', path: `${prefix}/vch`, handler: async (ctx) => {
      const t = targetOf(ctx);
      const body = await ctx.body();
      const name = (body as { name?: unknown } | undefined)?.name;
      if (typeof name !== 'string' || !name) throw badRequest('$.name is required: the name of the VCH to create', '$.name');
      const { spec: given, version } = vchSpecOfModel(body);
      const isos = await createIsos(ctx, version);
      return runOperation(ctx, t, {
        operation: 'create', vch: { name: given.name }, status: 201,
        run: async (session, task, validated, answer) => {
          const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vicm-server-create-'));
          // create logs in on its own (as the CLI, which logs it out when the command ends): logged out here
          let own: { logout(): Promise<void> } | undefined;
          try {
            const spec = withPemFiles(given, dir);
            const dcPath = t.scope.datacenterId ? (await resolveScope(session, { datacenterId: t.scope.datacenterId })).datacenters[0]!.path : t.scope.datacenterPath;
            const c = t.credentials;
            const request = createRequestOf(spec, {
              target: {
                url: t.pool.url, user: c.kind === 'basic' ? c.user : '', password: c.kind === 'basic' ? c.password : '',
                thumbprint: t.pool.thumbprint, datacenterPath: dcPath,
                // the caller's session lends create a login of its own (a ticket is good for one login; a console session too)
                ...(c.kind !== 'basic' ? { cloneTicket: await session.acquireCloneTicket() } : {}),
              },
              cwd: dir, force: false, timeoutMs: APPLIANCE_TIMEOUT_MS, userAgent: `vic-machine-server/${packageVersion()}`,
              isos: { ...isos, installerDir: dir },
              createOptions: [`--target=${t.pool.url.origin}${dcPath ?? ''}`, ...createFlagsOf(spec).map((f) => `--${f.flag}=${f.value}`)],
            });
            validated();
            const r = await createVch(request, {
              log: (level, m) => (level === 'warn' ? task.warn(m) : level === 'info' ? task.info(m) : undefined),
              runLog: () => task.lines.map((l) => `${l}\n`).join(''),
              onPoweredOn: (vm) => { task.vch = vm; answer(); },
              onSession: (s) => { own = s; },
              signal: task.signal,
            });
            return {
              id: r.id, name: r.name, docker_host: r.dockerHost, admin_portal: r.adminPortal,
              docker_environment: Object.fromEntries(r.dockerEnv.filter(([k]) => k !== 'DOCKER_CERT_PATH')),
            };
          } catch (e) {
            throw inModelTerms(e);
          } finally {
            await own?.logout();
            fs.rmSync(dir, { recursive: true, force: true });
          }
        },
      });
    },
  };
}
