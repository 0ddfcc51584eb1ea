// Confirms, against the unmodified simulator of the installed govmomi (Debian's 0.24.2), the gaps that the
// testbed's -vsphere-fixes close. If one of these tests fails after a govmomi upgrade, the simulator has caught up
// and the corresponding fix in fixes.go may be redundant.
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go test ./test/vcsim
package main

import (
	"context"
	"io/ioutil"
	"path"
	"reflect"
	"testing"

	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/property"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/simulator/esx"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

func rawModel(t *testing.T, f func(ctx context.Context, c *vim25.Client, vm *object.VirtualMachine)) {
	m := simulator.VPX()
	defer m.Remove()
	err := m.Run(func(ctx context.Context, c *vim25.Client) error {
		vm, err := find.NewFinder(c).VirtualMachine(ctx, "/DC0/vm/DC0_H0_VM0")
		if err != nil {
			return err
		}
		f(ctx, c, vm)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func extraConfig(ctx context.Context, t *testing.T, c *vim25.Client, ref types.ManagedObjectReference) []types.BaseOptionValue {
	var o mo.VirtualMachine
	if err := property.DefaultCollector(c).RetrieveOne(ctx, ref, []string{"config.extraConfig"}, &o); err != nil {
		t.Fatal(err)
	}
	return o.Config.ExtraConfig
}

func reconfigure(ctx context.Context, t *testing.T, vm *object.VirtualMachine, kv ...string) {
	spec := types.VirtualMachineConfigSpec{}
	for i := 0; i < len(kv); i += 2 {
		spec.ExtraConfig = append(spec.ExtraConfig, &types.OptionValue{Key: kv[i], Value: kv[i+1]})
	}
	task, err := vm.Reconfigure(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	if err = task.Wait(ctx); err != nil {
		t.Fatal(err)
	}
}

func count(ec []types.BaseOptionValue, key string) int {
	n := 0
	for _, o := range ec {
		if o.GetOptionValue().Key == key {
			n++
		}
	}
	return n
}

func TestGapPowerOnMultiVMResultIsEmpty(t *testing.T) {
	rawModel(t, func(ctx context.Context, c *vim25.Client, vm *object.VirtualMachine) {
		_, _ = vm.PowerOff(ctx)
		dc, _ := find.NewFinder(c).Datacenter(ctx, "DC0")
		task, err := dc.PowerOnVM(ctx, []types.ManagedObjectReference{vm.Reference()})
		if err != nil {
			t.Fatal(err)
		}
		info, err := task.WaitForResult(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if info.Result != nil {
			t.Errorf("gap closed upstream: PowerOnMultiVM_Task result is %#v", info.Result)
		}
	})
}

func TestGapExtraConfigAppendsDuplicatesAndKeepsEmptyValues(t *testing.T) {
	rawModel(t, func(ctx context.Context, c *vim25.Client, vm *object.VirtualMachine) {
		reconfigure(ctx, t, vm, "guestinfo.a", "1")
		reconfigure(ctx, t, vm, "guestinfo.a", "2")
		reconfigure(ctx, t, vm, "guestinfo.b", "x")
		reconfigure(ctx, t, vm, "guestinfo.b", "")
		ec := extraConfig(ctx, t, c, vm.Reference())
		if count(ec, "guestinfo.a") != 2 || count(ec, "guestinfo.b") != 2 {
			t.Errorf("gap closed upstream: extraConfig %d×a, %d×b", count(ec, "guestinfo.a"), count(ec, "guestinfo.b"))
		}
	})
}

func TestGapExtraConfigChangesAreNotReported(t *testing.T) {
	rawModel(t, func(ctx context.Context, c *vim25.Client, vm *object.VirtualMachine) {
		obj := simulator.Map.Get(vm.Reference()).(*simulator.VirtualMachine)
		reported := false
		hook := &changeHook{f: func(ref types.ManagedObjectReference, changes []types.PropertyChange) {
			for _, ch := range changes {
				if ref == obj.Self && (ch.Name == "config.extraConfig" || ch.Name == "config") {
					reported = true
				}
			}
		}}
		simulator.Map.AddHandler(hook)
		defer simulator.Map.RemoveHandler(hook)
		reconfigure(ctx, t, vm, "guestinfo.c", "1")
		if reported {
			t.Error("gap closed upstream: config.extraConfig change was reported")
		}
	})
}

func TestGapVmxFileIsEmpty(t *testing.T) {
	rawModel(t, func(ctx context.Context, c *vim25.Client, vm *object.VirtualMachine) {
		reconfigure(ctx, t, vm, "guestinfo.ovfEnv", "secret")
		obj := simulator.Map.Get(vm.Reference()).(*simulator.VirtualMachine)
		var p object.DatastorePath
		p.FromString(obj.Config.Files.VmPathName)
		ds := simulator.Map.FindByName(p.Datastore, simulator.Map.Any("Datacenter").(*simulator.Datacenter).Datastore).(*simulator.Datastore)
		b, err := ioutil.ReadFile(path.Join(ds.Info.GetDatastoreInfo().Url, p.Path))
		if err != nil {
			t.Fatal(err)
		}
		if len(b) != 0 {
			t.Errorf("gap closed upstream: .vmx has %d bytes", len(b))
		}
	})
}

func TestGapRevertToSnapshotDoesNotRestoreConfig(t *testing.T) {
	rawModel(t, func(ctx context.Context, c *vim25.Client, vm *object.VirtualMachine) {
		reconfigure(ctx, t, vm, "guestinfo.s", "before")
		task, err := vm.CreateSnapshot(ctx, "s1", "", false, false)
		if err != nil {
			t.Fatal(err)
		}
		if err = task.Wait(ctx); err != nil {
			t.Fatal(err)
		}
		reconfigure(ctx, t, vm, "guestinfo.t", "after")
		task, err = vm.RevertToSnapshot(ctx, "s1", true)
		if err != nil {
			t.Fatal(err)
		}
		if err = task.Wait(ctx); err != nil {
			t.Fatal(err)
		}
		if count(extraConfig(ctx, t, c, vm.Reference()), "guestinfo.t") == 0 {
			t.Error("gap closed upstream: RevertToSnapshot restored extraConfig")
		}
		task, err = vm.RevertToCurrentSnapshot(ctx, true)
		if err != nil {
			t.Fatal(err)
		}
		if err = task.Wait(ctx); err != nil {
			t.Fatal(err)
		}
		if count(extraConfig(ctx, t, c, vm.Reference()), "guestinfo.t") == 0 {
			t.Error("gap closed upstream: RevertToCurrentSnapshot restored extraConfig")
		}
	})
}

func TestGapFirewallRulesetsSharedBetweenHosts(t *testing.T) {
	rawModel(t, func(ctx context.Context, c *vim25.Client, vm *object.VirtualMachine) {
		hosts, err := find.NewFinder(c).HostSystemList(ctx, "/DC0/host/DC0_C0/*")
		if err != nil || len(hosts) < 2 {
			t.Fatal(err, len(hosts))
		}
		fw0, _ := hosts[0].ConfigManager().FirewallSystem(ctx)
		fw1, _ := hosts[1].ConfigManager().FirewallSystem(ctx)
		if err = fw0.EnableRuleset(ctx, "vSPC"); err != nil {
			t.Fatal(err)
		}
		defer simulator.DisableRuleset(&esx.HostFirewallInfo, "vSPC")
		info, err := fw1.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, rs := range info.Ruleset {
			if rs.Key == "vSPC" && !rs.Enabled {
				t.Error("gap closed upstream: enabling a ruleset on one host no longer enables it on another")
			}
		}
		if reflect.ValueOf(simulator.Map.Get(fw0.Reference())).MethodByName("UpdateRuleset").IsValid() {
			t.Error("gap closed upstream: HostFirewallSystem implements UpdateRuleset")
		}
	})
}

func TestGapRetrievePropertiesIgnoresMaxObjects(t *testing.T) {
	rawModel(t, func(ctx context.Context, c *vim25.Client, vm *object.VirtualMachine) {
		v, err := viewOfVMs(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		res, err := retrieveVMNames(ctx, c, v, 1)
		if err != nil {
			t.Fatal(err)
		}
		if res.Token != "" || len(res.Objects) < 2 {
			t.Errorf("gap closed upstream: maxObjects honoured (%d objects, token %q)", len(res.Objects), res.Token)
		}
	})
}

type changeHook struct {
	f func(types.ManagedObjectReference, []types.PropertyChange)
}

func (h *changeHook) Reference() types.ManagedObjectReference {
	return types.ManagedObjectReference{Type: "TestbedGapHook", Value: "gap-hook"}
}
func (h *changeHook) PutObject(mo.Reference) {}
func (h *changeHook) UpdateObject(o mo.Reference, ch []types.PropertyChange) {
	h.f(o.Reference(), ch)
}
func (h *changeHook) RemoveObject(types.ManagedObjectReference) {}

func viewOfVMs(ctx context.Context, c *vim25.Client) (types.ManagedObjectReference, error) {
	res, err := methods.CreateContainerView(ctx, c, &types.CreateContainerView{
		This: *c.ServiceContent.ViewManager, Container: c.ServiceContent.RootFolder,
		Type: []string{"VirtualMachine"}, Recursive: true,
	})
	if err != nil {
		return types.ManagedObjectReference{}, err
	}
	return res.Returnval, nil
}

func retrieveVMNames(ctx context.Context, c *vim25.Client, view types.ManagedObjectReference, max int32) (*types.RetrieveResult, error) {
	res, err := methods.RetrievePropertiesEx(ctx, c, &types.RetrievePropertiesEx{
		This: c.ServiceContent.PropertyCollector,
		SpecSet: []types.PropertyFilterSpec{{
			ObjectSet: []types.ObjectSpec{{Obj: view, Skip: types.NewBool(true), SelectSet: []types.BaseSelectionSpec{
				&types.TraversalSpec{Type: "ContainerView", Path: "view"},
			}}},
			PropSet: []types.PropertySpec{{Type: "VirtualMachine", PathSet: []string{"name"}}},
		}},
		Options: types.RetrieveOptions{MaxObjects: max},
	})
	if err != nil {
		return nil, err
	}
	return res.Returnval, nil
}
