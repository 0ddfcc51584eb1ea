// The runbook round trip, through the real bin/vic-machine against the simulator: create a VCH with the richest flag
// set vic-machine 1.5.8 was recorded with (fixture rich) → `inspect config --format yaml` > vch.yaml → delete →
// `create --config vch.yaml` with only the target and credentials on the command line → the appliance's extraConfig
// is the first one's, key by key, except values that are random or belong to the environment.
import { describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { simulatorSuite } from '../support/simulator-suite.js';
import { vmExtraConfig } from '../support/vm-extra-config.js';
import type { Vcsim } from '../support/vcsim.js';
import { playAppliance } from '../support/appliance-player.js';
import { Session } from '../../src/vim/session.js';
import { compareExtraConfig } from '../../src/vic/config/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(root, 'bin', 'vic-machine');

function run(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [bin, ...args], {
      cwd, env: { ...process.env, NO_COLOR: '1', VIC_MACHINE_LOG_FILE: '-' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    p.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    p.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

let sim: Vcsim;
let admin: Session;
let cwd: string;

simulatorSuite({ vcsim: { firewallOpen: true }, tmpPrefix: 'vicm-cfgfile-it-', isos: true }, (s) => ({ sim, admin, cwd } = s));

const extraConfigOf = (name: string): Promise<Record<string, string>> => vmExtraConfig(admin, name);

const target = () => ['--target', `${sim.host}/DC0`, '--user', 'user', '--password', 'pass', '--thumbprint', sim.thumbprintSHA1];

/** create (with the appliance played at `ip`, client certificates required as the VCH verifies them). */
async function create(name: string, ip: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stop = new AbortController();
  const appliance = playAppliance(admin, name, ip, { requireClientCert: true, timeoutMs: 60_000, signal: stop.signal });
  appliance.catch(() => undefined);
  const r = await run(cwd, ['create', ...target(), ...args, '--timeout', '30s', '--json']);
  stop.abort('create ended');
  await (await appliance.catch(() => undefined))?.stop();
  if (r.code !== 0) console.log(r.stderr);
  return r;
}

// fixture rich's command (client verification, image-store path, two volume stores, a container network with
// gateway, range, DNS and firewall, bridge range and width, limits, reservations, custom shares, appliance size,
// registries, proxies, syslog, base image size, debug, ops user)
const RICH = ['--name', 'vch-rich', '--compute-resource', 'DC0_C0', '--image-store', 'LocalDS_0/vchimages',
  '--volume-store', 'LocalDS_0/volumes:default', '--volume-store', 'LocalDS_0/vol2:fast', '--bridge-network', 'DC0_DVPG0',
  '--bridge-network-range', '172.20.0.0/14', '--bridge-network-width', '20', '--public-network', 'VM Network',
  '--container-network', 'DC0_DVPG1:routable', '--container-network-gateway', 'DC0_DVPG1:10.10.0.1/16',
  '--container-network-ip-range', 'DC0_DVPG1:10.10.1.0/24', '--container-network-dns', 'DC0_DVPG1:10.10.0.2',
  '--container-network-firewall', 'DC0_DVPG1:published', '--dns-server', '1.1.1.1', '--tls-cname', 'vch.example.com',
  '--organization', 'Example', '--memory', '8000', '--memory-reservation', '512', '--memory-shares', '6000', '--cpu', '10000',
  '--cpu-reservation', '512', '--cpu-shares', 'high', '--endpoint-cpu', '2', '--endpoint-memory', '4096',
  '--insecure-registry', 'reg.example.com:5000', '--whitelist-registry', 'reg.example.com:5000',
  '--http-proxy', 'http://proxy.example.com:3128', '--no-proxy', 'localhost,.example.com', '--syslog-address', 'tcp://127.0.0.1:514',
  '--containers', '50', '--base-image-size', '6GB', '--debug', '1', '--ops-user', 'opsuser', '--ops-password', 'opspass'];

describe('create → inspect config --format yaml → delete → create --config', () => {
  test('the re-created VCH has the first one\'s configuration', async () => {
    const first = await create('vch-rich', '127.77.0.1', RICH);
    expect(first.code).toBe(0);
    expect((JSON.parse(first.stdout) as { name: string }).name).toBe('vch-rich');
    const before = await extraConfigOf('vch-rich');

    const y = await run(cwd, ['inspect', 'config', ...target(), '--name', 'vch-rich', '--format', 'yaml']);
    expect(y.code).toBe(0);
    expect(y.stderr).toContain('### Inspecting VCH ####'); // logs on stderr, stdout is the file alone
    const file = path.join(cwd, 'vch-rich.yaml');
    fs.writeFileSync(file, y.stdout, { mode: 0o600 });
    const doc = YAML.parse(y.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({ name: 'vch-rich', 'volume-store': ['ds://LocalDS_0/volumes:default', 'ds://LocalDS_0/vol2:fast'], memory: 8000, 'endpoint-cpu': 2 });
    expect(y.stdout).not.toContain('opspass');

    const d = await run(cwd, ['delete', ...target(), '--name', 'vch-rich', '--force', '--json']);
    expect(d.code).toBe(0);
    await expect(extraConfigOf('vch-rich')).rejects.toThrow('no VM vch-rich');
    // a fresh certificate folder, as on another admin machine
    fs.rmSync(path.join(cwd, 'vch-rich'), { recursive: true, force: true });

    const second = await create('vch-rich', '127.77.0.2', ['--config', 'vch-rich.yaml', '--ops-password', 'opspass']);
    expect(second.code).toBe(0);
    const after = await extraConfigOf('vch-rich');
    const cmp = compareExtraConfig(before, after);
    // The recorded create options are the flags as given (an environment value for the comparison; its count is
    // checked with them below): the default `--public-network=VM Network` the first create was given is not in the
    // file, so the second recorded one option fewer.
    const COUNT = 'guestinfo.vice./vic_machine_create_options';
    expect(cmp.differences.filter((d) => d.key !== COUNT)).toEqual([]);
    expect(Number(after[COUNT])).toBe(Number(before[COUNT]) - 1);
    expect(cmp.missing).toEqual([]);
    expect(cmp.extra).toEqual([]);
    expect(cmp.equal.length).toBeGreaterThan(150);
    // The second create recorded the flags it took from the file as its create options: the first's, in the same
    // order, in the forms inspect config prints (inventory path, ds:// URLs), without the default public network.
    const KEY = 'guestinfo.vice./vic_machine_create_options~';
    const canonical = before[KEY]!.split('|').filter((o) => o !== '--public-network=VM Network').map((o) => o
      .replace('--compute-resource=DC0_C0', '--compute-resource=/DC0/host/DC0_C0/Resources')
      .replace(/^--(image-store|volume-store)=LocalDS_0/, '--$1=ds://LocalDS_0'));
    expect(after[KEY]!.split('|')).toEqual(canonical);

    // and inspect config of the re-created VCH prints the same file, but for the header's VCH id
    const y2 = await run(cwd, ['inspect', 'config', ...target(), '--name', 'vch-rich', '--format', 'yaml']);
    const body = (s: string): string => s.split('\n').filter((l) => !l.startsWith('#')).join('\n');
    expect(body(y2.stdout)).toBe(body(y.stdout));
  });

  test('configure --config reads the same file: unchanged, nothing to do; a changed existing network, refused as on the command line', async () => {
    const file = path.join(cwd, 'vch-rich.yaml');
    const same = await run(cwd, ['configure', ...target(), '--config', 'vch-rich.yaml', '--ops-password', 'opspass', '--json']);
    if (same.code !== 0) console.log(same.stderr);
    expect(same.code).toBe(0);
    expect(JSON.parse(same.stdout)).toMatchObject({ name: 'vch-rich', changed: false, changes: [] });
    // the keys configure cannot change are named, not silently dropped
    expect(same.stderr).toContain('Ignoring create-only settings in vch-rich.yaml that configure cannot change: --image-store, --base-image-size, --bridge-network');
    expect(same.stderr).toContain('Ignoring --tls-cname, --organization in vch-rich.yaml: configure makes new certificates only when they are given on the command line');

    const edited = fs.readFileSync(file, 'utf8').replace('DC0_DVPG1:published', 'DC0_DVPG1:open');
    expect(edited).not.toBe(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(path.join(cwd, 'edited.yaml'), edited, { mode: 0o600 });
    const refused = await run(cwd, ['configure', ...target(), '--config', 'edited.yaml', '--ops-password', 'opspass', '--json']);
    expect(refused.code).toBe(2);
    const { error } = JSON.parse(refused.stdout) as { error: { type: string; message: string } };
    expect(error.type).toBe('validation');
    expect(error.message).toContain('Found changes to existing container network routable (firewall published → open)');
  });
});
