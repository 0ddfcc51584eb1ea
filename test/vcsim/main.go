// Command vcsim is the project's vCenter/ESXi simulator: govmomi's simulator package (Debian's
// golang-github-vmware-govmomi-dev 0.24.2, built in GOPATH mode) with what the tests need around it:
//
//   - TLS on a loopback address at a free port; one JSON line on stdout when ready
//     ({"url","thumbprintSHA1","thumbprintSHA256","pid",...})
//   - an inventory shaped by flags (defaults: the model the fixtures were recorded against)
//   - optional fixed credentials (-username/-password); by default any non-empty login is accepted
//   - request counting, open-session count, added latency and fault injection over /_testbed/* (testbed.go)
//   - opt-in vSphere behaviour where the simulator differs (-vsphere-fixes, fixes.go)
//   - per-host firewall rulesets with Enable/Disable/UpdateRuleset (firewall.go), RetrieveOptions.maxObjects
//     paging (paging.go)
//
// Build: GO111MODULE=off GOPATH=/usr/share/gocode go build -o vcsim ./test/vcsim
// See docs/testbed.md.
package main

import (
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/tls"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/ioutil"
	"log"
	"net"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25"
)

func main() {
	listen := flag.String("l", "127.0.0.1:0", "listen address (loopback only; port 0 picks a free port)")
	esx := flag.Bool("esx", false, "simulate a standalone ESXi host (ha-datacenter) instead of vCenter")
	username := flag.String("username", "", "the only user name accepted (default: any non-empty login)")
	password := flag.String("password", "", "the only password accepted (with -username)")
	dc := flag.Int("dc", 1, "datacenters (vCenter)")
	cluster := flag.Int("cluster", 1, "clusters per datacenter (vCenter)")
	host := flag.Int("host", 3, "hosts per cluster (vCenter)")
	standalone := flag.Int("standalone-host", 1, "standalone hosts per datacenter (vCenter)")
	ds := flag.Int("ds", 1, "datastores")
	vm := flag.Int("vm", 2, "VMs per resource pool / standalone host")
	pool := flag.Int("pool", 0, "child resource pools per cluster (vCenter)")
	app := flag.Int("app", 0, "vApps per cluster (vCenter)")
	pg := flag.Int("pg", 2, "distributed port groups per datacenter, on DVS0 (vCenter)")
	folder := flag.Int("folder", 0, "datacenters placed in folders (vCenter)")
	pod := flag.Int("pod", 0, "storage pods per datacenter (vCenter)")
	latency := flag.Int("latency-ms", 0, "delay added to every request, in milliseconds (runtime: POST /_testbed/latency?ms=N)")
	methodDelay := flag.String("method-delay", "", "per-method delays, e.g. PowerOnVM_Task:3000,ReconfigVM_Task:500")
	managedBy := flag.String("managed-by", "", "every host's summary.managementServerIp: an ESXi host managed by the vCenter at this address")
	firewallOpen := flag.Bool("firewall-open", false, "start with the vSPC ruleset enabled on every host (outbound 2377/tcp allowed)")
	allFixes := flag.Bool("vsphere-fixes", false, "enable every -fix-* flag")
	var fx fixFlags
	flag.BoolVar(&fx.powerOn, "fix-poweron", false, "Datacenter.PowerOnMultiVM_Task returns a ClusterPowerOnVmResult as vCenter does")
	flag.BoolVar(&fx.extraConfig, "fix-extraconfig", false, "extraConfig keys are replaced, empty values delete keys, changes are reported to property collectors")
	flag.BoolVar(&fx.vmx, "fix-vmx", false, "the VM's .vmx file holds its configuration and extraConfig")
	flag.BoolVar(&fx.snapshots, "fix-snapshots", false, "snapshots keep a deep copy of the config; reverting restores config and power state")
	quiet := flag.Bool("quiet", false, "discard the simulator's log output")
	trace := flag.Bool("trace", false, "write SOAP traffic to stderr")
	watchStdin := flag.Bool("stdin-watch", false, "exit when stdin reaches EOF (the parent process went away)")
	flag.Parse()

	fail := func(format string, args ...interface{}) {
		fmt.Fprintf(os.Stderr, "vcsim: "+format+"\n", args...)
		os.Exit(2)
	}
	if flag.NArg() > 0 {
		fail("unexpected arguments: %v", flag.Args())
	}
	if (*username == "") != (*password == "") {
		fail("-username and -password go together")
	}
	lhost, _, err := net.SplitHostPort(*listen)
	if err != nil {
		fail("-l %s: %v", *listen, err)
	}
	if ip := net.ParseIP(lhost); ip == nil || !ip.IsLoopback() {
		fail("-l %s: only loopback addresses are allowed", *listen)
	}
	if *allFixes {
		fx = fixFlags{powerOn: true, extraConfig: true, vmx: true, snapshots: true}
	}
	if *quiet {
		log.SetOutput(ioutil.Discard)
	}
	simulator.Trace = *trace

	var m *simulator.Model
	if *esx {
		m = simulator.ESX()
	} else {
		m = simulator.VPX()
		m.Datacenter, m.Cluster, m.ClusterHost, m.Host = *dc, *cluster, *host, *standalone
		m.Portgroup, m.Folder, m.App, m.Pod, m.Pool = *pg, *folder, *app, *pod, *pool
	}
	m.Datastore, m.Machine = *ds, *vm
	if *methodDelay != "" {
		m.DelayConfig.MethodDelay = map[string]int{}
		for _, kv := range strings.Split(*methodDelay, ",") {
			parts := strings.SplitN(kv, ":", 2)
			ms, err := strconv.Atoi(strings.TrimSpace(parts[len(parts)-1]))
			if len(parts) != 2 || err != nil {
				fail("-method-delay %q: want Method:milliseconds", kv)
			}
			m.DelayConfig.MethodDelay[strings.TrimSpace(parts[0])] = ms
		}
	}

	if err := m.Create(); err != nil {
		m.Remove()
		fail("creating the model: %v", err)
	}

	if *managedBy != "" {
		setManagedBy(*managedBy)
	}
	installPaging()
	installFirewall(*firewallOpen)
	fixes := installFixes(fx)

	m.Service.TLS = new(tls.Config)
	m.Service.Listen = &url.URL{Host: *listen}
	if *username != "" {
		m.Service.Listen.User = url.UserPassword(*username, *password)
	}
	s := m.Service.NewServer() // not closed on exit: Close waits for long polls (WaitForUpdatesEx) to end

	// An in-process client (no HTTP, no session of its own) for the testbed's own queries.
	internal, err := vim25.NewClient(context.Background(), m.Service)
	if err != nil {
		m.Remove()
		fail("in-process client: %v", err)
	}

	cert := s.Certificate()
	sum1 := sha1.Sum(cert.Raw)
	sum256 := sha256.Sum256(cert.Raw)
	u := *s.URL
	u.User = nil
	info := map[string]interface{}{
		"url":              u.String(),
		"host":             u.Host,
		"thumbprintSHA1":   colonHex(sum1[:]),
		"thumbprintSHA256": colonHex(sum256[:]),
		"pid":              os.Getpid(),
		"esx":              *esx,
		"fixes":            fx.names(),
		"datastores":       datastoreDirs(),
	}

	tb := newTestbed(internal, fixes, int64(*latency), info)
	s.Config.Handler = tb.wrap(s.Config.Handler)

	line, _ := json.Marshal(info)
	fmt.Println(string(line))

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	if *watchStdin {
		go func() {
			_, _ = io.Copy(ioutil.Discard, os.Stdin)
			stop <- syscall.SIGTERM
		}()
	}
	<-stop
	m.Remove() // the datastores' temporary directories
}

func colonHex(b []byte) string {
	parts := make([]string, len(b))
	for i, c := range b {
		parts[i] = fmt.Sprintf("%02X", c)
	}
	return strings.Join(parts, ":")
}

// setManagedBy makes every host report the vCenter that manages it (HostListSummary.managementServerIp), as an ESXi
// host joined to a vCenter does: vic-machine refuses to create on such a host directly.
func setManagedBy(address string) {
	for _, e := range simulator.Map.All("HostSystem") {
		if h, ok := e.(*simulator.HostSystem); ok {
			h.Summary.ManagementServerIp = address
		}
	}
}

// datastoreDirs maps each datastore name to the local directory behind it.
func datastoreDirs() map[string]string {
	dirs := map[string]string{}
	for _, e := range simulator.Map.All("Datastore") {
		if ds, ok := e.(*simulator.Datastore); ok {
			dirs[ds.Name] = ds.Info.GetDatastoreInfo().Url
		}
	}
	return dirs
}
