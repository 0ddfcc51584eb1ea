// Access to the vic-machine 1.5.8 fixtures copied from /work/shared/fixtures/vic-machine-1.5.8 (see README there):
// extraConfig recorded after create (installer) and after the appliance stand-in ran (running), and the flags.

import { readFileSync } from 'node:fs';

export const FIXTURE_RUNS = ['basic', 'rich', 'notls'] as const;
export type FixtureRun = (typeof FIXTURE_RUNS)[number];
export const FIXTURE_STATES = ['installer', 'running'] as const;
export type FixtureState = (typeof FIXTURE_STATES)[number];

export function fixtureText(run: FixtureRun, file: string): string {
  return readFileSync(new URL(`./fixtures/${run}/${file}`, import.meta.url), 'utf8');
}

export function extraConfigFixture(run: FixtureRun, state: FixtureState): Record<string, string> {
  return JSON.parse(fixtureText(run, `extraconfig.${state}.json`)) as Record<string, string>;
}

/** Splits a command line the way a POSIX shell would for the fixtures' simple quoting (backslash escapes, quotes). */
export function shellSplit(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) cur += line[++i];
      else cur += c;
      continue;
    }
    if (c === '\\' && i + 1 < line.length) { cur += line[++i]; has = true; continue; }
    if (c === '"' || c === "'") { quote = c; has = true; continue; }
    if (/\s/.test(c)) {
      if (has) out.push(cur);
      cur = '';
      has = false;
      continue;
    }
    cur += c;
    has = true;
  }
  if (has) out.push(cur);
  return out;
}

const BOOLEAN_FLAGS = new Set(['no-tls', 'no-tlsverify', 'force', 'asymmetric-routes', 'affinity-vm-group', 'ops-grant-perms']);

/** Flags of command.txt: name -> values (booleans get 'true'). */
export function commandFlags(run: FixtureRun): Map<string, string[]> {
  const args = shellSplit(fixtureText(run, 'command.txt'));
  const flags = new Map<string, string[]>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    let name = a.slice(2);
    let value: string;
    const eq = name.indexOf('=');
    if (eq !== -1) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    } else if (BOOLEAN_FLAGS.has(name)) {
      value = 'true';
    } else {
      value = args[++i]!;
    }
    flags.set(name, [...(flags.get(name) ?? []), value]);
  }
  return flags;
}

/** The simulator inventory the fixtures were recorded against (fixtures/README: vcsim model, DC0, DC0_C0). */
export const SIM = {
  target: 'https://127.0.0.1:8996',
  thumbprint: '2C:11:ED:D7:13:87:7D:B5:74:18:B8:1C:42:C2:56:1F:0D:B9:5B:B9',
  user: 'user',
  password: 'pass',
  datacenterName: 'DC0',
  clusterPath: '/DC0/host/DC0_C0',
  resourcePoolPath: '/DC0/host/DC0_C0/Resources',
  vchPool: 'ResourcePool:resgroup-70',
  applianceVm: 'VirtualMachine:vm-73',
  /** ISO publisher `VMware Inc. v1.5.8-1-9489f63` as the stand-in ISO recorded it (ISO 9660 d-characters) */
  isoVersion: 'V1.5.8-1-9489F63',
  networks: {
    'VM Network': 'Network:network-7',
    DC0_DVPG0: 'DistributedVirtualPortgroup:dvportgroup-13',
    DC0_DVPG1: 'DistributedVirtualPortgroup:dvportgroup-15',
  } as Record<string, string>,
  version: { version: 'v1.5.8', gitCommit: '9489f63', buildDate: '2026/11/22@21:20:20', buildNumber: '1', state: '', pluginVersion: 10 },
};
