// `debug` (reference §5.4): enable SSH in the appliance, install an authorized key, set root's password — all
// through vSphere guest operations, i.e. VMware Tools inside the appliance runs the programs:
//   StartProgramInGuest("enable-ssh", <authorized key>)  then ListProcessesInGuest until it has ended,
//   StartProgramInGuest("passwd", <password>)            (only with --rootpw) likewise.
// The appliance's toolbox accepts empty guest credentials (NamePasswordAuthentication with no user and password),
// as vic-machine 1.5 relied on.
//
// Two things differ from 1.5: a program that ends with a non-zero exit code is an error here (1.5 only waited for
// it to end, so a failed enable-ssh reported success), and a target that does not implement guest operations (the
// govmomi simulator among them: its GuestProcessManager has no StartProgramInGuest) gets an error that says so
// instead of the bare fault.
//
// The root password travels as the program's argument (as in 1.5: the appliance's passwd reads it from there); it
// is never logged, and is cut out of any error text that might echo it.
import { VimFault } from '../../vim/faults.js';
import { ListProcessesInGuest, StartProgramInGuest } from '../../vim/methods.generated.js';
import { retrieve } from '../../vim/property-collector.js';
import type { Session } from '../../vim/session.js';
import type { MoRef } from '../../vim/types.js';
import { VchError } from '../vch/errors.js';

/** What the guest operations need from a session (a Session satisfies it; the unit tests record calls with it). */
export interface GuestCaller {
  call<T = unknown>(method: string, args: Record<string, unknown>, o?: { signal?: AbortSignal }): Promise<T>;
}

export interface GuestReadiness {
  powerState: string;
  /** guest.toolsRunningStatus: guestToolsRunning, guestToolsNotRunning, guestToolsExecutingScripts */
  toolsRunningStatus: string;
  /** the GuestOperationsManager's process manager; absent when the target has none */
  processManager?: MoRef;
}

/** The faults meaning "this target cannot run programs in guests at all". */
const UNSUPPORTED_FAULTS = new Set(['MethodNotFound', 'NotImplemented', 'NotSupported', 'GuestOperationsUnavailable', 'MethodDisabled']);

/** The appliance's power and tools state and the process manager: one round trip. */
export async function readGuestReadiness(session: Session, vm: MoRef): Promise<GuestReadiness> {
  const gom = session.content.guestOperationsManager;
  const found = await retrieve(session, [{
    propSet: [{ type: 'VirtualMachine', pathSet: ['runtime.powerState', 'guest.toolsRunningStatus'] },
      ...(gom ? [{ type: 'GuestOperationsManager', pathSet: ['processManager'] }] : [])],
    objectSet: [{ obj: vm }, ...(gom ? [{ obj: gom }] : [])],
  }]);
  const vmProps = found.find((f) => f.ref.type === 'VirtualMachine')?.props ?? {};
  const pm = found.find((f) => f.ref.type === 'GuestOperationsManager')?.props['processManager'] as MoRef | undefined;
  return {
    powerState: String(vmProps['runtime.powerState'] ?? 'unknown'),
    toolsRunningStatus: String(vmProps['guest.toolsRunningStatus'] ?? 'unknown'),
    ...(pm ? { processManager: pm } : {}),
  };
}

/** The original's preconditions, with its messages. Returns the process manager to use. */
export function assertGuestReady(r: GuestReadiness): MoRef {
  if (r.powerState !== 'poweredOn') {
    throw new VchError('conflict', `VCH appliance is not powered on, state ${r.powerState}`, 'power the appliance on first');
  }
  if (r.toolsRunningStatus !== 'guestToolsRunning') {
    throw new VchError('conflict', 'Tools is not running in the appliance, unable to continue',
      `guest.toolsRunningStatus is ${r.toolsRunningStatus}; wait for the appliance to finish booting, then retry`);
  }
  if (!r.processManager) {
    throw new VchError('conflict', 'the target has no guest operations manager, so programs cannot be run in the appliance');
  }
  return r.processManager;
}

export interface GuestProgram {
  /** what the error messages call it: "enable SSH", "enable passwd" (the original's wording) */
  label: string;
  path: string;
  arguments: string;
  /** text to cut out of error messages (the password) */
  secret?: string;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** between two ListProcessesInGuest calls; 250 ms as in 1.5 */
  pollMs?: number;
}

interface GuestProcessInfo { pid?: number; endTime?: string; exitCode?: number }

const EMPTY_GUEST_AUTH = { _type: 'NamePasswordAuthentication', interactiveSession: false, username: '', password: '' };

function scrub(message: string, secret: string | undefined): string {
  return secret ? message.split(secret).join('<password>') : message;
}

function guestError(prefix: string, e: unknown, method: string, secret?: string): Error {
  if (e instanceof VimFault && UNSUPPORTED_FAULTS.has(e.faultName)) {
    return new VchError('conflict', `${prefix}: the target does not implement guest operations (${method}: ${e.faultName})`,
      'guest operations need VMware Tools running in the appliance and a vSphere that allows them; the govmomi simulator has none');
  }
  if (e instanceof VchError) return e;
  const name = (e as Error)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    // keeps its name, which the CLI maps to exit 7 (--timeout) or 130 (interrupted)
    const err = new Error(`${prefix}: ${name === 'TimeoutError' ? 'timed out (see --timeout)' : 'interrupted'}`);
    err.name = name;
    return err;
  }
  return new VchError('internal', `${prefix}: ${scrub((e as Error)?.message ?? String(e), secret)}`);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = (): void => { clearTimeout(t); reject(signal!.reason); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Starts a program in the appliance and waits for it to end; its exit code must be 0. */
export async function runInGuest(caller: GuestCaller, vm: MoRef, processManager: MoRef, p: GuestProgram, o: RunOptions = {}): Promise<{ pid: number; exitCode: number }> {
  const callOpts = o.signal ? { signal: o.signal } : undefined;
  let pid: number;
  try {
    pid = Number(await StartProgramInGuest(caller, {
      _this: processManager, vm, auth: EMPTY_GUEST_AUTH, spec: { programPath: p.path, arguments: p.arguments },
    }, callOpts));
  } catch (e) {
    throw guestError(`Unable to ${p.label} in appliance VM`, e, StartProgramInGuest.vimMethod, p.secret);
  }
  for (;;) {
    let info: GuestProcessInfo | undefined;
    try {
      const list: readonly GuestProcessInfo[] | GuestProcessInfo | undefined = await ListProcessesInGuest(caller, {
        _this: processManager, vm, auth: EMPTY_GUEST_AUTH, pids: [pid],
      }, callOpts);
      info = (Array.isArray(list) ? list : list ? [list] : []).find((x) => Number(x.pid) === pid);
    } catch (e) {
      throw guestError(`Unable to check ${p.label} status`, e, ListProcessesInGuest.vimMethod, p.secret);
    }
    if (!info) throw new VchError('internal', `Unable to check ${p.label} status: process ${pid} is not listed in the appliance`);
    if (info.endTime) {
      const exitCode = Number(info.exitCode ?? 0);
      if (exitCode !== 0) throw new VchError('internal', `Unable to ${p.label} in appliance VM: ${p.path} exited with status ${exitCode}`);
      return { pid, exitCode };
    }
    try {
      await sleep(o.pollMs ?? 250, o.signal);
    } catch (e) {
      throw guestError(`Unable to check ${p.label} status`, e, ListProcessesInGuest.vimMethod, p.secret);
    }
  }
}

export interface DebugAccessOptions extends RunOptions {
  /** the authorized_keys content ("" = none: SSH is still enabled, as in 1.5) */
  authorizedKey: string;
  /** root's new password; absent = unchanged */
  rootPassword?: string;
  log?: (line: string) => void;
}

export interface DebugAccessReport {
  sshEnabled: true;
  authorizedKeyInstalled: boolean;
  rootPasswordSet: boolean;
}

/** Enables SSH (installing the key), then sets root's password when asked. */
export async function enableDebugAccess(caller: GuestCaller, vm: MoRef, processManager: MoRef, o: DebugAccessOptions): Promise<DebugAccessReport> {
  const run = { ...(o.signal ? { signal: o.signal } : {}), ...(o.pollMs !== undefined ? { pollMs: o.pollMs } : {}) };
  o.log?.('Enabling SSH in the appliance');
  await runInGuest(caller, vm, processManager, { label: 'enable SSH', path: 'enable-ssh', arguments: o.authorizedKey }, run);
  if (o.rootPassword) {
    o.log?.('Setting the root password in the appliance (until its next reboot)');
    await runInGuest(caller, vm, processManager, { label: 'enable passwd', path: 'passwd', arguments: o.rootPassword, secret: o.rootPassword }, run);
  }
  return { sshEnabled: true, authorizedKeyInstalled: o.authorizedKey !== '', rootPasswordSet: !!o.rootPassword };
}

/** Checks --authorized-key's content: a public key, never a private one (which must not be copied anywhere). */
export function checkAuthorizedKey(file: string, content: string): string {
  if (/PRIVATE KEY/.test(content)) {
    throw new VchError('usage', `${file} holds a private key: --authorized-key takes the public key (e.g. ${file}.pub)`, undefined, '--authorized-key', 'authorized-key-invalid');
  }
  const lines = content.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  if (!lines.length) throw new VchError('usage', `${file} holds no public key`, undefined, '--authorized-key', 'authorized-key-invalid');
  const bad = lines.find((l) => !/^(?:\S+\s+)?(?:ssh-|ecdsa-|sk-)\S+\s+[A-Za-z0-9+/=]+/.test(l));
  if (bad !== undefined) {
    throw new VchError('usage', `${file} is not in authorized_keys format (a line such as "ssh-ed25519 AAAA... user@host")`, undefined, '--authorized-key', 'authorized-key-invalid');
  }
  return content.endsWith('\n') ? content : `${content}\n`;
}
