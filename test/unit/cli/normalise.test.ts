// Go flag syntax → canonical commander tokens (flags/normalise.ts), and through parseArgs() to typed options.
import { describe, expect, test } from '@jest/globals';
import { UsageError } from '../../../src/cli/errors.js';
import { CREATE_FLAGS, DELETE_FLAGS } from '../../../src/cli/flags/commands.js';
import { flagIndex, normaliseArgs } from '../../../src/cli/flags/normalise.js';
import { closest } from '../../../src/cli/flags/suggest.js';
import { parseArgs } from '../../../src/cli/main.js';
import { allCommands } from '../../../src/cli/registry.js';
import { GLOBAL_FLAGS, HELP_FLAG } from '../../../src/cli/flags/groups.js';

const norm = (argv: string[]) => normaliseArgs(argv, CREATE_FLAGS, { command: 'create' }).args;

function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return e as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('normaliseArgs', () => {
  test('multi-letter aliases with one or two dashes, with and without =', () => {
    expect(norm(['-bnr', '10.0.0.0/12'])).toEqual(['--bridge-network-range=10.0.0.0/12']);
    expect(norm(['--bnr', '10.0.0.0/12'])).toEqual(['--bridge-network-range=10.0.0.0/12']);
    expect(norm(['--bnr=10.0.0.0/12'])).toEqual(['--bridge-network-range=10.0.0.0/12']);
    expect(norm(['-bnr=10.0.0.0/12'])).toEqual(['--bridge-network-range=10.0.0.0/12']);
    expect(norm(['--ai', 'a.iso', '-bi=b.iso'])).toEqual(['--appliance-iso=a.iso', '--bootstrap-iso=b.iso']);
    expect(norm(['--vs', 'ds/p:default', '--cln', 'c', '--pn', 'p', '--mn', 'm', '--cn', 'n:a'])).toEqual([
      '--volume-store=ds/p:default', '--client-network=c', '--public-network=p', '--management-network=m', '--container-network=n:a',
    ]);
    expect(norm(['--cng', 'n:1.1.1.1/24', '--cnr', 'n:1.1.1.0/24', '--cnd', 'n:8.8.8.8', '--cnf', 'n:open'])).toEqual([
      '--container-network-gateway=n:1.1.1.1/24', '--container-network-ip-range=n:1.1.1.0/24', '--container-network-dns=n:8.8.8.8',
      '--container-network-firewall=n:open',
    ]);
    expect(norm(['--mem', '1', '--memr', '2', '--mems', 'high', '--cpur', '3', '--cpus', 'low', '--sq', '4'])).toEqual([
      '--memory=1', '--memory-reservation=2', '--memory-shares=high', '--cpu-reservation=3', '--cpu-shares=low', '--storage-quota=4',
    ]);
    expect(norm(['--ksz', '4096', '--ca', 'ca.pem', '--rc', 'r.pem', '--dir', 'reg', '--wr', 'w', '--cnc', '{name}', '--bnw', '8'])).toEqual([
      '--certificate-key-size=4096', '--tls-ca=ca.pem', '--registry-ca=r.pem', '--insecure-registry=reg', '--whitelist-registry=w',
      '--container-name-convention={name}', '--bridge-network-width=8',
    ]);
    expect(norm(['--kv', '--ar', '-k'])).toEqual(['--no-tlsverify=true', '--asymmetric-routes=true', '--no-tls=true']);
  });

  test('single letters and single-dash long names', () => {
    expect(norm(['-t', 'h', '-u', 'root', '-p', 'pw', '-n', 'vch', '-r', 'cl', '-i', 'ds', '-b', 'br', '-f', '-v', '1', '-x'])).toEqual([
      '--target=h', '--user=root', '--password=pw', '--name=vch', '--compute-resource=cl', '--image-store=ds', '--bridge-network=br',
      '--force=true', '--debug=1', '--extended-help=true',
    ]);
    expect(norm(['-target', 'h', '-name=vch', '--t=h2', '-thumbprint', 'AA:BB'])).toEqual([
      '--target=h', '--name=vch', '--target=h2', '--thumbprint=AA:BB',
    ]);
  });

  test('booleans: bare, =true, =false and every Go spelling', () => {
    expect(norm(['--force=true', '--force=false', '--force=1', '--force=F', '-f=T'])).toEqual([
      '--force=true', '--force=false', '--force=1', '--force=F', '--force=T',
    ]);
    expect(usageError(() => norm(['--force=yes'])).message).toBe('invalid boolean value "yes" for flag --force: use --force or --force=true|false');
  });

  test('a value is taken as is, even when it looks like a flag (Go semantics); = keeps empty values', () => {
    expect(norm(['--password', '-secret-', '--name', '--force'])).toEqual(['--password=-secret-', '--name=--force']);
    expect(norm(['--name='])).toEqual(['--name=']);
    expect(norm(['--volume-store', 'nfs://h/p?uid=1&gid=2:label'])).toEqual(['--volume-store=nfs://h/p?uid=1&gid=2:label']);
  });

  test('missing value, bad syntax', () => {
    expect(usageError(() => norm(['--name'])).message).toBe('flag needs an argument: --name');
    expect(usageError(() => norm(['---name', 'x'])).message).toBe('bad flag syntax: ---name');
    expect(usageError(() => norm(['-=x'])).message).toBe('bad flag syntax: -=x');
  });

  test('positional arguments: "Unknown argument: <arg>"', () => {
    const e = usageError(() => normaliseArgs(['--force', 'true'], DELETE_FLAGS, { command: 'delete' }));
    expect(e.message).toBe('Unknown argument: true');
    expect(e.hint).toBe("boolean flags take a value only with '=': --force=true");
    expect(usageError(() => norm(['extra'])).message).toBe('Unknown argument: extra');
    expect(usageError(() => norm(['--name', 'a', 'b', '--force'])).message).toBe('Unknown argument: b');
    expect(usageError(() => norm(['-'])).message).toBe('Unknown argument: -');
    expect(usageError(() => norm(['--', 'x'])).message).toBe('Unknown argument: x');
    expect(norm(['--name', 'a', '--'])).toEqual(['--name=a']);
  });

  test('unknown flags name the flag and suggest the closest valid one', () => {
    const e = usageError(() => norm(['--bogus-flag', '1']));
    expect(e.message).toBe('flag provided but not defined: --bogus-flag');
    expect(e.flag).toBe('--bogus-flag');
    expect(usageError(() => norm(['--bnrr=x'])).hint).toBe('did you mean --bnr (--bridge-network-range)?');
    expect(usageError(() => norm(['--compute-resourc', 'x'])).hint).toBe('did you mean --compute-resource?');
    expect(usageError(() => norm(['--tagret', 'x'])).hint).toBe('did you mean --target?');
    expect(usageError(() => norm(['-volume-stor', 'x'])).message).toBe('flag provided but not defined: -volume-stor');
    expect(usageError(() => norm(['--Name', 'x'])).hint).toBe('did you mean --name?'); // names are case-sensitive, as in Go
  });

  test('flags of other commands are named as such', () => {
    const owners = new Map([['image-store', ['create']]]);
    const e = usageError(() => normaliseArgs(['--image-store', 'x'], DELETE_FLAGS, { command: 'delete', flagsOfOtherCommands: owners }));
    expect(e.hint).toBe("--image-store is a flag of 'create', not of 'delete'");
  });

  test('secret values are censored in the typed record', () => {
    const r = normaliseArgs(['-p', 'hunter2', '--ops-password=s3'], CREATE_FLAGS, { command: 'create' });
    expect(r.occurrences.map((o) => o.typed)).toEqual(['-p <censored>', '--ops-password=<censored>']);
    const t = normaliseArgs(['-t', 'root:pw@vc', '--target=https://u:pw2@vc'], CREATE_FLAGS, { command: 'create' });
    expect(t.occurrences.map((o) => o.typed)).toEqual(['-t root:<censored>@vc', '--target=https://u:<censored>@vc']);
  });

  test('no command has a name or alias twice (including -h and the global flags)', () => {
    for (const { spec } of allCommands()) expect(() => flagIndex([...spec.flags, ...GLOBAL_FLAGS, HELP_FLAG])).not.toThrow();
  });
});

test('closest()', () => {
  expect(closest('bnrr', ['bnr', 'bnw', 'name'])).toBe('bnr');
  expect(closest('bridge', ['bridge-network', 'bridge-network-range'])).toBe('bridge-network');
  expect(closest('memory-limit', ['memory', 'cpu'])).toBe('memory');
  expect(closest('zzzzzz', ['name', 'target'])).toBeUndefined();
});

describe('parseArgs: typed options', () => {
  test('create defaults', async () => {
    const p = await parseArgs(['create', '-t', 'root:pw@h']);
    expect(p?.path).toBe('create');
    const o = p!.options;
    expect(o.name).toBe('virtual-container-host');
    expect(o.timeout).toBe(180_000);
    expect(o.publicNetwork).toBe('VM Network');
    expect(o.bridgeNetworkRange).toBe('172.16.0.0/12');
    expect(o.bridgeNetworkWidth).toBe('16');
    expect(o.baseImageSize).toBe('8GB');
    expect(o.endpointMemory).toBe(2048);
    expect(o.endpointCpu).toBe(1);
    expect(o.certificateKeySize).toBe(2048);
    expect(o.force).toBe(false);
    expect(o.noTls).toBe(false);
    expect(o.volumeStore).toEqual([]);
    expect(o.computeResource).toBe('');
    // optional values are absent, not zero
    for (const k of ['memory', 'cpu', 'storageQuota', 'containers', 'memoryShares', 'cpuShares', 'httpProxy', 'opsUser', 'opsGrantPerms', 'debug', 'password']) {
      expect(k in o).toBe(false);
    }
    expect((o.target as URL).href).toBe('https://root:pw@h/');
  });

  test('every create flag lands in its typed property', async () => {
    const p = await parseArgs([
      'create', '-t', 'h', '--ops-grant-perms', '--mem', '0', '--cpus', 'High', '--mems=4000', '--containers', '5', '--sq', '0',
      '--timeout', '1h2m', '--kv', '--no-tls=false', '--http-proxy', '', '-v', '2', '--endpoint-cpu', '4', '--affinity-vm-group',
    ]);
    const o = p!.options;
    expect(o.opsGrantPerms).toBe(true);
    expect(o.memory).toBe(0);
    expect(o.cpuShares).toEqual({ level: 'high' });
    expect(o.memoryShares).toEqual({ level: 'custom', shares: 4000 });
    expect(o.containers).toBe(5);
    expect(o.storageQuota).toBe(0);
    expect(o.timeout).toBe(3_720_000);
    expect(o.noTlsverify).toBe(true);
    expect(o.noTls).toBe(false);
    expect(o.httpProxy).toBe('');
    expect(o.debug).toBe(2);
    expect(o.endpointCpu).toBe(4);
    expect(o.affinityVmGroup).toBe(true);
  });

  test('repeatable flags collect in order, mixing names and aliases', async () => {
    const p = await parseArgs([
      'create', '-t', 'h', '--volume-store', 'ds1/a:default', '--vs=ds2:b', '-vs', 'nfs://h/x:c',
      '--cn', 'VM Network:public', '--container-network=net2', '--insecure-registry', 'r1', '--dir', 'r2', '--dns-server', '1.1.1.1', '--dns-server', '8.8.8.8',
    ]);
    const o = p!.options;
    expect(o.volumeStore).toEqual(['ds1/a:default', 'ds2:b', 'nfs://h/x:c']);
    expect(o.containerNetwork).toEqual(['VM Network:public', 'net2']);
    expect(o.insecureRegistry).toEqual(['r1', 'r2']);
    expect(o.dnsServer).toEqual(['1.1.1.1', '8.8.8.8']);
    expect(p!.given.find((g) => g.name === 'volume-store')?.values).toHaveLength(3);
  });

  test('the last value of a non-repeatable flag wins (Go semantics)', async () => {
    const p = await parseArgs(['delete', '-t', 'h', '--name', 'a', '-n', 'b', '--force', '--force=false']);
    expect(p!.options.name).toBe('b');
    expect(p!.options.force).toBe(false);
  });

  test('configure --affinity-vm-group is tri-state', async () => {
    expect('affinityVmGroup' in (await parseArgs(['configure', '-t', 'h']))!.options).toBe(false);
    expect((await parseArgs(['configure', '-t', 'h', '--affinity-vm-group=false']))!.options.affinityVmGroup).toBe(false);
    expect((await parseArgs(['configure', '-t', 'h', '--affinity-vm-group']))!.options.affinityVmGroup).toBe(true);
  });

  test('environment variables of the target group; the command line wins; empty counts as unset', async () => {
    const env = { VIC_MACHINE_TARGET: 'vc.example.com/DC0', VIC_MACHINE_USER: 'admin', VIC_MACHINE_PASSWORD: 'pw', VIC_MACHINE_THUMBPRINT: 'AA:BB', VIC_MACHINE_NAME: 'ignored' };
    const o = (await parseArgs(['ls'], env))!.options;
    expect((o.target as URL).href).toBe('https://vc.example.com/DC0');
    expect(o.user).toBe('admin');
    expect(o.password).toBe('pw');
    expect(o.thumbprint).toBe('AA:BB');
    const p = (await parseArgs(['ls', '-u', 'root', '-t', 'other'], { ...env, VIC_MACHINE_PASSWORD: '' }))!;
    expect(p.options.user).toBe('root');
    expect((p.options.target as URL).host).toBe('other');
    expect('password' in p.options).toBe(false);
    expect(p.given.map((g) => `${g.name}:${g.source}`)).toEqual(['target:cli', 'user:cli', 'thumbprint:env']);
  });

  test('a bad environment value names the variable', async () => {
    await expect(parseArgs(['ls'], { VIC_MACHINE_TARGET: 'ftp://x' })).rejects.toThrow(/--target \(from \$VIC_MACHINE_TARGET\)/);
  });

  test('bad values: one error naming the flag', async () => {
    await expect(parseArgs(['create', '--timeout', '3 minutes'])).rejects.toThrow('invalid value "3 minutes" for flag --timeout');
    await expect(parseArgs(['create', '--cpu', 'many'])).rejects.toThrow('invalid value "many" for flag --cpu: expected an integer');
    await expect(parseArgs(['create', '--cpus', 'loads'])).rejects.toThrow('for flag --cpu-shares');
    await expect(parseArgs(['create', '--ksz', '2k'])).rejects.toThrow('for flag --certificate-key-size');
    await expect(parseArgs(['create', '--debug', '-1'])).rejects.toThrow('for flag --debug: expected an integer of at least 0');
  });

  test('inspect config: --format first; an invalid format warns and becomes verbose', async () => {
    const p = (await parseArgs(['inspect', 'config', '--format', 'toml', '-n', 'vch1']))!;
    expect(p.path).toBe('inspect config');
    expect(p.options.format).toBe('verbose');
    expect(p.options.name).toBe('vch1');
    expect(p.warnings).toEqual(["Invalid configuration output format 'toml'. Valid options are raw, verbose, yaml, json.", 'Using verbose configuration format']);
    expect((await parseArgs(['inspect', 'config', '--format=json']))!.options.format).toBe('json');
    expect((await parseArgs(['inspect', 'config', '--format=yaml']))!.options.format).toBe('yaml');
    expect((await parseArgs(['inspect', 'config', '--format=raw']))!.options.format).toBe('raw');
  });

  test('update firewall: exactly one of --allow / --deny', async () => {
    await expect(parseArgs(['update', 'firewall'])).rejects.toThrow('No command selected');
    await expect(parseArgs(['update', 'firewall', '--allow', '--deny'])).rejects.toThrow('Only one of --allow and --deny can be set');
    expect((await parseArgs(['update', 'firewall', '--deny']))!.options.deny).toBe(true);
  });

  test('help, -x and version parse to nothing', async () => {
    expect(await parseArgs(['create', '-x'])).toBeUndefined();
    expect(await parseArgs(['create', '--help'])).toBeUndefined();
    expect(await parseArgs(['help', 'ls'])).toBeUndefined();
    expect(await parseArgs(['--version'])).toBeUndefined();
  });
});
