// Property collector: bulk retrieval (RetrievePropertiesEx with ContinueRetrievePropertiesEx paging, container
// views) and waiting for changes with WaitForUpdatesEx, never by polling at fixed intervals.
import { VimFault } from './faults.js';
import { CancelWaitForUpdates, ContinueRetrievePropertiesEx, CreateContainerView, CreateFilter, CreatePropertyCollector, DestroyPropertyCollector, DestroyView, RetrievePropertiesEx, WaitForUpdatesEx } from './methods.generated.js';
import { outsideText } from './secrets.js';
import type { Session } from './session.js';
import type { MoRef } from './types.js';
import type { ObjectContent, PropertyChange, PropertyFilterSpec, RetrieveResult, UpdateSet } from './types.generated.js';

export interface ObjectProps<T = Record<string, unknown>> {
  ref: MoRef;
  props: T;
}

export type { PropertyFilterSpec };

/** A wait that ran out of time; names what it waited for. */
export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
  constructor(readonly what: string, readonly timeoutMs: number) {
    super(`timed out after ${formatMs(timeoutMs)} waiting for ${what}`);
  }
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10}s` : `${ms}ms`;
}

function toProps(oc: ObjectContent, tolerateMissing: boolean): ObjectProps {
  const props: Record<string, unknown> = {};
  for (const p of oc.propSet ?? []) props[p.name] = p.val;
  for (const m of oc.missingSet ?? []) {
    const name = m.fault?.fault?._type ?? 'ServerFault';
    // A property that is simply unset is not "missing"; a missingSet entry is a fault (e.g. NoPermission).
    if (!tolerateMissing) throw new VimFault(name, m.fault?.localizedMessage !== undefined ? outsideText(m.fault.localizedMessage) : `cannot read ${m.path} of ${oc.obj.type}:${oc.obj.value}`, m.fault?.fault ?? {}, RetrievePropertiesEx.vimMethod);
  }
  return { ref: oc.obj, props };
}

/** RetrievePropertiesEx over all pages. */
export async function retrieve(session: Session, specSet: readonly PropertyFilterSpec[], o: { tolerateMissing?: boolean; pageSize?: number } = {}): Promise<ObjectProps[]> {
  const pc = session.content.propertyCollector;
  const out: ObjectProps[] = [];
  let res: RetrieveResult | undefined = await RetrievePropertiesEx(session, {
    _this: pc, specSet, options: o.pageSize ? { maxObjects: o.pageSize } : {},
  });
  while (res) {
    for (const oc of res.objects ?? []) out.push(toProps(oc, !!o.tolerateMissing));
    if (!res.token) break;
    res = await ContinueRetrievePropertiesEx(session, { _this: pc, token: res.token });
  }
  return out;
}

/** Properties of several objects (of any types) in one round trip. Objects that no longer exist are left out. */
export async function retrieveProperties<T = Record<string, unknown>>(session: Session, refs: readonly MoRef[], paths: readonly string[]): Promise<ObjectProps<T>[]> {
  if (!refs.length) return [];
  const types = [...new Set(refs.map((r) => r.type))];
  try {
    return (await retrieve(session, [{
      propSet: types.map((type) => ({ type, pathSet: [...paths] })),
      objectSet: refs.map((obj) => ({ obj })),
    }])) as ObjectProps<T>[];
  } catch (e) {
    // One vanished object fails the whole call; fall back to one call per object, leaving out the vanished ones.
    if (!(e instanceof VimFault) || e.faultName !== 'ManagedObjectNotFound' || refs.length === 1) throw e;
    const each = await Promise.all(refs.map((r) => retrieveProperties<T>(session, [r], paths).catch((err: unknown) => {
      if (err instanceof VimFault && err.faultName === 'ManagedObjectNotFound') return [];
      throw err;
    })));
    return each.flat();
  }
}

export async function retrieveOne<T = Record<string, unknown>>(session: Session, ref: MoRef, paths: readonly string[]): Promise<T> {
  const res = await retrieve(session, [{ propSet: [{ type: ref.type, pathSet: [...paths] }], objectSet: [{ obj: ref }] }]);
  if (!res[0]) throw new VimFault('ManagedObjectNotFound', `${ref.type}:${ref.value} was not found`, { obj: ref });
  return res[0].props as T;
}

/**
 * Every object of the given types below `container`, with `paths`: one ContainerView and paged retrieval, so the
 * number of round trips does not grow with the inventory (CreateContainerView, RetrievePropertiesEx [+ pages],
 * DestroyView).
 */
export async function retrieveFromView(session: Session, container: MoRef, types: readonly string[], paths: readonly string[],
  o: { recursive?: boolean; pageSize?: number } = {}): Promise<ObjectProps[]> {
  const viewManager = session.content.viewManager;
  if (!viewManager) throw new VimFault('NotSupported', 'the target has no view manager');
  const view = await CreateContainerView(session, {
    _this: viewManager, container, type: [...types], recursive: o.recursive ?? true,
  });
  try {
    return await retrieve(session, [{
      propSet: types.map((type) => ({ type, pathSet: [...paths] })),
      objectSet: [{
        obj: view, skip: true,
        selectSet: [{ _type: 'TraversalSpec', name: 'view', type: 'ContainerView', path: 'view', skip: false }],
      }],
    }], { tolerateMissing: true, pageSize: o.pageSize });
  } finally {
    await DestroyView(session, { _this: view }).catch(() => undefined);
  }
}

export interface WaitOptions {
  /** overall deadline for the wait */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** what is awaited, for the timeout message */
  what?: string;
}

/**
 * Watches `paths` of `ref` until `until(props)` returns something other than undefined, and returns that.
 * Uses a dedicated property collector (filters cannot be shared between concurrent waits), so it costs
 * CreatePropertyCollector + CreateFilter + one WaitForUpdatesEx per change + DestroyPropertyCollector.
 */
export async function waitForProperties<R>(session: Session, ref: MoRef, paths: readonly string[],
  until: (props: Record<string, unknown>) => R | undefined, o: WaitOptions = {}): Promise<R> {
  const deadline = o.timeoutMs !== undefined ? Date.now() + o.timeoutMs : undefined;
  const what = o.what ?? `${paths.join(', ')} of ${ref.type}:${ref.value}`;
  const collector = await CreatePropertyCollector(session, { _this: session.content.propertyCollector });
  const onAbort = (): void => { void CancelWaitForUpdates(session, { _this: collector }).catch(() => undefined); };
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await CreateFilter(session, {
      _this: collector,
      spec: { propSet: [{ type: ref.type, pathSet: [...paths] }], objectSet: [{ obj: ref }] },
      partialUpdates: false,
    });
    const props: Record<string, unknown> = {};
    let version = '';
    for (;;) {
      o.signal?.throwIfAborted();
      const remaining = deadline === undefined ? undefined : deadline - Date.now();
      if (remaining !== undefined && remaining <= 0) throw new WaitTimeoutError(what, o.timeoutMs!);
      // The server holds the call until something changes or maxWaitSeconds pass (then it answers nothing).
      const maxWaitSeconds = Math.max(1, Math.min(60, Math.ceil((remaining ?? 60_000) / 1000)));
      const set: UpdateSet | undefined = await WaitForUpdatesEx(session, {
        _this: collector, version, options: { maxWaitSeconds },
      }, { timeoutMs: (maxWaitSeconds + 60) * 1000, signal: o.signal });
      if (!set) continue;
      version = set.version;
      for (const fs of set.filterSet ?? []) {
        for (const ou of fs.objectSet ?? []) {
          if (ou.kind === 'leave') throw new VimFault('ManagedObjectNotFound', `${ref.type}:${ref.value} was deleted while waiting for ${what}`, { obj: ref });
          for (const c of ou.changeSet ?? []) applyChange(props, c);
        }
      }
      const r = until(props);
      if (r !== undefined) return r;
    }
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    await DestroyPropertyCollector(session, { _this: collector }).catch(() => undefined);
  }
}

function applyChange(props: Record<string, unknown>, c: PropertyChange): void {
  if (c.op === 'remove' || c.op === 'indirectRemove') delete props[c.name];
  else props[c.name] = c.val;
}
