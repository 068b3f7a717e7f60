package server

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// ParseSize reads a size such as "1800MiB": a whole number and one of
// the units B, KiB, MiB, GiB and TiB, as GOMEMLIMIT takes them. "" is 0.
func ParseSize(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	units := []struct {
		suffix string
		shift  uint
	}{{"TiB", 40}, {"GiB", 30}, {"MiB", 20}, {"KiB", 10}, {"B", 0}}
	for _, u := range units {
		num, ok := strings.CutSuffix(s, u.suffix)
		if !ok {
			continue
		}
		n, err := strconv.ParseInt(num, 10, 64)
		if err != nil || n <= 0 {
			break
		}
		if n > math.MaxInt64>>u.shift {
			return 0, fmt.Errorf("%q is too large", s)
		}
		return n << u.shift, nil
	}
	return 0, errors.New("want a positive whole number and a unit, such as 1800MiB or 2GiB")
}

// ApplyMemoryLimit sets the Go runtime's soft memory limit to the
// config's memory_limit, unless GOMEMLIMIT is set (the runtime has then
// taken that). It returns the limit in force, math.MaxInt64 for none.
func ApplyMemoryLimit(c Config, log *slog.Logger) int64 {
	n, err := ParseSize(c.MemoryLimit)
	switch {
	case err != nil || n == 0:
	case os.Getenv("GOMEMLIMIT") != "":
		log.Info("memory_limit left aside: GOMEMLIMIT is set", "memory_limit", c.MemoryLimit, "GOMEMLIMIT", os.Getenv("GOMEMLIMIT"))
	default:
		debug.SetMemoryLimit(n)
		log.Info("memory limit set", "memory_limit", c.MemoryLimit)
	}
	return debug.SetMemoryLimit(-1)
}
