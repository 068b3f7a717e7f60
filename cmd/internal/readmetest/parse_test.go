//go:build unix

package readmetest

import (
	"strings"
	"testing"
)

func TestFileName(t *testing.T) {
	for _, tc := range []struct {
		before []string
		want   string // "" means an error
	}{
		{[]string{"**5. The partner** writes `partner/thbx-agent.yaml` (paths are", "relative to `x.yaml`):", ""}, "x.yaml"},
		{[]string{"**6. The hub** (`thbx-hub.yaml`):", "", ""}, "thbx-hub.yaml"},
		{[]string{"see `old.yaml`", "", "**6.** (`hub.yml`):"}, "hub.yml"},
		{[]string{"see `old.yaml`", "", "**6. The hub**:"}, ""},
		{[]string{"```", "**6. The hub**:"}, ""},
		{[]string{"write `../etc.yaml`"}, ""},
		{[]string{"write `/etc/x.yaml`"}, ""},
		{nil, ""},
	} {
		got, err := fileName(tc.before)
		if got != tc.want || (err == nil) != (tc.want != "") {
			t.Errorf("fileName(%q) = %q, %v; want %q", tc.before, got, err, tc.want)
		}
	}
}

func TestWalkthroughBlocks(t *testing.T) {
	readme := strings.Join([]string{
		"# x", "", sectionHeading, "", "```sh", "a \\", "  b   # c", "# out", "```", "",
		"Write `f.yaml`:", "", "```yaml", "k: v", "```", "", "```text", "t", "```",
		"## Next", "```sh", "never", "```",
	}, "\n")
	blocks, err := walkthroughBlocks(readme)
	if err != nil {
		t.Fatal(err)
	}
	if len(blocks) != 3 || blocks[0].lang != "sh" || blocks[0].line != 6 || blocks[1].file != "f.yaml" || blocks[2].lang != "text" {
		t.Fatalf("blocks = %+v", blocks)
	}
	cmds := logicalLines(blocks[0])
	if len(cmds) != 2 || cmds[0].text != "a \\\n  b   # c" || !cmds[1].comment || cmds[1].line != 8 {
		t.Fatalf("logical lines = %+v", cmds)
	}
	if _, err := walkthroughBlocks(strings.Replace(readme, "Write `f.yaml`:", "Write it:", 1)); err == nil {
		t.Error("a yaml block with no file name: no error")
	}
	if _, err := walkthroughBlocks("# x\n"); err == nil {
		t.Error("no walkthrough: no error")
	}
}

func TestGatewayStart(t *testing.T) {
	addrs, ok := gatewayStart("ROOT_ACCESS_KEY=a versitygw --port 127.0.0.1:1 \\\n    --admin-port=127.0.0.1:2 posix \"$PWD/d\" &   # bg")
	if !ok || strings.Join(addrs, " ") != "127.0.0.1:1 127.0.0.1:2" {
		t.Errorf("gatewayStart = %q, %v", addrs, ok)
	}
	for _, s := range []string{"versitygw --port 127.0.0.1:1 posix d", "versitygw admin --er x create-user &", "echo versitygw --port 1 &"} {
		if _, ok := gatewayStart(s); ok {
			t.Errorf("gatewayStart(%q) = true", s)
		}
	}
}

func TestMatchExample(t *testing.T) {
	out := "noise\nSUBMISSION                  STATE     RECORDS\n01M8CYKXXKX2K3BJRR2MP24S02  accepted  3\n"
	ok := []string{"SUBMISSION  STATE  RECORDS", "…", "01M8CWECAGG765QN520CFXC67V  accepted  3"}
	if err := matchExample(ok, out); err != nil {
		t.Error(err)
	}
	for _, bad := range [][]string{
		{"SUBMISSION STATE RECORDS", "01M8CWECAGG765QN520CFXC67V accepted 4"},
		{"01M8CWECAGG765QN520CFXC67V accepted 3", "SUBMISSION STATE RECORDS"},
		{"SUBMISSION STATE RECORDS REASON"},
	} {
		if err := matchExample(bad, out); err == nil {
			t.Errorf("matchExample(%q) = nil", bad)
		}
	}
}

func TestHasRow(t *testing.T) {
	out := "SUBMISSION  DATASET  STATE     RECORDS  REASON\n" +
		"A           victims  pending            \n" +
		"B           victims  rejected  3        bad row 2\n"
	state := func(s, n string) func(map[string]string) bool {
		return func(r map[string]string) bool { return r["STATE"] == s && r["RECORDS"] == n }
	}
	if !hasRow(out, state("pending", "")) || !hasRow(out, state("rejected", "3")) {
		t.Error("rows not found")
	}
	if hasRow(out, state("accepted", "3")) || hasRow("pending 3\n", state("pending", "3")) {
		t.Error("row found that is not there")
	}
}

func TestStripComment(t *testing.T) {
	for in, want := range map[string]string{
		"a # c":       "a ",
		"a '# no' b":  "a '# no' b",
		`a "x # y" b`: `a "x # y" b`,
		"a#b":         "a#b",
	} {
		if got := stripComment(in); got != want {
			t.Errorf("stripComment(%q) = %q; want %q", in, got, want)
		}
	}
}
