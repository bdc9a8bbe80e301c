// Minimal server-side HTML rendering for the admin console: escaping and the page frame (inline CSS, no
// scripts, no CDN: the console works offline).

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** The console's pages, in navigation order: path and title. */
export const CONSOLE_PAGES: ReadonlyArray<{ readonly path: string; readonly title: string }> = [
  { path: "/", title: "Overview" },
  { path: "/console/server", title: "Server info" },
  { path: "/console/config", title: "EnvoyGateway config" },
  { path: "/console/resources", title: "Resources" },
  { path: "/console/status", title: "Conditions" },
  { path: "/console/xds", title: "xDS: proxies & NACKs" },
  { path: "/console/config_dump", title: "Config dump" },
  { path: "/console/stats", title: "Stats" },
];

const STYLE = `body{font-family:system-ui,sans-serif;margin:0;color:#1b1f24}nav{background:#24292f;padding:.5em 1em}
nav a{color:#fff;margin-right:1.2em;text-decoration:none}nav a.here{font-weight:bold;text-decoration:underline}
main{padding:1em 1.5em}table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #d0d7de;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#f6f8fa}tr.fail td{background:#ffebe9}tr.ok td{background:#fff}pre{background:#f6f8fa;padding:.8em;overflow:auto;max-height:70vh}
.bad{color:#cf222e;font-weight:bold}.good{color:#1a7f37}.muted{color:#57606a}`;

/** A whole page: navigation, title and body. */
export function page(path: string, title: string, body: string): string {
  const nav = CONSOLE_PAGES.map((p) => `<a href="${p.path}"${p.path === path ? ' class="here"' : ""}>${escapeHtml(p.title)}</a>`).join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · egts console</title><style>${STYLE}</style></head>
<body><nav>${nav}</nav><main><h1>${escapeHtml(title)}</h1>
${body}
</main></body></html>
`;
}

/** A table from header names and rows of already-escaped cells; `rowClass` marks rows (e.g. failing ones). */
export function table(
  headers: ReadonlyArray<string>,
  rows: ReadonlyArray<{ readonly cells: ReadonlyArray<string>; readonly rowClass?: string }>,
  empty = "none",
): string {
  if (rows.length === 0) return `<p class="muted">${escapeHtml(empty)}</p>`;
  const head = `<tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr>`;
  const body = rows.map((r) => `<tr${r.rowClass ? ` class="${r.rowClass}"` : ""}>${r.cells.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("\n");
  return `<table>${head}\n${body}</table>`;
}

/** Pretty JSON in a pre block. */
export const jsonBlock = (value: unknown): string => `<pre>${escapeHtml(JSON.stringify(value, null, 2))}</pre>`;
