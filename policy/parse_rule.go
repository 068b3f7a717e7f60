package policy

import (
	"fmt"
	"slices"
	"strconv"

	"go.yaml.in/yaml/v3"

	"github.com/thbx/thbx/certs"
)

// parseRule reads the index'th rule. It returns nil only if n is not a
// mapping; otherwise the rule as far as it could be read, with any
// problems recorded.
func (ps *parser) parseRule(n *yaml.Node, index int) *rule {
	ps.rule = ruleName(n, index)
	defer func() { ps.rule = "" }()
	m := ps.pairs(n, "a rule", ruleKeys)
	if m == nil {
		return nil
	}
	ru := &rule{line: n.Line}
	if v, ok := m["id"]; !ok {
		ps.errorf(n, "no id; give every rule a short name, as id: analyst-records")
	} else if s, ok := ps.str(v, "id"); ok {
		if ruleIDPattern.MatchString(s) {
			ru.id = s
		} else {
			ps.errorf(v, "id %s: want 1 to 64 lower-case letters, digits, '.', '_' or '-'", quote(s))
		}
	}
	if v, ok := m["effect"]; ok {
		ru.effect = vocabValue(ps, v, "effect", effects)
	} else {
		ps.errorf(n, "no effect; want effect: allow or effect: deny")
	}
	if v, ok := m["description"]; ok {
		ru.description = ps.text(v, "description", maxDescription)
	}
	if v, ok := m["roles"]; ok {
		ru.roles = vocabList(ps, v, "roles", "role", roles)
	}
	if v, ok := m["min_clearance"]; ok {
		ru.minClearance = vocabValue(ps, v, "min_clearance", levels)
	}
	if v, ok := m["units"]; ok {
		ru.units = ps.units(v)
	}
	if v, ok := m["actions"]; ok {
		ru.actions = vocabList(ps, v, "actions", "action", actions)
	} else {
		ps.errorf(n, "no actions; want a list of %s", oneOf(actions))
	}
	if v, ok := m["kinds"]; ok {
		ru.kinds = vocabList(ps, v, "kinds", "kind", kinds)
	}
	if v, ok := m["datasets"]; ok {
		ru.datasets = vocabList(ps, v, "datasets", "dataset", datasetNames())
	}
	if v, ok := m["categories"]; ok {
		ru.categories = vocabList(ps, v, "categories", "partner category", certs.Categories)
	}
	if v, ok := m["classifications"]; ok {
		ru.classes = vocabList(ps, v, "classifications", "classification", levels)
	}
	if v, ok := m["mask"]; ok {
		ru.mask = ps.mask(v, ru.datasets)
	}
	if v, ok := m["aggregates"]; ok {
		ru.aggregates = ps.aggregates(v)
	}
	ps.check(ru, n, m)
	return ru
}

// ruleName names a rule for errors before its keys are read: its id if
// it has a good one, else its place in the list.
func ruleName(n *yaml.Node, index int) string {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Value == "id" && v.Kind == yaml.ScalarNode && v.ShortTag() == "!!str" && ruleIDPattern.MatchString(v.Value) {
				return v.Value
			}
		}
	}
	return fmt.Sprintf("#%d", index+1)
}

func (ps *parser) units(n *yaml.Node) []string {
	var out []string
	for _, it := range ps.items(n, "units") {
		if s := ps.text(it.n, "units", maxUnit); s != "" {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}

// mask reads the fields a grant masks: each must be a field of one of the
// grant's datasets (of any dataset if it names none).
func (ps *parser) mask(n *yaml.Node, datasets []string) []string {
	if len(datasets) == 0 {
		datasets = datasetNames()
	}
	var fields []string
	for _, d := range datasets {
		f, _ := datasetFields(d)
		fields = append(fields, f...)
	}
	var out []string
	for _, it := range ps.items(n, "mask") {
		if !slices.Contains(fields, it.s) {
			ps.errorf(it.n, "mask: %s is not a field of %s (docs/SCHEMA.md)", quote(it.s), oneOf(datasets))
			continue
		}
		out = append(out, it.s)
	}
	slices.Sort(out)
	return out
}

func (ps *parser) aggregates(n *yaml.Node) *aggregatesGrant {
	m := ps.pairs(n, "aggregates", aggregatesKeys)
	if m == nil {
		return nil
	}
	v, ok := m["audience"]
	if !ok {
		ps.errorf(n, "aggregates: no audience; want audience: %s", oneOf(audiences))
		return nil
	}
	aud := vocabValue(ps, v, "aggregates: audience", audiences)
	if aud == "" {
		return nil
	}
	g := &aggregatesGrant{audience: aud, threshold: aud.minThreshold()}
	v, ok = m["threshold"]
	if !ok {
		return g
	}
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!int" || !thresholdPattern.MatchString(v.Value) {
		ps.errorf(v, "aggregates: threshold: want a whole number from %d to %d", g.threshold, MaxThreshold)
		return nil
	}
	k, _ := strconv.Atoi(v.Value) // the pattern makes it 1 to 999
	if k < g.threshold || k > MaxThreshold {
		ps.errorf(v, "aggregates: threshold %d: a grant of %s tables needs %d to %d", k, aud, g.threshold, MaxThreshold)
		return nil
	}
	g.threshold = k
	return g
}

// check refuses combinations of keys that would make a rule mean less
// than it says, or give more than the format allows.
func (ps *parser) check(ru *rule, n *yaml.Node, m map[string]*yaml.Node) {
	at := func(key string) *yaml.Node {
		if v := m[key]; v != nil {
			return v
		}
		return n
	}
	if ru.effect == effectDeny {
		for _, k := range []string{"min_clearance", "mask", "aggregates"} {
			if v := m[k]; v != nil {
				ps.errorf(v, "%s: only a grant (effect: allow) has one", k)
			}
		}
	}
	if v := m["kinds"]; v != nil && ru.effect == effectAllow {
		ps.errorf(v, "kinds: only a deny rule has them; a grant's kind follows from its actions and aggregates")
	}
	for _, k := range ru.kinds {
		if !slices.ContainsFunc(ru.actions, func(a Action) bool { return a.fits(k) }) {
			ps.errorf(at("kinds"), "kinds: %s fits none of the rule's actions", k)
		}
	}
	if i := slices.IndexFunc(ru.actions, func(a Action) bool { return !a.onData() }); i >= 0 {
		for _, k := range []string{"datasets", "categories", "classifications", "mask", "aggregates"} {
			if v := m[k]; v != nil {
				ps.errorf(v, "%s: %s has no data to match; give it a rule of its own", k, ru.actions[i])
			}
		}
	}
	if ru.effect != effectAllow {
		return
	}
	if m["roles"] == nil {
		ps.errorf(n, "no roles; a grant names the roles it is for")
	}
	if slices.Contains(ru.actions, ManageTrust) && slices.ContainsFunc(ru.roles, func(r Role) bool { return r != SecurityOfficer }) {
		ps.errorf(at("roles"), "roles: manage_trust is granted to security_officer only")
	}
	if slices.Contains(ru.roles, Partner) && slices.Contains(ru.actions, ReadAudit) {
		ps.errorf(at("roles"), "roles: a partner never reads the audit log, which names other partners")
	}
	if m["aggregates"] != nil {
		for _, a := range ru.actions {
			if a != ReadAggregates && a != Export {
				ps.errorf(at("actions"), "actions: %s in an aggregates grant, which covers read_aggregates and export only; give it a rule of its own", a)
			}
		}
		if v := m["mask"]; v != nil {
			ps.errorf(v, "mask: masks records; an aggregates grant has a threshold instead")
		}
		return
	}
	if slices.Contains(ru.actions, ReadAggregates) {
		ps.errorf(at("actions"), "actions: read_aggregates needs aggregates: {audience: %s} in the rule", oneOf(audiences))
	}
	if v := m["mask"]; v != nil && !slices.Contains(ru.actions, ReadRecords) && !slices.Contains(ru.actions, Export) {
		ps.errorf(v, "mask: masks records, and the rule has neither read_records nor export")
	}
}
