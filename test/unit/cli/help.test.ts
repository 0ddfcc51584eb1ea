// Help output: every command lists its visible flags (with aliases, defaults, env vars), -x lists hidden ones too.
import { describe, expect, test } from '@jest/globals';
import type { FlagDef } from '../../../src/cli/flags/types.js';
import { flagTerm } from '../../../src/cli/program.js';
import { allCommands, COMMANDS } from '../../../src/cli/registry.js';
import { run } from './helpers.js';

// the original's order; `completion` (not in 1.5) after its commands
const ORDER = ['create', 'configure', 'delete', 'ls', 'inspect', 'upgrade', 'version', 'debug', 'update', 'completion', 'help'];

/** The help line of a flag: its term, then (after padding) the start of its usage. */
function lineOf(help: string, def: FlagDef): string | undefined {
  return help.split('\n').find((l) => l.trimStart().startsWith(`${flagTerm(def)} `));
}

describe('vic-machine --help', () => {
  test.each([[[]], [['--help']], [['-h']], [['help']], [['h']]])('%j lists every command in the original order', async (argv) => {
    const r = await run(argv);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Create and manage Virtual Container Hosts');
    const listed = r.stdout.split('Commands:')[1]!.split('\n\n')[0]!.split('\n').map((l) => l.trim().split(/\s+/)[0]).filter(Boolean);
    expect(listed).toEqual(ORDER);
    for (const spec of COMMANDS) expect(r.stdout).toMatch(new RegExp(`\\n  ${spec.name}\\s+${spec.description}`));
    expect(r.stdout).toContain('--json');
    expect(r.stdout).toContain('--no-color');
    expect(r.stdout).toContain('--version, -v');
  });
});

describe.each(allCommands().map(({ path, spec }) => [path, spec] as const))('%s --help', (path, spec) => {
  test('shows the visible flags with aliases, defaults and env vars; hides hidden ones', async () => {
    const r = await run([...path.split(' '), '--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`Usage: vic-machine ${path}`);
    expect(r.stdout).toContain(spec.description);
    for (const def of spec.flags) {
      const line = lineOf(r.stdout, def);
      if (def.hidden) {
        expect(line).toBeUndefined();
        continue;
      }
      expect(line).toBeDefined();
      expect(line).toContain(def.usage.split('\n')[0]!.slice(0, 40));
      if (def.env) expect(line).toContain(`[$${def.env}]`);
      if (def.default) expect(line).toContain(`(default: ${def.type === 'string' ? JSON.stringify(def.default) : def.default})`);
    }
    expect(r.stdout).toContain('--help, -h');
  });

  test('help <command> and -h print the same', async () => {
    const a = await run(['help', ...path.split(' ')]);
    const b = await run([...path.split(' '), '-h']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });
});

describe('the original help texts', () => {
  test('create -h: aliases and defaults as urfave prints them', async () => {
    const r = await run(['create', '-h']);
    expect(r.stdout).toMatch(/--target value, -t value +REQUIRED\. ESXi or vCenter connection URL, specifying a datacenter if multiple exist e\.g\. root:password@VC-FQDN\/datacenter \[\$VIC_MACHINE_TARGET\]/);
    expect(r.stdout).toMatch(/--name value, -n value +The name of the Virtual Container Host \(default: "virtual-container-host"\)/);
    expect(r.stdout).toMatch(/--public-network value, --pn value +.*\(default: "VM Network"\)/);
    expect(r.stdout).toMatch(/--no-tlsverify, --kv +Disable authentication via client certificates/);
    expect(r.stdout).toMatch(/--timeout value +Time to wait for create \(default: 3m0s\)/);
    expect(r.stdout).toMatch(/--extended-help, -x +Show all options - this must be specified instead of --help/);
    expect(r.stdout).toContain("Run 'vic-machine create -x'");
    // continuation lines of the volume-store text are aligned with the description column
    const lines = r.stdout.split('\n');
    const i = lines.findIndex((l) => l.includes('--volume-store value, --vs value'));
    const column = lines[i]!.indexOf('Specify a list');
    expect(lines[i + 1]!.indexOf('Examples for a vsphere')).toBe(column);
  });

  test('upgrade shows --debug, --appliance-iso and --bootstrap-iso; delete does not show --debug', async () => {
    const up = await run(['upgrade', '-h']);
    expect(up.stdout).toMatch(/--debug value, -v value +\[0\(default\),1\.\.\.n\], 0 is disabled, 1 is enabled, >= 1 may alter behaviour/);
    expect(up.stdout).toMatch(/--appliance-iso value, --ai value +The appliance iso/);
    expect(up.stdout).toMatch(/--bootstrap-iso value, --bi value +The bootstrap iso/);
    expect((await run(['delete', '-h'])).stdout).not.toContain('--debug');
  });

  test('inspect config lists --format first', async () => {
    const r = await run(['inspect', 'config', '-h']);
    const opts = r.stdout.split('Options:')[1]!.trim().split('\n');
    expect(opts[0]).toMatch(/^--format value +Determine the format of configuration output\. Supported formats: raw, verbose, yaml \(a file create --config reads\), json \(the VCH model of the REST API\) \(default: "verbose"\)/);
  });

  test('inspect and update list their subcommand; update alone prints its help', async () => {
    expect((await run(['inspect', '-h'])).stdout).toMatch(/config +Show VCH configuration options/);
    const u = await run(['update']);
    expect(u.code).toBe(0);
    expect(u.stdout).toMatch(/firewall +Modify host firewall/);
    expect((await run(['help', 'update', 'firewall'])).stdout).toContain('Usage: vic-machine update firewall');
    expect((await run(['inspect', 'help', 'config'])).stdout).toContain('Usage: vic-machine inspect config');
  });
});

describe.each(['create', 'configure'])('%s -x / --extended-help', (name) => {
  const spec = COMMANDS.find((c) => c.name === name)!;

  test.each([['-x'], ['--extended-help'], ['-extended-help=true'], ['--x']])('%s shows every flag, hidden ones included, and does nothing else', async (x) => {
    const r = await run([name, x]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(spec.flags.some((d) => d.hidden)).toBe(true);
    for (const def of spec.flags) expect(lineOf(r.stdout, def)).toBeDefined();
    expect(r.stdout).not.toContain("Run 'vic-machine");
  });

  test('-x is honoured before flag checks that need a connection (no --target needed)', async () => {
    const r = await run([name, '-x', '--name', 'x']);
    expect(r.code).toBe(0);
  });
});

test('create -x shows the hidden create flags by name', async () => {
  const r = await run(['create', '-x']);
  for (const t of ['--bridge-network-range value, --bnr value', '--ops-user value', '--memory-shares value, --mems value', '--no-tls, -k',
    '--appliance-iso value, --ai value', '--asymmetric-routes, --ar', '--debug value, -v value', '--container-network-firewall value, --cnf value',
    '--base-image-size value', '--endpoint-memory value', '--syslog-address value', '--https-proxy value']) {
    expect(r.stdout).toContain(t);
  }
  const h = await run(['create', '-h']);
  for (const t of ['--bnr', '--ops-user', '--no-tls, -k', '--asymmetric-routes', '--debug value']) expect(h.stdout).not.toContain(t);
});
