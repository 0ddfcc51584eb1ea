// The dry run of create in the served spec: `dry_run` on POST .../vch and its 200 answer, VCH_Create_Plan; each
// marked `x-vic-extension: true` (a 1.5 client sends no dry_run and sees 1.5's create unchanged).
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ext = <T extends Json>(o: T): T & { 'x-vic-extension': true } => ({ ...o, 'x-vic-extension': true });
const str = { type: 'string' };
const strings = { type: 'array', items: str };

export function addCreatePlanSpec(spec: Json): void {
  const d = spec['definitions'];
  d['VCH_Create_Plan'] = ext({
    type: 'object', description: 'What POST .../vch would make (?dry_run=true): nothing is made. Names and paths as they will be in vSphere',
    required: ['dry_run', 'name', 'resource_pool', 'vm', 'networks', 'actions', 'warnings'],
    properties: {
      dry_run: { type: 'boolean', enum: [true] }, name: str, datacenter: str,
      compute_resource: { type: 'string', description: 'the resource pool the VCH\'s pool goes in' },
      topology: { type: 'string', enum: ['vcenter-drs', 'vcenter-no-drs', 'esxi'] },
      tls: { type: 'string', enum: ['tlsverify', 'tls', 'none'], description: 'tlsverify: clients verified; tls: server TLS only; none: no TLS' },
      resource_pool: { type: 'object', properties: { path: str, action: { type: 'string', enum: ['create', 'reuse'] } } },
      vm_folder: { type: 'string', description: 'vCenter: the VM folder made for the VCH' },
      vm: { type: 'object', properties: { name: str, cpus: { type: 'integer' }, memory_mb: { type: 'integer' }, datastore: str, folder: { type: 'string', description: '[datastore] folder of the VM\'s files' } } },
      image_store: { type: 'string', description: 'ds://datastore[/path]' },
      datastore_folders: { type: 'array', items: { type: 'object', properties: { path: str, purpose: str } } },
      uploads: { type: 'array', items: { type: 'object', properties: { name: str, to: str, bytes: { type: 'integer' } } } },
      networks: { type: 'array', items: { type: 'object', properties: { role: { type: 'string', enum: ['public', 'client', 'management', 'bridge'] }, port_group: str, action: { type: 'string', enum: ['use', 'create'] } } } },
      container_networks: { type: 'array', items: { type: 'object', properties: { alias: str, port_group: str } } },
      volume_stores: { type: 'array', items: { type: 'object', properties: { label: str, url: str } } },
      certificates: { type: 'array', items: { type: 'object', properties: { kind: { type: 'string', enum: ['CA', 'server', 'client'] }, action: { type: 'string', enum: ['generate', 'use given'] }, subject: str, alt_names: strings } } },
      docker_host: { type: 'string', description: 'address:port, when the client network has a static address (with DHCP it is known once the appliance reports it)' },
      nics: { type: 'array', items: { type: 'object', properties: { port_group: str, roles: strings, pci_slot: { type: 'integer' } } } },
      actions: { type: 'array', description: 'every change create would make, in order', items: { type: 'object', properties: { object: str, action: str, target: str, details: str } } },
      warnings: strings, notes: strings,
    },
  });
  for (const prefix of ['/target/{target}', '/target/{target}/datacenter/{datacenter}']) {
    const op = spec['paths'][`${prefix}/vch`]['post'];
    op['parameters'] = [...(op['parameters'] ?? []), ext({ name: 'dry_run', in: 'query', type: 'boolean', required: false,
      description: 'validate as create does and answer the plan (200, VCH_Create_Plan); nothing is made, no session is left' })];
    op['responses'] = { ...op['responses'], 200: ext({ description: 'dry_run=true: the plan', schema: { $ref: '#/definitions/VCH_Create_Plan' } }) };
  }
}
