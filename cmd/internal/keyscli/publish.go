package keyscli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/thbx/thbx/agent"
	"github.com/thbx/thbx/certs"
	"github.com/thbx/thbx/certs/trust"
	"github.com/thbx/thbx/cmd/internal/cli"
	"github.com/thbx/thbx/submission/dropbox"
)

type publishFlags struct {
	file, root, current, out string
	upload                   bool
}

func (a *app) publish(ctx context.Context, c *cli.Command, env cli.Env, args []string) error {
	fs := cli.Flags(prog, c, env)
	var f publishFlags
	fs.StringVar(&f.root, "root", "", "the published root (for a root proposal: the current root, if this is not the first)")
	fs.StringVar(&f.current, "current", "", "the bundle published so far (default: the existing -out file)")
	fs.StringVar(&f.out, "out", "", "where to write the published document (bundle.json or root.json)")
	fs.BoolVar(&f.upload, "upload", false, "also put it into the drop box under trust/")
	file, err := parseWithFile(fs, args)
	if err != nil {
		return err
	}
	f.file = file
	if f.out == "" {
		return cli.Usagef("-out is required")
	}
	p, err := readProposal(file)
	if err != nil {
		return err
	}
	if p.kind == trust.RootType {
		if f.current != "" {
			return cli.Usagef("-current is for bundles; for a root, -root names the current root")
		}
		return a.publishRoot(ctx, env, p, f)
	}
	return a.publishBundle(ctx, env, p, f)
}

func (a *app) publishBundle(ctx context.Context, env cli.Env, p *proposal, f publishFlags) error {
	now := a.now()
	root, _, err := loadRoot(f.root, now, false)
	if err != nil {
		return err
	}
	var cur *trust.Bundle
	curPath := f.current
	if curPath == "" && exists(f.out) {
		curPath = f.out
	}
	if curPath != "" {
		tb, err := loadBundle(curPath, root, f.root, now, true)
		if err != nil {
			return fmt.Errorf("%w\n(the published bundle is needed to refuse an older one; name it with -current, or choose another -out)", err)
		}
		cur = tb.Bundle
	}
	data, err := p.doc.Marshal()
	if err != nil {
		return err
	}
	next, err := trust.VerifyBundle(data, root, cur, now)
	if err != nil {
		return fmt.Errorf("refusing to publish %s: %w", f.file, err)
	}
	signers, _ := p.doc.Verify(root.Officers, root.Threshold, trust.BundleType)
	var box dropbox.Box
	if f.upload {
		// Before anything is written, so a refusal leaves nothing half done.
		if box, err = openBox(env, next.Dropbox); err != nil {
			return err
		}
		defer closeBox(box)
		if err := checkRemoteBundle(ctx, box, p.doc, next.Version); err != nil {
			return err
		}
	}
	if err := certs.WriteFileAtomic(f.out, data, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "published trust bundle version %d to %s: signed by %s, expires %s\n",
		next.Version, f.out, strings.Join(signers, ", "), stamp(next.Expires))
	if box == nil {
		return nil
	}
	if err := box.Put(ctx, trust.BundleKey, bytes.NewReader(data), int64(len(data)), dropbox.PutOptions{}); err != nil {
		return fmt.Errorf("upload %s: %w", trust.BundleKey, err)
	}
	fmt.Fprintf(env.Stdout, "uploaded to %s: %s\n", box, trust.BundleKey)
	return nil
}

func (a *app) publishRoot(ctx context.Context, env cli.Env, p *proposal, f publishFlags) error {
	now := a.now()
	data, err := p.doc.Marshal()
	if err != nil {
		return err
	}
	var r *trust.Root
	var signedBy string
	if p.root.Version == 1 {
		if r, err = trust.VerifyRoot(p.doc, now); err != nil {
			return fmt.Errorf("refusing to publish %s: %w", f.file, err)
		}
		ids, _ := p.doc.Verify(r.Officers, r.Threshold, trust.RootType)
		signedBy = strings.Join(ids, ", ")
	} else {
		if f.root == "" {
			return cli.Usagef("-root is required: %s is root version %d, which the officers of the current root must have signed too", f.file, p.root.Version)
		}
		cur, _, err := loadRoot(f.root, now, true)
		if err != nil {
			return err
		}
		if r, err = trust.VerifyRootUpdate(cur, p.doc, now); err != nil {
			return fmt.Errorf("refusing to publish %s: %w", f.file, err)
		}
		old, _ := p.doc.Verify(cur.Officers, cur.Threshold, trust.RootType)
		ids, _ := p.doc.Verify(r.Officers, r.Threshold, trust.RootType)
		signedBy = fmt.Sprintf("%s (officers of root version %d) and %s (officers of root version %d)",
			strings.Join(old, ", "), cur.Version, strings.Join(ids, ", "), r.Version)
	}
	var box dropbox.Box
	if f.upload {
		if box, err = openBox(env, trust.Dropbox{}); err != nil {
			return err
		}
		defer closeBox(box)
	}
	kept, err := keepPreviousRoot(f.out, data, r.Version)
	if err != nil {
		return err
	}
	if err := certs.WriteFileAtomic(f.out, data, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "published root version %d to %s: signed by %s, expires %s\n", r.Version, f.out, signedBy, stamp(r.Expires))
	if kept != "" {
		fmt.Fprintf(env.Stdout, "the previous root is kept as %s\n", kept)
	}
	fmt.Fprintf(env.Stdout, "root fingerprint: %s\n", trust.RootFingerprint(data))
	if box == nil {
		return nil
	}
	if err := uploadRoot(ctx, box, p.doc, data, r.Version); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "uploaded to %s: %s and %s\n", box, trust.RootVersionKey(r.Version), trust.RootKey)
	return nil
}

// keepPreviousRoot copies the root at out, if any, to root-<v>.json next
// to it before out is replaced by root version next. It refuses to go
// back or sideways: out must hold an older root, or this one.
func keepPreviousRoot(out string, data []byte, next int) (string, error) {
	old, err := os.ReadFile(out)
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if bytes.Equal(old, data) {
		return "", nil
	}
	prev, err := rootVersionOf(old)
	if err != nil {
		return "", fmt.Errorf("%s exists and is not a root (%v); choose another -out", out, err)
	}
	if prev >= next {
		return "", fmt.Errorf("%s already holds root version %d; publishing root version %d there would go back: a new root is made with thbx-keys root-propose", out, prev, next)
	}
	keep := previousRootPath(out, prev)
	if kept, err := os.ReadFile(keep); err == nil {
		if !bytes.Equal(kept, old) {
			return "", fmt.Errorf("%s already exists with other content than %s; move it away first", keep, out)
		}
		return keep, nil
	}
	return keep, certs.WritePublicFile(keep, old)
}

func rootVersionOf(b []byte) (int, error) {
	s, err := trust.ParseSigned(b)
	if err != nil {
		return 0, err
	}
	r, err := trust.ProposedRoot(s)
	if err != nil {
		return 0, err
	}
	return r.Version, nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// openBox opens the drop box from the environment, with a bundle's drop
// box as the default.
func openBox(env cli.Env, d trust.Dropbox) (dropbox.Box, error) {
	cfg := dropbox.Config{Endpoint: d.Endpoint, Bucket: d.Bucket, Region: d.Region, Insecure: d.Insecure}
	if err := agent.ApplyDropboxEnv(&cfg, env.Getenv); err != nil {
		return nil, err
	}
	box, err := dropbox.Open(cfg)
	if err != nil {
		return nil, fmt.Errorf("-upload: %w", err)
	}
	return box, nil
}

func closeBox(box dropbox.Box) {
	if c, ok := box.(io.Closer); ok {
		c.Close()
	}
}

// fetch returns the object at key, or nil when there is none.
func fetch(ctx context.Context, box dropbox.Box, key string) ([]byte, error) {
	r, _, err := box.Get(ctx, key)
	if errors.Is(err, dropbox.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s from the drop box: %w", key, err)
	}
	defer r.Close()
	b, err := io.ReadAll(io.LimitReader(r, trust.MaxSignedSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s from the drop box: %w", key, err)
	}
	return b, nil
}

// checkRemoteBundle refuses to replace a newer bundle in the drop box, or
// the same version with other content. It reads the version unverified:
// the check can only refuse an upload, never make anything trusted.
func checkRemoteBundle(ctx context.Context, box dropbox.Box, doc *trust.Signed, version int) error {
	b, err := fetch(ctx, box, trust.BundleKey)
	if err != nil || b == nil {
		return err
	}
	s, err := trust.ParseSigned(b)
	if err != nil {
		return nil // unreadable: replace it
	}
	remote, err := trust.ProposedBundle(s)
	if err != nil {
		return nil
	}
	switch {
	case remote.Version > version:
		return fmt.Errorf("the drop box already holds trust bundle version %d, newer than %d: fetch it and propose from it", remote.Version, version)
	case remote.Version == version && s.Payload != doc.Payload:
		return fmt.Errorf("the drop box already holds another trust bundle version %d: fetch it and propose from it", version)
	}
	return nil
}

// uploadRoot puts trust/root-<v>.json (once) and then trust/root.json,
// refusing to replace a newer root or another root of the same version.
func uploadRoot(ctx context.Context, box dropbox.Box, doc *trust.Signed, data []byte, version int) error {
	if b, err := fetch(ctx, box, trust.RootKey); err != nil {
		return err
	} else if b != nil {
		if v, err := rootVersionOf(b); err == nil && v > version {
			return fmt.Errorf("the drop box already holds root version %d, newer than %d", v, version)
		}
	}
	key := trust.RootVersionKey(version)
	err := box.Put(ctx, key, bytes.NewReader(data), int64(len(data)), dropbox.PutOptions{IfAbsent: true})
	if errors.Is(err, dropbox.ErrExists) {
		b, ferr := fetch(ctx, box, key)
		if ferr != nil {
			return ferr
		}
		s, perr := trust.ParseSigned(b)
		if perr != nil || s.Payload != doc.Payload {
			return fmt.Errorf("the drop box already holds another %s; the officers must find out who put it there", key)
		}
		err = nil
	}
	if err != nil {
		return fmt.Errorf("upload %s: %w", key, err)
	}
	if err := box.Put(ctx, trust.RootKey, bytes.NewReader(data), int64(len(data)), dropbox.PutOptions{}); err != nil {
		return fmt.Errorf("upload %s: %w", trust.RootKey, err)
	}
	return nil
}
