package dropbox

// SetListLimit lowers MaxList for b, so tests can pass it with a few
// objects.
func SetListLimit(b Box, n int) {
	switch b := b.(type) {
	case *Dir:
		b.maxList = n
	case *S3:
		b.maxList = n
	}
}
