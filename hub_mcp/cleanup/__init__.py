"""Tag cleanup for repository owners, in two steps: a read-only plan (:mod:`.plan`: which tags the rules delete,
which they keep and why, under an id that hashes the exact list) and its application after one confirmation
(:mod:`.service`: only the planned tags whose digest is still the planned one, per-tag results, safe to run
again)."""
