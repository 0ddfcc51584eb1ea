// createFlagsOf without vSphere: the configurations vic-machine 1.5.8 stored (the fixtures' extraconfig.running.json,
// decoded) plus the pool and VM facts recorded beside them, and variations of them for each rule: defaults left out,
// custom values kept, ranges and sizes written as create takes them, the TLS mode, and no secret in the output.
import { describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { decodeVchConfigDetailed, type VirtualContainerHostConfigSpec } from '../../../src/vic/config/index.js';
import { createFlagsOf, type InspectConfigInput } from '../../../src/vic/vch/inspect-config.js';
import { FIXTURES, haveFixtures } from '../../support/fixture-vch.js';

function fixtureConfig(fixture: string): VirtualContainerHostConfigSpec {
  const ec = JSON.parse(fs.readFileSync(path.join(FIXTURES, fixture, 'extraconfig.running.json'), 'utf8')) as Record<string, string>;
  return decodeVchConfigDetailed(ec, { unsealSecrets: false }).config;
}

// the simulator's port groups, by the morefs the fixtures stored
const NETWORKS: Record<string, string> = {
  'Network:network-7': 'VM Network',
  'DistributedVirtualPortgroup:dvportgroup-13': 'DC0_DVPG0',
  'DistributedVirtualPortgroup:dvportgroup-15': 'DC0_DVPG1',
};

function input(fixture: string, name: string, o: Partial<InspectConfigInput> = {}): InspectConfigInput {
  return {
    name, config: fixtureConfig(fixture), computeResourcePath: '/DC0/host/DC0_C0/Resources',
    vm: { memoryMB: 2048, numCPUs: 1 }, networkName: (m) => NETWORKS[m], ...o,
  };
}

const args = (i: InspectConfigInput): string[] => createFlagsOf(i).map(({ flag, value }) => `--${flag}=${value}`);
const flagNames = (i: InspectConfigInput): string[] => createFlagsOf(i).map((f) => f.flag);

(haveFixtures ? describe : describe.skip)('the fixtures\' configurations', () => {
  test('rich: every non-default value, in the original\'s words, with the pool and appliance size read beside it', () => {
    const i = input('rich', 'vch-rich', {
      pool: {
        cpuAllocation: { limit: 10000, reservation: 512, shares: { level: 'high', shares: 8000 } },
        memoryAllocation: { limit: 8000, reservation: 512, shares: { level: 'custom', shares: 6000 } },
      },
      vm: { memoryMB: 4096, numCPUs: 2 },
    });
    const a = args(i);
    expect(a).toEqual(expect.arrayContaining([
      '--name=vch-rich', '--compute-resource=/DC0/host/DC0_C0/Resources', '--ops-user=opsuser',
      '--image-store=ds://LocalDS_0/vchimages', '--base-image-size=6GB',
      '--volume-store=ds://LocalDS_0/volumes:default', '--volume-store=ds://LocalDS_0/vol2:fast', '--dns-server=1.1.1.1',
      '--bridge-network=DC0_DVPG0', '--bridge-network-range=172.20.0.0/14', '--bridge-network-width=20',
      '--container-network=DC0_DVPG1:routable', '--container-network-gateway=DC0_DVPG1:10.10.0.1/16',
      '--container-network-ip-range=DC0_DVPG1:10.10.1.0/24', '--container-network-dns=DC0_DVPG1:10.10.0.2',
      '--container-network-firewall=DC0_DVPG1:published',
      '--memory=8000', '--memory-reservation=512', '--memory-shares=6000', '--endpoint-memory=4096',
      '--cpu=10000', '--cpu-reservation=512', '--cpu-shares=high', '--endpoint-cpu=2', '--containers=50',
      '--tls-cname=vch.example.com', '--organization=Example',
      '--insecure-registry=reg.example.com:5000', '--whitelist-registry=reg.example.com:5000',
      '--http-proxy=http://proxy.example.com:3128', '--no-proxy=localhost,.example.com', '--syslog-address=tcp://127.0.0.1:514', '--debug=1',
    ]));
    // the public network is the default, and client and management share its port group: none is printed
    expect(flagNames(i).filter((f) => /^(public|client|management)-network/.test(f))).toEqual([]);
    // the cname 1.5 appended to the organizations is not one the admin gave
    expect(a).not.toContain('--organization=vch.example.com');
    expect(a.join(' ')).not.toContain('opspass');
  });

  test('basic: only what differs from create\'s defaults', () => {
    const a = args(input('basic', 'vch1', { pool: { cpuAllocation: { limit: -1, reservation: 0, shares: { level: 'normal', shares: 4000 } } } }));
    const withoutTarget = a.filter((x) => !x.startsWith('--target=') && !x.startsWith('--thumbprint='));
    // no --ops-user: 1.5 stored the admin user ("user") as the ops user because none was given
    expect(withoutTarget).toEqual(['--name=vch1', '--compute-resource=/DC0/host/DC0_C0/Resources',
      '--image-store=ds://LocalDS_0', '--bridge-network=DC0_DVPG0', '--no-tlsverify=true']);
  });

  test('an ops user of its own: recorded by create (--ops-user) or needed by --ops-grant-perms; the admin user stored for none is not one', () => {
    expect(args(input('rich', 'vch-rich'))).toContain('--ops-user=opsuser');
    const granted = input('basic', 'vch1');
    granted.config.grantPermsLevel = 'AddPerms';
    expect(args(granted)).toEqual(expect.arrayContaining(['--ops-user=user', '--ops-grant-perms=true']));
    expect(flagNames(input('basic', 'vch1'))).not.toContain('ops-user');
  });

  test('notls: --no-tls, and the static public address with its gateway and DNS', () => {
    const a = args(input('notls', 'vch-notls'));
    expect(a).toEqual(expect.arrayContaining(['--no-tls=true', '--dns-server=10.0.0.53', '--public-network-ip=192.168.100.10/24',
      '--public-network-gateway=192.168.100.1']));
    expect(a.some((x) => x.startsWith('--tls-cname') || x.startsWith('--no-tlsverify'))).toBe(false);
  });

  test('the default VCH name and endpoint size, and a VCH in a cluster\'s root pool (no pool of its own), print nothing for them', () => {
    const names = flagNames(input('basic', 'virtual-container-host', { pool: undefined, vm: { memoryMB: 2048, numCPUs: 1 } }));
    for (const f of ['name', 'memory', 'cpu', 'memory-shares', 'cpu-shares', 'endpoint-memory', 'endpoint-cpu', 'memory-reservation']) {
      expect(names).not.toContain(f);
    }
  });

  test('an image store in the appliance\'s own folder is the default path; any other path is kept', () => {
    const own = input('basic', 'vch1');
    own.config.storage.imageStores[0]!.path = 'vch1';
    expect(args(own)).toContain('--image-store=ds://LocalDS_0');
    const other = input('basic', 'vch1');
    other.config.storage.imageStores[0]!.path = 'images/vch';
    expect(args(other)).toContain('--image-store=ds://LocalDS_0/images/vch');
  });

  test('a pool range that is not one CIDR block is printed as first-last; a port group that is gone falls back to the alias', () => {
    const i = input('rich', 'vch-rich');
    const pool = i.config.network.containerNetworks['routable']!.pools[0]!;
    pool.firstIP = new Uint8Array([10, 10, 1, 10]);
    pool.lastIP = new Uint8Array([10, 10, 1, 20]);
    expect(args(i)).toContain('--container-network-ip-range=DC0_DVPG1:10.10.1.10-10.10.1.20');
    const gone = input('rich', 'vch-rich', { networkName: (m) => (m.endsWith('dvportgroup-15') ? undefined : NETWORKS[m]) });
    expect(args(gone)).toContain('--container-network=routable:routable');
  });

  test('the TLS mode follows the stored certificates: server and CA → cname; server only → --no-tlsverify; none → --no-tls', () => {
    const verify = input('rich', 'vch-rich');
    expect(flagNames(verify)).toContain('tls-cname');
    const serverOnly = input('rich', 'vch-rich');
    serverOnly.config.certificate.certificateAuthorities = new Uint8Array();
    expect(args(serverOnly)).toContain('--no-tlsverify=true');
    expect(flagNames(serverOnly)).not.toContain('tls-cname');
    const none = input('rich', 'vch-rich');
    none.config.certificate.hostCertificate = undefined as never;
    expect(args(none)).toContain('--no-tls=true');
  });
});
