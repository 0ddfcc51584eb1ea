// `inspect config` against the simulator: for each VCH vic-machine 1.5.8 recorded (recreated as it left it), ours
// prints the options the original printed, plus only the documented additions; `raw` and `yaml` carry the same list;
// and a VCH made by ours, inspected and re-created from its flags, gets the same configuration.
import { beforeAll, describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { simulatorSuite } from '../support/simulator-suite.js';
import { startVcsim, type Vcsim } from '../support/vcsim.js';
import { factsOf, FIXTURES, haveFixtures, recreateFixture } from '../support/fixture-vch.js';
import { runCli } from '../support/in-process-cli.js';
import { Session } from '../../src/vim/session.js';

let sim: Vcsim;
let admin: Session;
let cwd: string;

simulatorSuite({ vcsim: { firewallOpen: true }, tmpPrefix: 'vicm-inspcfg-', isos: true }, (s) => ({ sim, admin, cwd } = s));

const vicMachine = (args: string[]) => runCli(args, cwd, { VIC_MACHINE_LOG_FILE: '-' });

const target = () => ['--target', `${sim.host}/DC0`, '--user', 'user', '--password', 'pass', '--thumbprint', sim.thumbprintSHA1];

/** The options of the original's verbose output (one log line with escaped tabs and newlines). */
function originalOptions(fixture: string): string[] {
  const line = factsOf(fs.readFileSync(path.join(FIXTURES, fixture, 'inspect-config.out'), 'utf8')).find((l) => l.startsWith('The target VCH is configured'))!;
  return line.split('\\n').map((s) => s.replace(/^\\t/, '')).filter((s) => s.startsWith('--'));
}

// What ours prints beyond the original, on purpose (docs/commands.md, inspect config). 1.5 printed the admin user it
// stored as the ops user of a VCH made without --ops-user; ours leaves it out (the VCH has no ops user of its own).
const ADDITIONS: Record<string, { added: string[]; replaced?: [string, string]; removed?: string[] }> = {
  basic: { added: ['--no-tlsverify=true'], removed: ['--ops-user=user'] },
  notls: { added: ['--no-tls=true'], removed: ['--ops-user=user'] },
  rich: {
    added: ['--bridge-network-width=20', '--tls-cname=vch.example.com', '--organization=Example'],
    replaced: ['--image-store=ds://LocalDS_0', '--image-store=ds://LocalDS_0/vchimages'],
  },
};
const names: Record<string, string> = { basic: 'vch1', rich: 'vch-rich', notls: 'vch-notls' };

(haveFixtures ? describe.each(['basic', 'rich', 'notls']) : describe.skip.each(['basic']))('inspect config of the VCH of fixture %s', (fixture) => {
  const name = names[fixture]!;
  beforeAll(async () => {
    await recreateFixture(admin, fixture, name);
  });

  test('prints the original\'s options, in its order, plus only the documented additions', async () => {
    await sim.resetStats();
    const r = await vicMachine(['inspect', 'config', ...target(), '--name', name]);
    expect(r.code).toBe(0);
    // inspect's 4 (service content, login, the inventory with every VM, logout) plus one read of the appliance's size
    // and its pool's allocations together
    const stats = await sim.stats();
    console.log(`inspect config (${fixture}): ${stats.total} SOAP round trips ${JSON.stringify(stats.soap)}`);
    expect(stats.total).toBeLessThanOrEqual(5);
    expect(r.stdout.startsWith('The target VCH is configured with the following options:\n\n\t--target=')).toBe(true);
    const ours = r.stdout.split('\n').filter((l) => l.startsWith('\t--')).map((l) => l.slice(1));
    const { added, replaced, removed = [] } = ADDITIONS[fixture]!;
    const theirs = originalOptions(fixture).map((o) => (replaced && o === replaced[0] ? replaced[1] : o)).filter((o) => !removed.includes(o));
    expect(ours.filter((o) => !added.includes(o))).toEqual(theirs);
    expect(ours.filter((o) => added.includes(o)).sort()).toEqual([...added].sort());
    expect(r.stdout).not.toContain('opspass');
  });

  test('raw is the same list on one line; yaml maps each long flag name to its value(s); --json lists them', async () => {
    const v = (await vicMachine(['inspect', 'config', ...target(), '--name', name, '--json'])).stdout;
    const { args, options } = JSON.parse(v) as { args: string[]; options: { flag: string; value: string }[] };
    expect(args.length).toBe(options.length);
    const raw = await vicMachine(['inspect', 'config', ...target(), '--name', name, '--format', 'raw']);
    expect(raw.code).toBe(0);
    expect(raw.stdout.trim().split('\n')).toHaveLength(1);
    // values with spaces are shell-quoted in raw
    expect(raw.stdout.trim()).toBe(args.map((a) => a.replace(/^(--[^=]+=)(.*)$/, (_m, f: string, val: string) => (/^[\w@%+=:,./-]+$/.test(val) ? f + val : `${f}'${val}'`))).join(' '));
    const y = await vicMachine(['inspect', 'config', ...target(), '--name', name, '--format', 'yaml']);
    expect(y.code).toBe(0);
    const doc = YAML.parse(y.stdout) as Record<string, unknown>;
    for (const { flag, value } of options) {
      const got = doc[flag];
      const values = (Array.isArray(got) ? got : [got]).map(String);
      expect(values).toContain(value);
    }
    expect(y.stdout).toMatch(/^# vic-machine create --config/);
  });
});

describe('inspect config of a VCH made by this tool', () => {
  test('flags that re-create it: create with them makes the same configuration', async () => {
    const { playAppliance } = await import('../support/appliance-player.js');
    const flags = ['--name', 'vch-cfg', '--image-store', 'LocalDS_0/imgs', '--volume-store', 'LocalDS_0/vols:default', '--bridge-network', 'DC0_DVPG0',
      '--container-network', 'DC0_DVPG1:routable', '--container-network-ip-range', 'DC0_DVPG1:10.20.0.10-10.20.0.20',
      '--container-network-gateway', 'DC0_DVPG1:10.20.0.1/16', '--container-network-firewall', 'DC0_DVPG1:open',
      '--memory', '4096', '--cpu-shares', 'low', '--endpoint-cpu', '2', '--containers', '10', '--no-tlsverify', '--debug', '2',
      '--insecure-registry', 'r.example.com', '--https-proxy', 'https://p.example.com:3128'];
    const stop = new AbortController();
    const appliance = playAppliance(admin, 'vch-cfg', '127.0.0.81', { requireClientCert: false, timeoutMs: 60_000, signal: stop.signal });
    appliance.catch(() => undefined);
    const c = await vicMachine(['create', ...target(), '--compute-resource', 'DC0_C0', ...flags, '--timeout', '30s']);
    stop.abort('done');
    (await appliance.catch(() => undefined))?.stop();
    if (c.code !== 0) console.log(c.stderr);
    expect(c.code).toBe(0);
    const r = await vicMachine(['inspect', 'config', ...target(), '--name', 'vch-cfg', '--json']);
    expect(r.code).toBe(0);
    const { args } = JSON.parse(r.stdout) as { args: string[] };
    expect(args).toEqual(expect.arrayContaining([
      '--name=vch-cfg', '--image-store=ds://LocalDS_0/imgs', '--volume-store=ds://LocalDS_0/vols:default', '--bridge-network=DC0_DVPG0',
      '--container-network=DC0_DVPG1:routable', '--container-network-ip-range=DC0_DVPG1:10.20.0.10-10.20.0.20',
      '--container-network-gateway=DC0_DVPG1:10.20.0.1/16', '--container-network-firewall=DC0_DVPG1:open', '--memory=4096',
      '--cpu-shares=low', '--endpoint-cpu=2', '--containers=10', '--no-tlsverify=true', '--debug=2',
      '--insecure-registry=r.example.com', '--https-proxy=https://p.example.com:3128', '--compute-resource=/DC0/host/DC0_C0/Resources',
    ]));
    // made without --ops-user: none is printed (finding 4), so the flags need no password but the admin's
    expect(args.some((a) => a.startsWith('--ops-user='))).toBe(false);
    // create with exactly those flags (plus credentials and the ISOs) in a fresh simulator validates and plans the same VCH
    const other = await startVcsim({ firewallOpen: true });
    try {
      const flagsBack = args.filter((a) => !a.startsWith('--target=') && !a.startsWith('--thumbprint='));
      const d = await vicMachine(['create', '--target', `${other.host}/DC0`, '--user', 'user', '--password', 'pass', '--thumbprint', other.thumbprintSHA1,
        ...flagsBack, '--dry-run', '--json']);
      if (d.code !== 0) console.log(d.stderr);
      expect(d.code).toBe(0);
      const plan = JSON.parse(d.stdout) as { actions: { action: string; object: string; target: string; details?: string }[] };
      const pool = plan.actions.find((a) => a.object === 'resource pool')!;
      expect(pool.details).toContain('memory limit 4096 MB');
      expect(pool.details).toContain('CPU shares low');
      expect(plan.actions.map((a) => `${a.action} ${a.object} ${a.target}`)).toContain('create if missing datastore folder [LocalDS_0] vols');
    } finally {
      await other.stop();
    }
  });
});
