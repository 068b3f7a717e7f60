//go:build linux

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/thbx/thbx/bench"
	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/hub/demo"
	"github.com/thbx/thbx/hub/ingest"
	"github.com/thbx/thbx/hub/store"
	"github.com/thbx/thbx/submission"
	"github.com/thbx/thbx/submission/dropbox"
	"github.com/thbx/thbx/submission/schema"
)

const benchPartner = "bench-ngo"

// The world's layout, as demo.NewWorld makes it; ingest rebuilds the
// World from it in a fresh process.
func dropboxDir(world string) string { return filepath.Join(world, "dropbox") }
func hubKeyDir(world string) string  { return filepath.Join(world, "hub", "keys") }

func runWorld(args []string) error {
	fs := flag.NewFlagSet("world", flag.ContinueOnError)
	dir := fs.String("dir", "", "world `directory`; must not exist")
	size := byteSize(1 << 30)
	fs.Var(&size, "size", "plaintext to seal, about")
	seed := fs.Uint64("seed", 2, "generator seed")
	if err := parse(fs, args, "dir"); err != nil {
		return err
	}
	if _, err := os.Stat(*dir); err == nil {
		return fmt.Errorf("%s exists; remove it first", *dir)
	}
	w, err := demo.NewWorld(*dir, dropbox.Config{Type: "dir", Dir: dropboxDir(*dir)},
		[]demo.PartnerSpec{{ID: benchPartner, Name: "Benchmark NGO", Category: "ngo"}})
	if err != nil {
		return err
	}
	a, ob, err := w.Agent(benchPartner)
	if err != nil {
		return err
	}
	defer ob.Close()
	d, err := schema.Current("victims")
	if err != nil {
		return err
	}
	start := time.Now()
	var plain int64
	e, err := a.Seal(ob, d, "2025", func(add func(any) error) error {
		g := bench.NewRecords(*seed)
		for plain < int64(size) {
			line := g.NextLine()
			if err := add(json.RawMessage(line)); err != nil {
				return err
			}
			plain += int64(len(line)) + 1
		}
		return nil
	})
	if err != nil {
		return err
	}
	sealed := time.Since(start)
	if _, err := a.Upload(context.Background(), ob); err != nil {
		return err
	}
	fmt.Printf("world submission=%s records=%d plaintext_bytes=%d ciphertext_bytes=%d seal_seconds=%.3f\n",
		e.ID, e.Manifest.Records, plain, e.Manifest.Ciphertext.Size, sealed.Seconds())
	return nil
}

func runIngest(args []string) error {
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	dir := fs.String("world", "", "world `directory` made by thbxbench world")
	memprofile := fs.String("memprofile", "", "write an allocation profile to `file` when the poll is done")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the poll to `file`")
	if err := parse(fs, args, "world"); err != nil {
		return err
	}
	ctx := context.Background()
	w := &demo.World{Dir: *dir, Hub: certs.HubFilesIn(hubKeyDir(*dir))}
	box, err := dropbox.NewDir(dropboxDir(*dir))
	if err != nil {
		return err
	}
	ctBytes, err := inboxCiphertext(ctx, box)
	if err != nil {
		return err
	}
	st, err := w.OpenStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	cfg, err := w.HubConfig(box, st)
	if err != nil {
		return err
	}
	var accepted time.Time
	cfg.Logger = slog.New(&acceptHook{Handler: slog.NewTextHandler(os.Stderr, nil), at: &accepted})
	in, err := ingest.New(cfg)
	if err != nil {
		return err
	}

	stopSampling := sampleMemory(100*time.Millisecond, filepath.Join(*dir, "hub", "hub.db-wal"))
	stopProfile, err := startCPUProfile(*cpuprofile)
	if err != nil {
		return err
	}
	start := time.Now()
	sum, err := in.Poll(ctx)
	elapsed := time.Since(start)
	stopProfile()
	peak := stopSampling()
	if err != nil {
		return err
	}
	if sum.Accepted != 1 {
		return fmt.Errorf("poll accepted %d submissions, want 1 (%+v)", sum.Accepted, sum)
	}
	subs, err := st.Submissions(ctx, store.Filter{Status: submission.Accepted})
	if err != nil {
		return err
	}
	if *memprofile != "" {
		if err := writeHeapProfile(*memprofile); err != nil {
			return err
		}
	}
	stored := accepted.Sub(start)
	if accepted.IsZero() {
		stored = elapsed // the log message changed; count the whole poll
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return err
	}
	fmt.Printf("ingest records=%d ciphertext_bytes=%d seconds=%.3f store_seconds=%.3f maxrss_kib=%d "+
		"sampled_rss_kib=%d anon_kib=%d go_kib=%d file_kib=%d shmem_kib=%d wal_bytes=%d\n",
		subs[0].Records, ctBytes, elapsed.Seconds(), stored.Seconds(), ru.Maxrss,
		peak.rss>>10, peak.anon>>10, peak.goHeld>>10, peak.file>>10, peak.shmem>>10, peak.wal)
	return nil
}

// inboxCiphertext sums the sizes of the payloads waiting in the inbox.
func inboxCiphertext(ctx context.Context, box *dropbox.Dir) (int64, error) {
	objs, err := box.List(ctx, submission.InboxPrefix)
	if err != nil {
		return 0, err
	}
	var n int64
	for _, o := range objs {
		if k, err := submission.ParseInboxKey(o.Key); err == nil && k.Kind == submission.KindCiphertext {
			n += o.Size
		}
	}
	if n == 0 {
		return 0, errors.New("no payload in the inbox; run thbxbench world first")
	}
	return n, nil
}

// acceptHook notes when the ingester logs an acceptance: the records are
// committed by then, and what follows is moving objects and the receipt.
type acceptHook struct {
	slog.Handler
	at *time.Time
}

func (h *acceptHook) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == "submission accepted" {
		*h.at = r.Time
	}
	return h.Handler.Handle(ctx, r)
}

func (h *acceptHook) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &acceptHook{Handler: h.Handler.WithAttrs(attrs), at: h.at}
}

func (h *acceptHook) WithGroup(name string) slog.Handler {
	return &acceptHook{Handler: h.Handler.WithGroup(name), at: h.at}
}

// memory is one sample of where the process's memory is.
type memory struct {
	rss, anon, file, shmem uint64 // VmRSS, RssAnon, RssFile, RssShmem of /proc/self/status
	goHeld                 uint64 // memory the Go runtime holds and has not returned to the OS
}

// peaks are what sampleMemory saw: the sample with the highest resident
// set, and the largest the store's write-ahead log grew.
type peaks struct {
	memory
	wal int64
}

// sampleMemory samples the process's memory and the size of the file wal
// until the returned function is called, which returns the peaks. At the
// peak, anon minus goHeld is anonymous memory Go does not manage: SQLite's
// page cache and other allocations in modernc.org/libc's allocator; shmem
// is the mapped WAL index.
func sampleMemory(every time.Duration, wal string) func() peaks {
	var mu sync.Mutex
	var p peaks
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			m := readMemory()
			var walSize int64
			if info, err := os.Stat(wal); err == nil {
				walSize = info.Size()
			}
			mu.Lock()
			if m.rss > p.rss {
				p.memory = m
			}
			p.wal = max(p.wal, walSize)
			mu.Unlock()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() peaks {
		close(done)
		<-stopped
		mu.Lock()
		defer mu.Unlock()
		return p
	}
}

func readMemory() memory {
	var m memory
	sample := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(sample)
	m.goHeld = sample[0].Value.Uint64() - sample[1].Value.Uint64()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return m
	}
	fields := map[string]*uint64{"VmRSS:": &m.rss, "RssAnon:": &m.anon, "RssFile:": &m.file, "RssShmem:": &m.shmem}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		name, value, _ := strings.Cut(sc.Text(), "\t")
		if dst, ok := fields[name]; ok {
			kib, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(value, "kB")), 10, 64)
			*dst = kib << 10
		}
	}
	return m
}

// startCPUProfile profiles to path until the returned function is
// called; with path empty it does nothing.
func startCPUProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	runtime.GC()
	err = pprof.Lookup("allocs").WriteTo(f, 0)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
