package report

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/thbx/thbx/hub/merge"
	"github.com/thbx/thbx/hub/store"
)

// Expectation is a partner the registry expects data from: every period
// of each of its datasets.
type Expectation struct {
	Partner  string
	Category string
	Datasets []string
}

// CompletenessStore is the part of the store Completeness reads.
type CompletenessStore interface {
	Completeness(ctx context.Context) ([]store.Completeness, error)
}

// DefaultDeadline is how long after the end of a period a partner has to
// submit its data before the submission counts as late.
const DefaultDeadline = 90 * 24 * time.Hour

// Completeness measures, by partner, dataset and period, what the hub
// expected and got:
//
//	expected   1 when the registry lists the partner for the dataset; the
//	           periods are those any partner submitted the dataset for
//	received   submissions decided (accepted or rejected)
//	accepted   of them accepted (withdrawals included)
//	rejected   of them rejected
//	held       of them kept sealed, awaiting restricted processing
//	withdrawn  1 when the partner's last accepted one is a withdrawal
//	late       1 when the first accepted data came more than deadline
//	           after the end of the period (by the manifest's time)
//
// as a table with the dimensions partner, source, dataset, period and
// measure. A deadline of 0 means DefaultDeadline.
func Completeness(ctx context.Context, st CompletenessStore, expected []Expectation, deadline time.Duration) (merge.Table, error) {
	return CompletenessFor(ctx, st, expected, deadline, nil)
}

// CompletenessFor is Completeness with the rows a reader may see: show,
// unless nil, says for each partner, dataset and whether any of its
// submissions are restricted, whether the row is shown.
func CompletenessFor(ctx context.Context, st CompletenessStore, expected []Expectation, deadline time.Duration,
	show func(partner, category, dataset string, restricted bool) bool) (merge.Table, error) {
	if deadline <= 0 {
		deadline = DefaultDeadline
	}
	rows, err := st.Completeness(ctx)
	if err != nil {
		return merge.Table{}, err
	}
	type key struct{ partner, dataset, period string }
	got := map[key]store.Completeness{}
	periods := map[string][]string{} // dataset → periods seen
	for _, r := range rows {
		got[key{r.Partner, r.Dataset, r.Period}] = r
		if !slices.Contains(periods[r.Dataset], r.Period) {
			periods[r.Dataset] = append(periods[r.Dataset], r.Period)
		}
	}
	cats := map[string]string{}
	want := map[key]bool{}
	for _, e := range expected {
		cats[e.Partner] = e.Category
		for _, d := range e.Datasets {
			for _, p := range periods[d] {
				want[key{e.Partner, d, p}] = true
			}
		}
	}
	var keys []key
	for k := range want {
		keys = append(keys, k)
	}
	for k := range got {
		if !want[k] {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b key) int {
		return slices.Compare([]string{a.partner, a.dataset, a.period}, []string{b.partner, b.dataset, b.period})
	})
	t := merge.Table{Name: "completeness", Dims: []string{"partner", merge.DimSource, "dataset", merge.DimPeriod, DimMeasure}}
	for _, k := range keys {
		g := got[k]
		if show != nil && !show(k.partner, cats[k.partner], k.dataset, g.Restricted) {
			continue
		}
		late := 0
		if y, m, ok := periodEnd(k.period); ok && !g.FirstAccepted.IsZero() &&
			g.FirstAccepted.After(time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC).Add(deadline)) {
			late = 1
		}
		src := cats[k.partner]
		if src == "" {
			src = merge.Unknown
		}
		for _, mv := range []struct {
			name string
			n    int
		}{{"expected", b2i(want[k])}, {"received", g.Received}, {"accepted", g.Accepted},
			{"rejected", g.Rejected}, {"held", g.Held}, {"withdrawn", g.Withdrawn}, {"late", late}} {
			t.Rows = append(t.Rows, merge.Row{Keys: []string{k.partner, src, k.dataset, k.period, mv.name}, Count: mv.n})
		}
	}
	return t, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// periodEnd returns the first day after a reporting period, or false
// for a string that is not one.
func periodEnd(period string) (year, month int, ok bool) {
	y, err := strconv.Atoi(period[:min(4, len(period))])
	if err != nil || len(period) < 4 {
		return 0, 0, false
	}
	switch rest := period[4:]; {
	case rest == "":
		return y + 1, 1, true
	case rest == "-H1":
		return y, 7, true
	case rest == "-H2":
		return y + 1, 1, true
	case len(rest) == 3 && rest[:2] == "-Q" && rest[2] >= '1' && rest[2] <= '4':
		q := int(rest[2] - '0')
		if q == 4 {
			return y + 1, 1, true
		}
		return y, 3*q + 1, true
	case len(rest) == 3 && rest[0] == '-':
		m, err := strconv.Atoi(rest[1:])
		if err != nil || m < 1 || m > 12 {
			return 0, 0, false
		}
		if m == 12 {
			return y + 1, 1, true
		}
		return y, m + 1, true
	}
	return 0, 0, false
}
