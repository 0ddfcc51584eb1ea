// The guest-operation calls `debug` makes, recorded by a fake caller that answers as a vSphere host with VMware Tools
// running would (the simulator implements none of them: see test/integration/debug.test.ts for what it does say).
import { describe, expect, test } from '@jest/globals';
import { assertGuestReady, checkAuthorizedKey, enableDebugAccess, runInGuest, type GuestCaller } from '../../../src/vic/debug/guest-access.js';
import { VimFault } from '../../../src/vim/faults.js';
import { failureOf } from '../../support/failure-of.js';

const vm = { type: 'VirtualMachine', value: 'vm-42' };
const pm = { type: 'GuestProcessManager', value: 'guestOperationsProcessManager' };

interface Call { method: string; args: Record<string, unknown> }

/** Each started program runs for `polls` ListProcessesInGuest answers, then ends with the exit code given for it. */
function fakeGuest(o: { polls?: number; exitCodes?: Record<string, number>; fail?: (c: Call) => Error | undefined } = {}) {
  const calls: Call[] = [];
  const programs = new Map<number, { path: string; seen: number }>();
  let nextPid = 100;
  const caller: GuestCaller = {
    async call<T>(method: string, args: Record<string, unknown>): Promise<T> {
      const c = { method, args };
      calls.push(c);
      const err = o.fail?.(c);
      if (err) throw err;
      if (method === 'StartProgramInGuest') {
        const pid = nextPid++;
        programs.set(pid, { path: (args['spec'] as { programPath: string }).programPath, seen: 0 });
        return pid as T;
      }
      if (method === 'ListProcessesInGuest') {
        const pid = (args['pids'] as number[])[0]!;
        const p = programs.get(pid)!;
        p.seen++;
        const ended = p.seen > (o.polls ?? 0);
        return [{ pid, name: p.path, ...(ended ? { endTime: '2026-11-23T00:00:00Z', exitCode: o.exitCodes?.[p.path] ?? 0 } : {}) }] as T;
      }
      throw new Error(`unexpected ${method}`);
    },
  };
  return { caller, calls };
}

const EMPTY_AUTH = { _type: 'NamePasswordAuthentication', interactiveSession: false, username: '', password: '' };

describe('enableDebugAccess', () => {
  test('enable-ssh with the key as its argument, waited for; then passwd with the password; empty guest credentials', async () => {
    const { caller, calls } = fakeGuest({ polls: 2 });
    const report = await enableDebugAccess(caller, vm, pm, { authorizedKey: 'ssh-ed25519 AAAAC3 me@here\n', rootPassword: 's3cret', pollMs: 0 });
    expect(report).toEqual({ sshEnabled: true, authorizedKeyInstalled: true, rootPasswordSet: true });
    expect(calls.map((c) => c.method)).toEqual([
      'StartProgramInGuest', 'ListProcessesInGuest', 'ListProcessesInGuest', 'ListProcessesInGuest',
      'StartProgramInGuest', 'ListProcessesInGuest', 'ListProcessesInGuest', 'ListProcessesInGuest',
    ]);
    expect(calls[0]!.args).toEqual({ _this: pm, vm, auth: EMPTY_AUTH, spec: { programPath: 'enable-ssh', arguments: 'ssh-ed25519 AAAAC3 me@here\n' } });
    expect(calls[1]!.args).toEqual({ _this: pm, vm, auth: EMPTY_AUTH, pids: [100] });
    expect(calls[4]!.args).toEqual({ _this: pm, vm, auth: EMPTY_AUTH, spec: { programPath: 'passwd', arguments: 's3cret' } });
    expect(calls[5]!.args['pids']).toEqual([101]);
  });

  test('without --rootpw: only enable-ssh (with an empty key, as 1.5 did)', async () => {
    const { caller, calls } = fakeGuest();
    const report = await enableDebugAccess(caller, vm, pm, { authorizedKey: '', pollMs: 0 });
    expect(report).toEqual({ sshEnabled: true, authorizedKeyInstalled: false, rootPasswordSet: false });
    expect(calls.filter((c) => c.method === 'StartProgramInGuest').map((c) => c.args['spec'])).toEqual([{ programPath: 'enable-ssh', arguments: '' }]);
  });

  test('a program that exits non-zero is an error (1.5 reported success), and passwd is not run after a failed enable-ssh', async () => {
    const { caller, calls } = fakeGuest({ exitCodes: { 'enable-ssh': 3 } });
    await expect(enableDebugAccess(caller, vm, pm, { authorizedKey: '', rootPassword: 'pw', pollMs: 0 }))
      .rejects.toThrow('Unable to enable SSH in appliance VM: enable-ssh exited with status 3');
    expect(calls.some((c) => (c.args['spec'] as { programPath?: string } | undefined)?.programPath === 'passwd')).toBe(false);
  });

  test('a target without guest operations: a clear error naming the method and the fault, exit type conflict', async () => {
    const { caller } = fakeGuest({ fail: (c) => (c.method === 'StartProgramInGuest' ? new VimFault('MethodNotFound', 'Method StartProgramInGuest not found') : undefined) });
    const e = await failureOf(enableDebugAccess(caller, vm, pm, { authorizedKey: '', pollMs: 0 }));
    expect(e.message).toBe('Unable to enable SSH in appliance VM: the target does not implement guest operations (StartProgramInGuest: MethodNotFound)');
    expect(e.cliErrorType).toBe('conflict');
    expect(e.hint).toContain('VMware Tools');
  });

  test('the password is cut out of an error that echoes it', async () => {
    const { caller } = fakeGuest({ fail: (c) => ((c.args['spec'] as { programPath?: string } | undefined)?.programPath === 'passwd' ? new VimFault('SystemError', 'cannot run passwd hunter2 now') : undefined) });
    const e = await failureOf(enableDebugAccess(caller, vm, pm, { authorizedKey: '', rootPassword: 'hunter2', pollMs: 0 }));
    expect(e.message).toBe('Unable to enable passwd in appliance VM: cannot run passwd <password> now');
  });

  test('a failure while polling says "check status"; a process that vanished is an error, not a hang', async () => {
    const polling = fakeGuest({ fail: (c) => (c.method === 'ListProcessesInGuest' ? new VimFault('GuestOperationsUnavailable', 'tools gone') : undefined) });
    await expect(runInGuest(polling.caller, vm, pm, { label: 'enable SSH', path: 'enable-ssh', arguments: '' }, { pollMs: 0 }))
      .rejects.toThrow('Unable to check enable SSH status: the target does not implement guest operations (ListProcessesInGuest: GuestOperationsUnavailable)');
    const vanished: GuestCaller = { call: async <T>(m: string) => (m === 'StartProgramInGuest' ? 7 : []) as T };
    await expect(runInGuest(vanished, vm, pm, { label: 'enable SSH', path: 'enable-ssh', arguments: '' }, { pollMs: 0 }))
      .rejects.toThrow('process 7 is not listed');
  });

  test('the wait ends when the signal fires (--timeout), as a TimeoutError', async () => {
    const { caller } = fakeGuest({ polls: 1_000_000 });
    const e = await failureOf(runInGuest(caller, vm, pm, { label: 'enable SSH', path: 'enable-ssh', arguments: '' }, { pollMs: 5, signal: AbortSignal.timeout(50) }));
    expect(e.name).toBe('TimeoutError');
    expect(e.message).toBe('Unable to check enable SSH status: timed out (see --timeout)');
  });
});

describe('preconditions', () => {
  test("the original's messages: not powered on, tools not running; otherwise the process manager", () => {
    expect(() => assertGuestReady({ powerState: 'poweredOff', toolsRunningStatus: 'guestToolsNotRunning', processManager: pm })).toThrow('VCH appliance is not powered on, state poweredOff');
    expect(() => assertGuestReady({ powerState: 'poweredOn', toolsRunningStatus: 'guestToolsNotRunning', processManager: pm })).toThrow('Tools is not running in the appliance, unable to continue');
    expect(() => assertGuestReady({ powerState: 'poweredOn', toolsRunningStatus: 'guestToolsRunning' })).toThrow('no guest operations manager');
    expect(assertGuestReady({ powerState: 'poweredOn', toolsRunningStatus: 'guestToolsRunning', processManager: pm })).toBe(pm);
  });

  test('--authorized-key must be a public key in authorized_keys format, never a private key', () => {
    expect(checkAuthorizedKey('k.pub', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 me@host')).toBe('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 me@host\n');
    expect(checkAuthorizedKey('k.pub', '# mine\necdsa-sha2-nistp256 AAAAE2Vj x\nssh-rsa AAAAB3 y\n')).toBe('# mine\necdsa-sha2-nistp256 AAAAE2Vj x\nssh-rsa AAAAB3 y\n');
    expect(() => checkAuthorizedKey('id_ed25519', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----\n')).toThrow('id_ed25519 holds a private key: --authorized-key takes the public key (e.g. id_ed25519.pub)');
    expect(() => checkAuthorizedKey('empty', '\n# nothing\n')).toThrow('empty holds no public key');
    expect(() => checkAuthorizedKey('junk', 'hello world')).toThrow('junk is not in authorized_keys format');
  });
});

test('on the wire: StartProgramInGuest carries NamePasswordAuthentication (typed, empty user and password) and the program spec', async () => {
  const { encodeRequest } = await import('../../../src/vim/xml-codec.js');
  const { methodInfo } = await import('../../../src/vim/schema.js');
  const { caller, calls } = fakeGuest();
  await enableDebugAccess(caller, vm, pm, { authorizedKey: 'ssh-rsa AAAA a&b\n', pollMs: 0 });
  const xml = encodeRequest('StartProgramInGuest', methodInfo('StartProgramInGuest').params, calls[0]!.args);
  expect(xml).toMatch(/<auth xsi:type="NamePasswordAuthentication"><interactiveSession>false<\/interactiveSession><username><\/username><password><\/password><\/auth>/);
  expect(xml).toContain('<spec><programPath>enable-ssh</programPath><arguments>ssh-rsa AAAA a&amp;b\n</arguments></spec>');
  const list = encodeRequest('ListProcessesInGuest', methodInfo('ListProcessesInGuest').params, calls[1]!.args);
  expect(list).toContain('<pids>100</pids>');
});
