package api

import (
	"encoding/json"
	"fmt"

	"github.com/labstack/echo/v4"

	"github.com/thbx/thbx/hub/audit"
	"github.com/thbx/thbx/hub/report"
	"github.com/thbx/thbx/hub/store"
	"github.com/thbx/thbx/policy"
)

// recordGate lets records through to one client as the policy decides:
// per partner and classification, each decision asked once and recorded
// in the audit log before the first of its records leaves, and with the
// fields the decision masks left out.
type recordGate struct {
	h       *handlers
	c       echo.Context
	action  policy.Action
	res     audit.Resource // dataset, period, format
	dataset string
	seen    map[[2]string]*policy.Decision
	allowed int // sources let through
	refused int // sources refused
	first   policy.Decision
}

var _ report.RecordGate = (*recordGate)(nil)

func (h *handlers) newGate(c echo.Context, action policy.Action, dataset string, res audit.Resource) *recordGate {
	return &recordGate{h: h, c: c, action: action, res: res, dataset: dataset, seen: map[[2]string]*policy.Decision{}}
}

// Pass decides on the record's partner and classification, and masks it.
func (g *recordGate) Pass(r store.Record) (store.Record, bool, error) {
	key := [2]string{r.Partner, r.Classification}
	d, ok := g.seen[key]
	if !ok {
		cat := g.h.category(r.Partner)
		dec := g.h.decide(identityOf(g.c), g.action, policy.Resource{Kind: policy.KindRecords, Dataset: g.dataset,
			Categories: []string{cat}, Classification: policy.Level(r.Classification), Partner: r.Partner})
		details := map[string]string{"partner": r.Partner, "classification": r.Classification}
		if len(dec.Mask) > 0 {
			details["masked"] = fmt.Sprint(len(dec.Mask))
		}
		if err := g.h.record(g.c, g.action, g.res, dec, details); err != nil {
			return r, false, err
		}
		if dec.Allowed {
			g.allowed++
		} else {
			if g.refused == 0 {
				g.first = dec
			}
			g.refused++
		}
		d = &dec
		g.seen[key] = d
	}
	if !d.Allowed {
		return r, false, nil
	}
	if len(d.Mask) > 0 {
		masked, err := mask(r.Data, d.Mask)
		if err != nil {
			return r, false, fmt.Errorf("record %s/%s/%d: %w", r.Partner, r.Submission, r.N, err)
		}
		r.Data = masked
	}
	return r, true, nil
}

// Done refuses the request when records were there and none might go:
// the client learns that it may not, not that there is nothing.
//
// When there were no records, whether the reader may read the dataset
// at all is decided (for data of every source, classified standard) and
// recorded, so that an empty answer too is a decision, and a reader who
// may read nothing cannot tell an empty period from a full one.
func (g *recordGate) Done() error {
	if g.allowed == 0 && g.refused > 0 {
		return forbidden(g.first)
	}
	if g.allowed == 0 && g.refused == 0 {
		d := g.h.decide(identityOf(g.c), g.action, policy.Resource{Kind: policy.KindRecords, Dataset: g.dataset,
			Categories: g.h.allCategories(), Classification: policy.Standard})
		if err := g.h.record(g.c, g.action, g.res, d, map[string]string{"records": "0"}); err != nil {
			return err
		}
		if !d.Allowed {
			return forbidden(d)
		}
	}
	return nil
}

// mask leaves the fields out of a record.
func mask(data string, fields []string) (string, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal([]byte(data), &obj); err != nil || obj == nil {
		return "", errNotObject
	}
	for _, f := range fields {
		delete(obj, f)
	}
	b, err := json.Marshal(obj)
	return string(b), err
}
