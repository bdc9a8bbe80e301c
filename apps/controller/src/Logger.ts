/** Structured fields of a log line. */
export type LogFields = { readonly [key: string]: unknown };

/** The controller's logger (the same shape @egts/xds-server accepts). */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const order = { debug: 0, info: 1, warn: 2, error: 3 } as const;

// C0 and C1 control characters (newlines, ESC of ANSI sequences, CSI), DEL and the Unicode line separators.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this pattern's purpose (log escaping).
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const escapeControl = (c: string): string =>
  c === "\n" ? "\\n" : c === "\r" ? "\\r" : c === "\t" ? "\\t" : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;

/**
 * Makes text safe for a one-line log entry: control characters are written as escapes, so a name or message
 * from an input file can neither start a forged line nor carry terminal escape sequences.
 */
export function escapeLogText(text: string): string {
  return text.replace(CONTROL, escapeControl);
}

/** A logger writing one line per entry, as text or JSON (EnvoyGateway `logging.encoder`), at or above `level`. */
export function streamLogger(
  options: {
    readonly level?: keyof typeof order;
    readonly encoder?: "Text" | "JSON";
    readonly component?: string;
    readonly write?: (line: string) => void;
    /** Longest message or field value written, in characters (the rest is cut, saying how much). Default 4096. */
    readonly maxFieldLength?: number;
  } = {},
): Logger {
  const min = order[options.level ?? "info"];
  const maxField = options.maxFieldLength ?? 4096;
  const cut = (text: string): string => (text.length <= maxField ? text : `${text.slice(0, maxField)}... (${text.length - maxField} more characters)`);
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const emit =
    (level: keyof typeof order) =>
    (message: string, fields: LogFields = {}) => {
      if (order[level] < min) return;
      const time = new Date().toISOString();
      const given = options.component === undefined ? fields : { component: options.component, ...fields };
      const all: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(given))
        all[k] = typeof v === "string" ? cut(v) : (JSON.stringify(v)?.length ?? 0) > maxField ? cut(JSON.stringify(v)) : v;
      message = cut(message);
      // JSON.stringify escapes C0 controls but not C1 ones (U+0080-U+009F) nor U+2028/2029: escapeLogText does.
      if (options.encoder === "JSON") {
        write(`${escapeLogText(JSON.stringify({ level, ts: time, msg: message, ...all }))}\n`);
      } else {
        const extra = Object.entries(all).map(([k, v]) => `${escapeLogText(k)}=${escapeLogText(JSON.stringify(v) ?? String(v))}`);
        write(`${time} ${level.toUpperCase().padEnd(5)} ${escapeLogText(message)}${extra.length > 0 ? ` ${extra.join(" ")}` : ""}\n`);
      }
    };
  return { debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error") };
}

/** A logger that drops everything. */
export const silentLogger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
