// The console's routes in the served spec (GET /container/swagger.json), each marked `x-vic-extension: true`:
// a 1.5 client sees 1.5's shapes unchanged; a client of the console's login can generate from this.
import type { Route } from '../router.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ext = <T extends Json>(o: T): T & { 'x-vic-extension': true } => ({ ...o, 'x-vic-extension': true });
const errors = { default: { $ref: '#/responses/error' } };

export function addConsoleSpec(spec: Json, routes: readonly Route[]): Json {
  const d = spec['definitions'];
  d['Console_Login'] = ext({
    type: 'object', description: 'The console\'s login: vSphere credentials, held on the server for the console session',
    required: ['target', 'user', 'password'],
    properties: {
      target: { type: 'string', description: 'vCenter or ESXi host name or address, with :port when not 443' },
      datacenter: { type: 'string', description: 'a datacenter\'s name or managed object id (optional when there is one)' },
      user: { type: 'string' }, password: { type: 'string', format: 'password' },
      thumbprint: { type: 'string', description: 'SHA-1 or SHA-256 of the target\'s certificate, when no CA vouches for it' },
    },
  });
  d['Console_Session'] = ext({
    type: 'object',
    properties: {
      user: { type: 'string' }, target: { type: 'string' }, datacenter: { type: 'string', description: 'managed object id' },
      csrf_token: { type: 'string', description: 'send as X-CSRF-Token with every change' },
      thumbprint: { type: 'string', description: 'SHA-1 of the certificate the session verified (pass as ?thumbprint=)' },
      idle_timeout_seconds: { type: 'integer' },
      datacenters: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } } },
    },
  });
  const paths = spec['paths'];
  paths['/console/session'] = ext({
    post: ext({
      summary: 'Log in (console): sets an HttpOnly, Secure, SameSite=Strict session cookie', operationId: 'postConsoleSession', security: [],
      parameters: [{ name: 'login', in: 'body', required: true, schema: { $ref: '#/definitions/Console_Login' } }],
      responses: { 201: { description: 'Logged in', schema: { $ref: '#/definitions/Console_Session' } }, ...errors },
    }),
    get: ext({ summary: 'The console session of the cookie', operationId: 'getConsoleSession', security: [], responses: { 200: { description: 'The session', schema: { $ref: '#/definitions/Console_Session' } }, ...errors } }),
    delete: ext({ summary: 'Log out (console): the vSphere session ends', operationId: 'deleteConsoleSession', security: [], responses: { 204: { description: 'Logged out' }, ...errors } }),
  });
  d['Console_Inventory'] = ext({
    type: 'object', description: 'What a VCH can be placed on: the create wizard picks every vSphere object from these',
    properties: {
      datacenter: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } },
      compute_resources: { type: 'array', items: { type: 'object', properties: { name: { type: 'string', description: 'as compute.resource.name takes it' }, type: { type: 'string' } } } },
      datastores: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, free_bytes: { type: 'integer' }, capacity_bytes: { type: 'integer' } } } },
      networks: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, type: { type: 'string' } } } },
    },
  });
  for (const prefix of ['/target/{target}', '/target/{target}/datacenter/{datacenter}']) {
    const params = [{ $ref: '#/parameters/target' }, ...(prefix.includes('{datacenter}') ? [{ $ref: '#/parameters/datacenter' }] : []), { $ref: '#/parameters/thumbprint' }];
    paths[`${prefix}/console/inventory`] = ext({
      get: ext({
        summary: 'Compute resources, datastores and networks a VCH can use (console)', parameters: params,
        responses: { 200: { description: 'The inventory', schema: { $ref: '#/definitions/Console_Inventory' } }, ...errors },
      }),
    });
  }
  for (const r of routes) {
    if (!paths[r.path]?.[r.method.toLowerCase()]) throw new Error(`console route ${r.method} ${r.path} is not in the served spec`);
  }
  return spec;
}
