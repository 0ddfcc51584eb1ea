// `vic-machine update firewall` against the simulator, whose hosts each have their own firewall rulesets (the test
// bed's fix, docs/testbed.md) with outbound 2377/tcp closed by default ("vSPC" disabled, no "vic-engine", as on
// vSphere 6.5). Every test reads the rulesets of EVERY host back through the API, so a change made to the wrong host,
// or to all hosts at once, shows.
import { beforeEach, describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simulatorSuite } from '../support/simulator-suite.js';
import { startVcsim, type Vcsim } from '../support/vcsim.js';
import { runCli } from '../support/in-process-cli.js';
import { Session } from '../../src/vim/session.js';
import { loadInventory } from '../../src/vim/inventory.js';
import { retrieveProperties } from '../../src/vim/property-collector.js';
import type { MoRef } from '../../src/vim/types.js';

let sim: Vcsim;
let admin: Session;
let cwd: string;

simulatorSuite({ vcsim: { username: 'user', password: 'pass' }, tmpPrefix: 'vicm-fw-', isos: true }, (s) => ({ sim, admin, cwd } = s));

const vicMachine = (args: string[]) => runCli(args, cwd);

const target = (s: Vcsim = sim, dc = '/DC0') => ['--target', `${s.host}${dc}`, '--user', 'user', '--password', 'pass', '--thumbprint', s.thumbprintSHA1];

interface HostFw { path: string; id: string; fw: MoRef }

async function hostsOf(s: Session): Promise<HostFw[]> {
  const inv = await loadInventory(s, { extraPaths: { HostSystem: ['configManager.firewallSystem'] } });
  return [...inv.objects].filter((o) => o.ref.type === 'HostSystem')
    .map((o) => ({ path: o.path, id: `HostSystem:${o.ref.value}`, fw: o.props['configManager.firewallSystem'] as MoRef }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** path → is the given ruleset enabled, for every host of the simulator. */
async function rulesetState(s: Session = admin, ruleset = 'vSPC'): Promise<Record<string, boolean>> {
  const hosts = await hostsOf(s);
  const infos = await retrieveProperties<{ firewallInfo: { ruleset: { key: string; enabled: boolean }[] } }>(s, hosts.map((h) => h.fw), ['firewallInfo']);
  const out: Record<string, boolean> = {};
  for (const h of hosts) {
    const info = infos.find((i) => i.ref.value === h.fw.value)!.props.firewallInfo;
    out[h.path] = info.ruleset.find((r) => r.key === ruleset)!.enabled;
  }
  return out;
}

async function setVspc(paths: string[], enabled: boolean): Promise<void> {
  for (const h of (await hostsOf(admin)).filter((x) => paths.includes(x.path))) {
    await admin.call(enabled ? 'EnableRuleset' : 'DisableRuleset', { _this: h.fw, id: 'vSPC' });
  }
}

const CLUSTER_HOSTS = ['/DC0/host/DC0_C0/DC0_C0_H0', '/DC0/host/DC0_C0/DC0_C0_H1', '/DC0/host/DC0_C0/DC0_C0_H2'];
const STANDALONE = '/DC0/host/DC0_H0/DC0_H0';
const ALL_CLOSED = Object.fromEntries([...CLUSTER_HOSTS, STANDALONE].map((p) => [p, false]));

describe('on vCenter (cluster DC0_C0 with three hosts, standalone host DC0_H0)', () => {
  beforeEach(async () => {
    await setVspc([...CLUSTER_HOSTS, STANDALONE], false);
    await sim.clearFaults();
  });

  test('--allow enables "vSPC" on each host of the cluster, names each host, warns first, and touches no other host', async () => {
    expect(await rulesetState()).toEqual(ALL_CLOSED);
    await sim.resetStats();
    const r = await vicMachine(['update', 'firewall', ...target(), '--compute-resource', 'DC0_C0', '--allow']);
    expect(r.code).toBe(0);
    const stats = await sim.stats();
    expect(await rulesetState()).toEqual({ ...ALL_CLOSED, ...Object.fromEntries(CLUSTER_HOSTS.map((p) => [p, true])) });
    const hosts = await hostsOf(admin);
    for (const p of CLUSTER_HOSTS) {
      const h = hosts.find((x) => x.path === p)!;
      expect(r.stderr).toContain(`Ruleset "vSPC" enabled on host "${h.id} @ ${p}"`);
    }
    expect(r.stderr).not.toContain('DC0_H0/DC0_H0');
    // the original's warning, before any change, saying it opens outbound TCP
    const warn = r.stderr.indexOf('Warning: ### WARNING ###');
    expect(warn).toBeGreaterThan(-1);
    expect(r.stderr).toContain('This allows outbound 2377/tcp ("vic-engine") or all outbound tcp ("vSPC") traffic from the target');
    expect(r.stderr).toContain('To undo this modification use --deny');
    expect(warn).toBeLessThan(r.stderr.indexOf('Ruleset "vSPC"'));
    expect(r.stderr).toMatch(/Firewall changes complete\nCommand completed successfully\n$/);
    // one read of the inventory, one of the three hosts' rules, one call per host
    expect(stats.soap['EnableRuleset']).toBe(3);
    expect(stats.soap['RetrievePropertiesEx']).toBe(2);
    expect(stats.soap['DisableRuleset']).toBeUndefined();
    // in all: RetrieveServiceContent, Login, the two reads, three EnableRuleset, Logout
    expect(stats.total).toBe(8);
    expect(await sim.openSessions()).toBe(1); // only the test's own session
  });

  test('a host already in the wanted state gets no call; a second --allow changes nothing', async () => {
    await setVspc([CLUSTER_HOSTS[1]!], true);
    await sim.resetStats();
    const r = await vicMachine(['update', 'firewall', ...target(), '--compute-resource', 'DC0_C0', '--allow', '--json']);
    expect(r.code).toBe(0);
    expect((await sim.stats()).soap['EnableRuleset']).toBe(2);
    const report = JSON.parse(r.stdout) as { action: string; computeResource: string; hosts: { path: string; ruleset: string; enabledBefore: boolean; changed: boolean; outbound2377: string }[] };
    expect(report.action).toBe('allow');
    expect(report.computeResource).toBe('DC0_C0');
    expect(report.hosts.map((h) => [h.path, h.ruleset, h.enabledBefore, h.changed, h.outbound2377]).sort()).toEqual([
      [CLUSTER_HOSTS[0], 'vSPC', false, true, 'permitted'],
      [CLUSTER_HOSTS[1], 'vSPC', true, false, 'permitted'],
      [CLUSTER_HOSTS[2], 'vSPC', false, true, 'permitted'],
    ]);
    expect(r.stderr).toMatch(/Ruleset "vSPC" already enabled on host "HostSystem:host-\d+ @ \/DC0\/host\/DC0_C0\/DC0_C0_H1"/);

    await sim.resetStats();
    const again = await vicMachine(['update', 'firewall', ...target(), '--compute-resource', 'DC0_C0', '--allow']);
    expect(again.code).toBe(0);
    expect((await sim.stats()).soap['EnableRuleset']).toBeUndefined();
    expect(again.stdout.trim().split('\n')).toHaveLength(3);
    expect(again.stdout).not.toMatch(/\tenabled$/m);
  });

  test('--deny disables it on each host of the cluster again, with the original\'s warning', async () => {
    await setVspc([...CLUSTER_HOSTS, STANDALONE], true);
    const r = await vicMachine(['update', 'firewall', ...target(), '--compute-resource', 'DC0_C0', '--deny']);
    expect(r.code).toBe(0);
    expect(await rulesetState()).toEqual({ ...ALL_CLOSED, [STANDALONE]: true });
    expect(r.stderr.match(/Ruleset "vSPC" disabled on host "HostSystem:host-\d+ @ \/DC0\/host\/DC0_C0\/DC0_C0_H\d"/g)).toHaveLength(3);
    expect(r.stderr).toContain('VIC Engine will not function unless 2377/tcp outbound is allowed');
    expect(r.stderr).toContain('To undo this modification use --allow');
  });

  test('--compute-resource naming the standalone host changes that host only', async () => {
    const r = await vicMachine(['update', 'firewall', ...target(), '--compute-resource', 'DC0_H0', '--allow']);
    expect(r.code).toBe(0);
    expect(await rulesetState()).toEqual({ ...ALL_CLOSED, [STANDALONE]: true });
  });

  test('a failure on one host: the others are still changed, the failed host is named, exit non-zero with how to undo', async () => {
    await sim.injectFaults({ method: 'EnableRuleset', nth: 2, kind: 'soapfault', fault: 'HostConfigFault', message: 'firewall locked' });
    const r = await vicMachine(['update', 'firewall', ...target(), '--compute-resource', 'DC0_C0', '--allow', '--json']);
    expect(r.code).toBe(1);
    const state = await rulesetState();
    const failed = CLUSTER_HOSTS.filter((p) => !state[p]);
    expect(failed).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`Failed to enable ruleset "vSPC" on host "HostSystem:host-\\d+ @ ${failed[0]}": .*firewall locked`));
    const err = (JSON.parse(r.stdout) as { error: { message: string; hint: string } }).error;
    expect(err.message).toMatch(new RegExp(`^Failed to enable VIC firewall rule on 1 of 3 hosts: "${failed[0]}" \\(.*firewall locked\\)$`));
    expect(err.hint).toContain('--deny');
    expect(r.stderr).not.toContain('Firewall changes complete');
  });

  test('--timeout bounds the whole command: 1.5\'s "Update timed out", the phase, exit 7', async () => {
    await sim.injectFaults({ method: 'RetrievePropertiesEx', kind: 'slow', delayMs: 2500 });
    try {
      const t0 = Date.now();
      const r = await vicMachine(['update', 'firewall', ...target(), '--compute-resource', 'DC0_C0', '--deny', '--timeout', '1s']);
      expect(r.code).toBe(7);
      expect(r.stderr).toMatch(/Update timed out after 1s \(.+\): use --timeout to add more time/);
      expect(Date.now() - t0).toBeLessThan(2400);
    } finally {
      await sim.clearFaults();
      await new Promise((res) => setTimeout(res, 1600));
    }
  });

  test('without --compute-resource where there are two compute resources: exit 2 naming the flag and the valid values, no change', async () => {
    await sim.resetStats();
    const r = await vicMachine(['update', 'firewall', ...target(), '--allow']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--compute-resource must name the cluster or host whose firewall to change: there are 2 \(suggested values: "DC0_C0", "DC0_H0"\)/);
    expect((await sim.stats()).soap['EnableRuleset']).toBeUndefined();
    expect(await rulesetState()).toEqual(ALL_CLOSED);
  });

  test('an unknown --compute-resource: exit 5 with the ones that exist', async () => {
    const r = await vicMachine(['update', 'firewall', ...target(), '--compute-resource', 'nope', '--allow']);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain("compute resource 'nope' not found");
    expect(r.stderr).toContain('"DC0_C0"');
  });

  test('--allow with --deny, or neither: exit 2 before connecting', async () => {
    await sim.resetStats();
    const both = await vicMachine(['update', 'firewall', ...target(), '--compute-resource', 'DC0_C0', '--allow', '--deny']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('Only one of --allow and --deny can be set');
    const neither = await vicMachine(['update', 'firewall', ...target(), '--compute-resource', 'DC0_C0']);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('No command selected');
    expect((await sim.stats()).total).toBe(0);
  });

  test("create's firewall error names the update firewall command for this target; running it makes create's validation pass", async () => {
    const create = ['create', ...target(), '--compute-resource', 'DC0_C0', '--name', 'vch-fw', '--image-store', 'LocalDS_0',
      '--bridge-network', 'DC0_DVPG0', '--no-tlsverify', '--dry-run'];
    const blocked = await vicMachine(create);
    expect(blocked.code).toBe(2);
    const m = /(vic-machine update firewall [^\n)]*--allow)/.exec(blocked.stderr);
    expect(m).not.toBeNull();
    expect(blocked.stderr).toContain('Firewall must permit dst 2377/tcp outbound');
    const fix = m![1]!.split(' ').slice(1);
    expect(fix).toEqual(['update', 'firewall', '--target', `${sim.host}/DC0`, '--thumbprint', sim.thumbprintSHA1, '--compute-resource', 'DC0_C0', '--allow']);
    const fixed = await vicMachine([...fix, '--user', 'user', '--password', 'pass']);
    expect(fixed.code).toBe(0);
    const ok = await vicMachine(create);
    if (ok.code !== 0) console.log(ok.stderr);
    expect(ok.code).toBe(0);
  });
});

test('on ESXi: no --compute-resource needed, the host is changed', async () => {
  const esx = await startVcsim({ esx: true, username: 'user', password: 'pass' });
  const s = await Session.connect({ url: esx.url, user: 'user', password: 'pass', trust: { thumbprint: esx.thumbprintSHA1 } });
  try {
    const before = await rulesetState(s);
    expect(Object.values(before)).toEqual([false]);
    const r = await vicMachine(['update', 'firewall', ...target(esx, ''), '--allow']);
    expect(r.code).toBe(0);
    expect(Object.values(await rulesetState(s))).toEqual([true]);
    expect(r.stderr).toMatch(/Ruleset "vSPC" enabled on host "HostSystem:[^ ]+ @ \/ha-datacenter\/host\/[^"]+"/);
    const d = await vicMachine(['update', 'firewall', ...target(esx, ''), '--deny']);
    expect(d.code).toBe(0);
    expect(Object.values(await rulesetState(s))).toEqual([false]);
  } finally {
    await s.logout();
    await esx.stop();
  }
});
