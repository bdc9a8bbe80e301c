import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/** On-disk form of the last good file texts. */
interface StateFile {
  readonly version: 1;
  /** File path -> the text it last loaded cleanly from. */
  readonly files: Record<string, string>;
}

/**
 * Reads the last good texts saved by {@link writeState}. A missing file is an empty state; an unreadable or
 * malformed one is reported through the returned problem and treated as empty.
 */
export async function readState(file: string): Promise<{ readonly texts: Map<string, string>; readonly problem?: string }> {
  let raw: string;
  try {
    raw = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { texts: new Map() };
    return { texts: new Map(), problem: `cannot read the saved last good state ${file}: ${(error as Error).message}` };
  }
  try {
    const parsed = JSON.parse(raw) as Partial<StateFile>;
    if (parsed.version !== 1 || typeof parsed.files !== "object" || parsed.files === null) throw new Error("not a version 1 state file");
    const texts = new Map<string, string>();
    for (const [path, text] of Object.entries(parsed.files)) if (typeof text === "string") texts.set(path, text);
    return { texts };
  } catch (error) {
    return { texts: new Map(), problem: `ignoring the saved last good state ${file}: ${(error as Error).message}` };
  }
}

/**
 * Saves the last good texts atomically (a temporary file renamed over the old one, so a crash leaves either
 * state whole), readable by the owner only since resource files may hold Secrets.
 */
export async function writeState(file: string, texts: ReadonlyMap<string, string>): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const body: StateFile = { version: 1, files: Object.fromEntries([...texts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(body), { mode: 0o600 });
  await rename(temporary, file);
}
