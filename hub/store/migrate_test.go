package store_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/thbx/thbx/hub/store"
)

// A database made before submissions had a withdraw column opens, gains
// the column, and keeps its rows.
func TestOpenMigratesOldDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hub.db")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec(`CREATE TABLE submissions (
		partner TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL, manifest_hash TEXT NOT NULL,
		manifest BLOB NOT NULL, kid TEXT NOT NULL, dataset TEXT NOT NULL, period TEXT NOT NULL,
		schema_version TEXT NOT NULL, classification TEXT NOT NULL, created TEXT NOT NULL, status TEXT NOT NULL,
		reason TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '', records INTEGER NOT NULL DEFAULT 0,
		decided TEXT NOT NULL, settled INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (partner, id));
		INSERT INTO submissions VALUES ('ngo-a', 's1', 1, 'h', x'00', 'k', 'victims', '2024', 'victims/1', 'standard',
			'2025-01-01T00:00:00Z', 'accepted', '', '', 0, '2025-01-01T00:00:00Z', 1);`)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	in, err := st.InForce(context.Background(), "victims")
	if err != nil || len(in) != 1 || in[0].Submission != "s1" {
		t.Fatalf("in force after migration: %v, %v", in, err)
	}
	subs, err := st.Submissions(context.Background(), store.Filter{})
	if err != nil || len(subs) != 1 || subs[0].Withdraw {
		t.Fatalf("submissions after migration: %+v, %v", subs, err)
	}
	if !strings.HasPrefix(subs[0].Status, "accepted") {
		t.Errorf("status %q", subs[0].Status)
	}
}
