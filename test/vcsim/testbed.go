package main

// The HTTP layer around the simulator: request counting, added latency, fault injection, the /_testbed/*
// control endpoints, and the dispatch of the behaviour fixes' hooks (fixes.go).

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/ioutil"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vmware/govmomi/property"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
	"github.com/vmware/govmomi/vim25/xml"
)

var soapMethodRE = regexp.MustCompile(`<(?:[A-Za-z0-9_.-]+:)?Body[^>]*>\s*<(?:[A-Za-z0-9_.-]+:)?([A-Za-z0-9_]+)`)

// soapMethod returns the name of the method a SOAP request calls ("" if none is found).
func soapMethod(body []byte) string {
	if m := soapMethodRE.FindSubmatch(body); m != nil {
		return string(m[1])
	}
	return ""
}

type counters struct {
	mu        sync.Mutex
	soap      map[string]int
	http      map[string]int
	httpBytes map[string]int64
	other     map[string]int
	faults    int
}

func (c *counters) reset() {
	c.mu.Lock()
	c.soap, c.http, c.httpBytes, c.other, c.faults = map[string]int{}, map[string]int{}, map[string]int64{}, map[string]int{}, 0
	c.mu.Unlock()
}

func (c *counters) add(m map[string]int, key string) {
	c.mu.Lock()
	m[key]++
	c.mu.Unlock()
}

func (c *counters) addBytes(key string, n int64) {
	c.mu.Lock()
	c.httpBytes[key] += n
	c.mu.Unlock()
}

func (c *counters) snapshot() map[string]interface{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	total := 0
	copyOf := func(m map[string]int) map[string]int {
		out := make(map[string]int, len(m))
		for k, n := range m {
			out[k] = n
			total += n
		}
		return out
	}
	bytesCopy := make(map[string]int64, len(c.httpBytes))
	for k, n := range c.httpBytes {
		bytesCopy[k] = n
	}
	return map[string]interface{}{
		"soap": copyOf(c.soap), "http": copyOf(c.http), "other": copyOf(c.other),
		"httpBytes": bytesCopy, "faults": c.faults, "total": total,
	}
}

// faultRule is one rule of POST /_testbed/faults.
type faultRule struct {
	Method  string `json:"method"`            // SOAP method ("ReconfigVM_Task"), "*" (any SOAP call), "http:PUT", "http:*"
	Nth     int    `json:"nth"`               // the Nth matching request from now is the first to fail (default 1)
	Times   int    `json:"times"`             // how many consecutive matching requests fail (default 1)
	Kind    string `json:"kind"`              // soapfault | taskfault | taskhang | http500 | drop | drop-after | slow
	Fault   string `json:"fault,omitempty"`   // vim fault type for soapfault/taskfault (default SystemError)
	Message string `json:"message,omitempty"` // faultstring / localized message
	DelayMs int    `json:"delayMs,omitempty"` // slow: the hold (default 1000); taskhang: how long the task runs (default 10 min)

	Seen  int `json:"seen"`  // matching requests so far
	Fired int `json:"fired"` // faults injected so far
}

var faultKinds = map[string]bool{"soapfault": true, "taskfault": true, "taskhang": true, "http500": true, "drop": true, "drop-after": true, "slow": true}

func (r *faultRule) validate() error {
	if r.Method == "" {
		return fmt.Errorf("a rule needs a method (SOAP method name, \"*\", \"http:PUT\", \"http:*\")")
	}
	if !faultKinds[r.Kind] {
		return fmt.Errorf("rule %q: kind %q is not one of soapfault, taskfault, taskhang, http500, drop, drop-after, slow", r.Method, r.Kind)
	}
	if r.Nth <= 0 {
		r.Nth = 1
	}
	if r.Times <= 0 {
		r.Times = 1
	}
	if r.Kind == "slow" && r.DelayMs <= 0 {
		r.DelayMs = 1000
	}
	if r.Kind == "taskhang" && r.DelayMs <= 0 {
		r.DelayMs = 600000
	}
	if r.Kind == "soapfault" || r.Kind == "taskfault" {
		if r.Fault == "" {
			r.Fault = "SystemError"
		}
		if _, err := newFault(r.Fault); err != nil {
			return err
		}
	}
	r.Seen, r.Fired = 0, 0
	return nil
}

func (r *faultRule) matches(key string) bool {
	switch {
	case r.Method == key:
		return true
	case strings.HasPrefix(key, "http:"):
		return r.Method == "http:*"
	case strings.HasPrefix(key, "other:"):
		return false
	default:
		return r.Method == "*"
	}
}

// newFault makes an empty vim fault of the named type (InvalidState, NotFound, ...).
func newFault(name string) (types.BaseMethodFault, error) {
	t, ok := types.TypeFunc()(name)
	if ok {
		if f, isFault := reflect.New(t).Interface().(types.BaseMethodFault); isFault {
			if se, isSystemError := f.(*types.SystemError); isSystemError {
				se.Reason = "injected by the testbed"
			}
			return f, nil
		}
	}
	return nil, fmt.Errorf("%q is not a vim fault type", name)
}

type testbed struct {
	client  *vim25.Client
	fixes   map[string]*fixHook
	latency int64
	info    map[string]interface{}
	stats   counters

	mu    sync.Mutex
	rules []*faultRule
}

func newTestbed(client *vim25.Client, fixes map[string]*fixHook, latency int64, info map[string]interface{}) *testbed {
	tb := &testbed{client: client, fixes: fixes, latency: latency, info: info}
	tb.stats.reset()
	return tb
}

// fire counts a request against the fault rules and returns the rule to apply, if any.
func (tb *testbed) fire(key string) *faultRule {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	var hit *faultRule
	for _, r := range tb.rules {
		if r.Fired >= r.Times || !r.matches(key) {
			continue
		}
		r.Seen++
		if hit == nil && r.Seen >= r.Nth {
			r.Fired++
			hit = r
		}
	}
	if hit != nil {
		copied := *hit
		return &copied
	}
	return nil
}

func (tb *testbed) openSessions() (int, []string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var sm mo.SessionManager
	err := property.DefaultCollector(tb.client).RetrieveOne(ctx, *tb.client.ServiceContent.SessionManager, []string{"sessionList"}, &sm)
	if err != nil {
		return 0, nil, err
	}
	users := []string{}
	for _, s := range sm.SessionList {
		users = append(users, s.UserName)
	}
	return len(sm.SessionList), users, nil
}

func writeJSON(w http.ResponseWriter, status int, v interface{}) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (tb *testbed) control(w http.ResponseWriter, r *http.Request) {
	route := r.Method + " " + strings.TrimSuffix(r.URL.Path, "/")
	switch route {
	case "GET /_testbed/info":
		writeJSON(w, 200, tb.info)
	case "GET /_testbed/stats":
		writeJSON(w, 200, tb.stats.snapshot())
	case "POST /_testbed/stats/reset":
		tb.stats.reset()
		writeJSON(w, 200, tb.stats.snapshot())
	case "GET /_testbed/sessions":
		n, users, err := tb.openSessions()
		if err != nil {
			writeJSON(w, 500, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, 200, map[string]interface{}{"open": n, "users": users})
	case "GET /_testbed/latency":
		writeJSON(w, 200, map[string]int64{"ms": atomic.LoadInt64(&tb.latency)})
	case "POST /_testbed/latency", "PUT /_testbed/latency":
		ms, err := strconv.ParseInt(r.URL.Query().Get("ms"), 10, 64)
		if err != nil || ms < 0 {
			writeJSON(w, 400, map[string]string{"error": "want ?ms=<non-negative integer>"})
			return
		}
		atomic.StoreInt64(&tb.latency, ms)
		writeJSON(w, 200, map[string]int64{"ms": ms})
	case "GET /_testbed/faults":
		tb.mu.Lock()
		defer tb.mu.Unlock()
		writeJSON(w, 200, tb.rules)
	case "POST /_testbed/faults":
		body, _ := ioutil.ReadAll(r.Body)
		var rules []*faultRule
		if err := json.Unmarshal(body, &rules); err != nil {
			var one faultRule
			if err1 := json.Unmarshal(body, &one); err1 != nil {
				writeJSON(w, 400, map[string]string{"error": "want a JSON rule or list of rules: " + err.Error()})
				return
			}
			rules = []*faultRule{&one}
		}
		for _, rule := range rules {
			if err := rule.validate(); err != nil {
				writeJSON(w, 400, map[string]string{"error": err.Error()})
				return
			}
		}
		tb.mu.Lock()
		tb.rules = append(tb.rules, rules...)
		tb.mu.Unlock()
		writeJSON(w, 200, rules)
	case "DELETE /_testbed/faults":
		tb.mu.Lock()
		tb.rules = nil
		tb.mu.Unlock()
		writeJSON(w, 200, []interface{}{})
	default:
		writeJSON(w, 404, map[string]string{"error": "unknown testbed endpoint " + route})
	}
}

// countingReader counts the bytes read from a request body.
type countingReader struct {
	io.ReadCloser
	n *int64
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	atomic.AddInt64(c.n, int64(n))
	return n, err
}

// recorder passes a response through, remembering its status and size.
type recorder struct {
	http.ResponseWriter
	status int
	size   int64
}

func (r *recorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = 200
	}
	n, err := r.ResponseWriter.Write(b)
	r.size += int64(n)
	return n, err
}

// buffer holds a whole response, so that hooks can run before the client sees it.
type buffer struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *buffer) Header() http.Header { return b.header }
func (b *buffer) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}
func (b *buffer) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = 200
	}
	return b.body.Write(p)
}

func (b *buffer) flush(w http.ResponseWriter) {
	for k, v := range b.header {
		w.Header()[k] = v
	}
	if b.status == 0 {
		b.status = 200
	}
	w.WriteHeader(b.status)
	_, _ = w.Write(b.body.Bytes())
}

func drop(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler) // net/http closes the connection without answering
}

func (tb *testbed) wrap(inner http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/_testbed" || strings.HasPrefix(r.URL.Path, "/_testbed/") {
			tb.control(w, r)
			return
		}

		var body []byte
		key := ""
		isSOAP := r.Method == http.MethodPost && (r.URL.Path == "/sdk" || strings.HasPrefix(r.URL.Path, "/sdk/"))
		isFolder := strings.HasPrefix(r.URL.Path, "/folder")
		switch {
		case isSOAP:
			body, _ = ioutil.ReadAll(r.Body)
			_ = r.Body.Close()
			r.Body = ioutil.NopCloser(bytes.NewReader(body))
			key = soapMethod(body)
			tb.stats.add(tb.stats.soap, key)
		case isFolder:
			key = "http:" + r.Method
			tb.stats.add(tb.stats.http, r.Method)
		default:
			key = "other:" + r.Method
			tb.stats.add(tb.stats.other, r.Method+" "+r.URL.Path)
		}

		if d := atomic.LoadInt64(&tb.latency); d > 0 {
			time.Sleep(time.Duration(d) * time.Millisecond)
		}

		dropAfter := false
		if rule := tb.fire(key); rule != nil {
			tb.stats.mu.Lock()
			tb.stats.faults++
			tb.stats.mu.Unlock()
			switch rule.Kind {
			case "slow":
				time.Sleep(time.Duration(rule.DelayMs) * time.Millisecond)
			case "drop":
				drop(w)
				return
			case "drop-after":
				dropAfter = true
			case "http500":
				http.Error(w, "injected HTTP 500 (testbed)", http.StatusInternalServerError)
				return
			case "taskfault", "taskhang":
				switch {
				case !isSOAP || !strings.HasSuffix(key, "_Task"):
					soapFault(w, rule)
				case rule.Kind == "taskhang":
					taskHang(w, body, rule)
				default:
					taskFault(w, body, rule)
				}
				return
			case "soapfault":
				if isSOAP {
					soapFault(w, rule)
				} else {
					http.Error(w, "injected fault "+rule.Fault+" (testbed)", http.StatusInternalServerError)
				}
				return
			}
		}

		var bytesIn int64
		if isFolder && r.Body != nil {
			r.Body = countingReader{r.Body, &bytesIn}
		}

		hook := tb.fixes[key]
		if hook == nil && !dropAfter {
			rec := &recorder{ResponseWriter: w}
			inner.ServeHTTP(rec, r)
			if isFolder {
				tb.stats.addBytes(r.Method, atomic.LoadInt64(&bytesIn)+rec.size)
			}
			return
		}

		var req *simulator.Method
		var state interface{}
		if hook != nil {
			if m, err := simulator.UnmarshalBody(types.TypeFunc(), body); err == nil {
				req = m
				if hook.pre != nil {
					state = hook.pre(req)
				}
			}
		}
		buf := &buffer{header: http.Header{}}
		inner.ServeHTTP(buf, r)
		if req != nil && buf.status == http.StatusOK && hook.post != nil {
			hook.post(req, state, buf.body.Bytes())
		}
		if isFolder {
			tb.stats.addBytes(r.Method, atomic.LoadInt64(&bytesIn)+int64(buf.body.Len()))
		}
		if dropAfter {
			drop(w)
			return
		}
		buf.flush(w)
	})
}

// The SOAP envelope of a fault, as vSphere sends it: the fault type goes into detail as <TypeFault xsi:type="Type">.
const envelopeHead = `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
	`<soapenv:Envelope xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>`
const envelopeTail = `</soapenv:Body></soapenv:Envelope>`

type faultDetail struct{ fault types.BaseMethodFault }

func (d faultDetail) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	kind := reflect.TypeOf(d.fault).Elem().Name()
	start.Name = xml.Name{Local: kind + "Fault"}
	start.Attr = []xml.Attr{
		{Name: xml.Name{Local: "xmlns"}, Value: "urn:vim25"},
		{Name: xml.Name{Local: "xsi:type"}, Value: kind},
	}
	return e.EncodeElement(d.fault, start)
}

func soapFault(w http.ResponseWriter, rule *faultRule) {
	fault, _ := newFault(rule.Fault)
	msg := rule.Message
	if msg == "" {
		msg = "injected fault " + rule.Fault + " (testbed)"
	}
	detail, err := xml.Marshal(faultDetail{fault})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var text bytes.Buffer
	_ = xml.EscapeText(&text, []byte(msg))
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	fmt.Fprintf(w, "%s<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>%s</faultstring><detail>%s</detail></soapenv:Fault>%s",
		envelopeHead, text.String(), detail, envelopeTail)
}

// taskFault answers a *_Task call with a new task on the call's target that has failed with the rule's fault.
// taskHang answers a *_Task call with a task that stays "running" for rule.DelayMs and then fails; the method itself
// is never executed: a vSphere task stuck behind a busy host, as the client sees it.
func taskHang(w http.ResponseWriter, body []byte, rule *faultRule) {
	req, err := simulator.UnmarshalBody(types.TypeFunc(), body)
	if err != nil {
		soapFault(w, rule)
		return
	}
	fault, _ := newFault(rule.Fault)
	if fault == nil {
		fault, _ = newFault("SystemError")
	}
	delay := time.Duration(rule.DelayMs) * time.Millisecond
	task := simulator.CreateTask(req.This, strings.TrimSuffix(req.Name, "_Task")+"Task", func(*simulator.Task) (types.AnyType, types.BaseMethodFault) {
		time.Sleep(delay)
		return nil, fault
	})
	go task.Run()
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	fmt.Fprintf(w, `%s<%sResponse xmlns="urn:vim25"><returnval type="Task">%s</returnval></%sResponse>%s`,
		envelopeHead, req.Name, task.Self.Value, req.Name, envelopeTail)
}

func taskFault(w http.ResponseWriter, body []byte, rule *faultRule) {
	req, err := simulator.UnmarshalBody(types.TypeFunc(), body)
	if err != nil {
		soapFault(w, rule)
		return
	}
	fault, _ := newFault(rule.Fault)
	task := simulator.CreateTask(req.This, strings.TrimSuffix(req.Name, "_Task")+"Task", func(*simulator.Task) (types.AnyType, types.BaseMethodFault) {
		return nil, fault
	})
	ref := task.Run()
	if rule.Message != "" {
		simulator.Map.WithLock(task, func() {
			if task.Info.Error != nil {
				task.Info.Error.LocalizedMessage = rule.Message
			}
		})
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	fmt.Fprintf(w, `%s<%sResponse xmlns="urn:vim25"><returnval type="Task">%s</returnval></%sResponse>%s`,
		envelopeHead, req.Name, ref.Value, req.Name, envelopeTail)
}
