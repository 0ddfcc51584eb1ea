// vSphere methods are called through the typed functions generated into src/vim/methods.generated.ts (as govmomi's
// vim25/methods), never by a name in a string: a string escapes the schema's types, and a typo surfaces only at run
// time. This reads every string and template literal under src/ (comments aside) and fails on one that names a
// vim25 method vic-machine knows, outside the generated files.
import { describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { METHODS } from '../../../src/vim/schema.generated.js';
import * as generated from '../../../src/vim/methods.generated.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const src = path.join(root, 'src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|mts)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Every literal text of a file: strings, template pieces, with their line numbers. */
function literals(file: string): { text: string; line: number }[] {
  const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: { text: string; line: number }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      out.push({ text: node.text, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

const names = Object.keys(METHODS);
// A method name as a word; a privilege id that ends in one ("Datastore.DeleteFile") is not a call.
const word = new RegExp(`(?<![\\w.])(${names.join('|')})(?![\\w])`);

describe('vSphere method names', () => {
  test('every method in the schema subset has a generated typed function', () => {
    const fns = generated as unknown as Record<string, { vimMethod?: string } | undefined>;
    expect(names.filter((n) => fns[n]?.vimMethod !== n)).toEqual([]);
  });

  test('appear in no string outside the generated files', () => {
    const found: string[] = [];
    for (const file of sourceFiles(src)) {
      if (file.endsWith('.generated.ts')) continue;
      for (const { text, line } of literals(file)) {
        const m = word.exec(text);
        if (m) found.push(`${path.relative(root, file)}:${line}: ${m[1]} in ${JSON.stringify(text)}`);
      }
    }
    expect(found).toEqual([]);
  });

  test('the check sees a method named in a string, a template and a variable', () => {
    const probe = path.join(fs.mkdtempSync(path.join(root, 'node_modules', '.probe-')), 'probe.ts');
    try {
      fs.writeFileSync(probe, [
        "await session.call('PowerOnVM_Task', { _this: vm });",
        'const m = enable ? "EnableRuleset" : `DisableRuleset`;',
        'log(`waiting for ${x} ReconfigVM_Task (${task.value})`); // PowerOffVM_Task in a comment is fine',
      ].join('\n'));
      const hits = literals(probe).map((l) => word.exec(l.text)?.[1]).filter(Boolean);
      expect(hits).toEqual(['PowerOnVM_Task', 'EnableRuleset', 'DisableRuleset', 'ReconfigVM_Task']);
    } finally {
      fs.rmSync(path.dirname(probe), { recursive: true, force: true });
    }
  });
});
