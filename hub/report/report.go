// Package report makes the hub's merged datasets and the tables of the
// annual report from what the intake accepted.
//
// A merge reads, for every partner, dataset and period, the submission
// in force (the partner's last accepted one: a resubmission supersedes
// the one before, a withdrawal leaves the period out), links the victims
// records into persons with hub/merge, and stores the outcome as a new,
// immutable version in the store: the inputs it read (its provenance),
// a digest of its configuration, each record's person and the tables.
//
// It guarantees that:
//   - a version is stored whole or not at all, and never changes;
//   - a merge of the same inputs with the same configuration and the
//     same previous version gives the same result: Verify makes a
//     version again from the records the store keeps (superseded and
//     withdrawn submissions are never deleted) and compares digests;
//   - person ids stay stable from version to version (hub/merge's
//     Config.Previous, fed with the previous version's assignments);
//   - each version is made in two scopes: ScopeStandard from submissions
//     classified standard only, linked on their own so that nothing of a
//     restricted submission shapes it, and ScopeRestricted from all;
//     a reader cleared for standard data reads the first only;
//   - a run whose inputs and configuration equal the latest version's
//     makes no new version.
package report

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"time"

	"github.com/thbx/thbx/hub/merge"
	"github.com/thbx/thbx/hub/store"
	"github.com/thbx/thbx/submission"
)

// Scopes of a merge version, named by the clearance a reader needs.
const (
	ScopeStandard   = submission.Standard
	ScopeRestricted = submission.Restricted
)

// Scopes lists the scopes, least cleared first.
var Scopes = []string{ScopeStandard, ScopeRestricted}

// Datasets a merge reads.
const (
	Victims     = "victims"
	Proceedings = "proceedings"
	Controls    = "controls"
)

// Store is the part of the hub's store a merge uses.
type Store interface {
	InForce(ctx context.Context, datasets ...string) ([]store.Input, error)
	InputRecords(ctx context.Context, inputs []store.Input, fn func(store.Input, store.Record) error) error
	AddMerge(ctx context.Context, m *store.Merge, next func() (store.Assignment, bool)) error
	GetMerge(ctx context.Context, version int64) (*store.Merge, error)
	Assignments(ctx context.Context, version int64, scope string, fn func(store.Assignment) error) error
}

var _ Store = (*store.Store)(nil)

// Config configures merges. Store and Salt are required.
type Config struct {
	Store Store
	// Salt is the hub's secret for person ids (merge.Config.Salt).
	Salt []byte
	// Categories maps partner ids to their source category (police,
	// ngo, ...): the tables are broken down by it. A partner missing
	// from it counts under "unknown".
	Categories map[string]string
	// Link tunes the linkage; its Salt and Previous are set here.
	Link merge.Config
	// Now is the clock of version timestamps; time.Now when nil.
	Now func() time.Time
	// Logger; slog.Default() when nil.
	Logger *slog.Logger
}

// ErrChanged is returned by Verify when a version made again differs.
var ErrChanged = errors.New("merge made again differs from the stored version")

// Summary is what a version says of itself, per scope.
type Summary struct {
	Scopes map[string]ScopeSummary `json:"scopes"`
}

// ScopeSummary counts one scope of a version.
type ScopeSummary struct {
	Inputs  int         `json:"inputs"`
	Records int         `json:"records"`
	Persons int         `json:"persons"`
	Link    merge.Stats `json:"link"`
	// Retired maps person ids of the previous version that this one
	// merged into others to the id that carries them on.
	Retired map[string]string `json:"retired,omitempty"`
	// BySource counts records and distinct persons per source category.
	BySource []SourceCount `json:"by_source"`
}

// SourceCount is one source category's records and the distinct persons
// among them.
type SourceCount struct {
	Source  string `json:"source"`
	Records int    `json:"records"`
	Persons int    `json:"persons"`
}

// Run makes a new merge version when the inputs in force or the
// configuration changed since the latest one, and returns the version in
// force and whether it is new.
func Run(ctx context.Context, cfg Config) (*store.Merge, bool, error) {
	if err := cfg.check(); err != nil {
		return nil, false, err
	}
	inputs, err := cfg.Store.InForce(ctx, Victims, Proceedings, Controls)
	if err != nil {
		return nil, false, err
	}
	latest, err := cfg.Store.GetMerge(ctx, 0)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, false, err
	}
	inDigest, confDigest := inputsDigest(inputs), cfg.configDigest()
	if latest != nil && latest.InputsDigest == inDigest && latest.ConfigDigest == confDigest {
		return latest, false, nil
	}
	var prev int64
	if latest != nil {
		prev = latest.Version
	}
	b, err := build(ctx, cfg, inputs, prev)
	if err != nil {
		return nil, false, err
	}
	m := &store.Merge{Created: cfg.now().UTC(), InputsDigest: inDigest, ConfigDigest: confDigest,
		ResultDigest: b.digest, Inputs: inputs, Summary: b.summary, Tables: b.tables}
	if err := cfg.Store.AddMerge(ctx, m, b.assignments()); err != nil {
		return nil, false, err
	}
	cfg.log().Info("merge version made", "version", m.Version, "previous", m.Previous, "inputs", len(inputs),
		"persons", b.persons[ScopeRestricted], "persons_standard", b.persons[ScopeStandard])
	return m, true, nil
}

// Verify makes a stored version again from its inputs, with the
// configuration given and the assignments of the version before it, and
// checks that the result is the same. It returns ErrChanged when the
// result differs, and an error naming the cause when the configuration
// differs from the one the version was made with.
func Verify(ctx context.Context, cfg Config, version int64) error {
	if err := cfg.check(); err != nil {
		return err
	}
	m, err := cfg.Store.GetMerge(ctx, version)
	if err != nil {
		return fmt.Errorf("merge version %d: %w", version, err)
	}
	if d := cfg.configDigest(); d != m.ConfigDigest {
		return fmt.Errorf("merge version %d was made with another configuration (digest %s, now %s): salt, categories or linkage settings changed", m.Version, short(m.ConfigDigest), short(d))
	}
	if d := inputsDigest(m.Inputs); d != m.InputsDigest {
		return fmt.Errorf("%w: version %d's inputs do not match their digest", ErrChanged, m.Version)
	}
	b, err := build(ctx, cfg, m.Inputs, m.Previous)
	if err != nil {
		return err
	}
	if b.digest != m.ResultDigest {
		return fmt.Errorf("%w: version %d, result digest %s, made again %s", ErrChanged, m.Version, short(m.ResultDigest), short(b.digest))
	}
	return nil
}

func short(d string) string {
	if len(d) > 12 {
		return d[:12]
	}
	return d
}

func (c *Config) check() error {
	if c.Store == nil {
		return errors.New("report: a store is required")
	}
	if len(c.Salt) < 16 {
		return errors.New("report: the merge salt must be 16 bytes or more")
	}
	return nil
}

func (c *Config) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Config) log() *slog.Logger {
	if c.Logger != nil {
		return c.Logger
	}
	return slog.Default()
}

func (c *Config) category(partner string) string {
	if cat, ok := c.Categories[partner]; ok && cat != "" {
		return cat
	}
	return merge.Unknown
}

// configDigest is the SHA-256 of what shapes a merge besides its inputs:
// the linkage settings, the categories, and the salt (as its own hash).
// The linkage settings are listed one by one because merge.Config's
// Previous cannot be encoded; a setting added to merge.Config belongs
// here too.
func (c *Config) configDigest() string {
	l := c.Link
	salt := sha256.Sum256(c.Salt)
	b, err := json.Marshal(struct {
		Variants      map[string]merge.VariantRule `json:"variants"`
		Weights       *merge.Weights               `json:"weights"`
		MinScore      float64                      `json:"min_score"`
		PriorRecords  int                          `json:"prior_records"`
		MaxCandidates int                          `json:"max_candidates"`
		NoFuzzy       bool                         `json:"no_fuzzy"`
		FuzzyDice     float64                      `json:"fuzzy_dice"`
		MaxBlock      int                          `json:"max_block"`
		Categories    map[string]string            `json:"categories"`
		Salt          string                       `json:"salt_sha256"`
	}{l.Variants, l.Weights, l.MinScore, l.PriorRecords, l.MaxCandidates, l.NoFuzzy, l.FuzzyDice, l.MaxBlock,
		c.Categories, hex.EncodeToString(salt[:])})
	if err != nil {
		panic("report: encode configuration: " + err.Error()) // plain data: cannot fail
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// inputsDigest is the SHA-256 of the inputs' partner, submission and
// manifest hash, in order.
func inputsDigest(inputs []store.Input) string {
	h := sha256.New()
	for _, in := range inputs {
		fmt.Fprintf(h, "%s %s %s\n", in.Partner, in.Submission, in.ManifestHash)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Tables are a version's report tables per scope, as stored.
type Tables map[string][]merge.Table

// ReadTables returns a version's tables of one scope.
func ReadTables(m *store.Merge, scope string) ([]merge.Table, error) {
	var t Tables
	if err := json.Unmarshal(m.Tables, &t); err != nil {
		return nil, fmt.Errorf("merge version %d: tables: %w", m.Version, err)
	}
	ts, ok := t[scope]
	if !ok {
		return nil, fmt.Errorf("merge version %d has no scope %q", m.Version, scope)
	}
	return ts, nil
}

// ReadSummary returns a version's summary.
func ReadSummary(m *store.Merge) (Summary, error) {
	var s Summary
	err := json.Unmarshal(m.Summary, &s)
	return s, err
}

// FindTable returns the table of a name.
func FindTable(ts []merge.Table, name string) (merge.Table, bool) {
	i := slices.IndexFunc(ts, func(t merge.Table) bool { return t.Name == name })
	if i < 0 {
		return merge.Table{}, false
	}
	return ts[i], true
}

// appendDigestLine appends the line of one assignment that a result
// digest is made of: "scope partner/submission/n person".
func appendDigestLine(b []byte, scope string, ref merge.RecordRef, person string) []byte {
	b = append(b, scope...)
	b = append(b, ' ')
	b = append(b, ref.Partner...)
	b = append(b, '/')
	b = append(b, ref.Submission...)
	b = append(b, '/')
	b = strconv.AppendInt(b, ref.N, 10)
	b = append(b, ' ')
	b = append(b, person...)
	return append(b, '\n')
}
