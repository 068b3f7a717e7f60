package merge

import "slices"

// unionFind is a disjoint-set forest over record positions, with union
// by size and path halving: near-constant time per operation.
type unionFind struct {
	parent []int32
	size   []int32
	next   []int32 // each cluster's members as a ring, for conflict checks
	// sources holds, for the root of a cluster of more than one record,
	// the sorted submissions (source ids) of its records; a single
	// record's set is its own source, and is not stored.
	sources map[int32][]int32
}

func newUnionFind(n int) *unionFind {
	u := &unionFind{parent: make([]int32, n), size: make([]int32, n), next: make([]int32, n)}
	for i := range u.parent {
		u.parent[i] = int32(i)
		u.size[i] = 1
		u.next[i] = int32(i)
	}
	return u
}

func (u *unionFind) find(x int32) int32 {
	for u.parent[x] != x {
		u.parent[x] = u.parent[u.parent[x]]
		x = u.parent[x]
	}
	return x
}

// union joins the clusters of roots a and b and returns the new root.
func (u *unionFind) union(a, b int32) int32 {
	if u.size[a] < u.size[b] {
		a, b = b, a
	}
	u.parent[b] = a
	u.size[a] += u.size[b]
	u.next[a], u.next[b] = u.next[b], u.next[a] // splice the rings
	return a
}

// trackSources starts keeping the submissions of each cluster, for the
// guard against merging two records of one submission.
func (u *unionFind) trackSources(src []int32) {
	u.sources = map[int32][]int32{}
	for p := range u.parent {
		r := u.find(int32(p))
		if u.size[r] > 1 {
			u.sources[r] = append(u.sources[r], src[p])
		}
	}
	for r, s := range u.sources {
		slices.Sort(s)
		u.sources[r] = slices.Compact(s)
	}
}

// sourcesOf returns the submissions of the cluster whose root is r.
func (u *unionFind) sourcesOf(r int32, src []int32) []int32 {
	if s, ok := u.sources[r]; ok {
		return s
	}
	return src[r : r+1]
}

// clash reports whether the clusters of roots a and b hold records of a
// common submission.
func (u *unionFind) clash(a, b int32, src []int32) bool {
	x, y := u.sourcesOf(a, src), u.sourcesOf(b, src)
	for i, j := 0, 0; i < len(x) && j < len(y); {
		switch {
		case x[i] == y[j]:
			return true
		case x[i] < y[j]:
			i++
		default:
			j++
		}
	}
	return false
}

// unionTracked joins two clusters and their submissions.
func (u *unionFind) unionTracked(a, b int32, src []int32) int32 {
	x, y := u.sourcesOf(a, src), u.sourcesOf(b, src)
	merged := make([]int32, 0, len(x)+len(y))
	for i, j := 0, 0; i < len(x) || j < len(y); {
		switch {
		case j == len(y) || (i < len(x) && x[i] < y[j]):
			merged = append(merged, x[i])
			i++
		case i == len(x) || y[j] < x[i]:
			merged = append(merged, y[j])
			j++
		default:
			merged = append(merged, x[i])
			i, j = i+1, j+1
		}
	}
	delete(u.sources, a)
	delete(u.sources, b)
	r := u.union(a, b)
	u.sources[r] = merged
	return r
}
