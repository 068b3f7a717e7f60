//go:build unix

// Package readmetest runs the README's walkthrough ("## Walkthrough: a
// partner submits a CSV file to a real S3 drop box") exactly as written, so
// that the documentation cannot drift from the code.
//
// The walkthrough's fenced blocks are taken in order: ```sh blocks are
// commands, ```yaml blocks are files, named by the last `….yaml` in
// backticks in the paragraph just before the block. All of it runs in one
// bash process (set -euo pipefail) in a fresh directory, with the only
// changes a test needs:
//
//   - `go install ./cmd/...` becomes `go build -o BIN ./cmd/...` run by the
//     test, BIN first on $PATH, so nothing is installed into the real GOBIN;
//     the versitygw `go install` line is skipped (its module@version must be
//     the one in deploy/s3gw's install hint), and the binary the
//     deploy/s3gw package would use ($THBX_VERSITYGW, $PATH, $GOBIN or
//     $GOPATH/bin) must exist, or the test fails with the install hint;
//   - every loopback port in the section gets a free port instead;
//   - after the line that starts the gateway in the background, the script
//     waits until both its ports accept connections (see [TestMain]); a
//     user who pastes step 1 whole needs such a wait too;
//   - THBX_* and AWS_* variables are dropped from the environment and HOME
//     is an empty directory, as for a new user.
//
// Comment lines right after a command (no blank line between) are the
// command's example output: each one must match a line the command printed,
// in order, field by field, where a ULID in the example matches any ULID; a
// line holding only "…" or "..." matches nothing and is skipped.
//
// The first `thbx-agent status` must show a pending submission, the last an
// accepted one with 3 records. The script has two minutes; it runs in its
// own process group, which the test kills and waits for, and it stops the
// gateway itself when it exits.
package readmetest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/thbx/thbx/deploy/s3gw"
)

const (
	readmePath     = "../../../README.md"
	moduleRoot     = "../../.."
	sectionHeading = "## Walkthrough: a partner submits a CSV file to a real S3 drop box"

	scriptTimeout = 2 * time.Minute
	// gatewayWait bounds the wait for the gateway's ports after it starts.
	gatewayWait = 20 * time.Second
	// helperEnv makes the test binary a helper for the script: see TestMain.
	helperEnv = "READMETEST_HELPER"
	marker    = "@@readmetest-step "
)

// TestMain makes the test binary double as the script's wait helper: with
// READMETEST_HELPER=wait-listen it waits until every host:port in its
// arguments accepts a connection and exits 0, or exits 1 after 20 seconds.
// (The README starts the gateway without a health path, and the admin
// port has none.)
func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) == "wait-listen" {
		os.Exit(waitListen(os.Args[1:]))
	}
	os.Exit(m.Run())
}

func waitListen(addrs []string) int {
	deadline := time.Now().Add(gatewayWait)
	for _, a := range addrs {
		for {
			c, err := net.DialTimeout("tcp", a, time.Second)
			if err == nil {
				c.Close()
				break
			}
			if time.Now().After(deadline) {
				fmt.Fprintf(os.Stderr, "readmetest: nothing listens on %s after %v: %v\n", a, gatewayWait, err)
				return 1
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	return 0
}

// block is a fenced code block of the walkthrough.
type block struct {
	lang  string
	line  int      // README line of the block's first content line
	lines []string // content, without the fences
	file  string   // yaml blocks: the file it is
}

// stepKind says what a step of the script is.
type stepKind int

const (
	stepCommand stepKind = iota
	stepFile
)

// step is one marked part of the script: a command (one logical line, or a
// whole block that is not a list of simple commands) or a file.
type step struct {
	kind        stepKind
	line        int    // README line
	text        string // as in the README (after port substitution)
	example     []string
	exampleLine int
}

func TestWalkthrough(t *testing.T) {
	steps, outputs := runSection(t, sectionHeading)
	var status []int
	for i, s := range steps {
		if s.kind == stepCommand && agentStatus.MatchString(s.text) {
			status = append(status, i)
		}
	}
	if len(status) < 2 {
		t.Fatalf("the walkthrough runs `thbx-agent status` %d times; want one before the hub answers and one after", len(status))
	}
	first, final := steps[status[0]], steps[status[len(status)-1]]
	if !hasRow(outputs[status[0]], func(r map[string]string) bool { return r["STATE"] == "pending" }) {
		t.Errorf("README.md:%d: `%s` shows no pending submission:\n%s", first.line, first.text, outputs[status[0]])
	}
	if !hasRow(outputs[status[len(status)-1]], func(r map[string]string) bool {
		return r["STATE"] == "accepted" && r["RECORDS"] == "3"
	}) {
		t.Errorf("README.md:%d: `%s` shows no accepted submission of 3 records:\n%s", final.line, final.text, outputs[status[len(status)-1]])
	}
}

// runSection runs the fenced blocks of one README section as one bash
// session and returns its steps and each step's output. Example output
// written under a command as comments must match what it printed.
func runSection(t *testing.T, heading string) ([]step, map[int]string) {
	t.Helper()
	readme, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	blocks, err := sectionBlocks(string(readme), heading)
	if err != nil {
		t.Fatalf("%s: %v", readmePath, err)
	}

	ports, err := substitutePorts(blocks)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("loopback ports (README → test): %v", ports)

	tmp := t.TempDir()
	bin := filepath.Join(tmp, "bin")
	dir := filepath.Join(tmp, "walk")
	home := filepath.Join(tmp, "home")
	for _, d := range []string{bin, dir, home} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}

	script, steps, plan, err := buildScript(blocks)
	if err != nil {
		t.Fatal(err)
	}

	vgw, err := findVersitygw()
	if err != nil {
		t.Fatalf("the walkthrough needs versitygw: %v", err)
	}
	if err := os.Symlink(vgw, filepath.Join(bin, "versitygw")); err != nil {
		t.Fatal(err)
	}
	if len(plan.goBuild) == 0 {
		// A later section relies on the commands installed in step 0.
		plan.goBuild = []string{"./cmd/..."}
	}
	build := exec.CommandContext(t.Context(), "go", append([]string{"build", "-o", bin + string(filepath.Separator)}, plan.goBuild...)...)
	build.Dir = moduleRoot
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", strings.Join(plan.goBuild, " "), err, out)
	}
	for _, name := range []string{"thbx-agent", "thbx-hub", "thbx-keys"} {
		if _, err := os.Stat(filepath.Join(bin, name)); err != nil {
			t.Fatalf("go build %s made no %s: %v", strings.Join(plan.goBuild, " "), name, err)
		}
	}
	for _, f := range plan.testdata {
		if err := copyFile(filepath.Join(moduleRoot, f), filepath.Join(dir, f)); err != nil {
			t.Fatalf("the walkthrough uses %s: %v", f, err)
		}
	}

	scriptPath := filepath.Join(tmp, "walkthrough.sh")
	if err := os.WriteFile(scriptPath, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Fatalf("the walkthrough is a bash session: %v", err)
	}

	logPath := filepath.Join(tmp, "output.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()

	ctx, cancel := context.WithTimeout(t.Context(), scriptTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bash, scriptPath)
	cmd.Dir = dir
	cmd.Env = append(cleanEnv(os.Environ()),
		"PATH="+bin+string(filepath.ListSeparator)+os.Getenv("PATH"),
		"HOME="+home,
		"READMETEST_SELF="+self,
		// The helper is this (maybe race-enabled) test binary: no exit pause.
		"GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"),
	)
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	setParentDeathSignal(cmd.SysProcAttr)
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }

	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pgid := cmd.Process.Pid
	t.Cleanup(func() { stopGroup(t, pgid) })
	runErr := cmd.Wait()
	t.Logf("walkthrough ran in %v", time.Since(start).Round(time.Millisecond))

	raw, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	outputs, last := splitOutput(string(raw))
	if runErr != nil {
		what := "the script"
		if last >= 0 && last < len(steps) {
			s := steps[last]
			what = fmt.Sprintf("README.md:%d: %s", s.line, s.text)
		}
		if ctx.Err() != nil {
			runErr = fmt.Errorf("%w (timed out after %v)", runErr, scriptTimeout)
		}
		t.Fatalf("walkthrough failed at\n%s\n%v\noutput of that step:\n%s\n\nscript:\n%s\nwhole output:\n%s",
			what, runErr, outputs[last], script, annotate(steps, outputs))
	}
	t.Logf("output:\n%s", annotate(steps, outputs))
	for i, s := range steps {
		if len(s.example) > 0 {
			if err := matchExample(s.example, outputs[i]); err != nil {
				t.Errorf("README.md:%d: the example output of `%s` is not what it prints: %v\nit printed:\n%s",
					s.exampleLine, s.text, err, outputs[i])
			}
		}
	}
	return steps, outputs
}

var agentStatus = regexp.MustCompile(`(^|[\s;&|])thbx-agent\s+status\b`)

// walkthroughBlocks returns the fenced blocks of the walkthrough section,
// with each yaml block's file name.
func walkthroughBlocks(readme string) ([]block, error) { return sectionBlocks(readme, sectionHeading) }

// sectionBlocks returns the fenced blocks of the section under heading.
func sectionBlocks(readme, heading string) ([]block, error) {
	lines := strings.Split(readme, "\n")
	start := slices.IndexFunc(lines, func(l string) bool { return strings.TrimRight(l, " \r") == heading })
	if start < 0 {
		return nil, fmt.Errorf("no %q section", heading)
	}
	end := len(lines)
	for i := start + 1; i < len(lines); i++ {
		if strings.HasPrefix(lines[i], "## ") {
			end = i
			break
		}
	}
	var blocks []block
	for i := start + 1; i < end; i++ {
		l := strings.TrimRight(lines[i], "\r")
		if !strings.HasPrefix(l, "```") {
			continue
		}
		b := block{lang: strings.TrimSpace(strings.TrimPrefix(l, "```")), line: i + 2}
		j := i + 1
		for ; j < end && !strings.HasPrefix(strings.TrimRight(lines[j], "\r"), "```"); j++ {
			b.lines = append(b.lines, strings.TrimRight(lines[j], "\r"))
		}
		if j == end {
			return nil, fmt.Errorf("line %d: code block not closed before the end of the section", i+1)
		}
		if b.lang == "yaml" || b.lang == "yml" {
			name, err := fileName(lines[start+1 : i])
			if err != nil {
				return nil, fmt.Errorf("line %d: yaml block: %v", i+1, err)
			}
			b.file = name
		}
		blocks = append(blocks, b)
		i = j
	}
	if !slices.ContainsFunc(blocks, func(b block) bool { return b.lang == "sh" }) {
		return nil, errors.New("the walkthrough has no ```sh blocks")
	}
	return blocks, nil
}

var yamlName = regexp.MustCompile("`([^`\\s]+\\.ya?ml)`")
var safeName = regexp.MustCompile(`^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$`)

// fileName finds the file a yaml block is: the last `NAME.yaml` in the
// paragraph before it (the lines since the last blank line or fence).
func fileName(before []string) (string, error) {
	i := len(before)
	for i > 0 && strings.TrimSpace(before[i-1]) == "" {
		i--
	}
	j := i
	for j > 0 && strings.TrimSpace(before[j-1]) != "" && !strings.HasPrefix(before[j-1], "```") {
		j--
	}
	para := strings.Join(before[j:i], "\n")
	m := yamlName.FindAllStringSubmatch(para, -1)
	if len(m) == 0 {
		return "", fmt.Errorf("the paragraph before it names no file as `NAME.yaml`: %q", para)
	}
	name := m[len(m)-1][1]
	if !safeName.MatchString(name) || slices.Contains(strings.Split(name, "/"), "..") {
		return "", fmt.Errorf("file name %q is not a plain relative path", name)
	}
	return name, nil
}

var loopbackPort = regexp.MustCompile(`\b(127\.0\.0\.1|localhost):([0-9]{2,5})\b`)

// substitutePorts gives every loopback port in the blocks a free one.
func substitutePorts(blocks []block) (map[string]string, error) {
	ports := map[string]string{}
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	for _, b := range blocks {
		for _, l := range b.lines {
			for _, m := range loopbackPort.FindAllStringSubmatch(l, -1) {
				if _, ok := ports[m[2]]; ok {
					continue
				}
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				if err != nil {
					return nil, err
				}
				ls = append(ls, ln)
				ports[m[2]] = strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
			}
		}
	}
	for bi := range blocks {
		for li, l := range blocks[bi].lines {
			blocks[bi].lines[li] = loopbackPort.ReplaceAllStringFunc(l, func(s string) string {
				m := loopbackPort.FindStringSubmatch(s)
				return m[1] + ":" + ports[m[2]]
			})
		}
	}
	return ports, nil
}

// plan is what the test does outside the script.
type plan struct {
	goBuild  []string // packages of `go install ./...`
	testdata []string // repository files the commands use
}

var testdataRef = regexp.MustCompile(`\btestdata/[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*`)

const prelude = `set -euo pipefail
# On exit, also on SIGTERM from the parent-death signal: stop the gateway
# and whatever else runs in this process group, and wait for it.
readmetest_stop() {
	trap '' TERM
	kill -TERM 0 2>/dev/null || true
	wait 2>/dev/null || true
}
trap readmetest_stop EXIT
readmetest_step() { printf '\n` + marker + `%s@@\n' "$1"; }
readmetest_wait_listen() { READMETEST_HELPER=wait-listen "$READMETEST_SELF" "$@"; }
`

// buildScript turns the blocks into one bash script, with a marker before
// each step, and says what the test must do before running it.
func buildScript(blocks []block) (string, []step, plan, error) {
	var (
		sb      strings.Builder
		steps   []step
		p       plan
		started bool
	)
	sb.WriteString(prelude)
	mark := func(s step) {
		fmt.Fprintf(&sb, "readmetest_step %d\n", len(steps))
		steps = append(steps, s)
	}
	for _, b := range blocks {
		switch b.lang {
		case "yaml", "yml":
			body := strings.Join(b.lines, "\n") + "\n"
			eof := fmt.Sprintf("READMETEST_EOF_%d", len(steps))
			if strings.Contains(body, eof) {
				return "", nil, p, fmt.Errorf("README.md:%d: the file holds %s", b.line, eof)
			}
			mark(step{kind: stepFile, line: b.line, text: "write " + b.file})
			fmt.Fprintf(&sb, "cat > '%s' <<'%s'\n%s%s\n", b.file, eof, body, eof)
		case "sh", "bash", "shell":
			cmds := logicalLines(b)
			simple := !slices.ContainsFunc(cmds, func(c logical) bool { return compound(c.text) })
			if !simple {
				// Not a list of simple commands: one step for the block.
				mark(step{kind: stepCommand, line: b.line, text: strings.Join(b.lines, "\n")})
			}
			for ci, c := range cmds {
				if c.comment || c.text == "" {
					sb.WriteString(c.text + "\n")
					continue
				}
				text := c.text
				for _, m := range testdataRef.FindAllString(text, -1) {
					if !slices.Contains(p.testdata, m) {
						p.testdata = append(p.testdata, m)
					}
				}
				skip, err := goInstall(c, &p)
				if err != nil {
					return "", nil, p, err
				}
				if skip {
					text = "# readmetest: done by the test: " + strings.ReplaceAll(text, "\n", "\n# ")
				}
				if simple {
					s := step{kind: stepCommand, line: c.line, text: text}
					// Comment lines right after it are its example output.
					for k := ci + 1; k < len(cmds) && cmds[k].comment; k++ {
						if s.example == nil {
							s.exampleLine = cmds[k].line
						}
						s.example = append(s.example, strings.TrimSpace(strings.TrimPrefix(cmds[k].text, "#")))
					}
					mark(s)
				}
				sb.WriteString(text + "\n")
				if addrs, ok := gatewayStart(text); ok {
					if started {
						return "", nil, p, fmt.Errorf("README.md:%d: a second gateway; update this test", c.line)
					}
					started = true
					sb.WriteString("readmetest_wait_listen")
					for _, a := range addrs {
						fmt.Fprintf(&sb, " '%s'", a)
					}
					sb.WriteString("\n")
				}
			}
		default:
			// Not run: output shown as text, say.
		}
	}
	return sb.String(), steps, p, nil
}

// logical is a logical line of a sh block: a comment line, a blank line, or
// a command with its backslash-continued lines.
type logical struct {
	line    int
	text    string
	comment bool
}

func logicalLines(b block) []logical {
	var out []logical
	for i := 0; i < len(b.lines); i++ {
		l := logical{line: b.line + i, text: b.lines[i]}
		trimmed := strings.TrimSpace(l.text)
		switch {
		case strings.HasPrefix(trimmed, "#"):
			l.comment = true
		case trimmed == "":
			l.text = ""
		default:
			for strings.HasSuffix(b.lines[i], "\\") && i+1 < len(b.lines) {
				i++
				l.text += "\n" + b.lines[i]
			}
		}
		out = append(out, l)
	}
	return out
}

// compound reports whether a command line is part of something larger
// than itself (a here-document, a loop, a continued pipeline), so that a
// marker cannot go before the next line.
func compound(text string) bool {
	if strings.Contains(text, "<<") {
		return true
	}
	code := strings.TrimSpace(stripComment(text))
	for _, suffix := range []string{"&&", "||", "|", "{", "(", "do", "then", "else", "in"} {
		if strings.HasSuffix(code, suffix) {
			return true
		}
	}
	f := strings.Fields(code)
	return len(f) > 0 && slices.Contains([]string{"if", "for", "while", "until", "case", "select", "function", "{", "(", "}", ")", "fi", "done", "esac"}, f[0])
}

// stripComment drops a trailing " # comment" outside quotes.
func stripComment(s string) string {
	var quote rune
	prev := ' '
	for i, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"':
			quote = r
		case r == '#' && (prev == ' ' || prev == '\t' || prev == '\n'):
			return s[:i]
		}
		prev = r
	}
	return s
}

// words splits a command into words, ignoring quotes' finer points and
// line continuations.
func words(text string) []string {
	return strings.Fields(strings.ReplaceAll(stripComment(text), "\\\n", " "))
}

// commandWords drops leading VAR=value assignments.
func commandWords(text string) []string {
	w := words(text)
	for len(w) > 0 && strings.Contains(w[0], "=") && !strings.HasPrefix(w[0], "-") {
		w = w[1:]
	}
	return w
}

// goInstall handles a `go install` line: local packages are built by the
// test instead, versitygw must already be there. It reports whether the
// line is to be skipped in the script.
func goInstall(c logical, p *plan) (bool, error) {
	w := commandWords(c.text)
	if len(w) < 2 || w[0] != "go" || w[1] != "install" {
		return false, nil
	}
	var pkgs []string
	for _, a := range w[2:] {
		switch {
		case strings.HasPrefix(a, "./"):
			pkgs = append(pkgs, a)
		case strings.HasPrefix(a, "github.com/versity/versitygw/cmd/versitygw@"):
			if !strings.Contains(s3gw.InstallHint, "go install "+a+"`") {
				return false, fmt.Errorf("README.md:%d: installs %s, but deploy/s3gw says: %s", c.line, a, s3gw.InstallHint)
			}
		default:
			return false, fmt.Errorf("README.md:%d: `go install %s` is not a line this test knows how to replace; update it", c.line, a)
		}
	}
	p.goBuild = append(p.goBuild, pkgs...)
	return true, nil
}

// gatewayStart reports whether a command starts versitygw in the
// background, and the addresses it listens on.
func gatewayStart(text string) ([]string, bool) {
	code := strings.TrimSpace(stripComment(text))
	w := commandWords(text)
	if len(w) < 2 || w[0] != "versitygw" || w[1] == "admin" || !strings.HasSuffix(code, "&") {
		return nil, false
	}
	var addrs []string
	for i, a := range w {
		for _, flag := range []string{"--port", "-p", "--admin-port", "-ap"} {
			switch {
			case a == flag && i+1 < len(w):
				addrs = append(addrs, strings.Trim(w[i+1], `"'`))
			case strings.HasPrefix(a, flag+"="):
				addrs = append(addrs, strings.Trim(strings.TrimPrefix(a, flag+"="), `"'`))
			}
		}
	}
	return addrs, len(addrs) > 0
}

// splitOutput cuts the script's output at the step markers. It returns the
// output of each step and the last step that started (-1 if none).
func splitOutput(raw string) (map[int]string, int) {
	out := map[int]string{}
	cur, last := -1, -1
	var sb strings.Builder
	sc := bufio.NewScanner(strings.NewReader(raw))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		l := sc.Text()
		if rest, ok := strings.CutPrefix(l, marker); ok {
			if n, err := strconv.Atoi(strings.TrimSuffix(rest, "@@")); err == nil {
				out[cur] = strings.TrimSuffix(sb.String(), "\n")
				sb.Reset()
				cur, last = n, n
				continue
			}
		}
		sb.WriteString(l + "\n")
	}
	out[cur] = sb.String()
	return out, last
}

// annotate puts each step's README line and text before its output.
func annotate(steps []step, outputs map[int]string) string {
	var sb strings.Builder
	if o := outputs[-1]; strings.TrimSpace(o) != "" {
		sb.WriteString(o + "\n")
	}
	for i, s := range steps {
		o, ran := outputs[i]
		if !ran {
			break
		}
		fmt.Fprintf(&sb, "README.md:%d: $ %s\n", s.line, strings.ReplaceAll(s.text, "\n", "\n    "))
		if o = strings.Trim(o, "\n"); o != "" {
			sb.WriteString(o + "\n")
		}
	}
	return sb.String()
}

var ulid = regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{26}$`)

// matchExample checks that every example line matches a line of the
// output, in order.
func matchExample(example []string, output string) error {
	lines := strings.Split(output, "\n")
	at := 0
	for _, ex := range example {
		if ex == "…" || ex == "..." || ex == "" {
			continue
		}
		want := strings.Fields(ex)
		found := false
		for ; at < len(lines); at++ {
			if fieldsMatch(want, strings.Fields(lines[at])) {
				found = true
				at++
				break
			}
		}
		if !found {
			return fmt.Errorf("no line like %q", ex)
		}
	}
	return nil
}

func fieldsMatch(want, got []string) bool {
	if len(want) != len(got) {
		return false
	}
	for i := range want {
		if want[i] != got[i] && !(ulid.MatchString(want[i]) && ulid.MatchString(got[i])) {
			return false
		}
	}
	return true
}

// hasRow reports whether the status table in output has a row for which
// ok is true. Columns are cut at the header's words, as the table is
// aligned, so an empty cell stays empty.
func hasRow(output string, ok func(map[string]string) bool) bool {
	var cols []string
	var starts []int
	for _, l := range strings.Split(output, "\n") {
		if cols == nil {
			f := strings.Fields(l)
			if len(f) > 0 && f[0] == "SUBMISSION" && slices.Contains(f, "STATE") {
				cols = f
				off := 0
				for _, c := range cols {
					i := strings.Index(l[off:], c)
					starts = append(starts, off+i)
					off += i + len(c)
				}
			}
			continue
		}
		row := map[string]string{}
		for i, c := range cols {
			from := min(starts[i], len(l))
			to := len(l)
			if i+1 < len(starts) {
				to = min(starts[i+1], len(l))
			}
			row[c] = strings.TrimSpace(l[from:to])
		}
		if ok(row) {
			return true
		}
	}
	return false
}

// findVersitygw finds the gateway binary as deploy/s3gw does.
func findVersitygw() (string, error) {
	if p := os.Getenv("THBX_VERSITYGW"); p != "" {
		if err := executable(p); err != nil {
			return "", fmt.Errorf("THBX_VERSITYGW=%s: %v; %s", p, err, s3gw.InstallHint)
		}
		return filepath.Abs(p)
	}
	if p, err := exec.LookPath("versitygw"); err == nil {
		return filepath.Abs(p)
	}
	dir := os.Getenv("GOBIN")
	if dir == "" {
		if gp := filepath.SplitList(os.Getenv("GOPATH")); len(gp) > 0 && gp[0] != "" {
			dir = filepath.Join(gp[0], "bin")
		} else if home, err := os.UserHomeDir(); err == nil {
			dir = filepath.Join(home, "go", "bin")
		}
	}
	p := filepath.Join(dir, "versitygw")
	if err := executable(p); err != nil {
		return "", fmt.Errorf("not on $PATH nor at %s; %s", p, s3gw.InstallHint)
	}
	return p, nil
}

func executable(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() || fi.Mode().Perm()&0o111 == 0 {
		return errors.New("not an executable file")
	}
	return nil
}

// cleanEnv drops what a new user would not have set: the thbx and AWS
// variables, HOME, PATH and the helper switch (set again by the caller).
func cleanEnv(env []string) []string {
	return slices.DeleteFunc(slices.Clone(env), func(kv string) bool {
		k, _, _ := strings.Cut(kv, "=")
		return strings.HasPrefix(k, "THBX_") || strings.HasPrefix(k, "AWS_") ||
			k == "HOME" || k == "PATH" || k == "GORACE" || k == "READMETEST_SELF" || k == helperEnv
	})
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o644)
}

// stopGroup kills what is left of the script's process group and waits
// until it is gone.
func stopGroup(t *testing.T, pgid int) {
	if err := syscall.Kill(-pgid, syscall.SIGKILL); errors.Is(err, syscall.ESRCH) {
		return
	}
	deadline := time.Now().Add(10 * time.Second)
	for syscall.Kill(-pgid, 0) == nil {
		if time.Now().After(deadline) {
			t.Errorf("process group %d still there 10s after SIGKILL", pgid)
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The officers' section walks through issue 3's lifecycle: root,
// enrolment, a submission, key rotation, revocation, hub key rotation.
// Every hub poll it runs must accept exactly the one submission sent.
func TestOfficersSection(t *testing.T) {
	steps, outputs := runSection(t, "## Security officers: trust under dual control")
	polls := 0
	for i, s := range steps {
		if s.kind != stepCommand || !strings.Contains(s.text, "thbx-hub serve") {
			continue
		}
		polls++
		if !strings.Contains(outputs[i], "accepted 1, rejected 0, quarantined 0") {
			t.Errorf("README.md:%d: `%s` did not accept the submission:\n%s", s.line, s.text, outputs[i])
		}
	}
	if polls != 3 {
		t.Fatalf("the officers' section polls the hub %d times; want 3 (after enrolment, key rotation, hub key rotation)", polls)
	}
	last := steps[len(steps)-1]
	if !strings.Contains(last.text, "thbx-agent status") || strings.Count(outputs[len(steps)-1], "accepted") != 3 {
		t.Errorf("README.md:%d: `%s` does not show three accepted submissions:\n%s", last.line, last.text, outputs[len(steps)-1])
	}
}

// The partners' mapping section runs as written: the suggested mapping of a
// synthetic NGO file checks without problems and previews records.
func TestMappingSection(t *testing.T) {
	steps, outputs := runSection(t, "## Partners: mapping your own spreadsheet")
	for i, s := range steps {
		switch {
		case strings.Contains(s.text, "thbx-agent check"):
			if !strings.Contains(outputs[i], "no problems") {
				t.Errorf("README.md:%d: `%s`:\n%s", s.line, s.text, outputs[i])
			}
		case strings.Contains(s.text, "thbx-agent preview"):
			if !strings.Contains(outputs[i], "linkage_keys:") || strings.Count(outputs[i], "record ") < 2 {
				t.Errorf("README.md:%d: `%s` shows no records:\n%s", s.line, s.text, outputs[i])
			}
		}
	}
}
