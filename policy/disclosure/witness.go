package disclosure

// The cubes of protect are integer moves of one table. One that moves
// no count of a class changes nothing another table shows, so it is a
// move of the whole report; so are cubes, one in each table of a class,
// that move the class's counts alike and no other linked count. certify
// finds the withheld counts such moves show can change: they need no
// linear program, and no integer reasoning can pin them either.

// corner is a corner of an applied cube and how it moves.
type corner struct {
	e    *entry
	sign int
}

// corners returns the corners of an applied cube, each with the sign of
// its move.
func (l *lattice) corners(a applied) []corner {
	s := newCubeSearch(l, a.e)
	for d, p := range a.c.partner {
		s.setPartner(d, p)
	}
	out := make([]corner, 0, 1<<len(l.dims))
	for mask := range 1 << len(l.dims) {
		f, sign := s.corner(mask)
		if !a.c.up {
			sign = -sign
		}
		out = append(out, corner{f, sign})
	}
	return out
}

// allows reports whether the marks allow every corner to move by its
// sign times dir.
func (r *report) allows(cs []corner, dir int) bool {
	for _, c := range cs {
		if c.e.hidden && c.e.class == 0 {
			continue
		}
		v := c.e.value + c.sign*dir
		if v < 1 || c.e.status == Primary && v > r.k || c.e.status == Published {
			return false
		}
	}
	return true
}

// certify returns, per target of j, whether cubes show it can move.
func (r *report) certify(j *joint) []bool {
	ok := make([]bool, len(j.targets))
	// A single class's moves, per member entry: the cube's corners, and
	// whether it may move the member up and down.
	type move struct {
		cs       []corner
		up, down bool
	}
	byMember := map[*entry][]move{}
	own := func(cs []corner) {
		for _, c := range cs {
			if t, found := j.own[c.e]; found {
				ok[t] = true
			}
		}
	}
	for _, l := range r.ls {
		for _, a := range l.cubes {
			cs := l.corners(a)
			var linked *corner
			n := 0
			for i := range cs {
				if cs[i].e.class > 0 {
					linked, n = &cs[i], n+1
				}
			}
			switch {
			case n == 0:
				if r.allows(cs, 1) {
					own(cs)
				}
			case n == 1:
				m := move{cs: cs, up: r.allows(cs, linked.sign), down: r.allows(cs, -linked.sign)}
				if m.up || m.down {
					byMember[linked.e] = append(byMember[linked.e], m)
				}
			}
		}
	}
	for ci, c := range r.classes {
		t := j.ofClass[ci]
		if t < 0 {
			continue
		}
		distinct := true // moves in one table might add up beyond a mark
		for i, m := range c.members {
			for _, o := range c.members[:i] {
				distinct = distinct && o.t != m.t
			}
		}
		for _, up := range []bool{true, false} {
			if !distinct {
				break
			}
			chosen := make([]move, 0, len(c.members))
			for _, m := range c.members {
				for _, mv := range byMember[m.e] {
					if up && mv.up || !up && mv.down {
						chosen = append(chosen, mv)
						break
					}
				}
			}
			if len(chosen) == len(c.members) {
				ok[t] = true
				for _, mv := range chosen {
					own(mv.cs)
				}
				break
			}
		}
	}
	return ok
}
