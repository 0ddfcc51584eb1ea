// `--config vch.yaml` without a target: what the file sets, what overrides it (command line, $VIC_MACHINE_*), every
// refused file with the one error naming the key, and the file inspect config writes read back.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfigFile } from '../../../src/cli/config-file.js';
import { CONFIGURE_FLAGS, CREATE_FLAGS } from '../../../src/cli/flags/commands.js';
import { parseArgs } from '../../../src/cli/main.js';
import { run } from './helpers.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vicm-cfgfile-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string, mode = 0o600): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text, { mode });
  fs.chmodSync(p, mode);
  return p;
}

const RICH = `
target: vc.example.com/DC0
thumbprint: 2C:11:ED:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:5B:B9
name: vch1
compute-resource: Cluster1
image-store: ds://datastore1/images
volume-store:
  - ds://datastore1/vols:default
  - nfs://nfs.example.com/export?uid=1000:shared
container-network: [vm-net:routable]
container-network-firewall: vm-net:open
dns-server: 10.0.0.53
memory: 4096
cpu-shares: high
no-tlsverify: true
debug: 2
timeout: 5m
`;

describe('create --config', () => {
  test('each key sets its flag, typed by the flag; lists for repeatable flags; a single value is a list of one', async () => {
    const f = write('rich.yaml', RICH);
    const p = (await parseArgs(['create', '--config', f], {}, dir))!;
    const o = p.options;
    expect(o.target).toEqual(new URL('https://vc.example.com/DC0'));
    expect(o.name).toBe('vch1');
    expect(o.imageStore).toBe('ds://datastore1/images');
    expect(o.volumeStore).toEqual(['ds://datastore1/vols:default', 'nfs://nfs.example.com/export?uid=1000:shared']);
    expect(o.containerNetwork).toEqual(['vm-net:routable']);
    expect(o.containerNetworkFirewall).toEqual(['vm-net:open']);
    expect(o.dnsServer).toEqual(['10.0.0.53']);
    expect(o.memory).toBe(4096);
    expect(o.cpuShares).toEqual({ level: 'high' });
    expect(o.noTlsverify).toBe(true);
    expect(o.debug).toBe(2);
    expect(o.timeout).toBe(300_000);
    // what was set counts as given (create records these as its create options); --config itself is not a setting
    expect(p.given.map((g) => g.name)).not.toContain('config');
    expect(p.given.find((g) => g.name === 'memory')).toMatchObject({ source: 'file', file: f, values: ['4096'] });
  });

  test('precedence: command line > $VIC_MACHINE_* > file > default; a list on the command line replaces the file\'s', async () => {
    const f = write('prec.yaml', RICH);
    const p = (await parseArgs(['create', '--config', f, '--name', 'cli-name', '--volume-store', 'ds://other/v:default', '--no-tlsverify=false'],
      { VIC_MACHINE_TARGET: 'env.example.com', VIC_MACHINE_THUMBPRINT: '' }, dir))!;
    expect(p.options.name).toBe('cli-name');
    expect(p.options.volumeStore).toEqual(['ds://other/v:default']);
    expect(p.options.noTlsverify).toBe(false);
    expect(p.options.target).toEqual(new URL('https://env.example.com'));
    // an empty variable is unset, so the file's thumbprint stands
    expect(p.options.thumbprint).toBe('2C:11:ED:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:5B:B9');
    // not in the file, not given: create's default
    expect(p.options.publicNetwork).toBe('VM Network');
    expect(p.given.find((g) => g.name === 'target')).toMatchObject({ source: 'env', env: 'VIC_MACHINE_TARGET' });
  });

  test('scalars are kept as written: leading zeros, Go booleans, numbers as strings for string flags', async () => {
    const f = write('scalars.yaml', 'name: 0123\nno-tlsverify: True\nbridge-network-width: 20\ncontainers: 007\n');
    const o = (await parseArgs(['create', '--config', f], {}, dir))!.options;
    expect(o.name).toBe('0123');
    expect(o.noTlsverify).toBe(true);
    expect(o.bridgeNetworkWidth).toBe('20');
    expect(o.containers).toBe(7);
  });

  test('a relative --config is read from the working directory; an empty file sets nothing', async () => {
    write('empty.yaml', '# nothing yet\n');
    const p = (await parseArgs(['create', '--config', 'empty.yaml'], {}, dir))!;
    expect(p.given).toEqual([]);
    expect(p.options.name).toBe('virtual-container-host');
  });
});

describe('refused files: one error naming the file, line, key and what would be valid; exit 2, nothing contacted', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['unknown key with a near one', 'name: a\nimage-stor: ds1\n', /:2: unknown key "image-stor" \(did you mean "image-store"\?\)/],
    ['camelCase key', 'imageStore: ds1\n', /:1: unknown key "imageStore" \(did you mean "image-store"\?\)/],
    ['an alias', 'i: ds1\n', /:1: "i" is an alias: write "image-store"/],
    ['a key of no command', 'colour: red\n', /:1: unknown key "colour"$/m],
    ['a list for a single-valued flag', 'name: [a, b]\n', /:1: "name" takes one value, not a list/],
    ['a mapping as a value', 'name:\n  first: a\n', /:2: "name" takes a value, not a mapping/],
    ['no value', 'name:\n', /:1: "name" has no value \(write name: "" for an empty one\)/],
    ['a file naming a file', 'config: other.yaml\n', /:1: "config" cannot be set in a file/],
    ['a duplicate key', 'name: a\nname: b\n', /not valid YAML: Map keys must be unique/],
    ['not a mapping', '- name: a\n', /:1: expected a mapping of flag names to values/],
    ['broken YAML', 'name: "a\n', /not valid YAML/],
  ];
  test.each(cases)('%s', async (_what, text, message) => {
    const f = write(`bad-${Math.random().toString(36).slice(2)}.yaml`, text);
    const r = await run(['create', '--config', f, '--json'], { cwd: dir });
    expect(r.code).toBe(2);
    const { error } = JSON.parse(r.stdout) as { error: { type: string; message: string; flag: string; hint: string } };
    expect(error.type).toBe('usage');
    expect(error.flag).toBe('--config');
    expect(error.message.startsWith(f)).toBe(true);
    expect(error.message).toMatch(message);
    expect(error.hint).toContain("'vic-machine create --help'");
    expect(r.stderr).toContain('vic-machine create: ');
  });

  test('every problem of the file in the one error', async () => {
    const f = write('many.yaml', 'imagestore: a\nname:\nmemroy: 1\n');
    const r = await run(['create', '--config', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${f}:1: unknown key "imagestore" (did you mean "image-store"?); ${f}:2: "name" has no value`);
    expect(r.stderr).toContain(`${f}:3: unknown key "memroy" (did you mean "memory"?)`);
  });

  test('a bad value gets the flag\'s own message, naming the file and key', async () => {
    const f = write('badvalue.yaml', 'memory: lots\n');
    const r = await run(['create', '--config', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`vic-machine create: invalid value "lots" for flag --memory (from ${f}, key memory): expected a whole number of MB such as 4096, or with a unit such as 4096MB or 4GB\n`);
  });

  test('a missing file', async () => {
    const r = await run(['create', '--config', 'nope.yaml', '--json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({ error: { type: 'usage', code: 'file-unreadable', message: 'cannot read --config file nope.yaml: no such file', flag: '--config' } });
  });

  test('--config belongs to create and configure only', async () => {
    const r = await run(['ls', '--config', 'x.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/flag provided but not defined: -?-config/);
  });
});

describe('secrets in the file', () => {
  test('a password is used, never echoed (not in --debug), and a readable file is warned about', async () => {
    const f = write('secret.yaml', 'password: s3cr3t-pw\nname: x\n', 0o644);
    const p = (await parseArgs(['create', '--config', f], {}, dir))!;
    expect(p.options.password).toBe('s3cr3t-pw');
    expect(p.warnings).toEqual([`${f} holds --password and other users can read it (mode 0644): chmod 600 ${f}`]);
    // a command that fails after reading it (no target), with --debug: the password appears nowhere
    const r = await run(['create', '--config', f, '--debug', '1']);
    expect(r.stdout + r.stderr).not.toContain('s3cr3t-pw');
    const quiet = write('secret600.yaml', 'password: s3cr3t-pw\n', 0o600);
    expect((await parseArgs(['create', '--config', quiet], {}, dir))!.warnings).toEqual([]);
  });
});

describe('configure --config', () => {
  test('reads the same file: configure\'s keys apply, create-only keys are ignored with one warning', async () => {
    const f = write('both.yaml', `${RICH}bridge-network: bridge1\npublic-network: VM Network\nbase-image-size: 16GB\n`);
    const p = (await parseArgs(['configure', '--config', f], {}, dir))!;
    expect(p.path).toBe('configure');
    expect(p.options.volumeStore).toEqual(['ds://datastore1/vols:default', 'nfs://nfs.example.com/export?uid=1000:shared']);
    expect(p.options.memory).toBe(4096);
    expect(p.warnings).toContain(`Ignoring create-only settings in ${f} that configure cannot change: --image-store, --bridge-network, --public-network, --base-image-size`);
    expect(p.given.map((g) => g.name)).not.toContain('image-store');
    // how the certificates were made is not a request for new ones
    expect(p.options.noTlsverify).toBe(false);
    expect(p.warnings).toContain(`Ignoring --no-tlsverify in ${f}: configure makes new certificates only when they are given on the command line`);
    const withCli = (await parseArgs(['configure', '--config', f, '--tls-cname', 'new.example.com'], {}, dir))!;
    expect(withCli.options.tlsCname).toBe('new.example.com');
  });

  test('configure-only keys are not create keys', async () => {
    await expect(parseConfigFile('id: vm-1\n', 'c.yaml', CREATE_FLAGS, 'create')).rejects.toThrow('c.yaml:1: unknown key "id"');
    await expect(parseConfigFile('id: vm-1\nreset-progress: true\n', 'c.yaml', CONFIGURE_FLAGS, 'configure')).resolves.toMatchObject({
      values: { id: ['vm-1'], 'reset-progress': ['true'] },
    });
  });
});

describe('the file inspect config writes is a file create reads', () => {
  test('a yaml as written by inspect config --format yaml (header comment, lists, booleans, numbers)', async () => {
    const f = write('from-inspect.yaml', [
      '# vic-machine create --config: the flags that reproduce VCH "vch1" (vm-42), written by vic-machine 0.1.0',
      '# inspect config. Credentials are not part of it: pass --user and --password (or VIC_MACHINE_PASSWORD), and --ops-password.',
      'target: https://127.0.0.1:8989/DC0',
      'name: vch1',
      'compute-resource: /DC0/host/DC0_C0/Resources',
      'volume-store:',
      '  - ds://LocalDS_0/vols:default',
      'bridge-network: DC0_DVPG0',
      'memory: 4096',
      'cpu-shares: low',
      'no-tlsverify: true',
      'https-proxy: https://p.example.com:3128',
      '',
    ].join('\n'));
    const o = (await parseArgs(['create', '--config', f], {}, dir))!.options;
    expect(o).toMatchObject({
      name: 'vch1', computeResource: '/DC0/host/DC0_C0/Resources', volumeStore: ['ds://LocalDS_0/vols:default'],
      bridgeNetwork: 'DC0_DVPG0', memory: 4096, cpuShares: { level: 'low' }, noTlsverify: true, httpsProxy: 'https://p.example.com:3128',
    });
  });
});
