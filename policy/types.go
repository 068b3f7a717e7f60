package policy

import (
	"slices"
	"sync"

	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/submission/schema"
)

// Role is what a principal is to the hub.
type Role string

// The roles a policy can name.
const (
	Analyst         Role = "analyst"          // works with the data for the report
	HeadOfUnit      Role = "head_of_unit"     // leads a unit of analysts
	SecurityOfficer Role = "security_officer" // holds an officer key; changes trust with others
	Auditor         Role = "auditor"          // verifies the audit log
	Partner         Role = "partner"          // an organisation that submits data
	Service         Role = "service"          // a process of the hub itself
)

// roles lists every role, in the order documentation and errors use.
var roles = []Role{Analyst, HeadOfUnit, SecurityOfficer, Auditor, Partner, Service}

// Level is a clearance (of a principal) or a classification (of data).
// Restricted is above standard.
type Level string

// The levels, lowest first.
const (
	Standard   Level = "standard"
	Restricted Level = "restricted"
)

var levels = []Level{Standard, Restricted}

// rank orders levels; an unknown level ranks below every known one.
func (l Level) rank() int { return slices.Index(levels, l) }

// Kind is what sort of thing a resource is.
type Kind string

// The kinds of resource.
const (
	KindRecords     Kind = "records"     // records of a dataset, one by one
	KindAggregates  Kind = "aggregates"  // tables of counts, after disclosure control
	KindTrust       Kind = "trust"       // the trust bundle and proposals to change it
	KindAudit       Kind = "audit"       // the audit log
	KindSubmissions Kind = "submissions" // submissions' metadata: state, receipts, quarantine
)

var kinds = []Kind{KindRecords, KindAggregates, KindTrust, KindAudit, KindSubmissions}

// hasData reports whether resources of the kind come from partners, and
// so have a dataset, source categories and a classification.
func (k Kind) hasData() bool {
	return k == KindRecords || k == KindAggregates || k == KindSubmissions
}

// Action is what a principal asks to do.
type Action string

// The actions.
const (
	ReadRecords     Action = "read_records"
	ReadAggregates  Action = "read_aggregates"
	Export          Action = "export" // records or aggregates, as a file that leaves the hub
	ManageTrust     Action = "manage_trust"
	ReadAudit       Action = "read_audit"
	ReadSubmissions Action = "read_submissions"
)

var actions = []Action{ReadRecords, ReadAggregates, Export, ManageTrust, ReadAudit, ReadSubmissions}

// fits reports whether the action applies to resources of the kind.
func (a Action) fits(k Kind) bool {
	switch a {
	case ReadRecords:
		return k == KindRecords
	case ReadAggregates:
		return k == KindAggregates
	case Export:
		return k == KindRecords || k == KindAggregates
	case ManageTrust:
		return k == KindTrust
	case ReadAudit:
		return k == KindAudit
	case ReadSubmissions:
		return k == KindSubmissions
	}
	return false
}

// onData reports whether the action is on data from partners, which have
// a dataset, source categories and a classification.
func (a Action) onData() bool {
	return a.fits(KindRecords) || a.fits(KindAggregates) || a.fits(KindSubmissions)
}

// Audience is whom a table of counts is for; it sets the least
// disclosure threshold a grant may carry (DOMAIN.md "Publishing counts
// safely").
type Audience string

// The audiences.
const (
	Internal    Audience = "internal"    // inter-agency tables; default threshold 2
	Publication Audience = "publication" // published tables; default threshold 3
)

var audiences = []Audience{Internal, Publication}

// minThreshold is the default and least threshold of an audience.
func (a Audience) minThreshold() int {
	if a == Publication {
		return 3
	}
	return 2
}

// MaxThreshold bounds a grant's disclosure threshold.
const MaxThreshold = 100

// Principal is who asks. The hub fills it from the authenticated login;
// nothing in it is a secret.
type Principal struct {
	Role      Role
	Clearance Level  // empty means standard
	Unit      string // organisational unit, matched by a grant's units
	Partner   string // the partner's id; set for role partner only
	Subject   string // who it is, for the log; the policy never matches on it
}

// Resource is what the action is on.
type Resource struct {
	Kind Kind
	// Dataset, Categories and Classification are set for records,
	// aggregates and submissions, and empty for trust and audit.
	Dataset string // victims, proceedings, controls or aggregates
	// Categories lists the categories (certs.Categories) of the partners
	// the data come from: several for a table pooled over sources.
	Categories []string
	// Classification is the highest classification of the data.
	Classification Level
	// Partner is the id of the partner whose data these are, if they are
	// one partner's; empty for data pooled over partners.
	Partner string
	// Audience is whom a table of counts is for (aggregates only): a
	// grant matches only a request for its own audience. Empty matches
	// grants of either audience, and the strictest applies.
	Audience Audience
}

// schemaIndex is the datasets the schema knows, in its order, with the
// fields of each one's current version: looked up once, as Decide checks
// every request's dataset.
var schemaIndex = sync.OnceValues(func() ([]string, map[string][]string) {
	var names []string
	fields := map[string][]string{}
	for _, d := range schema.Datasets() {
		if !slices.Contains(names, d.Name) {
			names = append(names, d.Name)
		}
		if cur, err := schema.Current(d.Name); err == nil {
			fields[d.Name] = cur.Fields
		}
	}
	return names, fields
})

// datasetFields returns the fields of a dataset's current schema version,
// and whether the dataset is known.
func datasetFields(name string) ([]string, bool) {
	_, fields := schemaIndex()
	f, ok := fields[name]
	return f, ok
}

// datasetNames lists the datasets the schema knows, for errors.
func datasetNames() []string {
	names, _ := schemaIndex()
	return names
}

func knownCategory(c string) bool { return slices.Contains(certs.Categories, c) }
