// The flag compatibility table of docs/migration-from-1.5.md cannot drift: it must list exactly the flags the
// registry defines (names, aliases, variables, commands), and its "1.5" column must agree with vic-machine 1.5's own
// help output (reference §11.3: `-x` for create and configure, which lists hidden flags, `-h` for the others).
import { describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GLOBAL_FLAGS } from '../../../src/cli/flags/groups.js';
import type { FlagDef } from '../../../src/cli/flags/types.js';
import { allCommands } from '../../../src/cli/registry.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const GUIDE = path.join(root, 'docs', 'migration-from-1.5.md');
const REFERENCE = '/work/shared/reference/vic-machine-1.5.md';

interface Row { flag: string; aliases: string[]; env: string; commands: string[]; in15: string }

function tableRows(): Row[] {
  const text = fs.readFileSync(GUIDE, 'utf8');
  const body = /<!-- flag-table:start -->\n([\s\S]*?)<!-- flag-table:end -->/.exec(text)?.[1];
  if (!body) throw new Error('no flag table between the markers');
  const code = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
  return body.trim().split('\n').slice(2).map((line) => {
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    return {
      flag: code(cells[0]!)[0]!.replace(/^--/, ''), aliases: code(cells[1]!).map((a) => a.replace(/^--?/, '')),
      env: code(cells[2]!)[0] ?? '', commands: cells[3]!.split(',').map((c) => c.trim()), in15: cells[4]!,
    };
  });
}

/** What the registry defines, in the table's shape. */
function registryRows(): Map<string, { def: FlagDef; commands: string[] }> {
  const out = new Map<string, { def: FlagDef; commands: string[] }>();
  for (const { path: cmd, spec } of allCommands()) {
    for (const def of spec.flags) {
      const e = out.get(def.name) ?? { def, commands: [] };
      e.commands.push(cmd);
      out.set(def.name, e);
    }
  }
  for (const def of GLOBAL_FLAGS) out.set(def.name, { def, commands: ['all'] });
  return out;
}

/** vic-machine 1.5's flags per command, from its help output: name → aliases and variable. */
function referenceFlags(): Map<string, Map<string, { aliases: string[]; env: string }>> {
  const ref = fs.readFileSync(REFERENCE, 'utf8');
  const out = new Map<string, Map<string, { aliases: string[]; env: string }>>();
  for (const m of ref.matchAll(/^#### `vic-machine-linux ([a-z ]+?) (-h|-x)`\n```\n([\s\S]*?)```/gm)) {
    const [cmd, mode, block] = [m[1]!, m[2]!, m[3]!];
    if ((cmd === 'create' || cmd === 'configure') !== (mode === '-x')) continue;
    const flags = new Map<string, { aliases: string[]; env: string }>();
    for (const line of block.split('\n')) {
      const opt = /^ {3}(--?[a-z][\w-]*(?: value)?(?:, --?[a-z][\w-]*(?: value)?)*) {2,}/.exec(line);
      if (!opt) continue;
      const names = opt[1]!.split(', ').map((n) => n.replace(/ value$/, '').replace(/^--?/, ''));
      if (names[0] === 'help') continue;
      flags.set(names[0]!, { aliases: names.slice(1), env: /\[\$(\w+)\]\s*$/.exec(line)?.[1] ?? '' });
    }
    out.set(cmd, flags);
  }
  return out;
}

describe('docs/migration-from-1.5.md flag table', () => {
  test('lists every flag of every command once, with the registry\'s aliases, variable and commands', () => {
    const rows = tableRows();
    const registry = registryRows();
    expect(rows.map((r) => r.flag).sort()).toEqual([...registry.keys()].sort());
    for (const r of rows) {
      const { def, commands } = registry.get(r.flag)!;
      expect({ flag: r.flag, aliases: r.aliases, env: r.env, commands: r.commands })
        .toEqual({ flag: r.flag, aliases: [...(def.aliases ?? [])], env: def.env ?? '', commands });
    }
  });

  (fs.existsSync(REFERENCE) ? test : test.skip)('the 1.5 column agrees with vic-machine 1.5\'s help, and no 1.5 flag is missing', () => {
    const ref = referenceFlags();
    expect([...ref.keys()].sort()).toEqual(['configure', 'create', 'debug', 'delete', 'inspect', 'inspect config', 'ls', 'update', 'update firewall', 'upgrade']);
    const rows = tableRows();
    for (const r of rows) {
      expect([r.flag, r.in15]).toEqual([r.flag, expect.stringMatching(/^(yes|new)$/)]);
      const listedIn = r.commands.filter((c) => ref.get(c)?.has(r.flag));
      if (r.in15 === 'new') {
        expect([r.flag, listedIn]).toEqual([r.flag, []]);
        continue;
      }
      for (const c of r.commands) {
        const orig = ref.get(c)?.get(r.flag);
        // --debug is hidden in 1.5's -h output everywhere but upgrade (reference §1.1); -x shows it.
        if (!orig && r.flag === 'debug') continue;
        expect([c, r.flag, orig]).toEqual([c, r.flag, { aliases: r.aliases, env: r.env }]);
      }
    }
    // every flag 1.5 lists is in the table, on that command
    for (const [cmd, flags] of ref) {
      for (const name of flags.keys()) {
        const row = rows.find((r) => r.flag === name);
        expect([cmd, name, row?.commands.includes(cmd)]).toEqual([cmd, name, true]);
      }
    }
  });
});
