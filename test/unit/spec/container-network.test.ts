// One parser for --container-network and its per-network values, used by create and configure alike. A value for a
// network no --container-network gives is refused, naming the flag (vic 1.5's "CONTAINER-NETWORK cannot be found").
import { describe, expect, test } from '@jest/globals';
import {
  containerNetworkFlags, containerNetworksFromFlags, parseContainerNetworkRef, parseNetworkValue, type ContainerNetworkFlagValues,
} from '../../../src/vic/spec/values/container-network.js';

const flags = (f: Partial<ContainerNetworkFlagValues>): ContainerNetworkFlagValues => ({
  containerNetwork: [], containerNetworkGateway: [], containerNetworkIpRange: [], containerNetworkDns: [], containerNetworkFirewall: [], ...f,
});

describe('--container-network vsphere-name[:alias]', () => {
  test.each([
    ['DC0_DVPG1', { vsphereName: 'DC0_DVPG1', alias: 'DC0_DVPG1' }],
    ['DC0_DVPG1:cn', { vsphereName: 'DC0_DVPG1', alias: 'cn' }],
    ['DC0_DVPG1:', { vsphereName: 'DC0_DVPG1', alias: 'DC0_DVPG1' }],
    ['VM Network:vmnet', { vsphereName: 'VM Network', alias: 'vmnet' }],
  ])('%s', (text, ref) => {
    expect(parseContainerNetworkRef(text)).toEqual({ ok: true, value: ref });
  });

  test.each([
    ['a:b:c', 'Invalid value for parameter a:b:c'],
    [':alias', 'Container network not specified in parameter :alias'],
    ['VM Network', 'A network alias must be supplied when network name "VM Network" contains spaces.'],
    ['net:my alias', 'The network alias supplied in "net:my alias" cannot contain spaces.'],
  ])('%s is refused', (text, message) => {
    expect(parseContainerNetworkRef(text)).toEqual({ ok: false, message });
  });

  test('per-network values: one colon, a name and a value', () => {
    expect(parseNetworkValue('DC0_DVPG1:10.1.0.1/24')).toEqual({ ok: true, value: { vsphereName: 'DC0_DVPG1', value: '10.1.0.1/24' } });
    expect(parseNetworkValue('DC0_DVPG1')).toMatchObject({ ok: false });
    expect(parseNetworkValue('a:b:c')).toEqual({ ok: false, message: 'Error parsing container network parameter a:b:c: Invalid value for parameter a:b:c' });
  });
});

describe('the five flags together', () => {
  test('values join their network by vSphere name, whatever its alias', () => {
    const r = containerNetworksFromFlags(flags({
      containerNetwork: ['DC0_DVPG1:cn', 'DC0_DVPG0'],
      containerNetworkGateway: ['DC0_DVPG1:10.1.0.1/24'],
      containerNetworkIpRange: ['DC0_DVPG1:10.1.0.0/28', 'DC0_DVPG1:10.1.0.100-10.1.0.120'],
      containerNetworkDns: ['DC0_DVPG1:10.1.0.2', 'DC0_DVPG0:8.8.8.8'],
      containerNetworkFirewall: ['DC0_DVPG0:OPEN'],
    }));
    expect(r.problems).toEqual([]);
    expect(r.networks).toEqual([
      { portGroup: { name: 'DC0_DVPG1' }, alias: 'cn', gateway: '10.1.0.1/24', ipRanges: ['10.1.0.0/28', '10.1.0.100-10.1.0.120'], dns: ['10.1.0.2'] },
      { portGroup: { name: 'DC0_DVPG0' }, alias: 'DC0_DVPG0', ipRanges: [], dns: ['8.8.8.8'], firewall: 'open' },
    ]);
    // and written back as flags, which read back the same
    const written = containerNetworkFlags(r.networks);
    const values = (flag: string) => written.filter((f) => f.flag === flag).map((f) => f.value);
    const again = containerNetworksFromFlags({
      containerNetwork: values('container-network'), containerNetworkGateway: values('container-network-gateway'),
      containerNetworkIpRange: values('container-network-ip-range'), containerNetworkDns: values('container-network-dns'),
      containerNetworkFirewall: values('container-network-firewall'),
    });
    expect(again).toEqual(r);
  });

  test('finding 8: a gateway for a network no --container-network gives is refused, naming the flag and the network', () => {
    const r = containerNetworksFromFlags(flags({ containerNetwork: ['DC0_DVPG1:cn'], containerNetworkGateway: ['NoSuch:10.1.0.1/24'] }));
    expect(r.problems).toEqual([{
      code: 'container-network-invalid', flag: '--container-network-gateway',
      message: 'The following container network gateway is set, but CONTAINER-NETWORK cannot be found. Please check the --container-network and --container-network-gateway settings: NoSuch:10.1.0.1/24, "NoSuch" should be a vSphere network name',
      suggestions: ['DC0_DVPG1'],
    }]);
  });

  test('by alias is not by name: the value must name the vSphere network', () => {
    const r = containerNetworksFromFlags(flags({ containerNetwork: ['DC0_DVPG1:cn'], containerNetworkIpRange: ['cn:10.1.0.0/28'], containerNetworkDns: ['cn:1.1.1.1'], containerNetworkFirewall: ['cn:open'] }));
    expect(r.problems.map((p) => p.flag)).toEqual(['--container-network-ip-range', '--container-network-dns', '--container-network-firewall']);
    expect(r.problems[0]!.message).toContain('"cn" should be a vSphere network name');
  });

  test('duplicates and bad levels', () => {
    const r = containerNetworksFromFlags(flags({
      containerNetwork: ['DC0_DVPG1:cn', 'DC0_DVPG1:other'],
      containerNetworkGateway: ['DC0_DVPG1:10.1.0.1/24', 'DC0_DVPG1:10.2.0.1/24'],
      containerNetworkFirewall: ['DC0_DVPG1:wide-open'],
    }));
    expect(r.problems).toEqual([
      { code: 'container-network-invalid', flag: '--container-network', message: 'Container network "DC0_DVPG1" is specified more than once' },
      { code: 'container-network-invalid', flag: '--container-network-gateway', message: 'Duplicate gateway specified for container network DC0_DVPG1' },
      { code: 'firewall-level-invalid', flag: '--container-network-firewall', message: 'Unrecognized container trust level DC0_DVPG1:wide-open.', suggestions: ['closed', 'outbound', 'peers', 'published', 'open'] },
    ]);
  });
});
