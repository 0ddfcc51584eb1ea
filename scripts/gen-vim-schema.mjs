#!/usr/bin/env node
// Generates, for the closure of the methods and property types vic-machine uses:
// - src/vim/schema.generated.ts: the vim25 facts our SOAP codec needs at run time (each data type's base type and
//   its fields in schema order with their types; each method's parameters and return type);
// - src/vim/types.generated.ts: a TypeScript interface per data type (fields, optionality, base type), type-only;
// - src/vim/methods.generated.ts: a typed function per method, as govmomi's vim25/methods: the only place that
//   names a vSphere method as a string (test/unit/repo/vim-method-names.test.ts checks that).
//
// The facts come from the vim25 WSDL as transcribed in govmomi's vim25/types/types.go, which Debian ships in
// golang-github-vmware-govmomi-dev (GOPATH /usr/share/gocode). Only schema facts are emitted, no code.
// Run: npm run gen:vim   (the generated file is committed, so builds never need Go)
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const typesGo = process.env.VIM_TYPES_GO ??
  '/usr/share/gocode/src/github.com/vmware/govmomi/vim25/types/types.go';
const vimDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'vim');
const out = path.join(vimDir, 'schema.generated.ts');

// Methods vic-machine calls. Their request and response types seed the closure.
const METHODS = `
RetrieveServiceContent Login Logout CurrentTime SessionIsActive AcquireGenericServiceTicket CancelTask
AcquireCloneTicket CloneSession
RetrievePropertiesEx ContinueRetrievePropertiesEx CancelRetrievePropertiesEx CreateContainerView DestroyView
CreatePropertyCollector DestroyPropertyCollector CreateFilter DestroyPropertyFilter WaitForUpdatesEx CancelWaitForUpdates
FindByInventoryPath FindByUuid CreateResourcePool CreateVApp UpdateConfig UpdateVAppConfig Destroy_Task
CreateVM_Task CreateChildVM_Task CreateFolder PowerOnVM_Task PowerOffVM_Task PowerOnMultiVM_Task ReconfigVM_Task
CreateSnapshot_Task RevertToCurrentSnapshot_Task RevertToSnapshot_Task RemoveSnapshot_Task RenameSnapshot
MakeDirectory DeleteDatastoreFile_Task SearchDatastore_Task SearchDatastoreSubFolders_Task DeleteFile
CreateDirectory DeleteDirectory ConvertNamespacePathToUuidPath
AddAuthorizationRole RemoveAuthorizationRole SetEntityPermissions RetrieveEntityPermissions RetrieveRolePermissions
UpdateRuleset EnableRuleset DisableRuleset RefreshFirewall
AddVirtualSwitch RemoveVirtualSwitch AddPortGroup RemovePortGroup
QueryConfigOption QueryConfigOptionEx QueryConfigTarget
UnregisterVM MoveIntoFolder_Task MoveIntoResourcePool Rename_Task
CreateDVPortgroup_Task DestroyChildren ReconfigureCluster_Task ReconfigureComputeResource_Task
AcquireTicket AcquireMksTicket
StartProgramInGuest ListProcessesInGuest InitiateFileTransferToGuest CreateTemporaryFileInGuest
QueryAvailablePerfMetric UpdateOptions QueryOptions
RetrieveAllPermissions UpdateAuthorizationRole RemoveEntityPermission
`.trim().split(/\s+/);

// Methods that change nothing (or nothing that a repeat would harm): the SOAP client retries these once after a
// temporary network error (a keep-alive socket the server closed). *_Task and other state-changing calls never are.
const IDEMPOTENT = `
RetrieveServiceContent RetrievePropertiesEx ContinueRetrievePropertiesEx CurrentTime SessionIsActive
FindByInventoryPath FindByUuid WaitForUpdatesEx QueryConfigOption QueryConfigOptionEx
QueryConfigTarget RetrieveEntityPermissions RetrieveRolePermissions Logout
`.trim().split(/\s+/);

// What a task's info.result holds when it succeeds, as the vSphere API reference documents it for each *_Task method
// (the WSDL types it anyType). A task not listed has no result. `| null`: the simulator leaves that result out.
const TASK_RESULTS = {
  CreateVM_Task: 'MoRef', CreateChildVM_Task: 'MoRef', CreateSnapshot_Task: 'MoRef',
  SearchDatastore_Task: 'vim.HostDatastoreBrowserSearchResults | null',
  SearchDatastoreSubFolders_Task: 'vim.HostDatastoreBrowserSearchResults[] | null',
  PowerOnMultiVM_Task: 'vim.ClusterPowerOnVmResult | null',
};

// Property types we read from managed objects (and anything they reach).
const EXTRA_ROOTS = `
ServiceContent AboutInfo UserSession VirtualMachineConfigInfo VirtualMachineRuntimeInfo GuestInfo
VirtualMachineSummary VirtualMachineSnapshotInfo VirtualMachineFileLayoutEx ResourceConfigSpec ResourcePoolSummary
ResourcePoolRuntimeInfo VAppConfigInfo VAppConfigSpec ClusterConfigInfoEx ClusterConfigInfo ComputeResourceSummary
HostListSummary HostConfigInfo HostRuntimeInfo HostFirewallInfo HostNetworkInfo HostConfigManager
DatastoreSummary DatastoreInfo VmfsDatastoreInfo NasDatastoreInfo LocalDatastoreInfo VsanDatastoreInfo
DatastoreHostMount HostDatastoreBrowserSearchResults TaskInfo NetworkSummary DVPortgroupConfigInfo
DVSConfigInfo VMwareDVSConfigInfo LicenseManagerLicenseInfo LicenseAssignmentManagerLicenseAssignment
Permission AuthorizationRole ObjectUpdate PropertyChange UpdateSet FileQueryFlags VmDiskFileQuery
FolderFileQuery IsoImageFileQuery FileInfo FolderFileInfo VmDiskFileInfo IsoImageFileInfo
CustomFieldValue CustomFieldStringValue OpaqueNetworkSummary ClusterDasConfigInfo ClusterDrsConfigInfo
VirtualMachineConfigSpec VirtualDeviceConfigSpec ClusterPowerOnVmResult
HostVirtualSwitchSpec HostPortGroupSpec HostVirtualSwitchBondBridge HostInternetScsiHba HostServiceTicket
GuestProgramSpec NamePasswordAuthentication
`.trim().split(/\s+/);

const src = readFileSync(typesGo, 'utf8');

/** name → {base, fields:[{name, type, array}]} for every struct in types.go */
const structs = new Map();
const enums = new Set();
// Enumerations are declared in enum.go next to types.go ("type TaskInfoState string").
const enumGo = readFileSync(path.join(path.dirname(typesGo), 'enum.go'), 'utf8');
for (const m of (src + enumGo).matchAll(/^type (\w+) string\n/gm)) enums.add(m[1]);
for (const m of src.matchAll(/^type (\w+) struct \{\n([\s\S]*?)^\}/gm)) {
  const [, name, body] = m;
  let base = null;
  const fields = [];
  for (const line of body.split('\n')) {
    const t = line.trim();
    if (!t) continue;
    const embedded = /^(\w+)$/.exec(t);
    if (embedded) { base = embedded[1]; continue; }
    const f = /^(\w+)\s+(\S+)\s+`xml:"([^"]*)"`/.exec(t);
    if (!f) continue;
    const [, , goType, tag] = f;
    const [xmlName, ...opts] = tag.split(',');
    if (opts.includes('attr') || opts.includes('chardata')) continue;
    // optional: the schema's minOccurs="0", which govmomi writes as omitempty or a pointer
    fields.push({ name: xmlName, ...goTypeToSchema(goType), optional: opts.includes('omitempty') || goType.startsWith('*') });
  }
  structs.set(name, { base, fields });
}

function goTypeToSchema(goType) {
  let t = goType;
  let array = false;
  if (t === '[]byte') return { type: 'base64Binary', array: false };
  if (t.startsWith('[]')) { array = true; t = t.slice(2); }
  if (t === '[]byte') return { type: 'base64Binary', array };
  t = t.replace(/^\*/, '');
  const prim = {
    string: 'string', bool: 'boolean', int: 'int', int8: 'byte', int16: 'short', int32: 'int', int64: 'long',
    uint8: 'byte', byte: 'byte', float32: 'float', float64: 'double', 'time.Time': 'dateTime',
    AnyType: 'anyType', ManagedObjectReference: 'ManagedObjectReference',
  };
  if (prim[t]) return { type: prim[t], array };
  if (t.startsWith('Base') && structs.has(t.slice(4)) === false && /^Base[A-Z]/.test(t)) t = t.slice(4);
  else if (/^Base[A-Z]/.test(t)) t = t.slice(4);
  if (enums.has(t)) return { type: 'string', array };
  return { type: t, array };
}

// children: base → subtypes, so a polymorphic field pulls in every type that may appear there.
const children = new Map();
for (const [name, s] of structs) {
  if (!s.base) continue;
  if (!children.has(s.base)) children.set(s.base, []);
  children.get(s.base).push(name);
}

const wanted = new Set();
const queue = [];
const want = (name) => {
  if (!structs.has(name) || wanted.has(name)) return;
  wanted.add(name);
  queue.push(name);
};
// Task methods are declared as aliases: "type Destroy_Task DestroyRequestType".
const aliases = new Map();
for (const m of src.matchAll(/^type (\w+) (\w+RequestType)\n/gm)) aliases.set(m[1], m[2]);
const methods = {};
for (const m of METHODS) {
  const req = structs.get(aliases.get(m) ?? `${m}RequestType`);
  if (!req) { console.error(`unknown method ${m}`); process.exitCode = 1; continue; }
  const res = structs.get(`${m}Response`);
  const ret = res?.fields.find((f) => f.name === 'returnval');
  methods[m] = { params: req.fields, returns: ret ? { type: ret.type, array: ret.array, optional: ret.optional } : null };
  for (const f of req.fields) want(f.type);
  if (ret) want(ret.type);
}
for (const r of EXTRA_ROOTS) {
  if (!structs.has(r)) { console.error(`unknown type ${r}`); process.exitCode = 1; }
  want(r);
}
// Fault types: every MethodFault descendant, so that faults decode with their fields.
want('MethodFault');
while (queue.length) {
  const name = queue.shift();
  const s = structs.get(name);
  if (s.base) want(s.base);
  for (const f of s.fields) want(f.type);
  for (const c of children.get(name) ?? []) want(c);
}
// ArrayOfX wrappers for every wanted type (property values arrive as xsi:type="ArrayOfX").
for (const name of [...wanted]) want(`ArrayOf${name}`);
for (const p of ['String', 'Int', 'Long', 'Short', 'Byte', 'Boolean', 'Double', 'Float', 'DateTime',
  'AnyType', 'ManagedObjectReference', 'Base64Binary']) want(`ArrayOf${p}`);
while (queue.length) {
  const name = queue.shift();
  const s = structs.get(name);
  if (s.base) want(s.base);
  for (const f of s.fields) want(f.type);
}

const fieldStr = (fields) => fields.map((f) => `${f.name}:${f.type}${f.array ? '[]' : ''}`).join(' ');
const names = [...wanted].sort();
let ts = `// Generated by scripts/gen-vim-schema.mjs from the vim25 schema (as transcribed in govmomi 0.24.2's
// vim25/types/types.go). Do not edit by hand.
//
// TYPES: name → [base type or '', fields in schema order as "name:type" ("[]" suffix = repeated)].
// METHODS: name → [parameters in schema order, return type ('' = none)].
/* eslint-disable */
export const TYPES: Record<string, readonly [string, string]> = {\n`;
for (const n of names) {
  const s = structs.get(n);
  ts += `  ${JSON.stringify(n)}: [${JSON.stringify(s.base ?? '')}, ${JSON.stringify(fieldStr(s.fields))}],\n`;
}
ts += `};\n\nexport const METHODS: Record<string, readonly [string, string]> = {\n`;
for (const m of Object.keys(methods).sort()) {
  const { params, returns } = methods[m];
  const r = returns ? `${returns.type}${returns.array ? '[]' : ''}` : '';
  ts += `  ${JSON.stringify(m)}: [${JSON.stringify(fieldStr(params))}, ${JSON.stringify(r)}],\n`;
}
ts += `};\n`;
writeFileSync(out, ts);
console.log(`${names.length} types, ${Object.keys(methods).length} methods, ${ts.length} bytes → ${path.relative(process.cwd(), out)}`);

// --- TypeScript interfaces of the data types ------------------------------------------------------------------------
// Every data type of the closure except the ArrayOfX wrappers (values, not types, in TypeScript) and the faults
// (decoded into VimFault). Optional fields are the schema's minOccurs="0"; repeated ones are read-only arrays, so
// callers may pass the read-only arrays they hold. Every interface extends DataObject: `_type` names a subtype on the
// wire, and a polymorphic field (VirtualDevice) takes a subtype's fields (VirtualVmxnet3's) without a cast.
const isFault = (name) => {
  for (let t = name; t; t = structs.get(t)?.base) if (t === 'MethodFault') return true;
  return false;
};
const declared = new Set(names.filter((n) => !n.startsWith('ArrayOf') && !isFault(n)));
const PRIM_TS = {
  string: 'string', boolean: 'boolean', int: 'number', long: 'number', short: 'number', byte: 'number',
  float: 'number', double: 'number', dateTime: 'string', base64Binary: 'string', anyType: 'unknown',
  ManagedObjectReference: 'MoRef',
};
const tsType = (type, qualify = '') => PRIM_TS[type] ?? (declared.has(type) ? `${qualify}${type}` : 'DataObject');
const prop = (name) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name));
const fieldTs = (f, qualify = '') =>
  `${prop(f.name)}${f.optional ? '?' : ''}: ${f.array ? `readonly ${tsType(f.type, qualify)}[]` : tsType(f.type, qualify)};`;

let types = `// Generated by scripts/gen-vim-schema.mjs from the vim25 schema (as transcribed in govmomi 0.24.2's
// vim25/types/types.go). Do not edit by hand. Type-only: nothing here exists at run time.
/* eslint-disable */
import type { DataObject, MoRef } from './types.js';
`;
for (const n of [...declared].sort()) {
  const st = structs.get(n);
  const base = st.base && declared.has(st.base) ? st.base : 'DataObject';
  types += `\nexport interface ${n} extends ${base} {${st.fields.length ? '\n' : ''}`;
  for (const f of st.fields) types += `  ${fieldTs(f)}\n`;
  types += `}\n`;
}
const typesOut = path.join(vimDir, 'types.generated.ts');
writeFileSync(typesOut, types);
console.log(`${declared.size} interfaces, ${types.length} bytes → ${path.relative(process.cwd(), typesOut)}`);

// --- one typed function per method ----------------------------------------------------------------------------------
let fns = `// Generated by scripts/gen-vim-schema.mjs from the vim25 schema (as transcribed in govmomi 0.24.2's
// vim25/types/types.go). Do not edit by hand.
//
// One function per vim25 method vic-machine calls, as govmomi's vim25/methods: its arguments and its answer typed
// from the schema, the call itself one round trip through the caller (a Session, which logs in again once on
// NotAuthenticated, or the bare SoapClient before Login). A *_Task method resolves to the task's reference; wait for
// it with runTask or waitForTask (src/vim/task.ts). This is the only file that names a vSphere method as a string.
/* eslint-disable */
import type { DataObject, MoRef } from './types.js';
import type * as vim from './types.generated.js';

export interface CallOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface VimCaller {
  call<T>(method: string, args: Record<string, unknown>, o?: CallOptions): Promise<T>;
}

/** A generated method: callable, and naming itself (for messages, round-trip counts and fault points). */
export type VimMethod<A, R> = ((c: VimCaller, args: A, o?: CallOptions) => Promise<R>) & { readonly vimMethod: string };

/** A started task's reference; R (type-only) is what its info.result holds once it succeeded. */
export type TaskRef<R> = MoRef & { readonly __taskResult?: R };

/** The methods that are safe to send again after a temporary network error (the SOAP client retries them once). */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(${JSON.stringify(IDEMPOTENT.filter((m) => methods[m]))});
`;
for (const m of [...IDEMPOTENT, ...Object.keys(TASK_RESULTS)]) if (!methods[m]) { console.error(`method ${m} is not in METHODS`); process.exitCode = 1; }
for (const m of Object.keys(methods).sort()) {
  const { params, returns } = methods[m];
  const isTask = m.endsWith('_Task');
  let ret = 'void';
  if (isTask) ret = `TaskRef<${TASK_RESULTS[m] ?? 'void'}>`;
  else if (returns) {
    ret = tsType(returns.type, 'vim.');
    if (returns.array) ret = `${ret}[]`;
    else if (returns.optional) ret = `${ret} | undefined`;
  }
  fns += `\nexport interface ${m}Args {\n${params.map((f) => `  ${fieldTs(f, 'vim.')}\n`).join('')}}\n`;
  fns += `/** vim25 ${m}${isTask ? ': starts the task, resolves to its reference (wait with runTask)' : ''}. */\n`;
  fns += `export function ${m}(c: VimCaller, args: ${m}Args, o?: CallOptions): Promise<${ret}> {\n`;
  fns += `  return c.call<${ret}>(${JSON.stringify(m)}, args as unknown as Record<string, unknown>, o);\n}\n`;
  fns += `${m}.vimMethod = ${JSON.stringify(m)};\n`;
}
const fnsOut = path.join(vimDir, 'methods.generated.ts');
writeFileSync(fnsOut, fns);
console.log(`${Object.keys(methods).length} methods, ${fns.length} bytes → ${path.relative(process.cwd(), fnsOut)}`);
