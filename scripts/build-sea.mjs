#!/usr/bin/env node
// `npm run build:sea`: vic-machine as one executable file for admins without Node (dist/sea/vic-machine), with
// Node's single executable applications (SEA): the node binary running an embedded script.
//
// Node 20's SEA runs ONE CommonJS script whose `require` loads only built-in modules, so:
//   1. esbuild bundles src/cli (TypeScript, ESM) and every package it uses into dist/sea/vic-machine.cjs. The lazy
//      `await import()`s of commands and heavy packages (inquirer, node-forge, yaml) stay lazy: esbuild turns each
//      into the deferred initialisation of that module inside the bundle.
//   2. What the CLI reads from its package folder at run time is built in: templates/ and the version (see
//      VIC_MACHINE_EMBEDDED_* in src/cli/template.ts and src/cli/version.ts).
//   3. `import.meta.url` does not exist in CommonJS. Each source file gets the URL it would have in the package
//      (dist/cli/commands/create.js ...) with the executable's folder as the package root: the folder where create
//      and upgrade look for appliance.iso and bootstrap.iso is the executable's own folder, as vic-machine 1.5
//      looked next to its binary. (node-forge's `createRequire` then finds no node_modules there and falls back to
//      the bundled copy.)
//   3b. It is vic-machine-server too (by that name, or `vic-machine server ...`); what the server reads from the
//      package folder (1.5's API spec, the model's extensions, the console) is built in as well.
//   4. `node --experimental-sea-config sea-config.json` makes the blob; postject (Node's own injector) puts it into a
//      copy of the running node binary.
// Build with the Node the executable should contain (the running one). Linux and macOS; Windows is not handled.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'dist', 'sea');
const bundle = path.join(outDir, 'vic-machine.cjs');
const blob = path.join(outDir, 'sea-prep.blob');
const exe = path.join(outDir, 'vic-machine');
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

const t0 = Date.now();
const say = (m) => process.stderr.write(`build:sea: ${m}\n`);
function fail(m) {
  say(m);
  process.exit(1);
}
function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} failed:\n${r.stdout ?? ''}${r.stderr ?? r.error ?? ''}`);
  return r;
}

if (process.platform === 'win32') fail('Windows is not supported by this script (postject needs a signed copy of node.exe)');
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 12)) fail(`Node ${process.versions.node} is too old for single executables with assets (20.12+)`);

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  fail('esbuild is missing: run npm install (it is a devDependency)');
}

fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(outDir, { recursive: true });

// 1-3. the bundle
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const templates = {};
for (const f of fs.readdirSync(path.join(root, 'templates'))) {
  if (f.endsWith('.txt')) templates[f] = fs.readFileSync(path.join(root, 'templates', f), 'utf8');
}

// What the server reads from the package folder at run time (src/server/embedded-files.ts): 1.5's API spec, the VCH
// model's extensions, the console's bundle (built first when missing).
if (!fs.existsSync(path.join(root, 'dist', 'console', 'index.html'))) run(process.execPath, [path.join(root, 'scripts', 'build-console.mjs')]);
const serverFiles = {};
for (const rel of ['api/vic-machine-server-1.5.swagger.json', 'src/vic/spec/vch-model-extensions.json',
  ...fs.readdirSync(path.join(root, 'dist', 'console')).filter((f) => !f.endsWith('.map')).map((f) => `dist/console/${f}`)]) {
  serverFiles[rel] = fs.readFileSync(path.join(root, rel)).toString('base64');
}

/** `import.meta.url` of each source file → the URL of its compiled file in a package rooted at the executable's folder. */
const importMetaUrl = {
  name: 'import-meta-url',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, async (args) => {
      const source = await fs.promises.readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const rel = path.relative(path.join(root, 'src'), args.path).split(path.sep).join('/').replace(/\.ts$/, '.js');
      return { contents: source.replaceAll('import.meta.url', `__vicMachineFileUrl(${JSON.stringify(`dist/${rel}`)})`), loader: 'ts' };
    });
  },
};

const entry = `
import { main } from './src/cli/main.ts';
// As bin/vic-machine: a reader that stops early (vic-machine --help | head) closes the pipe, which is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => { if (e && e.code === 'EPIPE') process.exit(process.exitCode ?? 0); else throw e; });
}
// The executable is also vic-machine-server (the npm package's second bin): when invoked by that name (a symlink or a
// copy named so; argv0 is the name it was started by, execPath would be the symlink's target) or as
// \`vic-machine server ...\`. The server's code is loaded only then, so the CLI starts no slower.
const args = process.argv.slice(2);
const invokedAs = require('node:path').basename(process.argv0).replace(/\\.exe$/i, '');
const serverArgs = invokedAs === 'vic-machine-server' ? args : args[0] === 'server' ? args.slice(1) : undefined;
const run = serverArgs ? import('./src/server/main.ts').then((m) => m.main(serverArgs)) : main(args);
run.then((code) => {
  process.exitCode = code;
  setTimeout(() => process.exit(code), 250).unref();
});
`;

const result = await esbuild.build({
  stdin: { contents: entry, resolveDir: root, sourcefile: 'sea-entry.ts', loader: 'ts' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: `node${major}`,
  outfile: bundle,
  plugins: [importMetaUrl],
  define: {
    VIC_MACHINE_EMBEDDED_VERSION: JSON.stringify(pkg.version),
    VIC_MACHINE_EMBEDDED_TEMPLATES: JSON.stringify(templates),
    VIC_MACHINE_EMBEDDED_SERVER_FILES: JSON.stringify(serverFiles),
  },
  banner: {
    js: [
      '"use strict";',
      'const __vicMachineFileUrl = (rel) => require("node:url").pathToFileURL(require("node:path").join(require("node:path").dirname(process.execPath), rel)).href;',
    ].join('\n'),
  },
  legalComments: 'none',
  logLevel: 'silent',
  metafile: true,
});
for (const w of result.warnings) say(`esbuild warning: ${w.text} (${w.location?.file}:${w.location?.line})`);
const inputs = Object.keys(result.metafile.inputs);
for (const needed of ['node_modules/node-forge/', 'node_modules/inquirer/', 'node_modules/yaml/', 'node_modules/fast-xml-parser/', 'src/cli/commands/create.ts', 'src/server/main.ts']) {
  if (!inputs.some((i) => i.includes(needed))) fail(`the bundle lacks ${needed}`);
}

// 4. the blob, injected into a copy of node
const seaConfig = JSON.parse(fs.readFileSync(path.join(root, 'sea-config.json'), 'utf8'));
if (path.resolve(root, seaConfig.main) !== bundle || path.resolve(root, seaConfig.output) !== blob) {
  fail('sea-config.json must name dist/sea/vic-machine.cjs as main and dist/sea/sea-prep.blob as output');
}
run(process.execPath, ['--experimental-sea-config', 'sea-config.json']);
fs.copyFileSync(process.execPath, exe);
fs.chmodSync(exe, 0o755);
const postject = path.join(root, 'node_modules', 'postject', 'dist', 'cli.js');
if (!fs.existsSync(postject)) fail('postject is missing: run npm install (it is a devDependency)');
if (process.platform === 'darwin') run('codesign', ['--remove-signature', exe]);
run(process.execPath, [postject, exe, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', FUSE,
  ...(process.platform === 'darwin' ? ['--macho-segment-name', 'NODE_SEA'] : [])]);
if (process.platform === 'darwin') run('codesign', ['--sign', '-', exe]);
fs.rmSync(blob);

const mb = (f) => `${(fs.statSync(f).size / 1048576).toFixed(1)} MB`;
say(`${path.relative(root, exe)} (${mb(exe)}; bundle ${mb(bundle)}; Node ${process.versions.node}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
