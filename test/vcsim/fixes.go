package main

// Opt-in fixes that make the simulator behave as vSphere does where govmomi 0.24.2's simulator differs
// (each gap is demonstrated by gaps_test.go against the unmodified simulator):
//
//	-fix-poweron      Datacenter.PowerOnMultiVM_Task's result is a ClusterPowerOnVmResult listing the attempted
//	                  VMs and their power-on tasks (the simulator returns no result)
//	-fix-extraconfig  ReconfigVM_Task replaces existing extraConfig keys instead of appending duplicates, an
//	                  empty value deletes the key, and property collectors hear about config.extraConfig changes
//	-fix-vmx          the VM's .vmx file on the datastore holds its settings and extraConfig
//	                  (`key = "value"` lines, VMware's |XX escaping), rewritten on create/clone/reconfigure/revert
//	                  (the simulator leaves it empty)
//	-fix-snapshots    CreateSnapshot_Task keeps a deep copy of the VM's config (extraConfig, devices, ...);
//	                  RevertToSnapshot_Task / RevertToCurrentSnapshot_Task restore it and the power state
//	                  (the simulator only moves the current-snapshot pointer)
//
// The simulator's own code asserts concrete types (*simulator.VirtualMachine, *simulator.Datacenter,
// *simulator.VirtualMachineSnapshot) all over, so these objects cannot be replaced by wrapper types in the
// registry. Instead the testbed lets the simulator handle the call, holds the response back, and corrects the
// affected objects (under their lock) before the client sees the answer. Deep copies of snapshot configs are taken
// from a registry handler at the moment the simulator registers the snapshot.

import (
	"bytes"
	"fmt"
	"io/ioutil"
	"log"
	"path"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

type fixFlags struct {
	powerOn, extraConfig, vmx, snapshots bool
}

func (f fixFlags) names() []string {
	names := []string{}
	for _, n := range []struct {
		on   bool
		name string
	}{{f.powerOn, "poweron"}, {f.extraConfig, "extraconfig"}, {f.vmx, "vmx"}, {f.snapshots, "snapshots"}} {
		if n.on {
			names = append(names, n.name)
		}
	}
	return names
}

// fixHook runs around one SOAP method: pre before the simulator handles the call, post after it answered 200 and
// before the answer is sent.
type fixHook struct {
	pre  func(req *simulator.Method) interface{}
	post func(req *simulator.Method, state interface{}, resp []byte)
}

type hookSet map[string][]fixHook

func (h hookSet) add(method string, pre func(*simulator.Method) interface{}, post func(*simulator.Method, interface{}, []byte)) {
	h[method] = append(h[method], fixHook{pre, post})
}

// compile chains the hooks of each method into one.
func (h hookSet) compile() map[string]*fixHook {
	out := map[string]*fixHook{}
	for method, hooks := range h {
		hooks := hooks
		out[method] = &fixHook{
			pre: func(req *simulator.Method) interface{} {
				states := make([]interface{}, len(hooks))
				for i, hk := range hooks {
					if hk.pre != nil {
						states[i] = guarded(req.Name+" pre", func() interface{} { return hk.pre(req) })
					}
				}
				return states
			},
			post: func(req *simulator.Method, state interface{}, resp []byte) {
				states, _ := state.([]interface{})
				for i, hk := range hooks {
					if hk.post != nil && i < len(states) {
						s := states[i]
						guarded(req.Name+" post", func() interface{} { hk.post(req, s, resp); return nil })
					}
				}
			},
		}
	}
	return out
}

// guarded keeps a failing hook from taking the request down with it.
func guarded(what string, f func() interface{}) (v interface{}) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("testbed: %s hook failed: %v", what, r)
			v = nil
		}
	}()
	return f()
}

// registryHook receives the simulator registry's object events.
type registryHook struct {
	mu   sync.Mutex
	puts []func(mo.Reference)
}

var hooks = &registryHook{}

func (h *registryHook) Reference() types.ManagedObjectReference {
	return types.ManagedObjectReference{Type: "TestbedRegistryHook", Value: "testbed-registry-hook"}
}

func (h *registryHook) onPut(f func(mo.Reference)) {
	h.mu.Lock()
	first := len(h.puts) == 0
	h.puts = append(h.puts, f)
	h.mu.Unlock()
	if first {
		simulator.Map.AddHandler(h)
	}
}

func (h *registryHook) PutObject(obj mo.Reference) {
	h.mu.Lock()
	puts := append([]func(mo.Reference){}, h.puts...)
	h.mu.Unlock()
	for _, f := range puts {
		f(obj)
	}
}

func (h *registryHook) UpdateObject(mo.Reference, []types.PropertyChange) {}
func (h *registryHook) RemoveObject(types.ManagedObjectReference)         {}

var taskRE = regexp.MustCompile(`<returnval type="Task">([^<]+)</returnval>`)

// taskOf finds the task a *_Task response returned, and whether it succeeded, with its result.
func taskOf(resp []byte) (task *simulator.Task, ok bool, result types.AnyType) {
	m := taskRE.FindSubmatch(resp)
	if m == nil {
		return nil, false, nil
	}
	task, _ = simulator.Map.Get(types.ManagedObjectReference{Type: "Task", Value: string(m[1])}).(*simulator.Task)
	if task == nil {
		return nil, false, nil
	}
	simulator.Map.WithLock(task, func() {
		ok = task.Info.State == types.TaskInfoStateSuccess
		result = task.Info.Result
	})
	return task, ok, result
}

func vmOf(ref types.ManagedObjectReference) *simulator.VirtualMachine {
	vm, _ := simulator.Map.Get(ref).(*simulator.VirtualMachine)
	return vm
}

// vmFromTaskResult is the VM a create/clone task produced.
func vmFromTaskResult(resp []byte) *simulator.VirtualMachine {
	_, ok, result := taskOf(resp)
	if !ok {
		return nil
	}
	if ref, isRef := result.(types.ManagedObjectReference); isRef {
		return vmOf(ref)
	}
	return nil
}

func installFixes(f fixFlags) map[string]*fixHook {
	h := hookSet{}
	if f.powerOn {
		installPowerOnFix(h)
	}
	if f.snapshots {
		installSnapshotFix(h, f.vmx)
	}
	if f.extraConfig {
		installExtraConfigFix(h)
	}
	if f.vmx {
		installVmxFix(h)
	}
	return h.compile()
}

// --- PowerOnMultiVM_Task -----------------------------------------------------------------------------------------

type powerOnTask struct {
	seq  int64
	task types.ManagedObjectReference
}

func installPowerOnFix(h hookSet) {
	var mu sync.Mutex
	var seq int64
	latest := map[types.ManagedObjectReference]powerOnTask{}

	// The simulator powers each VM on with a task of its own; remember them as they are registered.
	hooks.onPut(func(obj mo.Reference) {
		t, ok := obj.(*simulator.Task)
		if !ok || t.Info.DescriptionId != "VirtualMachine.powerOn" || t.Info.Entity == nil {
			return
		}
		mu.Lock()
		seq++
		latest[*t.Info.Entity] = powerOnTask{seq, t.Self}
		mu.Unlock()
	})

	h.add("PowerOnMultiVM_Task",
		func(*simulator.Method) interface{} {
			mu.Lock()
			defer mu.Unlock()
			return seq
		},
		func(req *simulator.Method, state interface{}, resp []byte) {
			body, _ := req.Body.(*types.PowerOnMultiVM_Task)
			task, ok, _ := taskOf(resp)
			if body == nil || !ok {
				return // e.g. NotImplemented on ESX, as there
			}
			start, _ := state.(int64)
			res := types.ClusterPowerOnVmResult{}
			mu.Lock()
			for _, vm := range body.Vm {
				if pt, found := latest[vm]; found && pt.seq > start {
					ref := pt.task
					res.Attempted = append(res.Attempted, types.ClusterAttemptedVmInfo{Vm: vm, Task: &ref})
				} else {
					res.NotAttempted = append(res.NotAttempted, types.ClusterNotAttemptedVmInfo{
						Vm: vm,
						Fault: types.LocalizedMethodFault{
							Fault:            &types.InvalidState{},
							LocalizedMessage: "The virtual machine was not powered on.",
						},
					})
				}
			}
			mu.Unlock()
			simulator.Map.WithLock(task, func() {
				simulator.Map.Update(task, []types.PropertyChange{{Name: "info.result", Val: res}})
			})
		})
}

// --- extraConfig ---------------------------------------------------------------------------------------------------

type keyValue struct {
	key string
	val interface{}
}

func flatten(ec []types.BaseOptionValue) []keyValue {
	out := make([]keyValue, 0, len(ec))
	for _, o := range ec {
		v := o.GetOptionValue()
		out = append(out, keyValue{v.Key, v.Value})
	}
	return out
}

func emptyValue(v interface{}) bool {
	if v == nil {
		return true
	}
	s, isString := v.(string)
	return isString && s == ""
}

// normalizeExtraConfig applies vSphere's semantics to a list the simulator built by appending: the last value of a
// key replaces the earlier one in place, and a key whose value is empty is removed.
func normalizeExtraConfig(ec []types.BaseOptionValue) []types.BaseOptionValue {
	index := map[string]int{}
	var merged []types.BaseOptionValue
	for _, o := range ec {
		key := o.GetOptionValue().Key
		if i, seen := index[key]; seen {
			merged[i] = o
			continue
		}
		index[key] = len(merged)
		merged = append(merged, o)
	}
	out := make([]types.BaseOptionValue, 0, len(merged))
	for _, o := range merged {
		if !emptyValue(o.GetOptionValue().Value) {
			out = append(out, o)
		}
	}
	return out
}

// fixExtraConfig normalizes a VM's extraConfig (the caller holds the VM's lock) and reports the change to property
// collectors when the list differs from before.
func fixExtraConfig(vm *simulator.VirtualMachine, before []keyValue, notify bool) {
	if vm.Config == nil {
		return
	}
	after := normalizeExtraConfig(vm.Config.ExtraConfig)
	vm.Config.ExtraConfig = after
	if notify && !reflect.DeepEqual(flatten(after), before) {
		simulator.Map.Update(vm, []types.PropertyChange{{Name: "config.extraConfig", Val: after}})
	}
}

func installExtraConfigFix(h hookSet) {
	h.add("ReconfigVM_Task",
		func(req *simulator.Method) interface{} {
			vm := vmOf(req.This)
			if vm == nil {
				return nil
			}
			var before []keyValue
			simulator.Map.WithLock(vm, func() {
				if vm.Config != nil {
					before = flatten(vm.Config.ExtraConfig)
				}
			})
			return before
		},
		func(req *simulator.Method, state interface{}, _ []byte) {
			if vm := vmOf(req.This); vm != nil {
				before, _ := state.([]keyValue)
				simulator.Map.WithLock(vm, func() { fixExtraConfig(vm, before, true) })
			}
		})
	created := func(_ *simulator.Method, _ interface{}, resp []byte) {
		if vm := vmFromTaskResult(resp); vm != nil {
			simulator.Map.WithLock(vm, func() { fixExtraConfig(vm, nil, false) })
		}
	}
	for _, method := range []string{"CreateVM_Task", "CreateChildVM_Task", "CloneVM_Task"} {
		h.add(method, nil, created)
	}
}

// --- .vmx ----------------------------------------------------------------------------------------------------------

// vmxEscape escapes a value as VMware's dictionary files do: double quote, pipe, DEL and control characters other
// than tab become |XX (two upper-case hex digits).
func vmxEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '"' || c == '|' || c == 0x7f || (c < 0x20 && c != '\t') {
			fmt.Fprintf(&b, "|%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func vmxValue(v interface{}) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		if x {
			return "TRUE"
		}
		return "FALSE"
	default:
		return fmt.Sprint(x)
	}
}

// vmxGuestOS approximates the .vmx spelling of a guest id: otherGuest64 → other-64, ubuntu64Guest → ubuntu-64.
func vmxGuestOS(id string) string {
	s := strings.Replace(strings.ToLower(id), "guest", "", 1)
	if strings.HasSuffix(s, "64") && !strings.HasSuffix(s, "-64") {
		s = strings.TrimSuffix(s, "64") + "-64"
	}
	return s
}

// vmxUUID writes a UUID as .vmx files do: "56 4d 9b 2c 3e 11 22 33-44 55 66 77 88 99 aa bb".
func vmxUUID(u string) string {
	hex := strings.ReplaceAll(u, "-", "")
	if len(hex) != 32 {
		return ""
	}
	pairs := make([]string, 16)
	for i := range pairs {
		pairs[i] = strings.ToLower(hex[2*i : 2*i+2])
	}
	return strings.Join(pairs[:8], " ") + "-" + strings.Join(pairs[8:], " ")
}

// vmxPath is the local file behind the VM's config file path ("[LocalDS_0] vch1/vch1.vmx").
func vmxPath(vm *simulator.VirtualMachine) (string, error) {
	if vm.Config == nil || vm.Config.Files.VmPathName == "" || vm.Runtime.Host == nil {
		return "", fmt.Errorf("%s has no config file", vm.Self)
	}
	var p object.DatastorePath
	if !p.FromString(vm.Config.Files.VmPathName) {
		return "", fmt.Errorf("%s: bad config file path %q", vm.Self, vm.Config.Files.VmPathName)
	}
	host, _ := simulator.Map.Get(*vm.Runtime.Host).(*simulator.HostSystem)
	if host == nil {
		return "", fmt.Errorf("%s: host %s not found", vm.Self, vm.Runtime.Host)
	}
	ds, _ := simulator.Map.FindByName(p.Datastore, host.Datastore).(*simulator.Datastore)
	if ds == nil {
		return "", fmt.Errorf("%s: datastore %q not found", vm.Self, p.Datastore)
	}
	file := path.Join(ds.Info.GetDatastoreInfo().Url, p.Path)
	if path.Ext(file) != ".vmx" {
		file = path.Join(file, vm.Name+".vmx")
	}
	return file, nil
}

// vmxContents renders the VM's settings the way a .vmx file holds them (the caller holds the VM's lock).
func vmxContents(vm *simulator.VirtualMachine) []byte {
	var b bytes.Buffer
	line := func(key string, value interface{}) {
		fmt.Fprintf(&b, "%s = \"%s\"\n", key, vmxEscape(vmxValue(value)))
	}
	c := vm.Config
	line(".encoding", "UTF-8")
	line("config.version", "8")
	if v := strings.TrimPrefix(c.Version, "vmx-"); v != "" {
		line("virtualHW.version", v)
	}
	line("displayName", vm.Name)
	if c.Annotation != "" {
		line("annotation", c.Annotation)
	}
	if c.GuestId != "" {
		line("guestOS", vmxGuestOS(c.GuestId))
	}
	line("numvcpus", c.Hardware.NumCPU)
	line("memSize", c.Hardware.MemoryMB)
	if u := vmxUUID(c.Uuid); u != "" {
		line("uuid.bios", u)
	}
	if u := vmxUUID(c.InstanceUuid); u != "" {
		line("vc.uuid", u)
	}
	for _, kv := range flatten(normalizeExtraConfig(c.ExtraConfig)) {
		line(kv.key, kv.val)
	}
	return b.Bytes()
}

// writeVmx rewrites the VM's .vmx file (the caller holds the VM's lock).
func writeVmx(vm *simulator.VirtualMachine) {
	file, err := vmxPath(vm)
	if err != nil {
		log.Printf("testbed: .vmx: %v", err)
		return
	}
	if err = ioutil.WriteFile(file, vmxContents(vm), 0600); err != nil {
		log.Printf("testbed: .vmx: %v", err)
	}
}

func installVmxFix(h hookSet) {
	h.add("ReconfigVM_Task", nil, func(req *simulator.Method, _ interface{}, _ []byte) {
		if vm := vmOf(req.This); vm != nil {
			simulator.Map.WithLock(vm, func() { writeVmx(vm) })
		}
	})
	created := func(_ *simulator.Method, _ interface{}, resp []byte) {
		if vm := vmFromTaskResult(resp); vm != nil {
			simulator.Map.WithLock(vm, func() { writeVmx(vm) })
		}
	}
	for _, method := range []string{"CreateVM_Task", "CreateChildVM_Task", "CloneVM_Task"} {
		h.add(method, nil, created)
	}
	// The model's own VMs were created before the server started.
	for _, e := range simulator.Map.All("VirtualMachine") {
		if vm, ok := e.(*simulator.VirtualMachine); ok {
			simulator.Map.WithLock(vm, func() { writeVmx(vm) })
		}
	}
}

// --- snapshots -----------------------------------------------------------------------------------------------------

type snapshotMeta struct {
	memory bool
	state  types.VirtualMachinePowerState
}

func installSnapshotFix(h hookSet, vmx bool) {
	var mu sync.Mutex
	meta := map[types.ManagedObjectReference]snapshotMeta{}

	// The simulator copies the VM's config into the snapshot shallowly (shared slices and pointers); make the
	// snapshot's copy deep at the moment it is registered (inside CreateSnapshot_Task, with the VM locked).
	hooks.onPut(func(obj mo.Reference) {
		if s, ok := obj.(*simulator.VirtualMachineSnapshot); ok {
			deepCopyInto(&s.Config)
		}
	})

	h.add("CreateSnapshot_Task",
		func(req *simulator.Method) interface{} {
			vm := vmOf(req.This)
			if vm == nil {
				return nil
			}
			var state types.VirtualMachinePowerState
			simulator.Map.WithLock(vm, func() { state = vm.Runtime.PowerState })
			return state
		},
		func(req *simulator.Method, state interface{}, resp []byte) {
			body, _ := req.Body.(*types.CreateSnapshot_Task)
			_, ok, result := taskOf(resp)
			ref, isRef := result.(types.ManagedObjectReference)
			if body == nil || !ok || !isRef {
				return
			}
			ps, _ := state.(types.VirtualMachinePowerState)
			mu.Lock()
			meta[ref] = snapshotMeta{memory: body.Memory, state: ps}
			mu.Unlock()
		})

	revert := func(snapshot types.ManagedObjectReference, suppressPowerOn bool) {
		snap, _ := simulator.Map.Get(snapshot).(*simulator.VirtualMachineSnapshot)
		if snap == nil {
			return
		}
		vm := vmOf(snap.Vm)
		if vm == nil {
			return
		}
		mu.Lock()
		m, known := meta[snapshot]
		mu.Unlock()
		simulator.Map.WithLock(vm, func() {
			restoreSnapshot(vm, snap, m, known, suppressPowerOn)
			if vmx {
				writeVmx(vm)
			}
		})
	}

	h.add("RevertToSnapshot_Task", nil, func(req *simulator.Method, _ interface{}, resp []byte) {
		body, _ := req.Body.(*types.RevertToSnapshot_Task)
		if _, ok, _ := taskOf(resp); ok && body != nil {
			revert(body.This, body.SuppressPowerOn != nil && *body.SuppressPowerOn)
		}
	})
	h.add("RevertToCurrentSnapshot_Task",
		func(req *simulator.Method) interface{} {
			vm := vmOf(req.This)
			if vm == nil {
				return nil
			}
			var current *types.ManagedObjectReference
			simulator.Map.WithLock(vm, func() {
				if vm.Snapshot != nil && vm.Snapshot.CurrentSnapshot != nil {
					ref := *vm.Snapshot.CurrentSnapshot
					current = &ref
				}
			})
			return current
		},
		func(req *simulator.Method, state interface{}, resp []byte) {
			body, _ := req.Body.(*types.RevertToCurrentSnapshot_Task)
			current, _ := state.(*types.ManagedObjectReference)
			if _, ok, _ := taskOf(resp); ok && body != nil && current != nil {
				revert(*current, body.SuppressPowerOn != nil && *body.SuppressPowerOn)
			}
		})
}

// restoreSnapshot puts the snapshot's config back on the VM and sets the power state vSphere would leave it in:
// the state at snapshot time for a memory snapshot, powered off otherwise (and with suppressPowerOn). The caller
// holds the VM's lock.
func restoreSnapshot(vm *simulator.VirtualMachine, snap *simulator.VirtualMachineSnapshot, m snapshotMeta, known, suppressPowerOn bool) {
	config := snap.Config
	deepCopyInto(&config)
	var changes []types.PropertyChange
	if vm.Config != nil {
		changes = configChanges(vm.Config, &config)
	}
	vm.Config = &config
	if len(changes) > 0 {
		simulator.Map.Update(vm, changes)
	}

	target := types.VirtualMachinePowerStatePoweredOff
	if known && m.memory && m.state != "" {
		target = m.state
	}
	if suppressPowerOn && target == types.VirtualMachinePowerStatePoweredOn {
		target = types.VirtualMachinePowerStatePoweredOff
	}
	if vm.Runtime.PowerState != target {
		simulator.Map.Update(vm, []types.PropertyChange{
			{Name: "runtime.powerState", Val: target},
			{Name: "summary.runtime.powerState", Val: target},
		})
	}
}

// configChanges lists the config.* properties that differ between two configs, for property collectors.
func configChanges(before, after *types.VirtualMachineConfigInfo) []types.PropertyChange {
	var changes []types.PropertyChange
	bv, av := reflect.ValueOf(before).Elem(), reflect.ValueOf(after).Elem()
	t := bv.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := strings.Split(f.Tag.Get("xml"), ",")[0]
		if f.Anonymous || name == "" || name == "-" {
			continue
		}
		if !reflect.DeepEqual(bv.Field(i).Interface(), av.Field(i).Interface()) {
			changes = append(changes, types.PropertyChange{Name: "config." + name, Val: av.Field(i).Interface()})
		}
	}
	sort.Slice(changes, func(i, j int) bool { return changes[i].Name < changes[j].Name })
	return changes
}

// deepCopyInto replaces *ptr with a deep copy of itself (pointers, slices, maps and interfaces are duplicated).
func deepCopyInto(ptr interface{}) {
	v := reflect.ValueOf(ptr).Elem()
	v.Set(deepCopy(v))
}

func deepCopy(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Ptr:
		if v.IsNil() {
			return v
		}
		n := reflect.New(v.Type().Elem())
		n.Elem().Set(deepCopy(v.Elem()))
		return n
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		n := reflect.New(v.Type()).Elem()
		n.Set(deepCopy(v.Elem()))
		return n
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		n := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := 0; i < v.Len(); i++ {
			n.Index(i).Set(deepCopy(v.Index(i)))
		}
		return n
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		n := reflect.MakeMapWithSize(v.Type(), v.Len())
		for _, k := range v.MapKeys() {
			n.SetMapIndex(k, deepCopy(v.MapIndex(k)))
		}
		return n
	case reflect.Struct:
		n := reflect.New(v.Type()).Elem()
		n.Set(v) // unexported fields (time.Time's) are copied as they are
		for i := 0; i < v.NumField(); i++ {
			if n.Field(i).CanSet() {
				n.Field(i).Set(deepCopy(v.Field(i)))
			}
		}
		return n
	default:
		return v
	}
}
