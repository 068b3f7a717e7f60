package s3gw

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/minio/minio-go/v7"
)

// account is a gateway account with a client signing as it.
type account struct {
	name string
	c    *minio.Client
}

func newAccount(t *testing.T, gw *Gateway, name string) account {
	t.Helper()
	secret := name + "-secret"
	if err := gw.CreateUser(t.Context(), name, secret); err != nil {
		t.Fatal(err)
	}
	return account{name, client(t, gw, name, secret)}
}

func client(t *testing.T, gw *Gateway, access, secret string) *minio.Client {
	t.Helper()
	c, err := gw.Client(access, secret)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func put(ctx context.Context, c *minio.Client, bucket, key, body string, opts minio.PutObjectOptions) error {
	_, err := c.PutObject(ctx, bucket, key, strings.NewReader(body), int64(len(body)), opts)
	return err
}

func get(ctx context.Context, c *minio.Client, bucket, key string) (string, error) {
	obj, err := c.GetObject(ctx, bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return "", err
	}
	defer obj.Close()
	b, err := io.ReadAll(obj)
	return string(b), err
}

func list(ctx context.Context, c *minio.Client, bucket string) ([]string, error) {
	var keys []string
	for o := range c.ListObjects(ctx, bucket, minio.ListObjectsOptions{Recursive: true}) {
		if o.Err != nil {
			return nil, o.Err
		}
		keys = append(keys, o.Key)
	}
	return keys, nil
}

// s3Error finds the S3 error response in err; minio.ToErrorResponse does
// not look through wrapping.
func s3Error(err error) minio.ErrorResponse {
	var resp minio.ErrorResponse
	errors.As(err, &resp)
	return resp
}

// wantStatus checks that err is an S3 error with the given HTTP status, or
// no error if status is 200.
func wantStatus(t *testing.T, what string, err error, status int) {
	t.Helper()
	got := http.StatusOK
	if err != nil {
		got = s3Error(err).StatusCode
	}
	if got != status {
		t.Errorf("%s: got %d (%v), want %d", what, got, err, status)
	}
}

func TestPartnerPolicyEnforced(t *testing.T) {
	t.Parallel()
	gw := sharedGateway(t)
	ctx := t.Context()
	bucket := uniq("dropbox")
	if err := gw.CreateBucket(ctx, bucket); err != nil {
		t.Fatal(err)
	}
	hub, a, b := newAccount(t, gw, uniq("hub")), newAccount(t, gw, uniq("partner-a")), newAccount(t, gw, uniq("partner-b"))
	policy, err := PartnerPolicy(bucket, hub.name, []Grant{{Account: a.name, Partner: "a"}, {Account: b.name, Partner: "b"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := gw.PutBucketPolicy(ctx, bucket, policy); err != nil {
		t.Fatalf("%v\npolicy:\n%s", err, policy)
	}
	none := minio.PutObjectOptions{}
	const forbidden, missing = http.StatusForbidden, http.StatusNotFound

	wantStatus(t, "A put inbox/a/x", put(ctx, a.c, bucket, "inbox/a/x", "from a", none), http.StatusOK)
	wantStatus(t, "A put inbox/b/x", put(ctx, a.c, bucket, "inbox/b/x", "evil", none), forbidden)
	wantStatus(t, "A put inbox/a-evil/x", put(ctx, a.c, bucket, "inbox/a-evil/x", "evil", none), forbidden)
	wantStatus(t, "A put inbox/a/../b/x", put(ctx, a.c, bucket, "inbox/a/../b/x", "evil", none), forbidden)
	wantStatus(t, "A put outside inbox", put(ctx, a.c, bucket, "receipts/a/forged", "evil", none), forbidden)
	wantStatus(t, "B put inbox/b/x", put(ctx, b.c, bucket, "inbox/b/x", "from b", none), http.StatusOK)
	wantStatus(t, "B put inbox/a/y", put(ctx, b.c, bucket, "inbox/a/y", "evil", none), forbidden)

	_, err = get(ctx, a.c, bucket, "inbox/a/x")
	wantStatus(t, "A get its own inbox/a/x", err, forbidden)
	wantStatus(t, "A delete inbox/a/x", a.c.RemoveObject(ctx, bucket, "inbox/a/x", minio.RemoveObjectOptions{}), forbidden)
	_, err = list(ctx, a.c, bucket)
	wantStatus(t, "A list bucket", err, forbidden)

	for key, body := range map[string]string{"receipts/a/r": "receipt a", "receipts/b/r": "receipt b", "trust/bundle": "trust"} {
		wantStatus(t, "hub put "+key, put(ctx, hub.c, bucket, key, body, none), http.StatusOK)
	}
	for _, tc := range []struct {
		who    account
		key    string
		status int
	}{
		{a, "receipts/a/r", http.StatusOK},
		{a, "receipts/b/r", forbidden},
		{a, "trust/bundle", http.StatusOK},
		{b, "receipts/b/r", http.StatusOK},
		{b, "receipts/a/r", forbidden},
		{b, "inbox/a/x", forbidden},
	} {
		_, err := get(ctx, tc.who.c, bucket, tc.key)
		wantStatus(t, tc.who.name+" get "+tc.key, err, tc.status)
	}

	// The hub sees everything, and the refused writes left nothing behind.
	keys, err := list(ctx, hub.c, bucket)
	wantStatus(t, "hub list", err, http.StatusOK)
	want := []string{"inbox/a/x", "inbox/b/x", "receipts/a/r", "receipts/b/r", "trust/bundle"}
	if !slices.Equal(keys, want) {
		t.Errorf("hub lists %q, want %q", keys, want)
	}
	if body, err := get(ctx, hub.c, bucket, "inbox/b/x"); err != nil || body != "from b" {
		t.Errorf("hub get inbox/b/x = %q, %v; want B's upload", body, err)
	}
	wantStatus(t, "hub put inbox/a/note", put(ctx, hub.c, bucket, "inbox/a/note", "hub", none), http.StatusOK)
	wantStatus(t, "hub delete inbox/a/x", hub.c.RemoveObject(ctx, bucket, "inbox/a/x", minio.RemoveObjectOptions{}), http.StatusOK)
	_, err = hub.c.StatObject(ctx, bucket, "inbox/a/x", minio.StatObjectOptions{})
	wantStatus(t, "hub stat deleted inbox/a/x", err, missing)

	t.Run("multipart", func(t *testing.T) { testPartnerMultipart(t, bucket, a) })
}

// testPartnerMultipart checks the multipart actions the policy grants: a
// partner can upload in parts, list its parts and abort, in its inbox only.
func testPartnerMultipart(t *testing.T, bucket string, a account) {
	ctx := t.Context()
	core := minio.Core{Client: a.c}
	part := bytes.Repeat([]byte("p"), 1024)

	id, err := core.NewMultipartUpload(ctx, bucket, "inbox/a/big", minio.PutObjectOptions{})
	if err != nil {
		t.Fatalf("A create upload in inbox/a: %v", err)
	}
	p1, err := core.PutObjectPart(ctx, bucket, "inbox/a/big", id, 1, bytes.NewReader(part), int64(len(part)), minio.PutObjectPartOptions{})
	wantStatus(t, "A upload part", err, http.StatusOK)
	parts, err := core.ListObjectParts(ctx, bucket, "inbox/a/big", id, 0, 100)
	wantStatus(t, "A list its parts", err, http.StatusOK)
	if err == nil && len(parts.ObjectParts) != 1 {
		t.Errorf("A lists %d parts, want 1", len(parts.ObjectParts))
	}
	_, err = core.CompleteMultipartUpload(ctx, bucket, "inbox/a/big", id,
		[]minio.CompletePart{{PartNumber: 1, ETag: p1.ETag}}, minio.PutObjectOptions{})
	wantStatus(t, "A complete upload", err, http.StatusOK)

	id, err = core.NewMultipartUpload(ctx, bucket, "inbox/a/aborted", minio.PutObjectOptions{})
	wantStatus(t, "A create second upload", err, http.StatusOK)
	wantStatus(t, "A abort its upload", core.AbortMultipartUpload(ctx, bucket, "inbox/a/aborted", id), http.StatusOK)

	_, err = core.NewMultipartUpload(ctx, bucket, "inbox/b/big", minio.PutObjectOptions{})
	wantStatus(t, "A create upload in inbox/b", err, http.StatusForbidden)
	_, err = core.ListMultipartUploads(ctx, bucket, "inbox/a/", "", "", "", 100)
	wantStatus(t, "A list uploads", err, http.StatusForbidden)
}

// The gateway refuses a policy naming an account it does not know, which is
// why accounts must be created first.
func TestPolicyNamingUnknownAccount(t *testing.T) {
	t.Parallel()
	gw := sharedGateway(t)
	bucket := uniq("unknown")
	if err := gw.CreateBucket(t.Context(), bucket); err != nil {
		t.Fatal(err)
	}
	hub := newAccount(t, gw, uniq("hub"))
	policy, err := PartnerPolicy(bucket, hub.name, []Grant{{Account: uniq("nobody"), Partner: "a"}})
	if err != nil {
		t.Fatal(err)
	}
	err = gw.PutBucketPolicy(t.Context(), bucket, policy)
	wantStatus(t, "policy naming an unknown account", err, http.StatusBadRequest)
	if code := s3Error(err).Code; code != "MalformedPolicy" {
		t.Errorf("error code %q, want MalformedPolicy", code)
	}
}

// A single-part put with If-None-Match: * writes a key once only.
func TestPutIfNoneMatch(t *testing.T) {
	t.Parallel()
	gw := sharedGateway(t)
	ctx := t.Context()
	bucket := uniq("once")
	if err := gw.CreateBucket(ctx, bucket); err != nil {
		t.Fatal(err)
	}
	root := client(t, gw, gw.RootAccess, gw.RootSecret)
	var once minio.PutObjectOptions
	once.SetMatchETagExcept("*")
	wantStatus(t, "first put", put(ctx, root, bucket, "k", "first", once), http.StatusOK)
	err := put(ctx, root, bucket, "k", "second", once)
	wantStatus(t, "put onto existing key", err, http.StatusPreconditionFailed)
	if body, err := get(ctx, root, bucket, "k"); err != nil || body != "first" {
		t.Errorf("after refused put: %q, %v; want first", body, err)
	}
}
