package policy

import (
	"bytes"

	"go.yaml.in/yaml/v3"
)

// The canonical form's layout: keys in the order of the format's
// reference, lists on one line in vocabulary order, defaults written out.
type (
	policyYAML struct {
		Version     string     `yaml:"version"`
		Description string     `yaml:"description,omitempty"`
		Rules       []ruleYAML `yaml:"rules"`
	}
	ruleYAML struct {
		ID              string          `yaml:"id"`
		Effect          effect          `yaml:"effect"`
		Description     string          `yaml:"description,omitempty"`
		Roles           []Role          `yaml:"roles,omitempty,flow"`
		MinClearance    Level           `yaml:"min_clearance,omitempty"`
		Units           []string        `yaml:"units,omitempty,flow"`
		Actions         []Action        `yaml:"actions,flow"`
		Kinds           []Kind          `yaml:"kinds,omitempty,flow"`
		Datasets        []string        `yaml:"datasets,omitempty,flow"`
		Categories      []string        `yaml:"categories,omitempty,flow"`
		Classifications []Level         `yaml:"classifications,omitempty,flow"`
		Mask            []string        `yaml:"mask,omitempty,flow"`
		Aggregates      *aggregatesYAML `yaml:"aggregates,omitempty,flow"`
	}
	aggregatesYAML struct {
		Audience  Audience `yaml:"audience"`
		Threshold int      `yaml:"threshold"`
	}
)

// Canonical returns the policy in canonical form: the same rules in the
// same order, keys in a fixed order, lists sorted, the default threshold
// written out and comments dropped. Parsing it gives a policy that
// decides every request as p does (but has another digest: officers sign
// for the file they reviewed, not for this form).
func (p *Policy) Canonical() []byte {
	out := policyYAML{Version: Version, Description: p.description, Rules: []ruleYAML{}}
	for _, ru := range p.rules {
		r := ruleYAML{
			ID: ru.id, Effect: ru.effect, Description: ru.description,
			Roles: ru.roles, MinClearance: ru.minClearance, Units: ru.units, Actions: ru.actions, Kinds: ru.kinds,
			Datasets: ru.datasets, Categories: ru.categories, Classifications: ru.classes, Mask: ru.mask,
		}
		if a := ru.aggregates; a != nil {
			r.Aggregates = &aggregatesYAML{Audience: a.audience, Threshold: a.threshold}
		}
		out.Rules = append(out.Rules, r)
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(out); err != nil {
		// Only strings, lists and numbers, checked by Parse: encoding
		// them cannot fail.
		panic("policy: encode canonical form: " + err.Error())
	}
	if err := enc.Close(); err != nil {
		panic("policy: encode canonical form: " + err.Error())
	}
	return b.Bytes()
}
