// File-system and stdin access for the loader: the only module of this package that does I/O.
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { loadText, mergeLoadResults, type LoadOptions, type LoadResult } from "./Loader.js";

const MANIFEST_EXTENSIONS = /\.(ya?ml|json)$/i;

/** Lists manifest files (.yaml, .yml, .json) under a directory, recursively, in sorted order. */
export async function listManifestFiles(dir: string): Promise<ReadonlyArray<string>> {
  const out: string[] = [];
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listManifestFiles(full)));
    else if (e.isFile() && MANIFEST_EXTENSIONS.test(e.name)) out.push(full);
  }
  return out;
}

/** Reads all of standard input as UTF-8 text. */
export async function readStdin(stream: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Loads files, directories (manifest files found recursively) and `-` (stdin), in the order given.
 * A path that cannot be read becomes an "io" problem; the other paths still load.
 */
export async function loadPaths(paths: ReadonlyArray<string>, options: LoadOptions = {}, stdin: NodeJS.ReadableStream = process.stdin): Promise<LoadResult> {
  const results: LoadResult[] = [];
  for (const path of paths) {
    try {
      if (path === "-") {
        results.push(loadText(await readStdin(stdin), "<stdin>", options));
        continue;
      }
      const files = (await stat(path)).isDirectory() ? await listManifestFiles(path) : [path];
      for (const file of files) results.push(loadText(await readFile(file, "utf8"), file, options));
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      results.push({ objects: [], unknown: [], problems: [{ source: path, index: 0, code: "io", identity: {}, path: "", message }] });
    }
  }
  return mergeLoadResults(results);
}
