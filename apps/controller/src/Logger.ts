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

/** A logger writing one line per entry, as text or JSON (EnvoyGateway `logging.encoder`), at or above `level`. */
export function streamLogger(
  options: { readonly level?: keyof typeof order; readonly encoder?: "Text" | "JSON"; readonly component?: string; readonly write?: (line: string) => void } = {},
): Logger {
  const min = order[options.level ?? "info"];
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const emit = (level: keyof typeof order) => (message: string, fields: LogFields = {}) => {
    if (order[level] < min) return;
    const time = new Date().toISOString();
    const all = options.component === undefined ? fields : { component: options.component, ...fields };
    if (options.encoder === "JSON") {
      write(`${JSON.stringify({ level, ts: time, msg: message, ...all })}\n`);
    } else {
      const extra = Object.entries(all).map(([k, v]) => `${k}=${typeof v === "string" ? JSON.stringify(v) : JSON.stringify(v) ?? String(v)}`);
      write(`${time} ${level.toUpperCase().padEnd(5)} ${message}${extra.length > 0 ? ` ${extra.join(" ")}` : ""}\n`);
    }
  };
  return { debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error") };
}

/** A logger that drops everything. */
export const silentLogger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
