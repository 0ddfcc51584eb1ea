// The layers of docs/architecture.md, checked on every import under src/: static imports, dynamic import('...'),
// and re-exports (export ... from):
// - each layer imports only layers below it: src/vim < src/vic < src/cli < src/server (the server never imports the
//   CLI, nor the CLI the server), types included;
// - the domain owns vSphere: no src/cli file reaches the src/vim modules that talk to vSphere, directly or through a
//   re-export (type-only imports, transport.ts's TLS probe and the value modules such as thumbprint.ts and faults.ts
//   are fine);
// - no import circle, lazy and type-only imports included (a circle of types is still two files that cannot be
//   understood one without the other).
import { describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const src = path.join(root, 'src');

/** src/vim modules that talk to vSphere: the CLI goes through src/vic for all of them. */
const VSPHERE_MODULES = [
  'session', 'soap-client', 'property-collector', 'finder', 'inventory', 'task', 'datastore-files', 'methods.generated',
].map((m) => `vim/${m}.ts`);

const LAYERS = ['vim', 'vic', 'cli', 'server', 'console'] as const;
/**
 * Which layers each may import: the ones below it, and itself; the two front ends never import each other. The web
 * console (browser code, bundled apart) imports nothing of the others: it talks to the server over its REST API.
 */
const MAY_IMPORT: Record<(typeof LAYERS)[number], readonly string[]> = {
  vim: ['vim'], vic: ['vim', 'vic'], cli: ['vim', 'vic', 'cli'], server: ['vim', 'vic', 'server'], console: ['console'],
};

interface Edge { from: string; to: string; kind: 'import' | 'dynamic import' | 're-export'; typeOnly: boolean; line: number }

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

const rel = (file: string) => path.relative(src, file).split(path.sep).join('/');

function resolve(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined; // a package or a node: builtin
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [base.replace(/\.js$/, '.ts'), `${base}.ts`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`${rel(from)}: cannot resolve '${spec}'`);
}

/** Every import of a file, each marked type-only where it is erased from the JavaScript. */
function edgesOf(file: string): Edge[] {
  const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const edges: Edge[] = [];
  const add = (spec: ts.Expression | undefined, kind: Edge['kind'], node: ts.Node, typeOnly = false): void => {
    if (!spec || !ts.isStringLiteralLike(spec)) return;
    const to = resolve(file, spec.text);
    if (to) edges.push({ from: rel(file), to: rel(to), kind, typeOnly, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1 });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const c = node.importClause;
      const typeOnly = c?.isTypeOnly || (c && !c.name && c.namedBindings && ts.isNamedImports(c.namedBindings) &&
        c.namedBindings.elements.length > 0 && c.namedBindings.elements.every((e) => e.isTypeOnly));
      add(node.moduleSpecifier, 'import', node, !!typeOnly);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      const typeOnly = node.isTypeOnly || (node.exportClause && ts.isNamedExports(node.exportClause) &&
        node.exportClause.elements.length > 0 && node.exportClause.elements.every((e) => e.isTypeOnly));
      add(node.moduleSpecifier, 're-export', node, !!typeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node.arguments[0], 'dynamic import', node);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, 'import', node, node.isTypeOnly);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return edges;
}

const files = sourceFiles(src);
const edges = files.flatMap(edgesOf);
const byFrom = new Map<string, Edge[]>();
for (const e of edges) byFrom.set(e.from, [...(byFrom.get(e.from) ?? []), e]);
const layerOf = (f: string) => f.split('/')[0] as (typeof LAYERS)[number];
const show = (e: Edge) => `${e.from}:${e.line} ${e.typeOnly ? 'type ' : ''}${e.kind} ${e.to}`;

/** Import circles: the strongly connected components of more than one file (or a file importing itself). */
function circles(): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const strong = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const { to } of byFrom.get(v) ?? []) {
      if (!idx.has(to)) {
        strong(to);
        low.set(v, Math.min(low.get(v)!, low.get(to)!));
      } else if (on.has(to)) low.set(v, Math.min(low.get(v)!, idx.get(to)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (byFrom.get(v) ?? []).some((e) => e.to === v)) out.push(scc.sort());
    }
  };
  for (const f of files.map(rel)) if (!idx.has(f)) strong(f);
  return out;
}

describe('layers (docs/architecture.md)', () => {
  test('the checker sees every kind of import', () => {
    const kinds = new Set(edges.map((e) => `${e.typeOnly ? 'type ' : ''}${e.kind}`));
    expect([...kinds].sort()).toEqual(['dynamic import', 'import', 're-export', 'type import', 'type re-export']);
  });

  test('no layer imports a higher one, and the two front ends do not import each other', () => {
    const bad = edges.filter((e) => !MAY_IMPORT[layerOf(e.from)].includes(layerOf(e.to))).map(show);
    expect(bad).toEqual([]);
  });

  test('no src/cli file reaches a src/vim module that talks to vSphere, directly or through re-exports', () => {
    // What a module exposes through `export ... from`, followed to the end.
    const exposes = (f: string, seen = new Set<string>()): string[] => {
      if (seen.has(f)) return [];
      seen.add(f);
      return (byFrom.get(f) ?? []).filter((e) => e.kind === 're-export' && !e.typeOnly).flatMap((e) => [e.to, ...exposes(e.to, seen)]);
    };
    const bad: string[] = [];
    for (const e of edges.filter((x) => layerOf(x.from) === 'cli' && !x.typeOnly)) {
      const reached = [e.to, ...exposes(e.to)].filter((m) => VSPHERE_MODULES.includes(m));
      for (const m of reached) bad.push(`${show(e)}${m === e.to ? '' : ` (re-exports ${m})`}`);
    }
    expect(bad).toEqual([]);
  });

  test('no import circle', () => {
    expect(circles()).toEqual([]);
  });
});
