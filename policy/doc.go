// Package policy is the hub's access policy: a short YAML file that
// security officers review in a diff, and a small evaluator that decides
// whether a principal may take an action on a resource.
//
// A policy is a list of rules. Allow rules (grants) name the roles,
// minimum clearance, units, datasets, source categories, classifications
// and actions they cover; a grant may name fields to mask, and a grant of
// aggregates carries the disclosure threshold and audience of the tables
// it allows. Deny rules name what nobody, or no one of some roles, may do.
// docs/POLICY.md describes the format and the decision rules.
//
// What the package guarantees:
//
//   - Default deny: [Policy.Decide] allows only what a grant covers, and
//     a matching deny rule overrides every grant. A nil policy, an
//     unknown role, action, kind, level, dataset or category, or an
//     action that does not fit the resource's kind is refused.
//   - Whatever the rules say, a principal never gets data classified
//     above their clearance, and a partner never gets another partner's
//     data (or data of several partners).
//   - Restrictions add up: when several grants match, the decision
//     carries the union of their masks and the highest of their
//     disclosure thresholds, never below 2 for internal tables and 3 for
//     publication.
//   - Parsing is strict and bounded: unknown keys and values, duplicate
//     keys and rule ids, anchors, aliases, tags and several documents are
//     refused, with errors naming the line and the rule. [Load] checks the
//     file's SHA-256 against the digest the trust bundle carries before it
//     parses a byte.
//   - A [Decision] holds fixed reason codes, rule ids, schema field names
//     and numbers only: it is safe to log.
package policy
