/** A parsed label or field selector: every requirement must hold. */
export type Selector = ReadonlyArray<(values: Readonly<Record<string, string>>) => boolean>;

/** An error the server answers with 400 Bad Request. */
export class BadRequest extends Error {}

/** Splits on commas that are not inside parentheses (`a in (x,y),b`). */
function splitTerms(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of text) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      out.push(current);
      current = "";
    } else current += ch;
  }
  out.push(current);
  return out.map((t) => t.trim()).filter((t) => t !== "");
}

/** Parses a label selector: `k=v`, `k==v`, `k!=v`, `k`, `!k`, `k in (a,b)`, `k notin (a,b)`. */
export function parseLabelSelector(text: string): Selector {
  return splitTerms(text).map((term) => {
    let m = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
    if (m) {
      const key = m[1]!;
      const set = new Set((m[3] ?? "").split(",").map((s) => s.trim()));
      return m[2] === "in" ? (l) => l[key] !== undefined && set.has(l[key]!) : (l) => l[key] === undefined || !set.has(l[key]!);
    }
    m = /^([^\s!=]+)\s*(==|=|!=)\s*([^\s!=]*)$/.exec(term);
    if (m) {
      const [, key, op, value] = m as unknown as [string, string, string, string];
      return op === "!=" ? (l) => l[key] !== value : (l) => l[key] === value;
    }
    m = /^(!?)([^\s!=()]+)$/.exec(term);
    if (m) {
      const key = m[2]!;
      return m[1] === "!" ? (l) => l[key] === undefined : (l) => l[key] !== undefined;
    }
    throw new BadRequest(`unable to parse requirement: ${JSON.stringify(term)}`);
  });
}

const supportedFields = new Set(["metadata.name", "metadata.namespace"]);

/** Parses a field selector over `metadata.name` and `metadata.namespace` (`=`, `==`, `!=`). */
export function parseFieldSelector(text: string): Selector {
  return splitTerms(text).map((term) => {
    const m = /^([^\s!=]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw new BadRequest(`invalid field selector: ${JSON.stringify(term)}`);
    const [, field, op, value] = m as unknown as [string, string, string, string];
    if (!supportedFields.has(field)) throw new BadRequest(`field label not supported: ${field}`);
    return op === "!=" ? (f) => f[field] !== value : (f) => f[field] === value;
  });
}

/** Whether every requirement of `selector` holds for `values`. */
export const matches = (selector: Selector, values: Readonly<Record<string, string>>): boolean => selector.every((r) => r(values));
