package policy

import "slices"

// effect says whether a rule grants or denies.
type effect string

const (
	effectAllow effect = "allow"
	effectDeny  effect = "deny"
)

var effects = []effect{effectAllow, effectDeny}

// rule is one parsed rule. Lists are sorted in the order of their
// vocabulary (roles, actions, levels) or lexically (the rest), so that
// two policies that say the same thing compare equal.
type rule struct {
	id           string
	line         int // where the rule starts in the file; 0 when unknown
	effect       effect
	description  string
	roles        []Role // a grant names at least one; a deny rule's empty list means every role
	minClearance Level  // grants only; empty means standard
	units        []string
	actions      []Action
	kinds        []Kind // deny rules only; a grant's kind follows from its actions and aggregates
	datasets     []string
	categories   []string
	classes      []Level
	mask         []string         // record-level grants only
	aggregates   *aggregatesGrant // set: the grant covers aggregates only
}

// aggregatesGrant is the disclosure control an aggregates-only grant
// carries.
type aggregatesGrant struct {
	audience  Audience
	threshold int
}

// matches reports whether the rule covers the request, leaving aside a
// grant's minimum clearance: see clearanceOK. The request is valid.
func (ru *rule) matches(p Principal, a Action, r Resource) bool {
	if !slices.Contains(ru.actions, a) || (len(ru.kinds) > 0 && !slices.Contains(ru.kinds, r.Kind)) ||
		(len(ru.roles) > 0 && !slices.Contains(ru.roles, p.Role)) ||
		(len(ru.units) > 0 && !slices.Contains(ru.units, p.Unit)) {
		return false
	}
	if !r.Kind.hasData() {
		// Parse keeps data conditions out of rules with actions on
		// trust and audit; these checks only make sure.
		return len(ru.datasets) == 0 && len(ru.categories) == 0 && len(ru.classes) == 0 && ru.aggregates == nil
	}
	if (len(ru.datasets) > 0 && !slices.Contains(ru.datasets, r.Dataset)) ||
		(len(ru.classes) > 0 && !slices.Contains(ru.classes, r.Classification)) {
		return false
	}
	if ru.effect == effectDeny {
		// A deny rule holds if any source of pooled data is one it names.
		return len(ru.categories) == 0 || slices.ContainsFunc(r.Categories, func(c string) bool {
			return slices.Contains(ru.categories, c)
		})
	}
	// A grant must cover every source of pooled data.
	if len(ru.categories) > 0 && !allIn(r.Categories, ru.categories) {
		return false
	}
	if ru.aggregates == nil {
		return r.Kind != KindAggregates
	}
	return r.Kind == KindAggregates && (r.Audience == "" || r.Audience == ru.aggregates.audience)
}

// clearanceOK reports whether the principal has the grant's minimum
// clearance.
func (ru *rule) clearanceOK(p Principal) bool {
	return clearance(p).rank() >= orStandard(ru.minClearance).rank()
}

func clearance(p Principal) Level { return orStandard(p.Clearance) }

func orStandard(l Level) Level {
	if l == "" {
		return Standard
	}
	return l
}

func allIn[T comparable](xs, set []T) bool {
	for _, x := range xs {
		if !slices.Contains(set, x) {
			return false
		}
	}
	return true
}
