package api

import (
	"fmt"
	"sync"

	"github.com/thbx/thbx/hub/merge"
	"github.com/thbx/thbx/hub/report"
)

// maxCached bounds the protected reports kept: a version, scope,
// dataset, threshold and audience each.
const maxCached = 32

// protectedCache keeps protected reports: merge versions never change and
// disclosure control gives the same result every time, so a report is
// protected once, not per request, and one busy reader cannot make the
// hub redo the work over and over. Concurrent requests for the same
// report wait for one computation.
type protectedCache struct {
	mu      sync.Mutex
	entries map[string]*cachedReport
	order   []string // oldest first
}

type cachedReport struct {
	once sync.Once
	out  []report.Output
	err  error
}

func (pc *protectedCache) get(version int64, scope, dataset string, k int, audience string, ts []merge.Table) ([]report.Output, error) {
	key := fmt.Sprintf("%d/%s/%s/%d/%s", version, scope, dataset, k, audience)
	pc.mu.Lock()
	if pc.entries == nil {
		pc.entries = map[string]*cachedReport{}
	}
	e, ok := pc.entries[key]
	if !ok {
		e = &cachedReport{}
		pc.entries[key] = e
		pc.order = append(pc.order, key)
		if len(pc.order) > maxCached {
			delete(pc.entries, pc.order[0])
			pc.order = pc.order[1:]
		}
	}
	pc.mu.Unlock()
	e.once.Do(func() { e.out, e.err = report.ProtectReport(ts, k, audience) })
	return e.out, e.err
}
