// How a command implementation plugs in: src/cli/commands/<name>.ts exports run(options, ctx). Here ls is replaced by
// a fake to check what run() receives and how its result, errors and cleanups are handled.
import { describe, expect, jest, test } from '@jest/globals';
import type { CommandContext, CommandResult } from '../../../src/cli/context.js';
import type { LsOptions } from '../../../src/cli/options.js';

const calls: Array<{ options: LsOptions; ctx: CommandContext }> = [];
let behaviour: (options: LsOptions, ctx: CommandContext) => Promise<CommandResult | void> = async () => undefined;

jest.unstable_mockModule('../../../src/cli/commands/ls.js', () => ({
  run: async (options: LsOptions, ctx: CommandContext) => {
    calls.push({ options, ctx });
    return behaviour(options, ctx);
  },
}));

const { run } = await import('./helpers.js');

describe('a command implementation', () => {
  test('receives typed options and a context; its result is rendered as text or JSON', async () => {
    behaviour = async (o, ctx) => {
      const { resolveTarget } = await import('../../../src/cli/target.js');
      const t = await resolveTarget(o, ctx);
      ctx.out.info(`Validating target ${t.url.host}`);
      return { data: [{ id: 'vm-15', name: 'vch1' }], text: `ID     NAME\nvm-15  vch1 (${t.datacenterPath})` };
    };
    const r = await run(['ls', '-t', 'root:pw@vc/DC0', '--timeout', '90s', '-r', 'cluster1']);
    expect(r).toEqual({ code: 0, stdout: 'ID     NAME\nvm-15  vch1 (/DC0)\n', stderr: 'Validating target vc\n' });
    const { options, ctx } = calls.at(-1)!;
    expect(options.timeout).toBe(90_000);
    expect(options.computeResource).toBe('cluster1');
    expect(options.target?.host).toBe('vc');
    expect(ctx.command).toBe('ls');
    expect(ctx.given.map((g) => g.name)).toEqual(['target', 'compute-resource', 'timeout']);
    expect(ctx.signal.aborted).toBe(false);

    const j = await run(['ls', '--json', '-t', 'root:pw@vc/DC0']);
    expect(JSON.parse(j.stdout)).toEqual([{ id: 'vm-15', name: 'vch1' }]);
  });

  test('prompts for the password only on a terminal', async () => {
    behaviour = async (o, ctx) => {
      const { resolveTarget } = await import('../../../src/cli/target.js');
      const t = await resolveTarget(o, ctx);
      return { data: { user: t.user }, text: `logged in as ${t.user}` };
    };
    const prompt = jest.fn((_m: string) => Promise.resolve('typed'));
    const tty = await run(['ls', '-t', 'root@vc'], { tty: true, promptPassword: prompt });
    expect(tty.code).toBe(0);
    expect(prompt).toHaveBeenCalledWith('vSphere password for root:');
    const pipe = await run(['ls', '-t', 'root@vc'], { tty: false, promptPassword: prompt });
    expect(pipe.code).toBe(2);
    expect(pipe.stderr).toBe('vic-machine ls: no vSphere password for root, and no terminal to prompt on (pass --password or set VIC_MACHINE_PASSWORD)\n');
    expect(prompt).toHaveBeenCalledTimes(1);
  });

  test('the run log: appended to ./vic-machine.log (0600) with every line and debug line, secrets redacted, its path printed on failure', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vicm-runlog-'));
    try {
      behaviour = async (_o, ctx) => {
        ctx.out.info('Validating target');
        ctx.out.debug('detail only the log keeps', 3);
        ctx.out.info('the server said: login for root with Hunter2-secret refused');
        throw Object.assign(new Error('Cannot complete login due to an incorrect user name or password.'), { name: 'VimFault', faultName: 'InvalidLogin' });
      };
      const r = await run(['ls', '-t', 'root:Hunter2-secret@vc', '--thumbprint', 'AA:BB'], { cwd: dir, env: { VIC_MACHINE_LOG_FILE: undefined, VIC_MACHINE_OPS_PASSWORD: 'Opsy-Secret' } });
      const file = path.join(dir, 'vic-machine.log');
      expect(r.code).toBe(4);
      expect(r.stderr).toContain(`The log of this run is in ${file}`);
      expect(r.stderr).toContain('login for root with <redacted> refused');
      expect(r.stderr).not.toContain('Hunter2-secret');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const log = fs.readFileSync(file, 'utf8');
      expect(log).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z info  vic-machine [\d.]+ ls --target=/m);
      expect(log).toContain('detail only the log keeps');
      expect(log).toContain('vic-machine ls: Cannot complete login');
      expect(log).not.toContain('Hunter2-secret');
      // a successful run appends; a usage error writes nothing
      behaviour = async (_o, ctx) => { ctx.out.info('second run'); };
      expect((await run(['ls', '-t', 'root:pw@vc'], { cwd: dir, env: { VIC_MACHINE_LOG_FILE: undefined } })).stderr).toBe('second run\n');
      expect(fs.readFileSync(file, 'utf8')).toContain('second run');
      const before = fs.readFileSync(file, 'utf8');
      expect((await run(['ls', '--bogus'], { cwd: dir, env: { VIC_MACHINE_LOG_FILE: undefined } })).code).toBe(2);
      expect(fs.readFileSync(file, 'utf8')).toBe(before);
      // VIC_MACHINE_LOG_FILE chooses the file
      behaviour = async (_o, ctx) => { ctx.out.info('elsewhere'); };
      await run(['ls', '-t', 'root:pw@vc'], { cwd: dir, env: { VIC_MACHINE_LOG_FILE: 'other.log' } });
      expect(fs.readFileSync(path.join(dir, 'other.log'), 'utf8')).toContain('elsewhere');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('errors of lower layers get their exit code; cleanups run last-first whatever the outcome', async () => {
    const order: string[] = [];
    behaviour = async (_o, ctx) => {
      ctx.onCleanup(() => order.push('logout'));
      ctx.onCleanup(async () => order.push('remove temp'));
      throw Object.assign(new Error('Cannot complete login due to an incorrect user name or password.'), { name: 'VimFault', faultName: 'InvalidLogin' });
    };
    const r = await run(['ls', '-t', 'root:bad@vc']);
    expect(r.code).toBe(4);
    expect(r.stderr).toBe('vic-machine ls: Cannot complete login due to an incorrect user name or password.\n');
    expect(order).toEqual(['remove temp', 'logout']);

    behaviour = async () => {
      throw Object.assign(new Error('The certificate of vc is not trusted'), { name: 'TlsTrustError' });
    };
    const t = await run(['ls', '--json', '-t', 'root:pw@vc']);
    expect(t.code).toBe(3);
    expect(JSON.parse(t.stdout)).toEqual({ error: { type: 'tls-trust', message: 'The certificate of vc is not trusted' } });
  });
});

test('SIGINT aborts ctx.signal, runs the cleanups and exits 130', async () => {
  const order: string[] = [];
  behaviour = async (_o, ctx) => {
    ctx.onCleanup(() => order.push('logout'));
    setTimeout(() => process.emit('SIGINT'), 10);
    await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
    order.push(`aborted:${String((ctx.signal.reason as Error).message)}`);
    await new Promise(() => undefined); // an implementation that never returns
  };
  const before = process.listenerCount('SIGINT');
  const r = await run(['ls', '-t', 'root:pw@vc'], { handleSignals: true, interruptGraceMs: 50 });
  expect(r.code).toBe(130);
  expect(r.stderr).toBe('Warning: Interrupted: cleaning up (press Ctrl-C again to exit at once)\n' +
    'Warning: The interrupted command did not finish undoing its work within 0s; logging out. Check what it left with inspect.\n' +
    'vic-machine ls: interrupted\n');
  expect(order).toEqual(['aborted:interrupted', 'logout']);
  expect(process.listenerCount('SIGINT')).toBe(before);
});
