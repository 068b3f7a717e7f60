// Package dropbox stores and fetches the objects of the drop box: an S3
// bucket (any S3 API server) or, for the demo and for tests without a
// server, a local directory with the same semantics.
//
// Keys are checked before use: a key with an empty, "." or ".." segment, a
// leading slash, a backslash or a control character is refused, so a key
// can never name a file outside the directory or confuse a gateway. A
// directory drop box also refuses symbolic links, so no file put into the
// directory can make it read or write outside it. List returns at most
// MaxList objects, so no number of objects can exhaust memory.
package dropbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
)

// Errors callers branch on.
var (
	ErrNotFound = errors.New("object not found")
	ErrExists   = errors.New("object already exists")
	ErrBadKey   = errors.New("invalid object key")
	// ErrDenied is returned when the server refuses the credentials or
	// the operation.
	ErrDenied = errors.New("access denied")
	// ErrTooMany is returned by List, together with the first MaxList
	// objects in key order, when more objects match the prefix.
	ErrTooMany = errors.New("too many objects")
)

// MaxList is the most objects one List returns. A drop box flooded with
// objects then costs the hub bounded memory, and the hub can still work
// through the first MaxList and report the rest.
const MaxList = 100000

// Object describes a stored object.
type Object struct {
	Key      string
	Size     int64
	ETag     string
	Modified time.Time
}

// PutOptions tune a Put.
type PutOptions struct {
	// IfAbsent makes the put fail with ErrExists when the key exists
	// (If-None-Match: * on S3), so an object is written once.
	IfAbsent bool
	// Progress, when set, is called with the bytes sent so far.
	Progress func(sent int64)
}

// Box is the whole drop-box interface; consumers declare the part they
// use.
type Box interface {
	Put(ctx context.Context, key string, r io.Reader, size int64, opts PutOptions) error
	Get(ctx context.Context, key string) (io.ReadCloser, Object, error)
	Stat(ctx context.Context, key string) (Object, error)
	// List returns the objects whose keys start with prefix, sorted by
	// key; beyond MaxList, the first MaxList and ErrTooMany.
	List(ctx context.Context, prefix string) ([]Object, error)
	Copy(ctx context.Context, src, dst string) error
	Delete(ctx context.Context, key string) error
	String() string
}

// Config selects and configures a drop box.
type Config struct {
	// Type is "s3" or "dir".
	Type string `yaml:"type"`
	// Dir is the directory of a "dir" drop box.
	Dir string `yaml:"dir"`
	// Endpoint is the S3 server as host:port.
	Endpoint string `yaml:"endpoint"`
	Bucket   string `yaml:"bucket"`
	Region   string `yaml:"region"` // us-east-1 when empty
	// AccessKey and SecretKey are the account's credentials; prefer the
	// environment (THBX_S3_ACCESS_KEY, THBX_S3_SECRET_KEY) to a file.
	AccessKey string `yaml:"access_key"`
	SecretKey string `yaml:"secret_key"`
	// Insecure uses plain HTTP. It is refused unless the endpoint's host
	// is on loopback (127.0.0.0/8, ::1 or localhost).
	Insecure bool `yaml:"insecure"`
	// CAFile is a PEM bundle of extra CAs to trust for the endpoint.
	CAFile string `yaml:"ca_file"`
	// PartSize is the multipart part size; 16 MiB when 0. Objects larger
	// than four parts go up in parts.
	PartSize int64 `yaml:"part_size"`
}

// Open returns the drop box the config names.
func Open(cfg Config) (Box, error) {
	switch {
	case cfg.Type == "dir":
		return NewDir(cfg.Dir)
	case cfg.Type == "s3" || (cfg.Type == "" && cfg.Endpoint != ""):
		return NewS3(cfg)
	case cfg.Type == "":
		return nil, errors.New("no drop box configured: set dropbox.type (s3 or dir) and its settings in the config, or THBX_DROPBOX with THBX_S3_ENDPOINT or THBX_DROPBOX_DIR")
	}
	return nil, fmt.Errorf("drop box type %q: want s3 or dir (dropbox.type or THBX_DROPBOX)", cfg.Type)
}

// CheckKey refuses keys that are unsafe as object keys or file paths.
func CheckKey(key string) error {
	if key == "" || len(key) > 1024 {
		return fmt.Errorf("%w: empty or longer than 1024 bytes", ErrBadKey)
	}
	if strings.HasPrefix(key, "/") || strings.ContainsRune(key, '\\') {
		return fmt.Errorf("%w: %q", ErrBadKey, key)
	}
	for _, r := range key {
		if r == unicode.ReplacementChar || unicode.IsControl(r) {
			return fmt.Errorf("%w: %q has a control or invalid character", ErrBadKey, key)
		}
	}
	for _, seg := range strings.Split(key, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return fmt.Errorf("%w: %q has an empty, . or .. segment", ErrBadKey, key)
		}
	}
	return nil
}

// checkPrefix is CheckKey for list prefixes, which may end in a slash.
func checkPrefix(prefix string) error {
	if prefix == "" {
		return nil
	}
	return CheckKey(strings.TrimSuffix(prefix, "/"))
}

type progressReader struct {
	r    io.Reader
	n    int64
	tick func(int64)
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n += int64(n)
	if n > 0 {
		p.tick(p.n)
	}
	return n, err
}

func withProgress(r io.Reader, opts PutOptions) io.Reader {
	if opts.Progress == nil {
		return r
	}
	return &progressReader{r: r, tick: opts.Progress}
}
