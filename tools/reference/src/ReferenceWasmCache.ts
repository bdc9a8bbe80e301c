import { createHash } from "node:crypto";
import type { WasmCache } from "@egts/gatewayapi-translator";

const sha256Hex = (data: string): string => createHash("sha256").update(data).digest("hex");

/**
 * The Wasm cache the reference corpus was generated with. Upstream's golden tests translate with a fake cache
 * (mockWasmCache in internal/gatewayapi/translator_test.go) that downloads nothing: the module's name is the
 * SHA-256 of its URL, its "checksum" the SHA-256 of "salt" + that name, and it is served by the controller's
 * Wasm HTTP server. This is a fake of the same behaviour, for the corpus only; the controller needs a real
 * cache (not built yet), without which Wasm extensions are reported as not available.
 */
export const referenceWasmCache: WasmCache = (url, options) => {
  const hashedName = sha256Hex(url);
  const checksum = sha256Hex(`salt${hashedName}`);
  if (options.checksum !== "" && options.checksum !== checksum) {
    return { error: `module downloaded from ${url} has checksum ${checksum}, which does not match: ${options.checksum}` };
  }
  return { servingURL: `https://envoy-gateway.envoy-gateway-system.svc.cluster.local:18002/${hashedName}.wasm`, checksum };
};
