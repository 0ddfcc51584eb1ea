// PUT and PATCH .../vch/{vchId} (1.5 answered 501): `vic-machine configure` in the specification's terms. The VCH's
// current specification is read from vSphere (src/vic/vch/read-spec.ts); the requested one is the body (PUT: the
// whole VCH model) or the current model with the body merged in (PATCH: RFC 7396). The difference is configure's
// change (src/vic/configure/spec-change.ts specChange), applied by configure itself (prepareConfigure, runConfigure:
// lock, snapshot, revert on failure), as the CLI does.
// Certificates: a GET carries the VCH's (the server certificate, the client and registry CAs; never a key), which sent
// back are no change; others change them as configure's TLS flags do (configure-certificates.ts,
// src/vic/configure/tls-change.ts); a body leaving them out keeps them; TLS cannot be turned off (409).
// Answers: a setting configure cannot change, or an existing container network / volume store removed or altered
// (configure only adds), is 409 naming each field; bad values 400 naming each field; otherwise 202 once configured
// (or at once with Prefer: respond-async), the task saying what changed.
import os from 'node:os';
import { DatastoreFiles } from '../../vim/datastore-files.js';
import { CONFIGURE_INVENTORY_PATHS, dockerEndpointAfter, prepareConfigure, readSecretKey, runConfigure } from '../../vic/configure/configure-vch.js';
import { configureInputOf, specChange } from '../../vic/configure/spec-change.js';
import { MODEL_PATH_OF_FLAG, vchModelOf, vchSpecOfModel } from '../../vic/spec/vch-model.js';
import { SpecError } from '../../vic/spec/vch-spec.js';
import { preflightConfigure } from '../../vic/validate/preflight.js';
import { locateVch } from '../../vic/vch/locate.js';
import { readVchSpec } from '../../vic/vch/read-spec.js';
import { ApiError, badRequest, type ApiProblem } from '../api-error.js';
import { mergePatch } from '../merge-patch.js';
import { certificateFieldsGiven, configureCertificates, serverCertificatePemOf } from './configure-certificates.js';
import { runOperation } from '../operation.js';
import type { Route } from '../router.js';
import { targetOf } from '../vsphere-target.js';

const APPLIANCE_TIMEOUT_MS = 3 * 60_000;
/** configure's problems that are conflicts with what the VCH is (it only adds), not bad values */
const CONFLICTS = new Set(['existing-value-changed', 'existing-value-missing']);

const field = (path: string | undefined, flag?: string): string | undefined =>
  path !== undefined ? `$.${path}` : flag && MODEL_PATH_OF_FLAG[flag] ? `$.${MODEL_PATH_OF_FLAG[flag]}` : flag;

function problemsError(status: number, type: string, what: string, problems: ApiProblem[]): ApiError {
  return new ApiError(status, {
    message: problems.length === 1 ? problems[0]!.message : `${problems.length} ${what}:\n${problems.map((p) => `  ${p.field ? `${p.field}: ` : ''}${p.message}`).join('\n')}`,
    type, ...(problems[0]?.field ? { field: problems[0].field } : {}), problems,
  });
}

export function configureRoutes(prefix: string): Route[] {
  return (['PUT', 'PATCH'] as const).map((method): Route => ({
    method, path: `${prefix}/vch/{vchId}`, handler: async (ctx) => {
      const t = targetOf(ctx);
      const id = ctx.params['vchId']!;
      const body = await ctx.body();
      if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
        throw badRequest(`the body must be ${method === 'PUT' ? 'the VCH model' : 'a JSON merge patch of the VCH model'}`, '$');
      }
      return runOperation(ctx, t, {
        operation: 'configure', vch: { id }, status: 202,
        run: async (session, task, validated) => {
          task.info('Validating target');
          const located = await locateVch(session, { ...t.scope, id, extraPaths: CONFIGURE_INVENTORY_PATHS, log: task.info });
          const { vch, scope } = located;
          task.vch = { id: vch.id, name: vch.name };
          const current = await readVchSpec(session, scope, vch);
          const model = method === 'PUT' ? body : mergePatch(vchModelOf(current.spec), body);
          const { spec: requested } = vchSpecOfModel(model);
          // certificates: compared with the VCH's as certificates; the lists a body names (null included) decide (configure-certificates.ts)
          const { change, unchangeable, problems: bad } = specChange(current.spec, requested, {
            given: certificateFieldsGiven(body), ...(serverCertificatePemOf(current.config) ? { serverCertificatePem: serverCertificatePemOf(current.config)! } : {}),
          });
          if (unchangeable.length) throw problemsError(409, 'conflict', 'settings configure cannot change', unchangeable.map((p) => ({ message: p.message, ...(field(p.path, p.flag) ? { field: field(p.path, p.flag)! } : {}) })));
          const { input, problems } = configureInputOf(change);
          if (bad.length || problems.length) throw new SpecError([...bad, ...problems]);
          // the CLI's checks before connecting (a syslog port above 65535, a proxy or DNS server that is none, a volume
          // store climbing out of its datastore): the model's patterns let them through, the appliance would not
          const r = input.request;
          const early = preflightConfigure({ dnsServers: r.dnsServers, httpProxy: r.httpProxy, httpsProxy: r.httpsProxy, syslogAddress: r.syslogAddress, volumeStores: r.volumeStores });
          if (early.length) {
            throw problemsError(400, 'validation', 'problems with the configuration', early.map((p) => ({ message: p.message, ...(field(undefined, p.flag) ? { field: field(undefined, p.flag)! } : {}) })));
          }
          const prepareInput = { ...input, secretKey: await readSecretKey(session, located) };
          let prepared = prepareConfigure(located, prepareInput);
          const found = prepared.plan.problems;
          if (found.length) {
            const conflict = found.every((p) => CONFLICTS.has(p.code));
            throw problemsError(conflict ? 409 : 400, conflict ? 'conflict' : 'validation', 'problems with the configuration',
              found.map((p) => ({ message: p.message, ...(field(undefined, p.flag) ? { field: field(undefined, p.flag)! } : {}) })));
          }
          if (change.tls || change.registryCas) {
            // made once configure's rules passed (as the CLI does): a key is not generated for a request refused anyway
            const certs = await configureCertificates(change, { name: vch.name, config: current.config }, (level, m) => (level === 'warn' ? task.warn(m) : task.info(m)));
            prepared = prepareConfigure(located, { ...prepareInput, request: { ...prepareInput.request, ...certs } });
          }
          validated();
          const changes = [...prepared.plan.changes, ...(prepared.pool?.changes ?? [])];
          for (const c of changes) task.info(`Change: ${c}`);
          if (prepared.empty) {
            task.info('The VCH already has this configuration: nothing to change');
            return { changed: false, changes: [] };
          }
          const dc = vch.datacenter ?? scope.datacenters[0]!;
          const docker = dockerEndpointAfter(prepared, undefined);
          const report = await runConfigure({
            session, located, prepared, timeoutMs: APPLIANCE_TIMEOUT_MS, clientHost: os.hostname(), signal: task.signal,
            user: `${t.credentials.kind === 'basic' ? t.credentials.user : 'a vSphere session (clone ticket)'} through vic-machine-server`,
            log: (level, m) => (level === 'warn' ? task.warn(m) : task.info(m)),
            ...(docker ? { docker } : {}),
            datastoreFiles: (ds) => new DatastoreFiles(session, {
              datacenterPath: dc.path.replace(/^\//, ''), datacenter: dc.ref, datastoreName: ds, datastore: scope.finder.findOne('datastore', ds, dc).ref,
            }),
          });
          return { changed: true, changes, snapshot: report.snapshot };
        },
      });
    },
  }));
}
