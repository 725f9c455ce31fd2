// hub-mcp views: the MCP Apps bridge and the helpers every view uses.
//
// The bridge follows the MCP Apps specification (io.modelcontextprotocol/ui, 2026-01-26): JSON-RPC
// 2.0 over postMessage with the host (window.parent). The view asks `ui/initialize`, applies the
// host context (theme, style variables), says `ui/notifications/initialized`, then renders the tool
// result the host sends in `ui/notifications/tool-result` (a CallToolResult: structuredContent is
// what the tool returned). It reports its height in `ui/notifications/size-changed`.
//
// Safety: every value of an answer comes from upstream (Docker Hub, registries, a Dockerfile) and is
// untrusted. It is only ever put in the page as text (text nodes, textContent, input values): nothing
// here hands a string to the HTML parser or builds a URL from it (tests/ui checks the source for the
// ways to). The page's Content-Security-Policy admits only this script and its style sheet, by hash.
"use strict";

const HubView = (() => {
  const PROTOCOL_VERSION = "2026-01-26";
  const pending = new Map();
  let nextId = 1;
  let renderPage = null;
  let lastResult = null;

  // --- elements --------------------------------------------------------------------------

  /** An element with attributes (plain strings, set as attributes) and children (nodes or text). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value !== null && value !== undefined && value !== false) node.setAttribute(name, String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function code(text) {
    return el("code", null, text);
  }

  /** An image reference, kept on one line. */
  function ref(text) {
    return el("code", { class: "ref" }, text);
  }

  function list(items, className) {
    const present = (items || []).filter((item) => item !== null && item !== undefined && item !== "");
    if (!present.length) return null;
    return el("ul", { class: className || "plain" }, present.map((item) => el("li", null, item)));
  }

  function section(title, ...children) {
    const body = children.flat().filter(Boolean);
    if (!body.length) return null;
    return el("section", null, el("h2", null, title), body);
  }

  // --- values ------------------------------------------------------------------------------

  /** Compressed bytes as Docker Hub shows them (decimal units). */
  function bytes(n) {
    if (typeof n !== "number" || !isFinite(n)) return "";
    const sign = n < 0 ? "-" : "";
    let value = Math.abs(n);
    for (const unit of ["B", "kB", "MB", "GB"]) {
      if (value < 1000 || unit === "GB") {
        return sign + (unit === "B" ? String(value) : value.toFixed(value < 10 ? 2 : 1)) + " " + unit;
      }
      value /= 1000;
    }
    return "";
  }

  // --- copying -------------------------------------------------------------------------------

  /** Copy text: the Clipboard API where the host allows it (clipboard-write), else the selection. */
  async function copyText(text) {
    try {
      if (navigator.clipboard && navigator.clipboard.writeText) {
        await navigator.clipboard.writeText(text);
        return true;
      }
    } catch (error) {
      // not allowed here (no clipboard-write permission): fall back below
    }
    const area = el("textarea", { readonly: "", "aria-hidden": "true" });
    area.value = text;
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.append(area);
    area.select();
    let done = false;
    try {
      done = document.execCommand("copy");
    } catch (error) {
      done = false;
    }
    area.remove();
    return done;
  }

  /** A digest-pinned reference cut to its tag and the digest's first 12 hex digits, for showing (never for copying). */
  function shortDigest(text) {
    return text.replace(/@sha256:([0-9a-f]{12})[0-9a-f]{52}/g, "@sha256:$1\u2026");
  }

  /**
   * A button that copies `text` and says whether it could. Shown beside it: `options.shown`, else the
   * text with its digest shortened (or whole with `options.full`); `options.name` is what a screen reader
   * says it copies, `options.label` the button's text. Where the host grants no clipboard,
   * the whole text appears selected in a field instead, for Ctrl+C.
   */
  function copyable(text, options) {
    const opts = options || {};
    const shown = el("code", { title: text, class: opts.full ? "full" : null }, opts.shown || (opts.full ? text : shortDigest(text)));
    const status = el("span", { class: "copied", role: "status" });
    const button = el(
      "button",
      { type: "button", class: "copy-btn", "data-copy": text, title: "Copy " + text, "aria-label": "Copy " + (opts.name || text) },
      opts.label || "Copy",
    );
    const box = el("div", { class: "copy" }, shown, button, status);
    button.addEventListener("click", async () => {
      if (await copyText(text)) {
        status.textContent = "Copied";
        return;
      }
      const field = el("input", { type: "text", readonly: "", class: "copy-field", "aria-label": "Text to copy" });
      field.value = text;
      shown.replaceWith(field);
      field.focus();
      field.select();
      status.textContent = "Press Ctrl+C";
    });
    return box;
  }

  // --- sortable tables --------------------------------------------------------------------

  /**
   * A table whose column headers sort it. Each column: {label, cell(row) -> node or text,
   * sort(row) -> number or string (absent values last in either direction), num: right-aligned,
   * wide: prose that may take more room, nowrap: a date or another short value kept on one line}.
   */
  function table(name, columns, rows, initial) {
    const cellClass = (column) => (column.num ? "num" : column.wide ? "wide" : column.nowrap ? "nowrap" : null);
    const body = el("tbody");
    const headers = columns.map((column, index) => {
      const th = el("th", { scope: "col", class: cellClass(column) });
      if (column.sort) {
        const button = el("button", { type: "button", class: "sort" }, column.label);
        button.addEventListener("click", () => sortBy(index));
        th.append(button);
        th.setAttribute("aria-sort", "none");
      } else {
        th.append(column.label);
      }
      return th;
    });
    const built = rows.map((row, position) => ({
      row,
      position,
      node: el("tr", null, columns.map((column) => el("td", { class: cellClass(column) }, column.cell(row)))),
    }));
    let current = { index: -1, direction: 1 };

    function sortBy(index, direction) {
      const column = columns[index];
      const next = direction || (current.index === index ? -current.direction : column.firstDirection || 1);
      current = { index, direction: next };
      const key = (item) => column.sort(item.row);
      built.sort((a, b) => {
        const x = key(a);
        const y = key(b);
        const xMissing = x === null || x === undefined || x === "";
        const yMissing = y === null || y === undefined || y === "";
        if (xMissing || yMissing) return xMissing === yMissing ? a.position - b.position : xMissing ? 1 : -1;
        const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
        return order * next || a.position - b.position;
      });
      headers.forEach((th, i) => {
        if (columns[i].sort) th.setAttribute("aria-sort", i === index ? (next > 0 ? "ascending" : "descending") : "none");
      });
      body.replaceChildren(...built.map((item) => item.node));
      if (!direction) announce("Sorted by " + column.label + (next > 0 ? ", ascending" : ", descending"));
    }

    body.replaceChildren(...built.map((item) => item.node));
    if (initial) sortBy(initial.index, initial.direction);
    return el("div", { class: "table-wrap" }, el("table", { "data-table": name }, el("thead", null, el("tr", null, headers)), body));
  }

  // --- the host ---------------------------------------------------------------------------

  function post(message) {
    window.parent.postMessage(message, "*");
  }

  function request(method, params) {
    const id = nextId++;
    post({ jsonrpc: "2.0", id, method, params });
    return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
  }

  function notify(method, params) {
    post({ jsonrpc: "2.0", method, params: params || {} });
  }

  function applyContext(context) {
    if (!context || typeof context !== "object") return;
    const root = document.documentElement;
    if (context.theme === "light" || context.theme === "dark") root.dataset.theme = context.theme;
    const variables = context.styles && context.styles.variables;
    if (variables && typeof variables === "object") {
      for (const [name, value] of Object.entries(variables)) {
        // Only the host's custom properties, set through the CSSOM (never parsed as markup).
        if (/^--[a-z0-9-]+$/.test(name) && typeof value === "string") root.style.setProperty(name, value);
      }
    }
  }

  function show(...children) {
    document.getElementById("app").replaceChildren(...children.flat().filter(Boolean));
  }

  function showResult(result) {
    lastResult = result;
    if (!result || typeof result !== "object") return;
    let data = result.structuredContent;
    const text = Array.isArray(result.content)
      ? result.content.filter((block) => block && block.type === "text").map((block) => String(block.text)).join("\n")
      : "";
    if (result.isError) {
      show(el("p", { class: "error" }, text || "The tool failed without saying why."));
      return;
    }
    if (!data && text) {
      try {
        data = JSON.parse(text);
      } catch (error) {
        data = null;
      }
    }
    if (!data || typeof data !== "object" || !renderPage) {
      show(el("p", null, text || "The tool returned nothing to show."));
      return;
    }
    try {
      show(renderPage(data));
    } catch (error) {
      console.error(error);
      show(el("p", { class: "error" }, "This answer could not be shown as a table; the model has it as text."));
    }
  }

  function onMessage(event) {
    if (event.source !== window.parent) return; // only the host speaks to the view
    const message = event.data;
    if (!message || typeof message !== "object" || message.jsonrpc !== "2.0") return;
    if (message.method === undefined && pending.has(message.id)) {
      const waiting = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) waiting.reject(message.error);
      else waiting.resolve(message.result || {});
      return;
    }
    switch (message.method) {
      case "ui/notifications/tool-result":
        showResult(message.params);
        break;
      case "ui/notifications/tool-cancelled":
        if (!lastResult) show(el("p", { class: "muted" }, "The tool call was cancelled."));
        break;
      case "ui/notifications/host-context-changed":
        applyContext(message.params);
        break;
      case "ui/resource-teardown":
      case "ping":
        if (message.id !== undefined) post({ jsonrpc: "2.0", id: message.id, result: {} });
        break;
      default:
        if (message.id !== undefined && message.method !== undefined) {
          post({ jsonrpc: "2.0", id: message.id, error: { code: -32601, message: "Method not found" } });
        }
    }
  }

  function reportSize() {
    const height = Math.ceil(document.documentElement.scrollHeight);
    const width = Math.ceil(document.documentElement.scrollWidth);
    notify("ui/notifications/size-changed", { width, height });
  }

  /** Start the view: `render(data)` returns the nodes for a tool's structured answer. */
  function start(render) {
    renderPage = render;
    window.addEventListener("message", onMessage);
    request("ui/initialize", {
      protocolVersion: PROTOCOL_VERSION,
      appInfo: { name: "hub-mcp", version: document.documentElement.dataset.version || "" },
      appCapabilities: { availableDisplayModes: ["inline", "fullscreen"] },
    }).then(
      (result) => {
        applyContext(result.hostContext);
        notify("ui/notifications/initialized", {});
      },
      () => notify("ui/notifications/initialized", {}),
    );
    if (typeof ResizeObserver === "function") new ResizeObserver(reportSize).observe(document.documentElement);
  }

  /** A reason code as words: "end_of_life" is "end of life". */
  function words(code) {
    return code === null || code === undefined ? "" : String(code).replace(/_/g, " ");
  }

  /** Say something to screen readers only (the page itself is not a live region: a re-render is not news). */
  function announce(message) {
    const status = document.getElementById("status");
    if (status) status.textContent = message;
  }

  /** Platforms without the "linux/" every Linux one starts with, when all are Linux (the column says so). */
  function platforms(names) {
    const all = names || [];
    return all.every((name) => name.startsWith("linux/")) ? all.map((name) => name.slice(6)).join(", ") : all.join(", ");
  }

  return { el, code, ref, list, section, bytes, platforms, words, copyable, table, start };
})();
