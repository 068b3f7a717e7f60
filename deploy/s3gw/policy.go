package s3gw

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// ErrInvalidGrant reports a bucket, account or partner id that
// PartnerPolicy refuses to put into a policy.
var ErrInvalidGrant = errors.New("s3gw: invalid grant")

// Grant gives one gateway account the rights of one partner.
type Grant struct {
	Account string // gateway account (access key id) the partner signs with
	Partner string // partner id, the path segment under inbox/ and receipts/
}

var (
	partnerRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
	// Account names appear in the policy as principals, matched literally:
	// no wildcards, no ARN syntax.
	accountRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)
	bucketRE  = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
)

// Actions a partner needs to upload into its inbox, also in parts. The
// gateway accepts the two multipart actions in a bucket policy; creating,
// uploading and completing parts are all authorised as s3:PutObject.
var partnerPutActions = []string{"s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"}

type policyDoc struct {
	Version   string
	Statement []policyStatement
}

type policyStatement struct {
	Effect    string
	Principal struct{ AWS []string }
	Action    []string
	Resource  []string
}

// PartnerPolicy returns the bucket policy for a drop box shared by the hub
// and its partners. Each partner's account may write only under
// inbox/PARTNER/ and read only receipts/PARTNER/ and trust/; it may not
// list, delete or read anything else. The hub account may do everything on
// the bucket. Statements are ordered hub first, then partners by id, so the
// same grants always give the same text. Every account named must already
// exist on the gateway when the policy is applied.
func PartnerPolicy(bucket string, hubAccount string, partners []Grant) (string, error) {
	if !bucketRE.MatchString(bucket) || strings.Contains(bucket, "..") {
		return "", fmt.Errorf("%w: bucket name %q", ErrInvalidGrant, bucket)
	}
	if err := checkGrants(hubAccount, partners); err != nil {
		return "", err
	}
	arn := "arn:aws:s3:::" + bucket
	doc := policyDoc{Version: "2012-10-17"}
	doc.Statement = append(doc.Statement, allow(hubAccount, []string{"s3:*"}, arn, arn+"/*"))
	sorted := slices.Clone(partners)
	slices.SortFunc(sorted, func(a, b Grant) int { return strings.Compare(a.Partner, b.Partner) })
	for _, p := range sorted {
		doc.Statement = append(doc.Statement,
			allow(p.Account, partnerPutActions, arn+"/inbox/"+p.Partner+"/*"),
			allow(p.Account, []string{"s3:GetObject"}, arn+"/receipts/"+p.Partner+"/*", arn+"/trust/*"))
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return "", fmt.Errorf("s3gw: encode policy: %w", err)
	}
	return string(out), nil
}

func allow(account string, actions []string, resources ...string) policyStatement {
	s := policyStatement{Effect: "Allow", Action: actions, Resource: resources}
	s.Principal.AWS = []string{account}
	return s
}

// checkGrants refuses malformed names and any account or partner named
// twice: an account shared between partners, or with the hub, would
// silently give one party another's rights.
func checkGrants(hubAccount string, partners []Grant) error {
	if !accountRE.MatchString(hubAccount) {
		return fmt.Errorf("%w: hub account %q must match %s", ErrInvalidGrant, hubAccount, accountRE)
	}
	accounts := map[string]bool{hubAccount: true}
	ids := map[string]bool{}
	for _, p := range partners {
		if !partnerRE.MatchString(p.Partner) {
			return fmt.Errorf("%w: partner id %q must match %s", ErrInvalidGrant, p.Partner, partnerRE)
		}
		if !accountRE.MatchString(p.Account) {
			return fmt.Errorf("%w: account %q of partner %q must match %s", ErrInvalidGrant, p.Account, p.Partner, accountRE)
		}
		if ids[p.Partner] {
			return fmt.Errorf("%w: partner %q granted twice", ErrInvalidGrant, p.Partner)
		}
		if accounts[p.Account] {
			return fmt.Errorf("%w: account %q of partner %q is already the hub's or another partner's", ErrInvalidGrant, p.Account, p.Partner)
		}
		ids[p.Partner], accounts[p.Account] = true, true
	}
	return nil
}
