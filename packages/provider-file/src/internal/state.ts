import { type FileHandle, mkdir, open, readFile, rename } from "node:fs/promises";
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
 * state whole), readable by the owner only since resource files may hold Secrets. The file is the JSON of a
 * {@link StateFile}, files in path order.
 */
export interface StateWriter {
  write(texts: ReadonlyMap<string, string>): Promise<void>;
}

/**
 * A {@link StateWriter} for `file`. Each file's JSON entry is kept as bytes between writes and reused while its
 * text is the same, so a write after one edit serializes that file's text only and hands the rest to the
 * kernel as they are (the whole state of a large set is megabytes; serializing it again on every edit cost
 * the event loop milliseconds and left as much garbage).
 */
export function createStateWriter(file: string): StateWriter {
  let entries = new Map<string, { readonly text: string; readonly bytes: Buffer }>();
  return {
    async write(texts) {
      const next = new Map<string, { readonly text: string; readonly bytes: Buffer }>();
      const paths = [...texts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const chunks: Buffer[] = [HEAD];
      for (const path of paths) {
        const text = texts.get(path)!;
        const known = entries.get(path);
        const entry =
          known !== undefined && known.text === text ? known : { text, bytes: Buffer.from(`${JSON.stringify(path)}:${JSON.stringify(text)}`, "utf8") };
        next.set(path, entry);
        if (chunks.length > 1) chunks.push(COMMA);
        chunks.push(entry.bytes);
      }
      chunks.push(TAIL);
      entries = next;
      await mkdir(dirname(file), { recursive: true, mode: 0o700 });
      const temporary = `${file}.${process.pid}.tmp`;
      const handle = await open(temporary, "w", 0o600);
      try {
        await writeAll(handle, chunks);
      } finally {
        await handle.close();
      }
      await rename(temporary, file);
    },
  };
}

/** Writes every chunk in order, a batch of chunks per system call, resuming after a short write. */
async function writeAll(handle: FileHandle, chunks: ReadonlyArray<Buffer>): Promise<void> {
  for (let at = 0; at < chunks.length; at += CHUNKS_PER_WRITE) {
    const batch = chunks.slice(at, at + CHUNKS_PER_WRITE);
    const size = batch.reduce((sum, chunk) => sum + chunk.length, 0);
    let written = (await handle.writev(batch)).bytesWritten;
    if (written === size) continue;
    const rest = Buffer.concat(batch).subarray(written);
    for (let offset = 0; offset < rest.length; offset += written) {
      written = (await handle.write(rest, offset)).bytesWritten;
      if (written <= 0) throw new Error(`short write to ${handle.fd}`);
    }
  }
}

/** At most the usual IOV_MAX buffers per writev. */
const CHUNKS_PER_WRITE = 1024;

// The parts of a StateFile's JSON around its entries: {"version":1,"files":{ ... }}.
const HEAD = Buffer.from('{"version":1,"files":{', "utf8");
const COMMA = Buffer.from(",", "utf8");
const TAIL = Buffer.from("}}", "utf8");
