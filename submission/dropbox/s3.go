package dropbox

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3 is a drop box in an S3 bucket. It uses the S3 API only (path-style
// addressing), so the Versity gateway, MinIO, SeaweedFS, Ceph and AWS all
// serve.
type S3 struct {
	core     minio.Core
	bucket   string
	endpoint string
	partSize int64
	maxList  int
}

var _ Box = (*S3)(nil)

const defaultPartSize = 16 << 20

// NewS3 connects to the bucket of cfg. It does not contact the server.
func NewS3(cfg Config) (*S3, error) {
	if cfg.Endpoint == "" || cfg.Bucket == "" {
		return nil, errors.New("s3 drop box: endpoint and bucket are required (dropbox.endpoint and dropbox.bucket, or THBX_S3_ENDPOINT and THBX_S3_BUCKET)")
	}
	if cfg.AccessKey == "" || cfg.SecretKey == "" {
		return nil, errors.New("s3 drop box: no credentials (set THBX_S3_ACCESS_KEY and THBX_S3_SECRET_KEY)")
	}
	if cfg.Insecure && !onLoopback(cfg.Endpoint) {
		return nil, fmt.Errorf("s3 drop box: insecure (plain HTTP) is only for a server on loopback (127.0.0.1, ::1 or localhost), not %s: requests and objects would cross the network unencrypted; use TLS (remove insecure), and set ca_file if the server's certificate is from a private CA", cfg.Endpoint)
	}
	region := cfg.Region
	if region == "" {
		region = "us-east-1"
	}
	opts := &minio.Options{
		Creds:        credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure:       !cfg.Insecure,
		Region:       region,
		BucketLookup: minio.BucketLookupPath,
	}
	if cfg.CAFile != "" {
		pem, err := os.ReadFile(cfg.CAFile)
		if err != nil {
			return nil, fmt.Errorf("s3 drop box: CA file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("s3 drop box: %s holds no PEM certificate", cfg.CAFile)
		}
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
		opts.Transport = tr
	}
	c, err := minio.NewCore(cfg.Endpoint, opts)
	if err != nil {
		return nil, fmt.Errorf("s3 drop box: %w", err)
	}
	part := cfg.PartSize
	if part <= 0 {
		part = defaultPartSize
	}
	if part < 5<<20 {
		return nil, errors.New("s3 drop box: part_size must be at least 5 MiB")
	}
	return &S3{core: *c, bucket: cfg.Bucket, endpoint: cfg.Endpoint, partSize: part, maxList: MaxList}, nil
}

// onLoopback reports whether endpoint (host:port or host) is on this
// machine, where plain HTTP crosses no network.
func onLoopback(endpoint string) bool {
	host, _, err := net.SplitHostPort(endpoint)
	if err != nil {
		host = strings.TrimSuffix(strings.TrimPrefix(endpoint, "["), "]")
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

func (s *S3) String() string { return "s3://" + s.endpoint + "/" + s.bucket }

// Put stores r under key. Objects up to four parts go up in one request;
// larger ones in parts. With IfAbsent the condition is sent on the single
// put or on the completion of the multipart upload, where servers check it
// (a condition sent only when the upload starts is ignored by some).
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64, opts PutOptions) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	var popts minio.PutObjectOptions
	if opts.IfAbsent {
		popts.SetMatchETagExcept("*")
	}
	r = withProgress(r, opts)
	var err error
	if size >= 0 && size <= 4*s.partSize {
		_, err = s.core.PutObject(ctx, s.bucket, key, r, size, "", "", popts)
	} else {
		err = s.putMultipart(ctx, key, r, popts)
	}
	return s3Error(key, err)
}

func (s *S3) putMultipart(ctx context.Context, key string, r io.Reader, popts minio.PutObjectOptions) error {
	id, err := s.core.NewMultipartUpload(ctx, s.bucket, key, minio.PutObjectOptions{})
	if err != nil {
		return err
	}
	done := false
	defer func() {
		if !done {
			// Best effort: an abandoned upload only costs space.
			_ = s.core.AbortMultipartUpload(context.WithoutCancel(ctx), s.bucket, key, id)
		}
	}()
	buf := make([]byte, s.partSize)
	var parts []minio.CompletePart
	for n := 1; ; n++ {
		k, rerr := io.ReadFull(r, buf)
		if k > 0 {
			p, err := s.core.PutObjectPart(ctx, s.bucket, key, id, n, bytes.NewReader(buf[:k]), int64(k), minio.PutObjectPartOptions{})
			if err != nil {
				return err
			}
			parts = append(parts, minio.CompletePart{PartNumber: n, ETag: p.ETag})
		}
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			break
		}
		if rerr != nil {
			return rerr
		}
	}
	if _, err := s.core.CompleteMultipartUpload(ctx, s.bucket, key, id, parts, popts); err != nil {
		return err
	}
	done = true
	return nil
}

// Get opens key for reading. The body is read as stored: no content
// encoding is undone, whatever the server claims (some gateways label
// plain objects aws-chunked).
func (s *S3) Get(ctx context.Context, key string) (io.ReadCloser, Object, error) {
	if err := CheckKey(key); err != nil {
		return nil, Object{}, err
	}
	rc, info, _, err := s.core.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, Object{}, s3Error(key, err)
	}
	return rc, s3Object(info), nil
}

// Stat describes key.
func (s *S3) Stat(ctx context.Context, key string) (Object, error) {
	if err := CheckKey(key); err != nil {
		return Object{}, err
	}
	info, err := s.core.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
	if err != nil {
		return Object{}, s3Error(key, err)
	}
	return s3Object(info), nil
}

// List returns the objects whose keys start with prefix, sorted by key.
// If more than MaxList match, it returns the first MaxList in the server's
// order (key order, by the S3 API) and an error wrapping ErrTooMany.
// Keys are returned as the server has them, unchecked: the caller decides
// what to do with one that is not valid.
func (s *S3) List(ctx context.Context, prefix string) ([]Object, error) {
	if err := checkPrefix(prefix); err != nil {
		return nil, err
	}
	var out []Object
	limit := max(s.maxList, 1)
	for o := range s.core.Client.ListObjectsIter(ctx, s.bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true}) {
		if o.Err != nil {
			return nil, s3Error(prefix, o.Err)
		}
		if len(out) == limit {
			sortByKey(out)
			return out, tooMany(prefix, limit)
		}
		out = append(out, s3Object(o))
	}
	sortByKey(out)
	return out, nil
}

// Copy copies src to dst server-side.
func (s *S3) Copy(ctx context.Context, src, dst string) error {
	if err := CheckKey(src); err != nil {
		return err
	}
	if err := CheckKey(dst); err != nil {
		return err
	}
	_, err := s.core.Client.CopyObject(ctx,
		minio.CopyDestOptions{Bucket: s.bucket, Object: dst},
		minio.CopySrcOptions{Bucket: s.bucket, Object: src})
	return s3Error(src, err)
}

// Delete removes key; a missing key is not an error.
func (s *S3) Delete(ctx context.Context, key string) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	return s3Error(key, s.core.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{}))
}

func s3Object(i minio.ObjectInfo) Object {
	return Object{Key: i.Key, Size: i.Size, ETag: i.ETag, Modified: i.LastModified.UTC()}
}

func s3Error(key string, err error) error {
	if err == nil {
		return nil
	}
	resp := minio.ToErrorResponse(err)
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.Code == "NoSuchKey":
		return fmt.Errorf("%s: %w", key, ErrNotFound)
	case resp.StatusCode == http.StatusPreconditionFailed || resp.Code == "PreconditionFailed":
		return fmt.Errorf("%s: %w", key, ErrExists)
	case resp.StatusCode == http.StatusForbidden || resp.Code == "AccessDenied" ||
		resp.Code == "InvalidAccessKeyId" || resp.Code == "SignatureDoesNotMatch":
		return fmt.Errorf("%s: %w by the S3 server (%s): check the access key and secret (THBX_S3_ACCESS_KEY, THBX_S3_SECRET_KEY) and the bucket policy", key, ErrDenied, resp.Code)
	}
	return fmt.Errorf("%s: %w", key, err)
}
