import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { ExtensionServerOptions } from "@egts/extension-server";

/** The command line of `egts-extension-server`, resolved. */
export interface ServerArgs {
  readonly help: boolean;
  readonly logLevel: "info" | "error";
  readonly options: ExtensionServerOptions;
}

/** Usage text of the command. */
export const usage = `usage: egts-extension-server [--host 0.0.0.0] [--port 5005] [--tls-cert FILE --tls-key FILE [--client-ca FILE]]
                            [--max-message-size BYTES] [--log-level info|error]`;

/** Parses the command line (same flags and defaults as upstream's example, plus TLS). */
export function parseServerArgs(argv: readonly string[]): ServerArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      host: { type: "string", default: "0.0.0.0" },
      port: { type: "string", default: "5005" },
      "tls-cert": { type: "string" },
      "tls-key": { type: "string" },
      "client-ca": { type: "string" },
      "max-message-size": { type: "string" },
      "log-level": { type: "string", default: "info" },
      help: { type: "boolean", default: false },
    },
    allowPositionals: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: not a port number: ${values.port}`);
  const cert = values["tls-cert"];
  const key = values["tls-key"];
  if ((cert === undefined) !== (key === undefined)) throw new Error("--tls-cert and --tls-key go together");
  const clientCa = values["client-ca"];
  if (clientCa !== undefined && cert === undefined) throw new Error("--client-ca needs --tls-cert and --tls-key");
  const size = values["max-message-size"] === undefined ? undefined : Number(values["max-message-size"]);
  if (size !== undefined && (!Number.isInteger(size) || size < 1)) throw new Error(`--max-message-size: not a positive integer: ${values["max-message-size"]}`);
  const level = values["log-level"]?.toLowerCase();
  const options: ExtensionServerOptions = {
    host: values.host,
    port,
    ...(cert !== undefined && key !== undefined
      ? { tls: { certificate: readFileSync(cert), privateKey: readFileSync(key), ...(clientCa !== undefined ? { clientCa: readFileSync(clientCa) } : {}) } }
      : {}),
    ...(size !== undefined ? { maxMessageSize: size } : {}),
  };
  return { help: values.help, logLevel: level === "error" ? "error" : "info", options };
}
