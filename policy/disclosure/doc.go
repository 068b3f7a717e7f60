// Package disclosure protects report tables by cell suppression, so that
// a published table gives away no count of 1 to K persons.
//
// # What is published
//
// A Table is a full or sparse cross-tabulation; a combination of values
// without a row counts zero, and is published as such. With it are
// published its margins: for every set of dimensions, the sums over them
// (every line total, every (n-1)-dimensional margin and below, the grand
// total), or those that Rule.Margins lists. A dimension may have a total
// value (Rule.TotalValue, such as period "all") whose rows are the sums
// over the dimension's other values: they are the margin over that
// dimension, and the relation is used like any other margin. Protect
// returns every row and every published margin, as a Protected table,
// each published or marked as withheld: Primary for counts 1 to K,
// Secondary for the others withheld to protect them. Zero is not
// sensitive: no zero count is ever withheld.
//
// # The attacker
//
// The attacker knows the table's layout and every published count and
// total, and reads the marks: a primary count is between 1 and K, and
// any withheld count is at least 1, since zeros are published. A
// secondary count may be anything from 1 up: Protect sometimes marks a
// total of 1 to K secondary rather than primary, because "at most K"
// would give its cells away (two cells of at least 1 in a total of at
// most 2 are both 1), so the mark does not say that the count is above
// K. The attacker knows counts are whole numbers.
//
// # The guarantee
//
// For every withheld count, cell or total, Protect leaves another table
// of whole, non-negative counts that agrees with everything published,
// marks included, in which that count differs by one. No withheld count
// can therefore be worked out exactly, by linear or integer programming
// or any other means, from the table and its margins. The guarantee is
// that the count is not exact, no more: a primary count of 1 may be
// known to be 1 or 2.
//
// # The method
//
// Protect is the hypercube method (Repsilber's GHMITER, as in τ-ARGUS)
// applied to the table with its margins. For each sensitive count, in
// increasing order, unless an earlier step has already shown it can
// move, it chooses in each dimension a second value, or the dimension's
// total; the 2^n entries so spanned are the corners of a cube. Moving
// the count by one and each corner by one up or down, with signs
// alternating along each dimension of two values, changes no other
// entry, so if every corner is withheld and its mark allows the move,
// the moved table is the witness of the guarantee. Protect withholds the
// corners of the cube that withholds the fewest published counts, then
// the smallest, searching the cubes by branch and bound; a corner whose
// count is zero cannot move and disqualifies a cube. A cube of the
// count's own totals always exists, so Protect always succeeds.
//
// Audit is the attacker of the tests, independent of the cubes: for
// every withheld count it solves the linear programs for the count's
// least and largest value given everything published (a dense, bounded
// primal simplex from the true table, which is feasible), and reports
// the counts those pin to one whole number. As a relaxation it can miss
// what only integer reasoning finds, which the guarantee above covers.
//
// # Limits
//
// Protect protects one table with its own margins. Report tables are
// linked: persons_by_sex and persons_by_age_group both sum to the
// persons of each period, reported_by tables to an overlap table's
// margins. Each table is protected on the assumption that those shared
// totals are published as its own margins are, and against the same
// published totals; it does not know which counts another table
// withholds or how it marks them. A shared total that one table
// withholds (or marks secondary) and another publishes (or marks
// primary, so as at most K) can undo the first table's protection.
// Publishing linked tables safely needs them protected together, or the
// shared totals published from one table only.
//
// The attacker is not assumed to know how Protect chooses its cubes;
// one who does may rule some alternatives out. Hypercubes often withhold
// more than an optimal pattern would, and in tables of many dimensions
// each cube has many corners: an overlap table of six source categories
// with every margin published withholds most of them. List the margins
// that matter in Rule.Margins.
//
// Rows of a total value must add up exactly. Counts of distinct persons
// pooled over periods, where a person of two periods counts once, do
// not: Protect returns ErrNotAdditive, and such rows are protected as a
// table of their own, without Rule.TotalValue. Every row is in 2^n
// margins, so Protect limits tables to 16 dimensions and rows·2^n to
// about four million (ErrTooLarge), and with many dimensions its search
// for cheap cubes stops at a budget, keeping the cheapest found.
package disclosure
