#!/usr/bin/env node
// Builds the web console (docs/console.md): typechecks src/console/ (browser code, its own tsconfig with the DOM
// library) and bundles it with esbuild into dist/console/: index.html, app.js (one ES module, minified), app.css.
// Nothing is loaded from elsewhere at run time. Prints the gzipped size of JS + CSS (docs/benchmarks.md).
// Run by `npm run build` and by scripts/setup.mjs after the TypeScript build.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src', 'console');
const out = path.join(root, 'dist', 'console');

const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(src, 'tsconfig.json')], { encoding: 'utf8' });
if (tsc.status !== 0) {
  console.error(`build-console: the console's typecheck failed:\n${tsc.stdout}${tsc.stderr}`);
  process.exit(1);
}
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
await esbuild.build({
  entryPoints: { app: path.join(src, 'main.ts'), 'app-style': path.join(src, 'app.css') },
  outdir: out, bundle: true, minify: true, format: 'esm', target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
  legalComments: 'none', logLevel: 'warning',
});
// esbuild names a CSS entry after its key: app-style.css → app.css (the page links app.css)
fs.renameSync(path.join(out, 'app-style.css'), path.join(out, 'app.css'));
fs.rmSync(path.join(out, 'app-style.js'), { force: true });
fs.copyFileSync(path.join(src, 'index.html'), path.join(out, 'index.html'));
const size = (f) => fs.statSync(path.join(out, f)).size;
const gz = (f) => zlib.gzipSync(fs.readFileSync(path.join(out, f)), { level: 9 }).length;
const total = gz('app.js') + gz('app.css');
console.log(`build-console: dist/console: app.js ${size('app.js')} B (${gz('app.js')} gzipped), app.css ${size('app.css')} B (${gz('app.css')} gzipped); JS+CSS gzipped ${total} B`);
