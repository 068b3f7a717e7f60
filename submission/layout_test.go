package submission_test

import (
	"strings"
	"testing"

	"github.com/thbx/thbx/submission"
)

const validID = "01JZ0B4F5ZQ8V7X9Y2KM3N4P5R"

func TestLayoutKeys(t *testing.T) {
	if !submission.ValidID(validID) {
		t.Fatalf("test id %s is not valid", validID)
	}
	for _, tc := range []struct{ got, want string }{
		{submission.ManifestKey("ngo-a", validID), "inbox/ngo-a/" + validID + ".manifest.jws"},
		{submission.CiphertextKey("ngo-a", validID), "inbox/ngo-a/" + validID + ".payload.age"},
		{submission.ReceiptKey("ngo-a", validID), "receipts/ngo-a/" + validID + ".receipt.jws"},
		{submission.ArchiveKey("ngo-a", validID, "payload.age"), "archive/ngo-a/" + validID + ".payload.age"},
	} {
		if tc.got != tc.want {
			t.Errorf("key %q, want %q", tc.got, tc.want)
		}
	}
}

func TestParseInboxKey(t *testing.T) {
	for _, tc := range []struct {
		key  string
		want submission.InboxObject
	}{
		{"inbox/ngo-a/" + validID + ".manifest.jws", submission.InboxObject{Partner: "ngo-a", ID: validID, Kind: submission.KindManifest}},
		{"inbox/ngo-a/" + validID + ".payload.age", submission.InboxObject{Partner: "ngo-a", ID: validID, Kind: submission.KindCiphertext}},
		{"inbox/0/" + validID + ".payload.age", submission.InboxObject{Partner: "0", ID: validID, Kind: submission.KindCiphertext}},
		{"inbox/" + strings.Repeat("a", 63) + "/" + validID + ".manifest.jws", submission.InboxObject{Partner: strings.Repeat("a", 63), ID: validID, Kind: submission.KindManifest}},
	} {
		got, err := submission.ParseInboxKey(tc.key)
		if err != nil || got != tc.want {
			t.Errorf("ParseInboxKey(%q) = %+v, %v; want %+v", tc.key, got, err, tc.want)
		}
	}
}

func TestParseInboxKeyRefuses(t *testing.T) {
	id := validID
	m := ".manifest.jws"
	for _, key := range []string{
		"",
		"inbox/",
		"inbox/ngo-a/",
		"inbox/ngo-a/" + m,
		"inbox/ngo-a/" + id,
		"inbox/ngo-a/" + id + ".receipt.jws",
		"inbox/ngo-a/" + id + ".manifest.json",
		"inbox/ngo-a/" + id + ".payload.age.manifest.jws",
		"inbox/ngo-a/" + id + m + ".payload.age",
		"inbox/ngo-a/" + id + m + "/",
		// Traversal.
		"inbox/../" + id + m,
		"inbox/ngo-a/../" + id + m,
		"inbox/a/../b/x",
		"inbox/a/../b/" + id + m,
		"inbox/ngo-a/../ngo-b/" + id + m,
		"inbox/ngo-a/./" + id + m,
		"inbox/./ngo-a/" + id + m,
		"inbox/ngo-a/.." + m,
		"inbox/../inbox/ngo-a/" + id + m,
		"inbox/..%2fngo-b/" + id + m,
		"inbox/ngo-a/%2e%2e/" + id + m,
		"inbox/ngo-a\\..\\ngo-b/" + id + m,
		"inbox/ngo-a/..\\" + id + m,
		// Absolute and odd prefixes.
		"/inbox/ngo-a/" + id + m,
		"//inbox/ngo-a/" + id + m,
		"./inbox/ngo-a/" + id + m,
		"Inbox/ngo-a/" + id + m,
		"INBOX/ngo-a/" + id + m,
		"receipts/ngo-a/" + id + m,
		"quarantine/ngo-a/" + id + m,
		"inboxngo-a/" + id + m,
		// Empty and extra segments.
		"inbox//" + id + m,
		"inbox/ngo-a//" + id + m,
		"inbox/ngo-a/sub/" + id + m,
		"inbox/ngo-a/" + id + "/" + id + m,
		"inbox/ngo-a/ngo-b/" + id + m,
		// Upper case and other alphabets.
		"inbox/NGO-A/" + id + m,
		"inbox/Ngo-a/" + id + m,
		"inbox/ngo-a/" + strings.ToLower(id) + m,
		"inbox/ngo-a/" + id + ".MANIFEST.JWS",
		"inbox/ngo-a/" + id + ".Payload.age",
		"inbox/ngо-a/" + id + m,            // Cyrillic о
		"inbox/ngo‐a/" + id + m,            // U+2010 hyphen
		"inbox/ngo-a∕" + id + m,            // U+2215 division slash
		"inbox/ngo-a／" + id + m,            // fullwidth solidus
		"inbox/ngo-a/" + id[:25] + "Ｒ" + m, // fullwidth R
		"inbox/ngo-a/" + id[:25] + "R\u0301" + m,
		"inbox/ngo-a/\u200b" + id + m, // zero-width space
		"inbox/ngo-a/" + id + "\u200b" + m,
		"inbox/ngo-a/" + id + "․manifest.jws", // U+2024 one-dot leader
		"inbox/\ufeffngo-a/" + id + m,
		// Control characters and spaces.
		"inbox/ngo-a/" + id + m + "\x00",
		"inbox/ngo-a\x00/" + id + m,
		"inbox/ngo-a/" + id + "\x00" + m,
		"inbox/ngo-a/" + id + m + "\n",
		"inbox/ngo-a\n/" + id + m,
		" inbox/ngo-a/" + id + m,
		"inbox/ngo-a/" + id + m + " ",
		"inbox/ngo a/" + id + m,
		// Partner ids out of the alphabet.
		"inbox/-ngo/" + id + m,
		"inbox/ngo_a/" + id + m,
		"inbox/ngo.a/" + id + m,
		"inbox/" + strings.Repeat("a", 64) + "/" + id + m,
		// Invalid ids.
		"inbox/ngo-a/8" + id[1:] + m,
		"inbox/ngo-a/" + id[:25] + "U" + m,
		"inbox/ngo-a/" + id + "0" + m,
		"inbox/ngo-a/" + id[:25] + m,
		"inbox/ngo-a/\xff" + id[1:] + m,
	} {
		if o, err := submission.ParseInboxKey(key); err == nil {
			t.Errorf("ParseInboxKey(%q) = %+v, want an error", key, o)
		}
	}
}

func TestValidPartner(t *testing.T) {
	for _, s := range []string{"a", "0", "ngo-a", "police-cz", "a-", strings.Repeat("z", 63)} {
		if !submission.ValidPartner(s) {
			t.Errorf("ValidPartner(%q) = false", s)
		}
	}
	for _, s := range []string{"", "-a", "A", "ngo_a", "ngo.a", "..", ".", "ngo/a", strings.Repeat("z", 64), "ngo-a\n", "ngо"} {
		if submission.ValidPartner(s) {
			t.Errorf("ValidPartner(%q) = true", s)
		}
	}
}
