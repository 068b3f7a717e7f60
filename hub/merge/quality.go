package merge

// PairQuality measures a merge against a ground truth that names the
// person of each record, over pairs of records: a pair the merge put in
// one person is a true positive if the truth has them as one person too,
// a false positive otherwise; a pair of one true person that the merge
// kept apart is a false negative. Precision is tp/(tp+fp), recall
// tp/(tp+fn); each is 1 when its denominator is 0. Records the truth
// does not name are left out.
func PairQuality(r *Result, truth map[RecordRef]string) (precision, recall float64, tp, fp, fn int) {
	type cell struct {
		person int32
		truth  string
	}
	predicted := map[int32]int{}
	actual := map[string]int{}
	both := map[cell]int{}
	for p, i := range r.order {
		t, ok := truth[r.records[i].Ref]
		if !ok {
			continue
		}
		predicted[r.person[p]]++
		actual[t]++
		both[cell{r.person[p], t}]++
	}
	pairs := func(n int) int { return n * (n - 1) / 2 }
	var pp, ap int
	for _, n := range predicted {
		pp += pairs(n)
	}
	for _, n := range actual {
		ap += pairs(n)
	}
	for _, n := range both {
		tp += pairs(n)
	}
	fp, fn = pp-tp, ap-tp
	precision, recall = 1, 1
	if pp > 0 {
		precision = float64(tp) / float64(pp)
	}
	if ap > 0 {
		recall = float64(tp) / float64(ap)
	}
	return precision, recall, tp, fp, fn
}
