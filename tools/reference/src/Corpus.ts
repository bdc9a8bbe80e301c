import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** The suites of the reference corpus, in the order they are run. */
export const suiteNames = ["gatewayapi", "xds", "egctl", "ratelimit", "extension", "bootstrap", "infra"] as const;
/** One suite of the reference corpus. */
export type SuiteName = (typeof suiteNames)[number];

/** The case folders of one suite, sorted; empty when the corpus lacks the suite. */
export function caseNames(corpus: string, suite: SuiteName): string[] {
  const dir = join(corpus, suite);
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

/** Reads a JSON file. */
export const readJson = (path: string): unknown => JSON.parse(readFileSync(path, "utf8"));

/** Writes a value as pretty JSON, creating folders as needed. */
export function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(value, null, 1) + "\n");
}

/** Writes a text file, creating folders as needed. */
export function writeText(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text.endsWith("\n") ? text : text + "\n");
}

/** What one suite run reports back: how many cases it wrote output for, and how many it left alone. */
export interface SuiteReport {
  readonly suite: SuiteName;
  readonly written: number;
  readonly skipped: number;
  readonly note?: string;
}

/** The message of anything thrown. */
export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
