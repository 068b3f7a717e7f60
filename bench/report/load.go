package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/thbx/thbx/hub/merge"
	"github.com/thbx/thbx/hub/merge/mergetest"
	"github.com/thbx/thbx/hub/store"
	"github.com/thbx/thbx/submission"
	"github.com/thbx/thbx/submission/schema"
)

// t0 is the clock of every submission and merge: the store's content
// depends on the seed only.
var t0 = time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)

const victimsSchema = "victims/1"

// loaded is what the untimed load leaves for the measurement: the
// partners' categories, and the records of the submission that is sent
// again for the incremental merge.
type loaded struct {
	categories  map[string]string
	submissions int
	restricted  int
	generate    time.Duration
	fill        time.Duration
	resubmit    *store.Submission // the submission sent again
	resubRecs   [][]byte          // its records, as stored
	nextSeq     uint64            // the resubmission's sequence number
}

// fill generates the records of cfg and stores them as the intake would:
// one accepted submission per partner and period, each record decoded by
// the victims/1 schema and stored as json.Marshal of what it decoded to.
// The first restricted submissions (one partner's period each, a different
// partner each) are classified restricted, the others standard.
func fill(ctx context.Context, st *store.Store, cfg mergetest.Config, restricted int) (*loaded, error) {
	start := time.Now()
	d := mergetest.Generate(cfg)
	l := &loaded{categories: map[string]string{}, generate: time.Since(start)}
	start = time.Now()

	// Group the records by submission, keeping the generator's numbering.
	type sub struct {
		partner, id, period string
		recs                []int
	}
	var subs []*sub
	byID := map[string]*sub{}
	for i, r := range d.Records {
		s := byID[r.Ref.Submission]
		if s == nil {
			s = &sub{partner: r.Ref.Partner, id: r.Ref.Submission, period: r.Period}
			byID[s.id] = s
			subs = append(subs, s)
		}
		if int64(len(s.recs)+1) != r.Ref.N {
			return nil, fmt.Errorf("generator numbered record %s out of order", r.Ref)
		}
		s.recs = append(s.recs, i)
		l.categories[r.Ref.Partner] = r.Category
	}
	restrictedIDs := restrictedSubmissions(cfg, restricted)
	dec, err := schema.Lookup(victimsSchema)
	if err != nil {
		return nil, err
	}
	seq := map[string]uint64{}
	last := resubmitted(cfg)
	// By id is by partner, then period: the order of a partner's chain.
	slices.SortFunc(subs, func(a, b *sub) int { return strings.Compare(a.id, b.id) })
	for _, s := range subs {
		seq[s.partner]++
		class := submission.Standard
		if restrictedIDs[s.id] {
			class = submission.Restricted
			l.restricted++
		}
		meta := newSubmission(s.partner, s.id, s.period, class, seq[s.partner], int64(len(s.recs)))
		recs := make([][]byte, 0, len(s.recs))
		for _, i := range s.recs {
			b, err := canonical(dec, d.Records[i])
			if err != nil {
				return nil, err
			}
			recs = append(recs, b)
		}
		if err := storeSubmission(ctx, st, meta, recs); err != nil {
			return nil, err
		}
		if s.id == last {
			l.resubmit, l.resubRecs = meta, recs
		}
		l.submissions++
	}
	if l.resubmit == nil {
		return nil, fmt.Errorf("no submission %s to send again", last)
	}
	l.nextSeq = seq[l.resubmit.Partner] + 1
	l.fill = time.Since(start)
	return l, nil
}

// canonical is a record as the intake stores it: decoded and validated by
// the schema, then encoded again.
func canonical(dec schema.Dataset, r merge.Record) ([]byte, error) {
	raw, err := json.Marshal(mergetest.Victim(r))
	if err != nil {
		return nil, err
	}
	v, err := dec.Decode(raw)
	if err != nil {
		return nil, fmt.Errorf("record %s would be refused: %w", r.Ref, err)
	}
	return json.Marshal(v)
}

func newSubmission(partner, id, period, class string, seq uint64, records int64) *store.Submission {
	h := sha256.Sum256([]byte(partner + "/" + id))
	return &store.Submission{Partner: partner, ID: id, Sequence: seq, ManifestHash: hex.EncodeToString(h[:]),
		Manifest: []byte("{}"), KeyID: partner + "-k1", Dataset: "victims", Period: period, Schema: victimsSchema,
		Classification: class, Created: t0, Status: submission.Accepted, Records: records, Decided: t0}
}

func storeSubmission(ctx context.Context, st *store.Store, sub *store.Submission, recs [][]byte) error {
	tx, err := st.Begin(ctx, sub)
	if err != nil {
		return err
	}
	for i, b := range recs {
		if err := tx.AddRecord(ctx, int64(i+1), b); err != nil {
			tx.Rollback()
			return err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("store %s/%s: %w", sub.Partner, sub.ID, err)
	}
	return nil
}

// resend stores the resubmission of l.resubmit: the same period again,
// with every hundredth record left out, as a partner's correction would.
func resend(ctx context.Context, st *store.Store, l *loaded) (string, error) {
	old := l.resubmit
	var recs [][]byte
	for i, b := range l.resubRecs {
		if (i+1)%100 != 0 {
			recs = append(recs, b)
		}
	}
	sub := newSubmission(old.Partner, old.ID+"-r1", old.Period, old.Classification, l.nextSeq, int64(len(recs)))
	sub.Created = t0.Add(24 * time.Hour)
	return sub.ID, storeSubmission(ctx, st, sub, recs)
}

// restrictedSubmissions names n submissions to classify restricted: the
// last partner's first period, the one before it's second period, and
// so on.
func restrictedSubmissions(cfg mergetest.Config, n int) map[string]bool {
	out := map[string]bool{}
	for k := range n {
		p := cfg.Partners - 1 - k%cfg.Partners
		per := cfg.Periods[k%len(cfg.Periods)]
		out[subID(p, per)] = true
	}
	return out
}

// resubmitted names the submission sent again: the first partner's last
// period.
func resubmitted(cfg mergetest.Config) string { return subID(0, cfg.Periods[len(cfg.Periods)-1]) }

// subID is mergetest's name for a partner's submission of a period.
func subID(partner int, period string) string {
	return fmt.Sprintf("partner-%02d-%s", partner, period)
}
