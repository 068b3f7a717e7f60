package api_test

import (
	"bytes"
	"fmt"

	"github.com/thbx/thbx/hub/api"
)

// A hub is configured with the hashes of the tokens it accepts, never the
// tokens themselves.
func ExampleHashToken() {
	sum := api.HashToken("thbx_example-token")
	fmt.Printf("%x\n", sum)
	// Output:
	// 5b1869e78b0a908504d31dd3a054233a748f3c0746d1069581b73aaa7ac02c5d
}

// NewToken reads its randomness from the reader it is given; production
// code passes nil for crypto/rand.
func ExampleNewToken() {
	token, err := api.NewToken(bytes.NewReader(make([]byte, 32)))
	if err != nil {
		panic(err)
	}
	fmt.Println(token)
	// Output:
	// thbx_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
}
