package main

// RetrieveOptions.maxObjects paging, which the simulator ignores: RetrievePropertiesEx returns at most maxObjects
// objects and a token, ContinueRetrievePropertiesEx returns the next page, CancelRetrievePropertiesEx drops the
// rest. Without maxObjects every object comes in one page, as before.

import (
	"fmt"
	"sync"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// pagingCollector replaces the PropertyCollector singleton; the simulator makes a per-session instance of the
// registered type (a zero value), so the pages are kept outside the instances.
type pagingCollector struct {
	simulator.PropertyCollector
}

type page struct {
	rest []types.ObjectContent
	max  int
}

var pages = struct {
	sync.Mutex
	next   int
	tokens map[string]page
}{tokens: map[string]page{}}

func installPaging() {
	ref := simulator.Map.Get(types.ManagedObjectReference{Type: "ServiceInstance", Value: "ServiceInstance"}).(*simulator.ServiceInstance).Content.PropertyCollector
	pc := simulator.Map.Get(ref).(*simulator.PropertyCollector)
	replacement := &pagingCollector{}
	replacement.Self, replacement.Filter = pc.Self, pc.Filter
	simulator.Map.Put(replacement)
}

func paginate(objs []types.ObjectContent, max int) *types.RetrieveResult {
	res := &types.RetrieveResult{Objects: objs}
	if max > 0 && len(objs) > max {
		pages.Lock()
		pages.next++
		token := fmt.Sprintf("testbed-page-%d", pages.next)
		pages.tokens[token] = page{objs[max:], max}
		pages.Unlock()
		res.Objects, res.Token = objs[:max], token
	}
	return res
}

func (pc *pagingCollector) RetrievePropertiesEx(ctx *simulator.Context, req *types.RetrievePropertiesEx) soap.HasFault {
	body, ok := pc.PropertyCollector.RetrievePropertiesEx(ctx, req).(*methods.RetrievePropertiesExBody)
	if ok && body.Res != nil && body.Res.Returnval != nil {
		body.Res.Returnval = paginate(body.Res.Returnval.Objects, int(req.Options.MaxObjects))
	}
	return body
}

func (pc *pagingCollector) ContinueRetrievePropertiesEx(ctx *simulator.Context, req *types.ContinueRetrievePropertiesEx) soap.HasFault {
	body := &methods.ContinueRetrievePropertiesExBody{}
	pages.Lock()
	p, ok := pages.tokens[req.Token]
	delete(pages.tokens, req.Token)
	pages.Unlock()
	if !ok {
		body.Fault_ = simulator.Fault("unknown token", &types.InvalidArgument{InvalidProperty: "token"})
		return body
	}
	body.Res = &types.ContinueRetrievePropertiesExResponse{Returnval: *paginate(p.rest, p.max)}
	return body
}

func (pc *pagingCollector) CancelRetrievePropertiesEx(ctx *simulator.Context, req *types.CancelRetrievePropertiesEx) soap.HasFault {
	pages.Lock()
	delete(pages.tokens, req.Token)
	pages.Unlock()
	return &methods.CancelRetrievePropertiesExBody{Res: new(types.CancelRetrievePropertiesExResponse)}
}
