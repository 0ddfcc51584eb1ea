// The spec this server serves at GET /container/swagger.json: VIC 1.5's (api/vic-machine-server-1.5.swagger.json,
// unchanged in every shape a 1.5 client relies on) with this server's additions, each marked `x-vic-extension: true`:
// fields beside 1.5's in the answers (plain names: errors, lists, tasks, metadata, firewall), the VCH model's x-vic-*
// properties (src/vic/spec/vch-model-extensions.json: prefixed, as clients send that model back), the task
// resource, the spec route itself. Also: an operationId for each
// operation (1.5's had none; generated clients need them), the `not-yet-implemented` tags dropped (all is
// implemented), and the Version pattern corrected (`x-vic-correction`): 1.5's did not match 1.5's own versions.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { packageVersion } from '../vic/package-version.js';
import { embeddedFile } from './embedded-files.js';
import type { Route } from './router.js';
import { addCreatePlanSpec } from './routes/vch-plan-spec.js';

export const SPEC_1_5 = fileURLToPath(new URL('../../api/vic-machine-server-1.5.swagger.json', import.meta.url));

/** The VCH model's extensions (x-vic-* properties), as the one VCH specification defines them: src/vic/spec/. */
function modelExtensions(): Json {
  const built = embeddedFile('src/vic/spec/vch-model-extensions.json'); // the single executable
  if (built) return JSON.parse(built.toString('utf8')) as Json;
  // beside this module when run from src/ (tests), in the package's src/ when run from dist/ (tsc copies no JSON)
  for (const rel of ['../vic/spec/vch-model-extensions.json', '../../src/vic/spec/vch-model-extensions.json']) {
    try {
      return JSON.parse(fs.readFileSync(new URL(rel, import.meta.url), 'utf8')) as Json;
    } catch { /* next */ }
  }
  throw new Error('src/vic/spec/vch-model-extensions.json is missing from the package');
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ext = <T extends Json>(o: T): T & { 'x-vic-extension': true } => ({ ...o, 'x-vic-extension': true });

function addProps(def: Json, props: Record<string, Json>): void {
  def['properties'] = { ...def['properties'] };
  for (const [k, v] of Object.entries(props)) def['properties'][k] = ext(v);
}

function operationId(method: string, path: string): string {
  const words = path.split('/').filter(Boolean).map((s) => s.replace(/[{}]/g, '').split(/[^A-Za-z0-9]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(''));
  return `${method.toLowerCase()}${words.join('') || 'Root'}`;
}

export function servedSpec(routes: readonly Route[]): Json {
  const spec = JSON.parse((embeddedFile('api/vic-machine-server-1.5.swagger.json') ?? fs.readFileSync(SPEC_1_5)).toString('utf8')) as Json;
  spec['info'] = { ...spec['info'], 'x-vic-machine-server-version': packageVersion() };
  const d = spec['definitions'];
  d['Version'] = { ...d['Version'], pattern: '^v[0-9]+\\.[0-9]+\\.[0-9]+(-[a-z0-9]+)?-[0-9]+-[a-f0-9]{7,40}$', 'x-vic-correction': `1.5's pattern ${d['Version'].pattern} matched no version 1.5 reported (v1.5.8-1-9489f63)` };
  addProps(d['Error'], {
    type: { type: 'string', description: 'the class of error, as the CLI\'s --json says it', enum: ['usage', 'validation', 'not-found', 'conflict', 'internal', 'timeout', 'interrupted', 'authentication', 'tls-trust', 'target', 'not-implemented'] },
    field: { type: 'string', description: 'the request field concerned: a path or query parameter, a header, or a JSON path into the body ($.name)' },
    hint: { type: 'string' },
    problems: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' }, suggestions: { type: 'array', items: { type: 'string' } } } } },
    certificate: { type: 'object', description: 'an untrusted target\'s certificate', properties: Object.fromEntries(['sha1', 'sha256', 'subject', 'issuer', 'valid_from', 'valid_to'].map((k) => [k, { type: 'string' }])) },
    holder: { type: 'string', description: 'who holds the VCH (a running task or the VCH\'s lock)' },
    task: { type: 'string', format: 'uri', description: 'the task of the failed operation' },
  });
  addProps(d['VCH_List_Item'], {
    moref: { type: 'string' }, path: { type: 'string', description: 'as `vic-machine ls` PATH: usable as compute-resource' },
    datacenter: { type: 'string' }, creating: { type: 'boolean' },
    upgrade_status_kind: { type: 'string', enum: ['up-to-date', 'upgradeable', 'in-progress', 'newer', 'unknown'] },
  });
  // the VCH model's own extensions: x-vic-* properties in the objects they belong to (clients send the model back
  // on PUT, so it carries nothing but the specification, runtime and version)
  for (const [obj, props] of Object.entries<Json>(modelExtensions()['properties'])) {
    const target = d['VCH']['properties'][obj];
    target['properties'] = { ...target['properties'], ...props };
  }
  addProps(d['Target'], { compute_resource: { type: 'string' } });
  const fwItem = d['Target']['properties']['firewall']['items'];
  addProps(fwItem, {
    id: { type: 'string' }, outbound_2377: { type: 'string', enum: ['permitted', 'blocked', 'restricted', 'not-blocked-by-policy', 'unknown'] },
    ruleset: { type: 'string' }, enabled: { type: 'boolean' },
  });
  d['Task'] = ext({
    type: 'object', description: 'A long operation of this server (create, configure, upgrade, delete, debug)',
    properties: {
      id: { type: 'string' }, operation: { type: 'string' }, state: { type: 'string', enum: ['running', 'success', 'error', 'cancelled'] },
      phase: { type: 'string' }, target: { type: 'string' },
      vch: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } },
      created: { type: 'string', format: 'date-time' }, finished: { type: 'string', format: 'date-time' },
      log: { type: 'array', items: { type: 'string' } }, result: { type: 'object' }, error: { $ref: '#/definitions/Error' },
    },
  });
  const meta = spec['responses']['metadata']['schema'];
  addProps(meta, {
    isos: { type: 'array', items: { type: 'object', properties: { kind: { type: 'string', enum: ['appliance', 'bootstrap'] }, name: { type: 'string' }, version: { type: 'string' } } } },
    server_version: { type: 'string' }, problem: { type: 'string' },
  });
  spec['responses']['task'] = ext({ description: 'A task', schema: { $ref: '#/definitions/Task' } });
  spec['parameters']['prefer'] = ext({ name: 'Prefer', in: 'header', type: 'string', description: '"respond-async": answer once the input is validated; the task carries the operation' });
  d['VCH_Action'] = ext({
    type: 'object', description: 'The body of POST .../vch/{vchId}?action=upgrade (bootstrap-iso, rollback, force) or ?action=debug (authorized_key, rootpw)',
    properties: {
      'bootstrap-iso': { type: 'string', description: 'upgrade: a bootstrap ISO this server offers (GET /container)' },
      rollback: { type: 'boolean', description: 'upgrade: back to the rollback point of the last upgrade' },
      force: { type: 'boolean', description: 'upgrade: whatever the versions say (--force)' },
      authorized_key: { type: 'string', description: 'debug: a public key for root\'s authorized_keys' },
      rootpw: { type: 'string', description: 'debug: root\'s password until the appliance reboots (never logged)' },
    },
  });
  spec['parameters']['vch-action-body'] = ext({ name: 'vch-action-body', in: 'body', required: false, schema: { $ref: '#/definitions/VCH_Action' } });
  spec['parameters']['task-id'] = ext({ name: 'taskId', in: 'path', required: true, type: 'string' });

  addCreatePlanSpec(spec);
  // routes this server adds
  const paths = spec['paths'];
  paths['/swagger.json'] = ext({ get: ext({ summary: 'This spec', security: [], responses: { 200: { description: 'The spec this server implements', schema: { type: 'object' } } } }) });
  paths['/tasks/{taskId}'] = ext({
    parameters: [{ $ref: '#/parameters/task-id' }],
    get: ext({ summary: 'Show a long operation', responses: { 200: { $ref: '#/responses/task' }, default: { $ref: '#/responses/error' } } }),
    delete: ext({ summary: 'Cancel a long operation: it rolls back', responses: { 200: { $ref: '#/responses/task' }, default: { $ref: '#/responses/error' } } }),
  });
  for (const [p, item] of Object.entries(paths) as [string, Json][]) {
    for (const [m, op] of Object.entries(item) as [string, Json][]) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(m)) continue;
      op['operationId'] ??= operationId(m, p);
      if (Array.isArray(op['tags'])) {
        op['tags'] = op['tags'].filter((t: string) => t !== 'not-yet-implemented');
        if (!op['tags'].length) delete op['tags'];
      }
      const long = (m === 'post' && /\/vch(\/\{vchId\})?$/.test(p)) || ((m === 'put' || m === 'patch' || m === 'delete') && p.endsWith('/vch/{vchId}'));
      if (long) op['parameters'] = [...(op['parameters'] ?? []), { $ref: '#/parameters/prefer' }];
      if (m === 'post' && p.endsWith('/vch/{vchId}')) op['parameters'].push({ $ref: '#/parameters/vch-action-body' });
    }
  }
  // every route served is in the spec, and the other way round (test/server checks the second half)
  for (const r of routes) {
    if (!paths[r.path]?.[r.method.toLowerCase()]) throw new Error(`route ${r.method} ${r.path} is not in the served spec`);
  }
  return spec;
}
