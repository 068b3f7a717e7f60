package server

import (
	"log/slog"
	"math"
	"runtime/debug"
	"strings"
	"testing"
)

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{
		"": 0, "1800MiB": 1800 << 20, "2GiB": 2 << 30, "512KiB": 512 << 10, "100B": 100, "1TiB": 1 << 40,
	} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"1800", "1.5GiB", "-1MiB", "0MiB", "MiB", "2 GiB", "2gib", "9999999999TiB", "1800MB"} {
		if n, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) = %d, want an error", in, n)
		}
	}
}

func TestMemoryLimitConfig(t *testing.T) {
	c := Config{Keys: "k", Store: "s.db", MemoryLimit: "lots"}
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "memory_limit") {
		t.Errorf("memory_limit lots: %v", err)
	}
	c = Config{}
	if err := c.ApplyEnv(func(k string) string {
		return map[string]string{"THBX_HUB_MEMORY_LIMIT": "1GiB"}[k]
	}); err != nil || c.MemoryLimit != "1GiB" {
		t.Errorf("THBX_HUB_MEMORY_LIMIT: %q, %v", c.MemoryLimit, err)
	}
}

func TestApplyMemoryLimit(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "")
	before := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(before) })
	log := slog.New(slog.DiscardHandler)
	if got := ApplyMemoryLimit(Config{MemoryLimit: "3GiB"}, log); got != 3<<30 {
		t.Errorf("limit %d, want 3 GiB", got)
	}
	debug.SetMemoryLimit(math.MaxInt64)
	if got := ApplyMemoryLimit(Config{}, log); got != math.MaxInt64 {
		t.Errorf("no memory_limit: limit %d, want none", got)
	}
	t.Setenv("GOMEMLIMIT", "2GiB") // the runtime read it at start: the config leaves it be
	if got := ApplyMemoryLimit(Config{MemoryLimit: "3GiB"}, log); got != math.MaxInt64 {
		t.Errorf("with GOMEMLIMIT: limit %d, want the runtime's own", got)
	}
}
