// The view of suggest_base_images: the ranked candidates as a sortable table, why each ranks where
// it does, what was rejected and why, and the notes. Only what the tool returned is shown.
"use strict";

HubView.start((data) => {
  const { el, code, ref, list, section, bytes, platforms, words, copyable, table } = HubView;
  const candidates = Array.isArray(data.candidates) ? data.candidates : [];
  const assessed = candidates.some((c) => c.vulnerabilities);
  const severe = (v) => (v && v.counts ? v.counts : {});
  /** What the copy button adds to the reference shown above it: the digest, shortened. */
  const pinnedDigest = (c) => {
    const digest = String(c.pinned_reference || "").split("@")[1];
    return digest ? "pinned @" + digest.slice(0, 19) + "\u2026" : "not pinned";
  };

  const columns = [
    { label: "#", num: true, cell: (c) => c.rank, sort: (c) => c.rank },
    {
      label: "Image",
      cell: (c) => [
        ref(c.reference),
        c.aliases && c.aliases.length ? el("div", { class: "muted" }, "also " + c.aliases.join(", ")) : null,
        c.pinned_reference || c.reference
          ? copyable("FROM " + (c.pinned_reference || c.reference), {
              label: "Copy FROM",
              name: "the FROM line of " + c.reference,
              shown: pinnedDigest(c),
            })
          : null,
        el(
          "details",
          null,
          el("summary", null, "Why"),
          list((c.benefits || []).map((b) => (typeof b.points === "number" ? b.text + " (+" + b.points + ")" : b.text))),
          list((c.warnings || []).map((w) => el("span", { class: "warn" }, w))),
        ),
      ],
      sort: (c) => c.reference,
    },
    { label: "Version", cell: (c) => c.version || "", sort: (c) => c.version },
    { label: "Platforms", cell: (c) => platforms(c.platforms), sort: (c) => (c.platforms || []).length },
    { label: "Size", num: true, cell: (c) => bytes(c.size_bytes), sort: (c) => c.size_bytes },
    { label: "Last push", nowrap: true, cell: (c) => c.last_pushed || "", sort: (c) => c.last_pushed, firstDirection: -1 },
    { label: "Support ends", nowrap: true, cell: (c) => c.support_ends || "", sort: (c) => c.support_ends, firstDirection: -1 },
    { label: "Trust", cell: (c) => c.trust || "", sort: (c) => c.trust },
  ];
  if (assessed) {
    columns.push({
      label: "Vulnerabilities",
      num: true,
      cell: (c) =>
        c.vulnerabilities
          ? "critical " + (severe(c.vulnerabilities).critical || 0) + ", high " + (severe(c.vulnerabilities).high || 0) +
            ", " + c.vulnerabilities.total + " in all"
          : "not assessed",
      sort: (c) =>
        c.vulnerabilities
          ? (severe(c.vulnerabilities).critical || 0) * 1e8 + (severe(c.vulnerabilities).high || 0) * 1e4 + c.vulnerabilities.total
          : null,
    });
  }
  columns.push(
    {
      label: "Hardened",
      cell: (c) =>
        c.hardened
          ? [
              ref(c.hardened.reference),
              el(
                "div",
                { class: "muted" },
                [c.hardened.exact ? "same line" : "closest line", c.hardened.verified ? "verified" : null, c.hardened.run_as ? "runs as " + c.hardened.run_as : null]
                  .filter(Boolean)
                  .join(", "),
              ),
            ]
          : "",
      sort: (c) => (c.hardened ? c.hardened.reference : null),
    },
    { label: "Score", num: true, cell: (c) => c.score, sort: (c) => c.score, firstDirection: -1 },
  );

  const rejected = Array.isArray(data.rejected) ? data.rejected : [];
  return [
    el("h1", null, "Base images: " + (data.request || "")),
    el("p", { class: "message" }, data.message || ""),
    list(data.notices),
    candidates.length ? table("candidates", columns, candidates) : el("p", { class: "muted" }, "No candidate satisfies the request."),
    section(
      "Rejected",
      rejected.length
        ? table(
            "rejected",
            [
              { label: "Considered", cell: (r) => ref(r.reference), sort: (r) => r.reference },
              { label: "Reason", cell: (r) => words(r.reason), sort: (r) => r.reason },
              {
                label: "Detail",
                wide: true,
                cell: (r) => [r.detail, r.successors && r.successors.length ? el("div", { class: "muted" }, "instead: " + r.successors.join(", ")) : null],
              },
            ],
            rejected,
          )
        : null,
      data.rejected_omitted ? el("p", { class: "muted" }, data.rejected_omitted + " more not listed.") : null,
    ),
    section("Notes", list(data.notes)),
  ];
});
