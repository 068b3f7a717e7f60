package s3gw

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestPartnerPolicyShape(t *testing.T) {
	out, err := PartnerPolicy("drop", "hub", []Grant{{Account: "acct-b", Partner: "b"}, {Account: "a", Partner: "a"}})
	if err != nil {
		t.Fatal(err)
	}
	var doc policyDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	type row struct{ who, actions, resources string }
	var got []row
	for _, s := range doc.Statement {
		if s.Effect != "Allow" {
			t.Errorf("Effect %q", s.Effect)
		}
		got = append(got, row{strings.Join(s.Principal.AWS, ","), strings.Join(s.Action, ","), strings.Join(s.Resource, ",")})
	}
	put := "s3:PutObject,s3:AbortMultipartUpload,s3:ListMultipartUploadParts"
	want := []row{
		{"hub", "s3:*", "arn:aws:s3:::drop,arn:aws:s3:::drop/*"},
		{"a", put, "arn:aws:s3:::drop/inbox/a/*"},
		{"a", "s3:GetObject", "arn:aws:s3:::drop/receipts/a/*,arn:aws:s3:::drop/trust/*"},
		{"acct-b", put, "arn:aws:s3:::drop/inbox/b/*"},
		{"acct-b", "s3:GetObject", "arn:aws:s3:::drop/receipts/b/*,arn:aws:s3:::drop/trust/*"},
	}
	if doc.Version != "2012-10-17" || len(got) != len(want) {
		t.Fatalf("policy:\n%s", out)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("statement %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestPartnerPolicyStable(t *testing.T) {
	grants := []Grant{{"x", "x"}, {"y", "y"}, {"z", "z"}}
	first, err := PartnerPolicy("drop", "hub", grants)
	if err != nil {
		t.Fatal(err)
	}
	reversed := []Grant{grants[2], grants[1], grants[0]}
	again, err := PartnerPolicy("drop", "hub", reversed)
	if err != nil {
		t.Fatal(err)
	}
	if first != again {
		t.Errorf("order of grants changed the policy:\n%s\n%s", first, again)
	}
	if reversed[0].Partner != "z" {
		t.Error("PartnerPolicy reordered the caller's slice")
	}
}

func TestPartnerPolicyRejects(t *testing.T) {
	long := strings.Repeat("a", 64)
	for _, tc := range []struct {
		name   string
		bucket string
		hub    string
		grants []Grant
	}{
		{"bucket uppercase", "Drop", "hub", nil},
		{"bucket with slash", "drop/x", "hub", nil},
		{"bucket with wildcard", "drop*", "hub", nil},
		{"bucket double dot", "dr..op", "hub", nil},
		{"hub empty", "drop", "", nil},
		{"hub wildcard", "drop", "*", nil},
		{"hub arn", "drop", "arn:aws:iam::1:root", nil},
		{"partner empty", "drop", "hub", []Grant{{"a", ""}}},
		{"partner uppercase", "drop", "hub", []Grant{{"a", "A"}}},
		{"partner leading dash", "drop", "hub", []Grant{{"a", "-a"}}},
		{"partner dotdot", "drop", "hub", []Grant{{"a", ".."}}},
		{"partner slash", "drop", "hub", []Grant{{"a", "a/b"}}},
		{"partner wildcard", "drop", "hub", []Grant{{"a", "a*"}}},
		{"partner too long", "drop", "hub", []Grant{{"a", long}}},
		{"account empty", "drop", "hub", []Grant{{"", "a"}}},
		{"account wildcard", "drop", "hub", []Grant{{"*", "a"}}},
		{"account space", "drop", "hub", []Grant{{"a b", "a"}}},
		{"account quote", "drop", "hub", []Grant{{`a"`, "a"}}},
		{"partner twice", "drop", "hub", []Grant{{"a", "a"}, {"b", "a"}}},
		{"account twice", "drop", "hub", []Grant{{"a", "a"}, {"a", "b"}}},
		{"account is hub", "drop", "hub", []Grant{{"hub", "a"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := PartnerPolicy(tc.bucket, tc.hub, tc.grants)
			if !errors.Is(err, ErrInvalidGrant) {
				t.Errorf("PartnerPolicy = %q, %v; want ErrInvalidGrant", out, err)
			}
		})
	}
	if _, err := PartnerPolicy("drop", "hub", []Grant{{"a", long[:63]}}); err != nil {
		t.Errorf("63-character partner id refused: %v", err)
	}
}
