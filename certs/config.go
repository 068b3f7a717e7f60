package certs

import (
	"bytes"
	"fmt"
	"io/fs"
	"path/filepath"

	"go.yaml.in/yaml/v3"
)

// LoadConfig decodes a YAML configuration file into v, refusing unknown
// keys. If holdsSecret says the decoded file carries a secret, the file
// must be readable by its owner only. Relative paths among paths are made
// relative to the file's directory.
func LoadConfig(path string, v any, holdsSecret func() bool, paths ...*string) error {
	b, err := readChecked(path, 1<<20, func(string, fs.FileMode) error { return nil })
	if err != nil {
		return fmt.Errorf("read config: %w", err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("read config %s: %w", path, err)
	}
	if holdsSecret() {
		if _, err := ReadSecretFile(path); err != nil {
			return fmt.Errorf("read config: %w (or move secret_key to THBX_S3_SECRET_KEY)", err)
		}
	}
	base := filepath.Dir(path)
	for _, p := range paths {
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(base, *p)
		}
	}
	return nil
}
