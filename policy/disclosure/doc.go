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
// # Reports of linked tables
//
// The tables of a report share counts: persons_by_sex and
// persons_by_age_group both sum to the persons of each period, which
// overlap sums too; overlap_by_sex summed over sex is overlap, and
// summed over the sources persons_by_sex. Tables protected one by one
// undo one another: a count one withholds another publishes, or lets be
// worked out with its own totals. ProtectLinked protects a report's
// tables together. Each comes as a Linked, with an ID function that
// names its counts, rows and margins, so that counts of one ID are known
// to be equal; AuditLinked is the attacker of a whole report.
//
// For a report, ProtectLinked guarantees:
//
//   - every table keeps what Protect guarantees of it alone: counts of 1
//     to K withheld, zeros published, primary marks only on counts of 1
//     to K, and a cube moving every withheld count;
//   - counts of one ID have one status in every table that shows them:
//     the same count, or withheld with the same mark;
//   - no withheld count can be worked out by linear programming from
//     everything the report publishes, all tables' counts, totals and
//     marks together, counts of one ID being one unknown: AuditLinked,
//     which ProtectLinked runs before it returns, finds nothing.
//
// The method: ProtectLinked protects each table, withholds in every
// table what one withholds (a count withheld for another table is
// protected like a sensitive one, with a cube of its own, and marked
// secondary) and gives each ID the strongest mark any table gives it,
// secondary over primary, until nothing changes. That is not enough: in
// overlap_by_sex a count of overlap of 3 may be a primary cell of 3 and
// so unable to grow, in overlap_by_age_group three cells of 1 and so
// unable to shrink, and the attacker who reads both knows it is 3. So
// ProtectLinked then attacks the report as AuditLinked does, and for
// each count the linear program pins it reads off the optimum the
// relations that stop it, and loosens the cheapest: it withholds a
// published count (with its ID everywhere) or marks a primary count
// secondary. Then it protects again, and attacks again, until the attack
// fails. Every round withholds a count or loosens a mark, so it ends; as
// a last resort, never needed in tests, every count but zeros withheld
// and marked secondary is safe, since doubling every count is then
// another report consistent with everything published. A round only
// loosens what the attacker knows, so a count an earlier round showed
// can move is not attacked again; nor is one a cube shows can move.
//
// A withheld count of no ID whose cube moves no count of an ID moves
// with that cube alone, a whole number: no reasoning can pin it. For the
// other counts the guarantee is that of the linear program; integer
// reasoning across tables, which no cube argument covers there, might
// narrow a count's range further. The tests try every report within one
// of the true counts on small reports and find no withheld count they
// all agree on.
//
// # Limits
//
// IDs are the caller's, and the attacker's knowledge: counts that are
// equal but not named alike are protected as unrelated. Counts named
// alike must be equal, or ProtectLinked returns ErrInconsistent; so the
// sums over the periods of per-period persons tables, which count a
// person of two periods twice, must not be named as the pooled counts,
// which count them once. Combinations a sparse table leaves out are
// zeros, published, and not named. Margins that a table's Rule.Margins
// leaves out are named too: one that another table shows is protected as
// known, though not published; one that no table shows, and that shown
// counts do not imply, still links its ID for the attack. K is the same
// in every table. A count of 1 to K that one table must mark secondary,
// as Protect sometimes does, is marked secondary in all.
//
// Protect protects one table with its own margins, and assumes they are
// published nowhere else; ProtectLinked is for tables that share counts.
// A report protected together withholds more than its tables protected
// one by one, and its attack is one linear program over the report:
// seventeen tables of Czech scale take a hundredth of a second with
// three source categories, a fifth with six and the margins that
// matter, and under a second with six and every margin
// (BenchmarkProtectLinked).
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
// table of their own, without Rule.TotalValue; in a report, as a Linked
// table of their own, the per-period table leaving its margins over the
// period out, and both naming their counts apart. Every row is in 2^n
// margins, so Protect limits tables to 16 dimensions and rows·2^n to
// about four million (ErrTooLarge), and with many dimensions its search
// for cheap cubes stops at a budget, keeping the cheapest found.
package disclosure
