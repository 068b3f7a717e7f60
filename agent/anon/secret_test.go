package anon

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/thbx/thbx/certs"
)

// fixedSecret returns a secret made from seed, so that tests and examples
// are deterministic.
func fixedSecret(t testing.TB, seed byte) *Secret {
	t.Helper()
	s, err := GenerateSecret(bytes.NewReader(bytes.Repeat([]byte{seed}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSecretTextRoundTrip(t *testing.T) {
	s, err := GenerateSecret(nil)
	if err != nil {
		t.Fatal(err)
	}
	text := s.encode()
	if !strings.HasPrefix(text, "thbx-linkage-secret-1:") {
		t.Fatalf("text form %q lacks its prefix", text)
	}
	back, err := ParseSecret(" " + text + "\n")
	if err != nil {
		t.Fatal(err)
	}
	if !back.Equal(s) {
		t.Fatal("parsed secret differs from the original")
	}
	other, _ := GenerateSecret(nil)
	if other.Equal(s) {
		t.Fatal("two generated secrets are equal")
	}
}

func TestParseSecretRefuses(t *testing.T) {
	enc := base64.RawURLEncoding.EncodeToString
	for name, text := range map[string]string{
		"empty":        "",
		"no prefix":    enc(make([]byte, 32)),
		"other prefix": "thbx-linkage-secret-2:" + enc(make([]byte, 32)),
		"age key":      "AGE-SECRET-KEY-1QQQQQQQQ",
		"short":        "thbx-linkage-secret-1:" + enc(make([]byte, 31)),
		"long":         "thbx-linkage-secret-1:" + enc(make([]byte, 65)),
		"padded":       "thbx-linkage-secret-1:" + base64.URLEncoding.EncodeToString(make([]byte, 32)),
		"std alphabet": "thbx-linkage-secret-1:" + strings.Repeat("+/", 22),
	} {
		_, err := ParseSecret(text)
		if !errors.Is(err, ErrInvalidSecret) {
			t.Errorf("%s: err = %v, want ErrInvalidSecret", name, err)
			continue
		}
		if rest, _ := strings.CutPrefix(text, "thbx-linkage-secret-1:"); len(rest) > 8 && strings.Contains(err.Error(), rest) {
			t.Errorf("%s: error repeats the secret text: %v", name, err)
		}
	}
}

func TestSecretSaveLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "linkage.secret")
	s := fixedSecret(t, 7)
	if err := s.Save(path); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && info.Mode().Perm() != 0o600 {
		t.Errorf("saved with mode %04o, want 0600", info.Mode().Perm())
	}
	back, err := LoadSecret(path)
	if err != nil {
		t.Fatal(err)
	}
	if !back.Equal(s) {
		t.Fatal("loaded secret differs from the saved one")
	}
	// Never overwrite: replacing the secret unlinks every earlier key.
	if err := fixedSecret(t, 8).Save(path); err == nil {
		t.Fatal("Save overwrote an existing secret")
	}
	if back, _ := LoadSecret(path); !back.Equal(s) {
		t.Fatal("the existing secret changed")
	}
}

func TestLoadSecretRefusesOpenModes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("mode bits say nothing on Windows")
	}
	path := filepath.Join(t.TempDir(), "linkage.secret")
	if err := fixedSecret(t, 7).Save(path); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []os.FileMode{0o640, 0o604, 0o644, 0o660, 0o666, 0o610, 0o601} {
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		_, err := LoadSecret(path)
		if !errors.Is(err, certs.ErrInsecureKeyFile) {
			t.Errorf("mode %04o: err = %v, want ErrInsecureKeyFile", mode, err)
		}
	}
	if err := os.Chmod(path, 0o400); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadSecret(path); err != nil {
		t.Errorf("mode 0400: %v", err)
	}
}

func TestLoadSecretErrorHidesContent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "linkage.secret")
	content := "thbx-linkage-secret-1:" + strings.Repeat("Zm9v", 3) // too short
	if err := certs.WriteSecretFile(path, []byte(content)); err != nil {
		t.Fatal(err)
	}
	_, err := LoadSecret(path)
	if !errors.Is(err, ErrInvalidSecret) {
		t.Fatalf("err = %v, want ErrInvalidSecret", err)
	}
	if strings.Contains(err.Error(), "Zm9v") {
		t.Fatalf("error repeats the file's content: %v", err)
	}
}

func TestSecretNeverPrinted(t *testing.T) {
	s := fixedSecret(t, 0xA5)
	body := strings.TrimPrefix(s.encode(), "thbx-linkage-secret-1:")
	raw := s.raw
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("loaded", "secret", s, "value", *s)
	outputs := []string{logged.String()}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T %v"} {
		outputs = append(outputs, fmt.Sprintf(verb, s), fmt.Sprintf(verb, *s))
	}
	outputs = append(outputs, fmt.Sprint(s), fmt.Sprint([]*Secret{s}), fmt.Sprintf("%v", struct{ S *Secret }{s}))
	//lint:ignore SA9005 marshalling a Secret by mistake is what this checks
	if j, err := json.Marshal(s); err == nil {
		outputs = append(outputs, string(j))
	}
	for _, out := range outputs {
		if strings.Contains(out, body) || strings.Contains(out, fmt.Sprintf("%x", raw)) ||
			strings.Contains(out, fmt.Sprint(raw)) || strings.Contains(out, fmt.Sprint(raw[:4])) {
			t.Errorf("secret printed: %s", out)
		}
	}
	if s.String() != "thbx-linkage-secret(redacted)" {
		t.Errorf("String() = %q", s.String())
	}
}

func TestSubKeysAreDistinct(t *testing.T) {
	s := fixedSecret(t, 1)
	keys := [][]byte{s.raw, s.linkage}
	for _, f := range s.bloomKeys {
		keys = append(keys, f[0], f[1])
	}
	for i := range keys {
		for j := i + 1; j < len(keys); j++ {
			if bytes.Equal(keys[i], keys[j]) {
				t.Fatalf("sub-keys %d and %d are equal", i, j)
			}
		}
	}
}
