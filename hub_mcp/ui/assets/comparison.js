// The view of compare_images: the two images side by side with their pinned FROM lines, then what
// differs (layers, settings, packages, known vulnerabilities) as sortable tables. Only what the tool
// returned is shown; "unknown" stays unknown, never "no change".
"use strict";

HubView.start((data) => {
  const { el, code, list, section, bytes, copyable, table } = HubView;
  const text = (value) => (Array.isArray(value) ? value.join(" ") : value === null || value === undefined ? "" : String(value));

  const side = (name, image) =>
    image
      ? el(
          "div",
          { class: "side", "data-side": name },
          el("h2", null, name),
          code(image.reference),
          el(
            "dl",
            null,
            el("dt", null, "platform"), el("dd", null, image.platform),
            el("dt", null, "size"), el("dd", null, bytes(image.size_bytes)),
            el("dt", null, "layers"), el("dd", null, image.layers),
            image.created ? [el("dt", null, "created"), el("dd", null, image.created)] : null,
            typeof image.packages === "number" ? [el("dt", null, "packages"), el("dd", null, image.packages)] : null,
            el("dt", null, "platforms"), el("dd", null, (image.platforms || []).join(", ")),
          ),
          image.pinned_reference
            ? copyable("FROM " + image.pinned_reference, { full: true, name: "the FROM line of the " + name + " image" })
            : null,
        )
      : null;

  const layers = data.layers || {};
  const layerLine = data.layers
    ? [
        layers.shared + " shared layers (" + bytes(layers.shared_bytes) + ")",
        "the first " + layers.same_base + " in the same order",
        layers.only_before + " only before",
        layers.only_after + " only after",
        "after is " + (layers.size_change_bytes >= 0 ? bytes(layers.size_change_bytes) + " larger" : bytes(-layers.size_change_bytes) + " smaller"),
      ].join("; ")
    : null;

  // Settings that differ, one row each; environment variables and labels by name.
  const settings = [];
  const config = data.config || {};
  for (const key of ["user", "entrypoint", "cmd", "working_dir"]) {
    if (config[key]) settings.push({ setting: key, before: text(config[key].before), after: text(config[key].after) });
  }
  for (const port of config.ports_added || []) settings.push({ setting: "port", before: "", after: port });
  for (const port of config.ports_removed || []) settings.push({ setting: "port", before: port, after: "" });
  for (const group of ["env", "labels"]) {
    const entries = config[group];
    if (!entries) continue;
    for (const [name, value] of Object.entries(entries.added || {})) settings.push({ setting: group + " " + name, before: "", after: value });
    for (const name of entries.removed || []) settings.push({ setting: group + " " + name, before: "(set)", after: "" });
    for (const change of entries.changed || []) settings.push({ setting: group + " " + change.name, before: text(change.before), after: text(change.after) });
  }
  const omittedSettings = ((config.env || {}).omitted || 0) + ((config.labels || {}).omitted || 0);

  const packages = data.packages || null;
  const packageRows = [];
  if (packages && packages.status === "known") {
    for (const kind of ["added", "removed", "upgraded", "downgraded", "changed"]) {
      for (const change of packages[kind] || []) packageRows.push({ kind, ...change });
    }
  }

  const vulns = data.vulnerabilities || null;
  const severityRows = [];
  if (vulns && vulns.status === "known") {
    const levels = new Set([...Object.keys(vulns.before || {}), ...Object.keys(vulns.after || {})]);
    for (const level of levels) {
      const before = (vulns.before || {})[level] || 0;
      const after = (vulns.after || {})[level] || 0;
      severityRows.push({ level, before, after, delta: after - before });
    }
  }
  const RANK = { critical: 0, high: 1, medium: 2, low: 3, none: 4, unknown: 5 };

  return [
    el("h1", null, "Image comparison"),
    el("p", { class: "message" }, data.message || ""),
    list(data.notices),
    el("div", { class: "sides" }, side("before", data.before), side("after", data.after)),
    section("Layers", layerLine ? el("p", null, layerLine) : null),
    section(
      "Settings that differ",
      settings.length
        ? table(
            "settings",
            [
              { label: "Setting", cell: (row) => code(row.setting), sort: (row) => row.setting },
              { label: "Before", cell: (row) => code(row.before), sort: (row) => row.before },
              { label: "After", cell: (row) => code(row.after), sort: (row) => row.after },
            ],
            settings,
          )
        : null,
      omittedSettings ? el("p", { class: "muted" }, omittedSettings + " more differences not listed.") : null,
    ),
    section(
      "Packages",
      packages && packages.status !== "known" ? el("p", { class: "muted" }, "Unknown: " + (packages.reason || "no SBOM on one side.")) : null,
      packages && packages.counts
        ? el("p", null, Object.entries(packages.counts).map(([kind, count]) => kind + " " + count).join(", "))
        : null,
      packageRows.length
        ? table(
            "packages",
            [
              { label: "Package", cell: (row) => code(row.name), sort: (row) => row.name },
              { label: "Type", cell: (row) => row.type, sort: (row) => row.type },
              { label: "Change", cell: (row) => row.kind, sort: (row) => row.kind },
              { label: "Before", cell: (row) => row.before || "", sort: (row) => row.before },
              { label: "After", cell: (row) => row.after || "", sort: (row) => row.after },
            ],
            packageRows,
          )
        : null,
      packages && packages.omitted ? el("p", { class: "muted" }, packages.omitted + " more package changes not listed.") : null,
    ),
    section(
      "Known vulnerabilities",
      vulns && vulns.status !== "known" ? el("p", { class: "muted" }, "Unknown: " + (vulns.reason || "not assessed.")) : null,
      severityRows.length
        ? table(
            "vulnerabilities",
            [
              { label: "Severity", cell: (row) => row.level, sort: (row) => (row.level in RANK ? RANK[row.level] : 9) },
              { label: "Before", num: true, cell: (row) => row.before, sort: (row) => row.before },
              { label: "After", num: true, cell: (row) => row.after, sort: (row) => row.after },
              { label: "Change", num: true, cell: (row) => (row.delta > 0 ? "+" : "") + row.delta, sort: (row) => row.delta },
            ],
            severityRows,
            { index: 0, direction: 1 },
          )
        : null,
      vulns && vulns.fixed_findings ? [el("p", null, "Fixed (" + vulns.fixed + ")"), list(vulns.fixed_findings)] : null,
      vulns && vulns.introduced_findings ? [el("p", null, "Introduced (" + vulns.introduced + ")"), list(vulns.introduced_findings)] : null,
    ),
  ];
});
