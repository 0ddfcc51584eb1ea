// The pure parts of `update firewall`: which ruleset a host gets, and what the host's rules say afterwards.
import { describe, expect, test } from '@jest/globals';
import { firewallWarning, hostLabel, pickRuleset, withRuleset } from '../../../src/vic/firewall/update-firewall.js';
import { firewallVerdict, type FirewallInfoLike } from '../../../src/vic/validate/index.js';

const out2377 = { port: 2377, direction: 'outbound', portType: 'dst', protocol: 'tcp' };
const allTcp = { port: 0, endPort: 65535, direction: 'outbound', portType: 'dst', protocol: 'tcp' };

describe('pickRuleset', () => {
  test('"vic-engine" (vSphere 6.7+) is preferred to "vSPC" (6.5); neither → undefined', () => {
    expect(pickRuleset({ ruleset: [{ key: 'vSPC' }, { key: 'vic-engine' }] })).toBe('vic-engine');
    expect(pickRuleset({ ruleset: [{ key: 'sshServer' }, { key: 'vSPC' }] })).toBe('vSPC');
    expect(pickRuleset({ ruleset: [{ key: 'sshServer' }] })).toBeUndefined();
    expect(pickRuleset(undefined)).toBeUndefined();
  });
});

describe('withRuleset + the validation verdict', () => {
  const closed: FirewallInfoLike = { defaultPolicy: { outgoingBlocked: true }, ruleset: [{ key: 'vSPC', enabled: false, rule: [allTcp] }, { key: 'sshServer', enabled: true, rule: [] }] };

  test('enabling vSPC permits 2377/tcp; the input is not modified', () => {
    expect(firewallVerdict(closed).status).toBe('blocked');
    const open = withRuleset(closed, 'vSPC', true);
    expect(firewallVerdict(open)).toEqual({ status: 'ok', rulesets: ['vSPC'] });
    expect(closed.ruleset![0]!.enabled).toBe(false);
    expect(open.ruleset![1]).toBe(closed.ruleset![1]);
  });

  test('disabling vic-engine while another ruleset covers 2377 still leaves it permitted (reported by --deny)', () => {
    const both: FirewallInfoLike = { ruleset: [{ key: 'vic-engine', enabled: true, rule: [out2377] }, { key: 'custom', enabled: true, rule: [out2377] }] };
    expect(firewallVerdict(withRuleset(both, 'vic-engine', false))).toEqual({ status: 'ok', rulesets: ['custom'] });
  });

  test('an enabled ruleset limited to some addresses is "restricted" without a static address', () => {
    const limited = withRuleset({ ruleset: [{ key: 'vSPC', enabled: false, rule: [allTcp], allowedHosts: { allIp: false, ipAddress: ['10.0.0.5'] } }] }, 'vSPC', true);
    expect(firewallVerdict(limited)).toEqual({ status: 'restricted', allowed: ['10.0.0.5'] });
  });
});

test('the warning says which rulesets and what traffic, and how to undo', () => {
  expect(firewallWarning('allow').join('\n')).toMatch(/will be enabled[\s\S]*all outbound tcp \("vSPC"\)[\s\S]*use --deny$/);
  expect(firewallWarning('deny').join('\n')).toMatch(/will be disabled[\s\S]*2377\/tcp outbound is allowed[\s\S]*use --allow$/);
  expect(hostLabel({ id: 'HostSystem:host-21', path: '/DC0/host/C/h1' })).toBe('HostSystem:host-21 @ /DC0/host/C/h1');
});
