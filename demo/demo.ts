// `npm run demo`: the main job of vic-machine, told on the embedded simulator. Each step says what is real and what
// is simulated. The vic-machine commands are run exactly as an admin would type them.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startVcsim } from '../test/support/vcsim.js';
import { writeTestIso } from '../test/support/iso-fixture.js';
import { playAppliance } from '../test/support/appliance-player.js';
import { Session } from '../src/vim/session.js';

// Compiled to demo/out/demo/demo.js: the repository is three levels up.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = path.join(root, 'bin', 'vic-machine');
const say = (s: string) => process.stdout.write(`\n\x1b[1m== ${s}\x1b[0m\n`);
const note = (s: string) => process.stdout.write(`   (${s})\n`);

function run(cwd: string, args: string[]): Promise<number> {
  process.stdout.write(`\n$ vic-machine ${args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}\n`);
  return new Promise((resolve) => {
    // The password comes from the environment, as a runbook passes it, so that no command line shows it.
    const p = spawn(process.execPath, [bin, ...args], { cwd, stdio: 'inherit', env: { ...process.env, VIC_MACHINE_PASSWORD: PASSWORD } });
    p.on('exit', (code) => resolve(code ?? 1));
  });
}

// Not a word that appears in any path or name the demo prints: the CLI masks its password wherever it appears.
const PASSWORD = 'Demo-pw-4-vCenter';

async function main(): Promise<void> {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'vic-machine-demo-'));
  say('1. A vCenter to work against');
  note('SIMULATED: govmomi\'s vCenter simulator (vcsim) on 127.0.0.1 with TLS: datacenter DC0, cluster DC0_C0 (3 hosts), datastore LocalDS_0, networks "VM Network", DC0_DVPG0, DC0_DVPG1');
  const sim = await startVcsim({ firewallOpen: true });
  note(`listening at ${sim.url}; its certificate's SHA-1 thumbprint is ${sim.thumbprintSHA1}`);
  const admin = await Session.connect({ url: sim.url, user: 'admin', password: PASSWORD, trust: { thumbprint: sim.thumbprintSHA1 } });
  try {
    say('2. The VIC appliance ISOs');
    note('SIMULATED: two small ISO 9660 files whose publisher field says "VMware Inc. v1.5.8-1-9489f63" (real ISOs boot; these only carry the version)');
    for (const kind of ['appliance', 'bootstrap']) await writeTestIso(path.join(cwd, `${kind}.iso`), { publisher: 'VMware Inc. v1.5.8-1-9489f63' });
    note('the password is passed as VIC_MACHINE_PASSWORD, so that no command line below shows it');
    const target = ['--target', `${sim.host}/DC0`, '--user', 'admin', '--thumbprint', sim.thumbprintSHA1];

    say('3. A wrong input: create names the flag and lists what exists, and creates nothing');
    await run(cwd, ['create', ...target, '--name', 'vch1', '--compute-resource', 'DC0_C1', '--bridge-network', 'DC0_DVPG0', '--tls-cname', '127.0.0.51']);

    say('4. The admin creates a VCH (real vic-machine, real SOAP, real certificates)');
    note('SIMULATED: the appliance cannot boot in the simulator. A stand-in plays it through the same channel the real one uses: it reads the server certificate from the VM\'s extraConfig, serves the Docker API on 127.0.0.51, and publishes the guest keys (IP address, components started).');
    const appliance = playAppliance(admin, 'vch1', '127.0.0.51', { requireClientCert: true });
    const code = await run(cwd, ['create', ...target, '--name', 'vch1', '--compute-resource', 'DC0_C0', '--image-store', 'LocalDS_0',
      '--bridge-network', 'DC0_DVPG0', '--public-network', 'VM Network', '--tls-cname', '127.0.0.51']);
    const standIn = await appliance;
    try {
      if (code !== 0) throw new Error(`create exited ${code}`);
      say('5. The developer uses Docker with what the admin handed over (real docker client)');
      const envFile = path.join(cwd, 'vch1', 'vch1.env');
      process.stdout.write(`\n$ cat vch1/vch1.env\n${fs.readFileSync(envFile, 'utf8')}`);
      const env = Object.fromEntries(fs.readFileSync(envFile, 'utf8').trim().split('\n').map((l) => {
        const i = l.indexOf('=');
        return [l.slice(0, i), l.slice(i + 1).replace(/^'(.*)'$/, '$1')];
      }));
      process.stdout.write('\n$ docker info   # with the variables above\n');
      // Asynchronously: the Docker API stand-in is served by this very process.
      const d = await new Promise<string>((resolve) => execFile('docker', ['info', '--format', 'Server: {{.Name}}, {{.ServerVersion}}, OS {{.OperatingSystem}}'], {
        cwd, encoding: 'utf8', timeout: 30_000, env: { ...process.env, DOCKER_CONFIG: cwd, ...env, DOCKER_HOST: `tcp://${env['DOCKER_HOST']}` },
      }, (err, stdout, stderr) => resolve(err && !stdout ? `   (docker failed: ${stderr || err.message})\n` : stdout + stderr)));
      process.stdout.write(d);
      note('the Docker API answering is the stand-in; the TLS handshake (client certificate required) and the files are real');
    } finally {
      await standIn.stop();
    }
    say('6. The admin lists, inspects and deletes the VCH');
    await run(cwd, ['ls', ...target]);
    await run(cwd, ['inspect', ...target, '--name', 'vch1', '--compute-resource', 'DC0_C0']);
    await run(cwd, ['delete', ...target, '--name', 'vch1', '--compute-resource', 'DC0_C0']);
    await run(cwd, ['ls', ...target]);
    note('also there: inspect config, upgrade (with --rollback), configure, update firewall, debug; docs/commands.md and docs/admin-guide.md show each');
  } finally {
    await admin.logout();
    await sim.stop();
    fs.rmSync(cwd, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(`demo failed: ${(e as Error).message}`);
  process.exit(1);
});
