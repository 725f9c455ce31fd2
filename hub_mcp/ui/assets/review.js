// The view of review_base_images: every FROM line (and COPY --from / RUN --mount image) as a
// sortable table with its verdict, findings, the digest-pinned refresh to copy, the upgrade and the
// hardened equivalent. Only what the tool returned is shown.
"use strict";

HubView.start((data) => {
  const { el, code, ref, list, section, platforms, copyable, table } = HubView;
  const lines = Array.isArray(data.from_lines) ? data.from_lines : [];
  const WORST_FIRST = { fail: 0, warn: 1, unknown: 2, ok: 3, skipped: 4 };
  const assessed = lines.some((line) => line.vulnerabilities);

  /** The refresh is copied as the image alone, to put in place of the one on its line: a whole line rebuilt
   * here would lose what the answer does not repeat (a FROM's --platform flag, a COPY's paths). */
  const pinnedDigest = (reference) => {
    const digest = String(reference).split("@")[1];
    return digest ? "@" + digest.slice(0, 19) + "\u2026" : reference;
  };

  const columns = [
    { label: "Line", num: true, cell: (line) => line.line, sort: (line) => line.line },
    {
      label: "Image",
      cell: (line) => [
        ref(line.original),
        line.resolved && line.resolved !== line.original ? el("div", { class: "muted" }, "is ", ref(line.resolved)) : null,
        line.instruction ? el("div", { class: "muted" }, line.instruction) : null,
        line.stage ? el("div", { class: "muted" }, "stage " + line.stage) : null,
      ],
      sort: (line) => line.resolved || line.original,
    },
    {
      label: "Verdict",
      cell: (line) => el("span", { class: "badge v-" + (line.verdict in WORST_FIRST ? line.verdict : "unknown") }, line.verdict),
      sort: (line) => (line.verdict in WORST_FIRST ? WORST_FIRST[line.verdict] : 2),
    },
    {
      label: "Findings",
      wide: true,
      cell: (line) => (line.same_as ? el("span", { class: "muted" }, "as line " + line.same_as) : list(line.findings)),
    },
    { label: "Platforms", cell: (line) => platforms(line.platforms), sort: (line) => (line.platforms || []).length },
    {
      label: "Refresh (pinned)",
      cell: (line) =>
        line.refresh
          ? copyable(line.refresh, { shown: pinnedDigest(line.refresh), name: "the pinned image for line " + line.line })
          : "",
    },
    {
      label: "Upgrade / hardened",
      wide: true,
      cell: (line) => [
        line.upgrade ? el("div", null, line.upgrade) : null,
        line.hardened
          ? el(
              "div",
              { class: "muted" },
              "hardened: ",
              ref(line.hardened.reference),
              line.hardened.exact ? " (same line)" : " (closest line)",
            )
          : null,
      ],
      sort: (line) => line.upgrade,
    },
  ];
  if (assessed) {
    columns.push({
      label: "Vulnerabilities",
      wide: true,
      cell: (line) => (line.vulnerabilities ? line.vulnerabilities.summary : ""),
      sort: (line) => (line.vulnerabilities && line.vulnerabilities.current ? line.vulnerabilities.current.total : null),
    });
  }

  return [
    el("h1", null, "Base image review"),
    el("p", { class: "message" }, data.summary || ""),
    list(data.notices),
    lines.length ? table("lines", columns, lines) : el("p", { class: "muted" }, "The Dockerfile names no image."),
    section("Notes", list(data.notes)),
  ];
});
