#!/usr/bin/env node
// Generates src/vim/schema.generated.ts: the vim25 facts our SOAP codec needs (each data type's base type and its
// fields in schema order with their types; each method's parameters and return type), for the closure of the
// methods and property types vic-machine uses.
//
// The facts come from the vim25 WSDL as transcribed in govmomi's vim25/types/types.go, which Debian ships in
// golang-github-vmware-govmomi-dev (GOPATH /usr/share/gocode). Only schema facts are emitted, no code.
// Run: npm run gen:vim   (the generated file is committed, so builds never need Go)
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const typesGo = process.env.VIM_TYPES_GO ??
  '/usr/share/gocode/src/github.com/vmware/govmomi/vim25/types/types.go';
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'vim', 'schema.generated.ts');

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
    fields.push({ name: xmlName, ...goTypeToSchema(goType) });
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
  methods[m] = { params: req.fields, returns: ret ? { type: ret.type, array: ret.array } : null };
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
