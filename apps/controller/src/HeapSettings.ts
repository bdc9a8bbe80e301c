// How much V8's old generation may grow between full collections in the controller process.
//
// Left to itself, V8 sizes the next full collection's trigger from its own speed estimates, often at three to
// four times the live heap. The controller's live heap is steady (resources, IR, xDS) while every change
// allocates a translation's worth of short-lived objects, many of which survive a scavenge or two and are
// promoted: with V8's factor they pile up as garbage until the process is several times its live size (gobench
// large: 90 MiB live, 330 MiB resident after 40 edits). A fixed, smaller growth factor collects that garbage
// sooner for a few more (concurrent, incremental) marking cycles; Go's runtime, which upstream runs on, makes
// the same trade with GOGC.

/** Growth of the old generation between full collections, in percent of the live heap, unless told otherwise. */
export const DEFAULT_HEAP_GROWING_PERCENT = 30;

/** The environment variable that sets the growth (a whole percentage), or `off` to leave V8's own heuristic. */
export const HEAP_GROWING_PERCENT_ENV = "EGTS_HEAP_GROWING_PERCENT";

const V8_FLAG = "--heap-growing-percent";

/**
 * The V8 flag to set at start, or undefined when V8 is left alone: when the process was started with
 * `--heap-growing-percent` itself (on the command line or in NODE_OPTIONS), or the environment says `off`.
 * Throws on a value that is not `off` nor a whole number from 1 to 1000.
 */
export function heapGrowingFlag(env: Readonly<Record<string, string | undefined>>, nodeFlags: ReadonlyArray<string>): string | undefined {
  const percent = wholeSetting(env, nodeFlags, {
    name: HEAP_GROWING_PERCENT_ENV,
    nodeFlags: [V8_FLAG, "--heap_growing_percent"],
    fallback: DEFAULT_HEAP_GROWING_PERCENT,
    min: 1,
    max: 1000,
    what: "percentage",
  });
  return percent === undefined ? undefined : `${V8_FLAG}=${percent}`;
}

/**
 * A whole-number setting from the environment variable `name`, `fallback` when unset, or undefined when the
 * variable says `off` or Node was given one of `nodeFlags` itself (which then wins). Throws on anything else
 * that is not a whole number from `min` to `max`.
 */
function wholeSetting(
  env: Readonly<Record<string, string | undefined>>,
  given: ReadonlyArray<string>,
  setting: { name: string; nodeFlags: ReadonlyArray<string>; fallback: number; min: number; max: number; what: string },
): number | undefined {
  if (given.some((flag) => setting.nodeFlags.some((known) => flag === known || flag.startsWith(`${known}=`)))) return undefined;
  const value = env[setting.name]?.trim();
  if (value === undefined || value === "") return setting.fallback;
  if (value.toLowerCase() === "off") return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < setting.min || n > setting.max)
    throw new Error(`${setting.name}: expected a whole ${setting.what} from ${setting.min} to ${setting.max}, or off: ${JSON.stringify(value)}`);
  return n;
}

/** The Node flags the process was started with: its command line's and NODE_OPTIONS' (split on blanks). */
export function nodeFlagsOf(execArgv: ReadonlyArray<string>, nodeOptions: string | undefined): string[] {
  return [...execArgv, ...(nodeOptions ?? "").split(/\s+/).filter((flag) => flag !== "")];
}

// V8's young generation (two semi-spaces) grows to 16 MiB per semi-space on this Node while the controller loads,
// and stays there: 32 MiB of the process for objects that mostly die young. With 4 MiB semi-spaces, gobench large
// ends 15-25 MiB smaller, and its translations spend no more time in scavenges (more of them, each shorter, and
// fewer survivors copied). V8 takes the limit only on Node's command line (`--max-semi-space-size`), which
// `node apps/controller/dist/main.js`, the `egts` bin and container commands do not pass, so YoungGeneration.ts
// holds it from inside the process.

/** Size of each of the young generation's two semi-spaces, in MiB, unless told otherwise. */
export const DEFAULT_SEMI_SPACE_MIB = 4;

/** The environment variable that sets the semi-space size (whole MiB), or `off` to leave V8's own sizing. */
export const SEMI_SPACE_ENV = "EGTS_SEMI_SPACE_MIB";

const SEMI_SPACE_FLAGS = ["--max-semi-space-size", "--max_semi_space_size", "--semi-space-growth-factor", "--semi_space_growth_factor"];

/**
 * The semi-space size (MiB) to hold the young generation to, or undefined when V8 is left alone: when the
 * process was started with `--max-semi-space-size` or `--semi-space-growth-factor` (on the command line or in
 * NODE_OPTIONS), or the environment says `off`. Throws on a value that is not `off` nor a whole number from 2
 * to 1024 (V8 starts at 1 MiB and grows by doubling).
 */
export function semiSpaceMiB(env: Readonly<Record<string, string | undefined>>, nodeFlags: ReadonlyArray<string>): number | undefined {
  return wholeSetting(env, nodeFlags, {
    name: SEMI_SPACE_ENV,
    nodeFlags: SEMI_SPACE_FLAGS,
    fallback: DEFAULT_SEMI_SPACE_MIB,
    min: 2,
    max: 1024,
    what: "number of MiB",
  });
}
