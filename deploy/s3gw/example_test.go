package s3gw_test

import (
	"fmt"

	"github.com/thbx/thbx/deploy/s3gw"
)

func ExamplePartnerPolicy() {
	policy, err := s3gw.PartnerPolicy("dropbox", "hub", []s3gw.Grant{{Account: "acme", Partner: "acme"}})
	if err != nil {
		panic(err)
	}
	fmt.Println(policy)
	// Output:
	// {
	//   "Version": "2012-10-17",
	//   "Statement": [
	//     {
	//       "Effect": "Allow",
	//       "Principal": {
	//         "AWS": [
	//           "hub"
	//         ]
	//       },
	//       "Action": [
	//         "s3:*"
	//       ],
	//       "Resource": [
	//         "arn:aws:s3:::dropbox",
	//         "arn:aws:s3:::dropbox/*"
	//       ]
	//     },
	//     {
	//       "Effect": "Allow",
	//       "Principal": {
	//         "AWS": [
	//           "acme"
	//         ]
	//       },
	//       "Action": [
	//         "s3:PutObject",
	//         "s3:AbortMultipartUpload",
	//         "s3:ListMultipartUploadParts"
	//       ],
	//       "Resource": [
	//         "arn:aws:s3:::dropbox/inbox/acme/*"
	//       ]
	//     },
	//     {
	//       "Effect": "Allow",
	//       "Principal": {
	//         "AWS": [
	//           "acme"
	//         ]
	//       },
	//       "Action": [
	//         "s3:GetObject"
	//       ],
	//       "Resource": [
	//         "arn:aws:s3:::dropbox/receipts/acme/*",
	//         "arn:aws:s3:::dropbox/trust/*"
	//       ]
	//     }
	//   ]
	// }
}
