// The VCH specification and its three forms: create's flags (as parsed by the CLI, with --config YAML), the flags
// `inspect config` writes, and vic-machine-server's VCH model. Each form reads back into the same specification.
import { describe, expect, test } from '@jest/globals';
import { parseArgs } from '../../../src/cli/main.js';
import type { CreateOptions } from '../../../src/cli/options.js';
import { createFlagsOf, specFromCreateFlags } from '../../../src/vic/spec/flags.js';
import { MODEL_PATH_OF_FLAG, vchModelOf, vchSpecOfModel } from '../../../src/vic/spec/vch-model.js';
import { defaultSpec, SpecError, type VchSpec } from '../../../src/vic/spec/vch-spec.js';
import { CREATE_FLAGS } from '../../../src/cli/flags/commands.js';

const RICH = [
  '--name', 'vch-rich', '--compute-resource', 'DC0_C0', '--ops-user', 'opsuser', '--ops-password', 'opspass', '--ops-grant-perms',
  '--image-store', 'LocalDS_0/vchimages', '--volume-store', 'LocalDS_0/volumes:default', '--volume-store', 'nfs://nfs.example.com/export?uid=1000:shared',
  '--bridge-network', 'DC0_DVPG0', '--bridge-network-range', '172.20.0.0/14', '--bridge-network-width', '20',
  '--public-network', 'VM Network', '--public-network-ip', '10.0.0.5/24', '--public-network-gateway', '10.1.0.0/16,10.2.0.0/16:10.0.0.1',
  '--management-network', 'DC0_DVPG1', '--management-network-ip', '192.168.0.5/24', '--management-network-gateway', '192.168.0.1',
  '--container-network', 'DC0_DVPG1:routable', '--container-network-gateway', 'DC0_DVPG1:10.10.0.1/16',
  '--container-network-ip-range', 'DC0_DVPG1:10.10.1.0/24', '--container-network-ip-range', 'DC0_DVPG1:10.10.2.10-10.10.2.20',
  '--container-network-dns', 'DC0_DVPG1:10.10.0.2', '--container-network-firewall', 'DC0_DVPG1:Published',
  '--container-network', 'VM Network:vmnet',
  '--dns-server', '1.1.1.1', '--dns-server', '8.8.8.8', '--tls-cname', 'vch.example.com', '--organization', 'Example',
  '--certificate-key-size', '4096', '--memory', '8000', '--memory-reservation', '512', '--memory-shares', '6000',
  '--cpu', '10000', '--cpu-reservation', '512', '--cpu-shares', 'high', '--endpoint-cpu', '2', '--endpoint-memory', '4096',
  '--insecure-registry', 'reg.example.com:5000', '--whitelist-registry', 'reg.example.com:5000', '--whitelist-registry', '10.0.0.0/8',
  '--http-proxy', 'http://proxy.example.com:3128', '--https-proxy', 'https://proxy.example.com:3129', '--no-proxy', 'localhost,.example.com',
  '--syslog-address', 'tcp://127.0.0.1:514', '--containers', '50', '--storage-quota', '100', '--base-image-size', '6000MB',
  '--container-name-convention', 'vch-{name}', '--affinity-vm-group', '--asymmetric-routes', '--debug', '1',
];

async function options(argv: readonly string[]): Promise<CreateOptions> {
  const p = await parseArgs(['create', '--target', 'vc.example.com/DC0', '--user', 'u', '--password', 'p', ...argv], {});
  if (!p) throw new Error('not parsed');
  return p.options as unknown as CreateOptions;
}

const specOf = async (argv: readonly string[]): Promise<VchSpec> => specFromCreateFlags(await options(argv));
const argvOf = (spec: VchSpec): string[] => createFlagsOf(spec).map(({ flag, value }) => `--${flag}=${value}`);
/** The specification as its writers see it: the ops password is never written out. */
const written = (s: VchSpec): VchSpec => {
  const c = structuredClone(s);
  if (c.endpoint.operationsCredentials) delete c.endpoint.operationsCredentials.password;
  return c;
};

describe('create flags → specification', () => {
  test('every flag lands in its place, defaults for the rest', async () => {
    const s = await specOf(RICH);
    expect(s.name).toBe('vch-rich');
    expect(s.compute).toEqual({
      resource: { name: 'DC0_C0' }, cpu: { limit: 10000, reservation: 512, shares: { level: 'high' } },
      memory: { limit: 8000, reservation: 512, shares: { level: 'custom', shares: 6000 } }, affinityVmGroup: true,
    });
    expect(s.endpoint).toEqual({ cpus: 2, memoryMB: 4096, operationsCredentials: { user: 'opsuser', password: 'opspass', grantPermissions: true } });
    expect(s.storage).toEqual({
      imageStore: 'LocalDS_0/vchimages', baseImageSize: '6GB', quotaGB: 100,
      volumeStores: [{ location: 'LocalDS_0/volumes', label: 'default' }, { location: 'nfs://nfs.example.com/export?uid=1000', label: 'shared' }],
    });
    expect(s.network.public).toEqual({ portGroup: { name: 'VM Network' }, staticIp: '10.0.0.5/24', gateway: { address: '10.0.0.1', routingDestinations: ['10.1.0.0/16', '10.2.0.0/16'] } });
    expect(s.network.client).toBeUndefined();
    expect(s.network.management).toEqual({ portGroup: { name: 'DC0_DVPG1' }, staticIp: '192.168.0.5/24', gateway: { address: '192.168.0.1', routingDestinations: [] } });
    expect(s.network.container).toEqual([
      { portGroup: { name: 'DC0_DVPG1' }, alias: 'routable', gateway: '10.10.0.1/16', ipRanges: ['10.10.1.0/24', '10.10.2.10-10.10.2.20'], dns: ['10.10.0.2'], firewall: 'published' },
      { portGroup: { name: 'VM Network' }, alias: 'vmnet', ipRanges: [], dns: [] },
    ]);
    expect(s.network.bridge).toEqual({ portGroup: { name: 'DC0_DVPG0' }, ipRange: '172.20.0.0/14', width: 20 });
    expect(s.tls).toEqual({ mode: 'verify', cname: 'vch.example.com', organization: ['Example'], keySize: 4096, clientCas: [] });
    expect(s.proxy).toEqual({ http: 'http://proxy.example.com:3128', https: 'https://proxy.example.com:3129', noProxy: 'localhost,.example.com' });
    expect(s.container).toEqual({ nameConvention: 'vch-{name}', maxContainers: 50 });
    expect(s.syslogAddress).toBe('tcp://127.0.0.1:514');
    expect(s.network.asymmetricRoutes).toBe(true);
    expect(s.debug).toBe(1);
  });

  test('nothing but the name: the default specification', async () => {
    expect(await specOf(['--name', 'vch1'])).toEqual(defaultSpec('vch1'));
    expect(await specOf([])).toEqual(defaultSpec());
  });

  test('one spelling per size: --base-image-size 8000MB is 8GB, as the model writes it', async () => {
    expect((await specOf(['--base-image-size', '8000MB'])).storage.baseImageSize).toBe('8GB');
    expect((await specOf(['--base-image-size', '1.5GB'])).storage.baseImageSize).toBe('1500MB');
  });

  test('every problem of the flags at once, each naming its flag', async () => {
    const e = await specOf(['--ops-password', 'x', '--ops-grant-perms', '--volume-store', 'nolabel', '--public-network-gateway', 'a:b:c']).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SpecError);
    expect((e as SpecError).problems.map((p) => p.flag)).toEqual(['--ops-password', '--ops-grant-perms', '--volume-store', '--public-network-gateway']);
    expect((e as SpecError).cliErrorType).toBe('usage');
    expect((e as SpecError).issues.map((i) => i.code)).toEqual(['ops-user-invalid', 'ops-user-invalid', 'volume-store-invalid', 'gateway-invalid']);
  });
});

describe('specification → flags → specification', () => {
  test.each([['rich', RICH], ['minimal', ['--name', 'vch1']], ['no-tls', ['--no-tls', '--client-network', 'DC0_DVPG1', '--client-network-ip', '10.5.0.2/16']],
    ['no-tlsverify', ['--no-tlsverify', '--tls-ca', '/tmp/ca.pem', '--registry-ca', '/tmp/reg.pem', '--tls-server-cert', 'c.pem', '--tls-server-key', 'k.pem']]])('%s', async (_n, argv) => {
    const s = await specOf(argv);
    const back = await specOf(argvOf(s));
    expect(back).toEqual(written(s));
  });

  test('flags are create flags, long names, defaults left out', async () => {
    const flags = createFlagsOf(await specOf(['--name', 'vch1', '--debug', '0', '--endpoint-cpu', '1', '--bridge-network-width', '16']));
    expect(flags).toEqual([{ flag: 'name', value: 'vch1' }]);
    const names = new Set<string>(CREATE_FLAGS.map((f) => f.name));
    for (const f of createFlagsOf(await specOf(RICH))) expect(names.has(f.flag)).toBe(true);
  });

  test('the ops password is never written out', async () => {
    expect(argvOf(await specOf(RICH)).join(' ')).not.toContain('opspass');
  });
});

describe('specification ⇄ VCH model', () => {
  test.each([['rich', RICH], ['minimal', []], ['no-tls', ['--no-tls']], ['no-tlsverify', ['--no-tlsverify']]])('%s: spec → model → spec', async (_n, argv) => {
    const s = await specOf(argv);
    const m = vchModelOf(s);
    expect(JSON.stringify(m)).not.toContain('opspass');
    expect(vchSpecOfModel(JSON.parse(JSON.stringify(m))).spec).toEqual(written(s));
    // with secrets (what the server's own create request carries) the password comes back too
    expect(vchSpecOfModel(vchModelOf(s, {}, { withSecrets: true })).spec).toEqual(s);
  });

  test('1.5 names and shapes, and the extensions in their objects', async () => {
    const m = vchModelOf(await specOf(RICH), { version: 'v1.5.8-1-9489f63' });
    expect(m.version).toBe('v1.5.8-1-9489f63');
    expect(m.compute).toEqual({
      cpu: { limit: { value: 10000, units: 'MHz' }, reservation: { value: 512, units: 'MHz' }, shares: { level: 'high' } },
      memory: { limit: { value: 8000, units: 'MiB' }, reservation: { value: 512, units: 'MiB' }, shares: { number: 6000 } },
      resource: { name: 'DC0_C0' }, affinity: { use_vm_group: true },
    });
    expect(m.network?.container?.[0]).toEqual({
      alias: 'routable', port_group: { name: 'DC0_DVPG1' }, gateway: { address: '10.10.0.1', routing_destinations: ['10.10.0.0/16'] },
      ip_ranges: ['10.10.1.0/24', '10.10.2.10-10.10.2.20'], nameservers: ['10.10.0.2'], firewall: 'published',
    });
    expect(m.network?.public).toEqual({
      port_group: { name: 'VM Network' }, static: '10.0.0.5/24', nameservers: ['1.1.1.1', '8.8.8.8'],
      gateway: { address: '10.0.0.1', routing_destinations: ['10.1.0.0/16', '10.2.0.0/16'] },
    });
    expect(m.network?.['x-vic-asymmetric_routes']).toBe(true);
    expect(m.storage).toEqual({
      image_stores: ['LocalDS_0/vchimages'], base_image_size: { value: 6, units: 'GB' }, 'x-vic-storage_quota': { value: 100, units: 'GiB' },
      volume_stores: [{ datastore: 'LocalDS_0/volumes', label: 'default' }, { datastore: 'nfs://nfs.example.com/export?uid=1000', label: 'shared' }],
    });
    expect(m.container).toEqual({ name_convention: 'vch-{name}', 'x-vic-max_containers': 50 });
    expect(m.auth).toEqual({ client: { no_tls_verify: false }, server: { generate: { size: { value: 4096, units: 'bit' }, organization: ['Example'], cname: 'vch.example.com' } } });
    expect(m.endpoint).toEqual({ memory: { value: 4096, units: 'MiB' }, cpu: { sockets: 2 }, operations_credentials: { user: 'opsuser', grant_permissions: true } });
    expect(m.registry?.image_fetch_proxy).toEqual({ http: 'http://proxy.example.com:3128', https: 'https://proxy.example.com:3129', no_proxy: ['localhost', '.example.com'] });
    expect(m.syslog_addr).toBe('tcp://127.0.0.1:514');
  });

  test('what a 1.5 client sends: ids, other units, DNS repeated on each network, shares with level and number, a GET body sent back', () => {
    const { spec, version } = vchSpecOfModel({
      version: 'v1.5.8-1-9489f63', name: 'vch1',
      compute: { resource: { id: 'resgroup-70' }, cpu: { limit: { value: 2, units: 'GHz' }, shares: { level: 'custom', number: 6000 } }, memory: { limit: { value: 1, units: 'GiB' } } },
      network: {
        bridge: { port_group: { id: 'dvportgroup-13' }, ip_range: '172.16.0.0/12' },
        public: { port_group: { id: 'network-7' }, nameservers: ['1.1.1.1'] },
        client: { port_group: { id: 'network-7' }, nameservers: ['1.1.1.1'] },
      },
      storage: { image_stores: ['ds://LocalDS_0'], base_image_size: { value: 8000000, units: 'KB' } },
      endpoint: { memory: { value: 2, units: 'GiB' } },
      runtime: { power_state: 'poweredOn', docker_host: '10.0.0.5:2376' },
    });
    expect(version).toBe('v1.5.8-1-9489f63');
    expect(spec.compute.resource).toEqual({ id: 'resgroup-70' });
    expect(spec.compute.cpu).toEqual({ limit: 2000, shares: { level: 'custom', shares: 6000 } });
    expect(spec.compute.memory).toEqual({ limit: 1024 });
    expect(spec.network.dns).toEqual(['1.1.1.1']);
    expect(spec.network.bridge.portGroup).toEqual({ id: 'dvportgroup-13' });
    expect(spec.storage.baseImageSize).toBe('8GB');
    expect(spec.endpoint.memoryMB).toBe(2048);
  });

  test('every problem at once, each with the JSON path of its field', () => {
    const e = (() => {
      try {
        vchSpecOfModel({
          name: 7, debug: 'x',
          compute: { cpu: { limit: { value: 1, units: 'MB' } }, memory: { limit: { value: 1, units: 'KiB' } } },
          network: {
            public: { gateway: { address: '10.0.0.1' } },
            container: [{ port_group: { name: 'DC0_DVPG1' }, alias: 'c', gateway: { address: '10.1.0.1', routing_destinations: [] } }, { alias: 'bridge', port_group: { name: 'y' } }, { port_group: { id: 'x', name: 'y' } }],
          },
          storage: { image_store: 'ds://x', volume_stores: [{ label: 'v' }] },
          auth: { no_tls: true, client: { no_tls_verify: true } },
          syslog_addr: 'http://x', container: { name_convention: 'plain' },
        });
      } catch (x) {
        return x as SpecError;
      }
      throw new Error('no error');
    })();
    expect(e).toBeInstanceOf(SpecError);
    const paths = e.problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining([
      'name', 'debug', 'compute.cpu.limit.units', 'compute.memory.limit', 'network.public.gateway',
      'network.container[0].gateway.routing_destinations', 'network.container[2].port_group', 'network.container[1].alias',
      'storage.image_store', 'storage.volume_stores[0].datastore', 'auth', 'syslog_addr', 'container.name_convention',
    ]));
    expect(e.message).toContain('storage.image_store: is not a field of the VCH model');
    expect(e.issues[0]).toMatchObject({ flag: 'name' });
  });

  test('not an object at all', () => {
    expect(() => vchSpecOfModel('vch')).toThrow(/must be an object/);
    expect(() => vchSpecOfModel(null)).toThrow(/must be a VCH object/);
  });

  test('every create flag that a VCH has is a field of the model (or not part of a VCH)', () => {
    const notVch = new Set(['target', 'user', 'password', 'thumbprint', 'force', 'timeout', 'dry-run', 'appliance-iso', 'bootstrap-iso',
      'tls-cert-path', 'config', 'extended-help']);
    for (const f of CREATE_FLAGS) {
      if (notVch.has(f.name)) continue;
      expect([f.name, MODEL_PATH_OF_FLAG[`--${f.name}`]]).toEqual([f.name, expect.any(String)]);
    }
  });
});
