// The worker side of WorkerParser: parses files with the default validating parser off the main thread.
import { parentPort } from "node:worker_threads";
import { validatingParser, type ParsedFile } from "../Documents.js";

const parse = validatingParser();
parentPort?.on("message", (message: { id: number; text: string; file: string }) => {
  let result: ParsedFile;
  try {
    result = parse(message.text, message.file);
  } catch (error) {
    result = { objects: [], problems: [{ file: message.file, message: `cannot parse: ${(error as Error).message}` }] };
  }
  parentPort?.postMessage({ id: message.id, result });
});
