package main

// Host firewalls as on ESXi. The simulator gives every host a shallow copy of one template
// (simulator/esx.HostFirewallInfo), so all hosts, and the template, share one list of rulesets: enabling a ruleset
// on one host enables it everywhere. It implements only EnableRuleset and DisableRuleset, and reports no property
// changes. Each host here gets its own deep copy, UpdateRuleset, UpdateDefaultPolicy and RefreshFirewall work, and
// changes to firewallInfo reach property collectors.
//
// The template's rulesets do not allow outbound 2377/tcp: "vSPC" (all outbound TCP, what vic-machine's
// `update firewall --allow` enables on vSphere 6.5) starts disabled. -firewall-open enables it on every host.

import (
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// firewallSystem embeds the simulator's type by value: the property collector digs the mo type out of the first
// field of wrapper types, which must not be a pointer.
type firewallSystem struct {
	simulator.HostFirewallSystem
}

func newFirewallSystem(orig *simulator.HostFirewallSystem, open bool) *firewallSystem {
	fw := &firewallSystem{HostFirewallSystem: *orig}
	if orig.FirewallInfo != nil {
		info := *orig.FirewallInfo
		deepCopyInto(&info)
		fw.FirewallInfo = &info
	}
	if open {
		if rs := fw.ruleset("vSPC"); rs != nil {
			rs.Enabled = true
		}
	}
	return fw
}

func installFirewall(open bool) {
	wrap := func(obj mo.Reference) {
		if orig, ok := obj.(*simulator.HostFirewallSystem); ok {
			simulator.Map.Put(newFirewallSystem(orig, open))
		}
	}
	for _, e := range simulator.Map.All("HostSystem") {
		if h, ok := e.(*simulator.HostSystem); ok && h.ConfigManager.FirewallSystem != nil {
			wrap(simulator.Map.Get(*h.ConfigManager.FirewallSystem))
		}
	}
	hooks.onPut(wrap) // hosts added later (AddHost_Task, AddStandaloneHost_Task)
}

func (s *firewallSystem) ruleset(id string) *types.HostFirewallRuleset {
	if s.FirewallInfo == nil {
		return nil
	}
	for i := range s.FirewallInfo.Ruleset {
		if s.FirewallInfo.Ruleset[i].Key == id {
			return &s.FirewallInfo.Ruleset[i]
		}
	}
	return nil
}

func (s *firewallSystem) changed() {
	simulator.Map.Update(s, []types.PropertyChange{{Name: "firewallInfo", Val: s.FirewallInfo}})
}

func notFound(id string) *soap.Fault {
	return simulator.Fault("ruleset "+id+" not found", &types.NotFound{})
}

func (s *firewallSystem) EnableRuleset(req *types.EnableRuleset) soap.HasFault {
	body := &methods.EnableRulesetBody{}
	rs := s.ruleset(req.Id)
	if rs == nil {
		body.Fault_ = notFound(req.Id)
		return body
	}
	rs.Enabled = true
	s.changed()
	body.Res = new(types.EnableRulesetResponse)
	return body
}

func (s *firewallSystem) DisableRuleset(req *types.DisableRuleset) soap.HasFault {
	body := &methods.DisableRulesetBody{}
	rs := s.ruleset(req.Id)
	if rs == nil {
		body.Fault_ = notFound(req.Id)
		return body
	}
	rs.Enabled = false
	s.changed()
	body.Res = new(types.DisableRulesetResponse)
	return body
}

func (s *firewallSystem) UpdateRuleset(req *types.UpdateRuleset) soap.HasFault {
	body := &methods.UpdateRulesetBody{}
	rs := s.ruleset(req.Id)
	if rs == nil {
		body.Fault_ = notFound(req.Id)
		return body
	}
	allowed := req.Spec.AllowedHosts
	deepCopyInto(&allowed)
	rs.AllowedHosts = &allowed
	s.changed()
	body.Res = new(types.UpdateRulesetResponse)
	return body
}

func (s *firewallSystem) UpdateDefaultPolicy(req *types.UpdateDefaultPolicy) soap.HasFault {
	body := &methods.UpdateDefaultPolicyBody{}
	if s.FirewallInfo != nil {
		s.FirewallInfo.DefaultPolicy = req.DefaultPolicy
		s.changed()
	}
	body.Res = new(types.UpdateDefaultPolicyResponse)
	return body
}

func (s *firewallSystem) RefreshFirewall(*types.RefreshFirewall) soap.HasFault {
	return &methods.RefreshFirewallBody{Res: new(types.RefreshFirewallResponse)}
}
