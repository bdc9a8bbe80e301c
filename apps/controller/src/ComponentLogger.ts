// Per-component log levels, as upstream's EnvoyGateway `logging.level` map asks ({default: info, provider: debug,
// ...}): each entry is filtered by the level of its `component` field.
import { streamLogger, type LogFields, type Logger } from "./Logger.js";

/** A log level upstream's configuration accepts. */
export type LogLevel = "debug" | "info" | "warn" | "error";

const order: Readonly<Record<LogLevel, number>> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Upstream's combined "xds" component covers both xDS runners. */
const FALLBACK: Readonly<Record<string, string>> = { "xds-server": "xds", "xds-translator": "xds" };

/** The level in effect for a component: its own, else its group's (xds), else `default`, else info. */
export function levelFor(levels: Readonly<Record<string, string>>, component: string | undefined): LogLevel {
  const pick = (v: string | undefined): LogLevel | undefined => (v !== undefined && v in order ? (v as LogLevel) : undefined);
  return (
    (component !== undefined ? (pick(levels[component]) ?? (FALLBACK[component] !== undefined ? pick(levels[FALLBACK[component]!]) : undefined)) : undefined) ??
    pick(levels["default"]) ??
    "info"
  );
}

/** A logger honouring a per-component level map, writing text or JSON lines (EnvoyGateway `logging.encoder`). */
export function componentLogger(
  options: { readonly levels?: Readonly<Record<string, string>>; readonly encoder?: "Text" | "JSON"; readonly write?: (line: string) => void } = {},
): Logger {
  const levels = options.levels ?? {};
  const sink = streamLogger({
    level: "debug",
    ...(options.encoder !== undefined ? { encoder: options.encoder } : {}),
    ...(options.write !== undefined ? { write: options.write } : {}),
  });
  const emit =
    (level: LogLevel) =>
    (message: string, fields: LogFields = {}) => {
      const component = typeof fields["component"] === "string" ? fields["component"] : undefined;
      if (order[level] >= order[levelFor(levels, component)]) sink[level](message, fields);
    };
  return { debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error") };
}
