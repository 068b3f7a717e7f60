package s3gw

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// CreateUser creates a gateway account with the role "user": it can reach
// only what bucket policies grant it. The account must exist before a
// policy naming it is applied.
func (g *Gateway) CreateUser(ctx context.Context, access, secret string) error {
	cmd := exec.CommandContext(ctx, g.binary, "admin", "--er", "http://"+g.admin,
		"create-user", "-a", access, "-s", secret, "-r", "user")
	// Root credentials go through the environment, not argv, so that they
	// do not show in the process list.
	cmd.Env = append(baseEnv(), "ADMIN_ACCESS_KEY="+g.RootAccess, "ADMIN_SECRET_KEY="+g.RootSecret)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("s3gw: create user %q: %w: %s", access, err, strings.TrimSpace(out.String()))
	}
	return nil
}

// Client returns a minio-go client for the given account, set up the way
// the gateway needs: path-style addressing, plain HTTP, region us-east-1.
func (g *Gateway) Client(access, secret string) (*minio.Client, error) {
	c, err := minio.New(g.Endpoint, &minio.Options{
		Creds:        credentials.NewStaticV4(access, secret, ""),
		Secure:       false,
		Region:       g.Region,
		BucketLookup: minio.BucketLookupPath,
	})
	if err != nil {
		return nil, fmt.Errorf("s3gw: client: %w", err)
	}
	return c, nil
}

// CreateBucket creates bucket as the root account, which owns it.
func (g *Gateway) CreateBucket(ctx context.Context, bucket string) error {
	c, err := g.Client(g.RootAccess, g.RootSecret)
	if err != nil {
		return err
	}
	if err := c.MakeBucket(ctx, bucket, minio.MakeBucketOptions{Region: g.Region}); err != nil {
		return fmt.Errorf("s3gw: create bucket %q: %w", bucket, err)
	}
	return nil
}

// PutBucketPolicy sets the bucket policy as the root account. The gateway
// refuses (400 MalformedPolicy) a policy naming an account that does not
// exist.
func (g *Gateway) PutBucketPolicy(ctx context.Context, bucket, policyJSON string) error {
	c, err := g.Client(g.RootAccess, g.RootSecret)
	if err != nil {
		return err
	}
	if err := c.SetBucketPolicy(ctx, bucket, policyJSON); err != nil {
		return fmt.Errorf("s3gw: put policy on bucket %q: %w", bucket, err)
	}
	return nil
}
