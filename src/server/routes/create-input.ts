// What create (POST .../vch) and its dry run (POST .../vch?dry_run=true) share: the body read into the one VCH
// specification, the ISOs of the version asked for, a private working folder where certificates given as PEM are
// written for create to read (removed when the run ends: no private key outlives the request), create's request
// built by the function the CLI uses (src/vic/create/request.ts), and create's problems named by the body's JSON path.
import type { Session } from '../../vim/session.js';
import type { CreateVchRequest } from '../../vic/create/create-vch.js';
import { createRequestOf } from '../../vic/create/request.js';
import { createFlagsOf } from '../../vic/spec/flags.js';
import { MODEL_PATH_OF_FLAG, vchSpecOfModel } from '../../vic/spec/vch-model.js';
import type { VchSpec } from '../../vic/spec/vch-spec.js';
import { resolveScope } from '../../vic/vch/find.js';
import { packageVersion } from '../../vic/package-version.js';
import { badRequest } from '../api-error.js';
import { offeredIsos } from '../isos.js';
import { pemFileWriter, withPrivateFolder } from './private-folder.js';
import type { RequestContext } from '../router.js';
import type { VsphereTarget } from '../vsphere-target.js';

/** How long the appliance may take to come up (the CLI's --timeout default). */
const APPLIANCE_TIMEOUT_MS = 3 * 60_000;

export interface CreateInput {
  spec: VchSpec;
  isos: { appliance: string; bootstrap: string };
}

/** The body as create takes it: `$.name` first (every later message names the VCH), then the whole model. */
export async function createInputOf(ctx: RequestContext): Promise<CreateInput> {
  const body = await ctx.body();
  const name = (body as { name?: unknown } | undefined)?.name;
  if (typeof name !== 'string' || !name) throw badRequest('$.name is required: the name of the VCH to create', '$.name');
  const { spec, version } = vchSpecOfModel(body);
  return { spec, isos: await createIsos(ctx, version) };
}

/** Certificates given as PEM text, written to files in `dir` (0600) for create, which reads files. */
function withPemFiles(spec: VchSpec, dir: string): VchSpec {
  const file = pemFileWriter(dir);
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

type FlagProblem = { flag?: string; message: string; suggestions?: string[]; fix?: string };

/**
 * A CLI message in this API's words: a flag is the body's field it came from (MODEL_PATH_OF_FLAG), a file of the
 * request's private folder is that field too, and the folder itself is not named (it is gone when the answer is).
 */
function apiWords(message: string, dir: string | undefined): string {
  const field = (flag: string): string | undefined => (MODEL_PATH_OF_FLAG[flag] !== undefined ? `$.${MODEL_PATH_OF_FLAG[flag]}` : undefined);
  let s = message.replace(/(--[a-z][a-z-]*) "([^"]*)"/g, (all, flag: string, file: string) => (dir && file.startsWith(dir) ? field(flag) ?? all : all));
  s = s.replace(/--[a-z][a-z-]*/g, (flag) => field(flag) ?? flag);
  return dir ? s.replaceAll(dir, "(the request's folder)") : s;
}

/**
 * Create's validation and certificate checks name the flag of each problem; here each is named by its field of the
 * body (the VCH model's JSON path, MODEL_PATH_OF_FLAG), as the answer's `problems` say it, and the message is those
 * problems in this API's words rather than the CLI's lines ("Suggested values for --x:", "To fix this, run: ...").
 */
export function inModelTerms(e: unknown, dir?: string): unknown {
  const err = e as { name?: string; issues?: FlagProblem[]; problems?: FlagProblem[]; hint?: unknown };
  const found = Array.isArray(err.issues) && !err.problems ? err.issues
    : err.name === 'CertificateInputError' && Array.isArray(err.problems) ? err.problems : undefined;
  if (!found) return e;
  const problems: { message: string; suggestions?: string[]; path?: string; flag?: string }[] = found.map((i) => ({
    message: apiWords(i.message, dir), ...(i.suggestions ? { suggestions: i.suggestions } : {}),
    ...(i.flag && MODEL_PATH_OF_FLAG[i.flag] !== undefined ? { path: MODEL_PATH_OF_FLAG[i.flag] } : i.flag ? { flag: i.flag } : {}) }));
  const message = problems.map((p) => {
    const field = p.path !== undefined ? `$.${p.path}`.replace(/\.$/, '') : p.flag ?? 'body';
    return (p.message.includes(field) ? p.message : `${p.message} (${field})`) + (p.suggestions?.length ? `; existing: ${p.suggestions.join(', ')}` : '');
  }).join('\n');
  const fixes = [...new Set(found.flatMap((i) => (i.fix ? [i.fix] : [])))];
  const hint = fixes.length && !err.hint
    ? fixes.map((f) => (/update firewall/.test(f) ? `open the hosts' firewall: POST /container/target/{target}?compute-resource=...&action=firewall:allow (or ${f})` : `run ${f}`)).join('; ')
    : undefined;
  return Object.assign(e as object, { problems, message, ...(hint ? { hint } : {}) });
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

/**
 * Runs fn with create's request for the input, in a private working folder removed afterwards. `login`: create
 * logs in on its own (with a clone ticket when the caller has no password); a dry run reads through `session`.
 */
export async function withCreateRequest<T>(t: VsphereTarget, session: Session, input: CreateInput, o: { login: boolean },
  fn: (request: CreateVchRequest) => Promise<T>): Promise<T> {
  return withPrivateFolder('vicm-server-create-', async (dir) => {
    try {
      const spec = withPemFiles(input.spec, dir);
      const dcPath = t.scope.datacenterId ? (await resolveScope(session, { datacenterId: t.scope.datacenterId })).datacenters[0]!.path : t.scope.datacenterPath;
      const c = t.credentials;
      const request = createRequestOf(spec, {
        target: {
          url: t.pool.url, user: c.kind === 'basic' ? c.user : '', password: c.kind === 'basic' ? c.password : '',
          thumbprint: t.pool.thumbprint, datacenterPath: dcPath,
          // the caller's session lends create a login of its own (a ticket is good for one login; a console session too)
          ...(o.login && c.kind !== 'basic' ? { cloneTicket: await session.acquireCloneTicket() } : {}),
        },
        cwd: dir, force: false, timeoutMs: APPLIANCE_TIMEOUT_MS, userAgent: `vic-machine-server/${packageVersion()}`,
        isos: { ...input.isos, installerDir: dir },
        createOptions: [`--target=${t.pool.url.origin}${dcPath ?? ''}`, ...createFlagsOf(spec).map((f) => `--${f.flag}=${f.value}`)],
      });
      return await fn(request);
    } catch (e) {
      throw inModelTerms(e, dir);
    }
  });
}
