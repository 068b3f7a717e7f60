package policy

import (
	"log/slog"
	"slices"
)

// Reason is the fixed code that says why a decision came out as it did.
type Reason string

// The reasons. Only ReasonGranted comes with Allowed.
const (
	ReasonGranted         Reason = "granted"           // one or more grants cover the request
	ReasonNoMatchingGrant Reason = "no_matching_grant" // default deny: no grant covers it
	ReasonDeniedByRule    Reason = "denied_by_rule"    // a deny rule covers it, whatever the grants
	ReasonClearanceTooLow Reason = "clearance_too_low" // the data, or every grant that would cover it, needs a higher clearance
	ReasonOtherPartner    Reason = "other_partner"     // a partner asked for data that are not only its own
	ReasonInvalidRequest  Reason = "invalid_request"   // an unknown or inconsistent principal, action or resource
	ReasonNoPolicy        Reason = "no_policy"         // Decide was called on a nil policy
)

// Decision is the outcome of [Policy.Decide]. It holds codes, rule ids,
// field names and numbers only, so it can be logged and audited as it is.
type Decision struct {
	Allowed bool
	Reason  Reason
	// Rules are the ids of the rules that decided, in file order: the
	// grants that matched, the deny rules that matched, or the grants
	// whose minimum clearance the principal lacks.
	Rules []string
	// Mask lists the fields to blank in every record returned, sorted:
	// the union of the masks of the matching grants.
	Mask []string
	// Threshold is the disclosure threshold k to apply to tables of
	// counts (aggregates only; 0 otherwise): the highest among the
	// matching grants.
	Threshold int
	// Audience is the audience of the tables: publication if any
	// matching grant is for publication (aggregates only).
	Audience Audience
}

var _ slog.LogValuer = Decision{}

// LogValue logs the decision as a group of its fields.
func (d Decision) LogValue() slog.Value {
	attrs := []slog.Attr{slog.Bool("allowed", d.Allowed), slog.String("reason", string(d.Reason))}
	if len(d.Rules) > 0 {
		attrs = append(attrs, slog.Any("rules", d.Rules))
	}
	if len(d.Mask) > 0 {
		attrs = append(attrs, slog.Any("mask", d.Mask))
	}
	if d.Threshold > 0 {
		attrs = append(attrs, slog.Int("threshold", d.Threshold), slog.String("audience", string(d.Audience)))
	}
	return slog.GroupValue(attrs...)
}

func refuse(r Reason, rules ...string) Decision { return Decision{Reason: r, Rules: rules} }

// Decide says whether the principal may take the action on the resource,
// and under which restrictions. The steps, each final:
//
//  1. an invalid request is refused (invalid_request);
//  2. a matching deny rule refuses it (denied_by_rule);
//  3. a partner asking for data not only its own is refused (other_partner);
//  4. data classified above the principal's clearance are refused
//     (clearance_too_low), whatever the grants say;
//  5. the matching grants allow it (granted), with the union of their
//     masks and the highest of their thresholds;
//  6. if grants match but each needs a higher clearance, it is refused
//     (clearance_too_low); otherwise by default (no_matching_grant).
func (p *Policy) Decide(pr Principal, a Action, r Resource) Decision {
	if p == nil {
		return refuse(ReasonNoPolicy)
	}
	if !validRequest(pr, a, r) {
		return refuse(ReasonInvalidRequest)
	}
	var denied, granted, tooLow []*rule
	for _, ru := range p.rules {
		switch {
		case !ru.matches(pr, a, r):
		case ru.effect == effectDeny:
			denied = append(denied, ru)
		case ru.clearanceOK(pr):
			granted = append(granted, ru)
		default:
			tooLow = append(tooLow, ru)
		}
	}
	switch {
	case len(denied) > 0:
		return refuse(ReasonDeniedByRule, ids(denied)...)
	case pr.Role == Partner && r.Kind.hasData() && r.Partner != pr.Partner:
		return refuse(ReasonOtherPartner)
	case r.Kind.hasData() && clearance(pr).rank() < r.Classification.rank():
		return refuse(ReasonClearanceTooLow)
	case len(granted) == 0 && len(tooLow) > 0:
		return refuse(ReasonClearanceTooLow, ids(tooLow)...)
	case len(granted) == 0:
		return refuse(ReasonNoMatchingGrant)
	}
	d := Decision{Allowed: true, Reason: ReasonGranted, Rules: ids(granted)}
	for _, g := range granted {
		for _, f := range g.mask {
			if !slices.Contains(d.Mask, f) {
				d.Mask = append(d.Mask, f)
			}
		}
		if agg := g.aggregates; agg != nil {
			d.Threshold = max(d.Threshold, agg.threshold)
			if d.Audience != Publication {
				d.Audience = agg.audience
			}
		}
	}
	slices.Sort(d.Mask)
	return d
}

func ids(rs []*rule) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.id
	}
	return out
}

// validRequest refuses what no rule should be asked about: unknown
// values, an action that does not fit the kind, data conditions missing
// (which would let a request slip past deny rules that name them) or
// present where the kind has none.
func validRequest(p Principal, a Action, r Resource) bool {
	if !slices.Contains(roles, p.Role) || (p.Clearance != "" && !slices.Contains(levels, p.Clearance)) ||
		(p.Role == Partner) != (p.Partner != "") ||
		!slices.Contains(actions, a) || !a.fits(r.Kind) {
		return false
	}
	if r.Audience != "" && (r.Kind != KindAggregates || !slices.Contains(audiences, r.Audience)) {
		return false
	}
	if !r.Kind.hasData() {
		return r.Dataset == "" && len(r.Categories) == 0 && r.Classification == "" && r.Partner == ""
	}
	if _, ok := datasetFields(r.Dataset); !ok || !slices.Contains(levels, r.Classification) || len(r.Categories) == 0 {
		return false
	}
	for _, c := range r.Categories {
		if !knownCategory(c) {
			return false
		}
	}
	return true
}
