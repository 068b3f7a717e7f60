//go:build linux

// Command thbxbench is the Go half of bench/run.sh: it makes the payload,
// seals and opens it with package submission, and builds and ingests a
// demo world, printing one line of key=value figures per command for the
// script to read. It reads peak RSS the Linux way, so it builds on Linux
// only.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/thbx/thbx/bench"
	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/submission"
)

const usage = `thbxbench: benchmarks of sealing and ingesting submissions (see bench/README.md)

usage: thbxbench <command> [flags]

commands:
  gen     -o FILE [-size 256MiB] [-seed 1]    write victims/1 records, a JSON line each
  hub     -dir DIR                            make hub keys (once); print the standard recipient
  seal    -hub DIR -in FILE -o FILE           seal FILE for the hub, as thbx does
  open    -hub DIR -in FILE                   open what seal wrote, records discarded
  world   -dir DIR [-size 1GiB]               make a demo world; seal and upload one submission
  ingest  -world DIR [-cpuprofile FILE] [-memprofile FILE]
                                              one hub poll over the world's drop box

examples:
  thbxbench gen -o out/payload.jsonl
  thbxbench hub -dir out/hub
  thbxbench seal -hub out/hub -in out/payload.jsonl -o out/thbx.age
  thbxbench open -hub out/hub -in out/thbx.age
  thbxbench world -dir out/world && /usr/bin/time -v thbxbench ingest -world out/world
`

// usageError is a mistake in how thbxbench was called: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	if arg := strings.TrimLeft(os.Args[1], "-"); arg == "help" || arg == "h" {
		fmt.Print(usage)
		return
	}
	cmds := map[string]func([]string) error{
		"gen": runGen, "hub": runHub, "seal": runSeal, "open": runOpen, "world": runWorld, "ingest": runIngest,
	}
	run, ok := cmds[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "thbxbench: unknown command %q\n\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	err := run(os.Args[2:])
	var ue usageError
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
		fmt.Print(usage)
	case errors.As(err, &ue):
		fmt.Fprintf(os.Stderr, "thbxbench %s: %v\n", os.Args[1], err)
		os.Exit(2)
	default:
		fmt.Fprintf(os.Stderr, "thbxbench %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

// parse parses a command's flags and insists on the required ones.
func parse(fs *flag.FlagSet, args []string, required ...string) error {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	for _, name := range required {
		if fs.Lookup(name).Value.String() == "" {
			return usageError{"-" + name + " is required (thbxbench help shows examples)"}
		}
	}
	return nil
}

// byteSize is a flag value such as 256MiB, 1GiB or 1048576.
type byteSize int64

func (b *byteSize) String() string { return strconv.FormatInt(int64(*b), 10) }

func (b *byteSize) Set(s string) error {
	mult := int64(1)
	for suffix, m := range map[string]int64{"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30} {
		if rest, ok := strings.CutSuffix(s, suffix); ok {
			s, mult = rest, m
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return fmt.Errorf("%q is not a size such as 256MiB", s)
	}
	*b = byteSize(n * mult)
	return nil
}

func runGen(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	out := fs.String("o", "", "output `file`")
	size := byteSize(256 << 20)
	fs.Var(&size, "size", "payload size, at most")
	seed := fs.Uint64("seed", 1, "generator seed; the same seed gives the same bytes")
	if err := parse(fs, args, "o"); err != nil {
		return err
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	n, records, err := bench.WritePayload(f, *seed, int64(size))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	fmt.Printf("gen bytes=%d records=%d\n", n, records)
	return nil
}

func runHub(args []string) error {
	fs := flag.NewFlagSet("hub", flag.ContinueOnError)
	dir := fs.String("dir", "", "hub key `directory`")
	if err := parse(fs, args, "dir"); err != nil {
		return err
	}
	files := certs.HubFilesIn(*dir)
	if _, err := os.Stat(files.HubInfo); errors.Is(err, os.ErrNotExist) {
		if _, err := certs.InitHub(*dir, nil); err != nil {
			return err
		}
	}
	recipient, err := standardRecipient(*dir)
	if err != nil {
		return err
	}
	fmt.Println(recipient)
	return nil
}

func standardRecipient(hubDir string) (string, error) {
	info, err := certs.LoadHubInfo(certs.HubFilesIn(hubDir).HubInfo)
	if err != nil {
		return "", err
	}
	return info.Recipients[submission.Standard][0], nil
}

func runSeal(args []string) error {
	fs := flag.NewFlagSet("seal", flag.ContinueOnError)
	hubDir := fs.String("hub", "", "hub key `directory` (thbxbench hub)")
	in := fs.String("in", "", "payload `file`, a JSON record a line")
	out := fs.String("o", "", "ciphertext `file`; the manifest and the partner's public key go beside it")
	if err := parse(fs, args, "hub", "in", "o"); err != nil {
		return err
	}
	recipient, err := standardRecipient(*hubDir)
	if err != nil {
		return err
	}
	key, err := certs.GeneratePartnerKey(nil)
	if err != nil {
		return err
	}
	src, err := os.Open(*in)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.Create(*out)
	if err != nil {
		return err
	}
	start := time.Now()
	sealed, err := bench.SealLines(bench.SealConfig(key, recipient), src, dst)
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	pub, _ := key.Public().MarshalText()
	if err := os.WriteFile(*out+".manifest.jws", sealed.JWS, 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(*out+".partner.pub", pub, 0o644); err != nil {
		return err
	}
	fmt.Printf("seal records=%d ciphertext_bytes=%d seconds=%.3f\n",
		sealed.Manifest.Records, sealed.Manifest.Ciphertext.Size, elapsed.Seconds())
	return nil
}

func runOpen(args []string) error {
	fs := flag.NewFlagSet("open", flag.ContinueOnError)
	hubDir := fs.String("hub", "", "hub key `directory` (thbxbench hub)")
	in := fs.String("in", "", "ciphertext `file` written by thbxbench seal")
	if err := parse(fs, args, "hub", "in"); err != nil {
		return err
	}
	ids, err := certs.LoadHubIdentities(certs.HubFilesIn(*hubDir).Identities)
	if err != nil {
		return err
	}
	m, err := verifiedManifest(*in)
	if err != nil {
		return err
	}
	f, err := os.Open(*in)
	if err != nil {
		return err
	}
	defer f.Close()
	start := time.Now()
	n, err := bench.OpenDiscard(m, f, ids[0].Identity())
	if err != nil {
		return err
	}
	fmt.Printf("open records=%d seconds=%.3f\n", n, time.Since(start).Seconds())
	return nil
}

// verifiedManifest checks the manifest seal wrote beside ciphertext, as
// the hub would before opening anything.
func verifiedManifest(ciphertext string) (*submission.Manifest, error) {
	jws, err := os.ReadFile(ciphertext + ".manifest.jws")
	if err != nil {
		return nil, err
	}
	pem, err := os.ReadFile(ciphertext + ".partner.pub")
	if err != nil {
		return nil, err
	}
	var pub certs.PartnerPublicKey
	if err := pub.UnmarshalText(pem); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(ciphertext)+".partner.pub", err)
	}
	return submission.VerifyManifest(jws, pub)
}
