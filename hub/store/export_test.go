package store

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// Exports may hold at most maxExports readers, however slowly their
// clients read, so listings, the intake's among them, always get one.
func TestExportsLeaveReaders(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tx, err := st.Begin(ctx, &Submission{Partner: "ngo-a", ID: "A1", Sequence: 1, Dataset: "victims",
		Period: "2025-Q1", Classification: "standard", Status: "accepted", Manifest: []byte("m")})
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.AddRecord(ctx, 1, []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}

	release := make(chan struct{})
	var started, done sync.WaitGroup
	for range maxExports {
		started.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			err := st.Records(ctx, "victims", "2025-Q1", func(Record) error {
				started.Done()
				<-release
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	started.Wait()
	defer func() {
		close(release)
		done.Wait()
	}()

	short, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := st.Submissions(short, Filter{Unsettled: true}); err != nil {
		t.Fatalf("listing while every export slot is taken: %v", err)
	}
	if _, err := st.Quarantine(short, true); err != nil {
		t.Fatalf("quarantine while every export slot is taken: %v", err)
	}
	if err := st.Ping(short); err != nil {
		t.Fatal(err)
	}
	// One more export waits for a slot, and gives up with its context.
	waiting, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	err = st.Records(waiting, "victims", "2025-Q1", func(Record) error { return nil })
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("export beyond the slots: %v", err)
	}
}

// The readers cannot write, whatever a future query asks of them.
func TestReadersQueryOnly(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for range readerConns { // every connection of the pool at once
		c, err := st.r.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if _, err := c.ExecContext(ctx, `INSERT INTO chain (partner, seq, hash) VALUES ('x', 1, 'h')`); err == nil {
			t.Fatal("a reader wrote")
		}
	}
	if head, err := st.ChainHead(ctx, "x"); err != nil || head != (Chain{}) {
		t.Fatalf("chain %+v, %v", head, err)
	}
}
