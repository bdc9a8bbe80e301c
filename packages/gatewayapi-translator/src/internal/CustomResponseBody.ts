// The body of a direct or custom response, inline or from a ConfigMap (upstream getCustomResponseBody), shared
// by HTTPRouteFilter direct responses and BackendTrafficPolicy response overrides.
import type { ResourceIndex } from "./Index.js";

/** A response body as written in an Envoy Gateway resource. */
export interface CustomResponseBodySpec {
  readonly type?: string;
  readonly inline?: string;
  readonly valueRef?: { readonly name?: string };
}

const bodyKey = "response.body";

/**
 * The body bytes: the inline text, or from the referenced ConfigMap the `response.body` key, else its first
 * `data` key, else its first `binaryData` key (base64-decoded); an error message when the ConfigMap or every
 * key is missing; undefined when there is no body. Keys are taken in sorted order where upstream's choice
 * depends on Go's map order.
 */
export function customResponseBody(
  body: CustomResponseBodySpec | undefined,
  namespace: string,
  index: ResourceIndex,
): Uint8Array | undefined | { readonly error: string } {
  if (body === undefined) return undefined;
  if (body.type === "ValueRef") {
    const name = body.valueRef?.name ?? "";
    const cm = index.configMap(namespace, name);
    if (cm === undefined) return { error: `can't find the referenced configmap ${namespace}/${name}` };
    const data = cm.data ?? {};
    const binary = (cm as { binaryData?: Record<string, string> }).binaryData ?? {};
    const dataValue = data[bodyKey] ?? data[Object.keys(data).sort()[0] ?? ""];
    if (dataValue !== undefined) return new Uint8Array(Buffer.from(dataValue));
    const binaryValue = binary[Object.keys(binary).sort()[0] ?? ""];
    if (binaryValue !== undefined) return new Uint8Array(Buffer.from(binaryValue, "base64"));
    return { error: `can't find the key ${bodyKey} in the referenced configmap ${namespace}/${name}` };
  }
  return body.inline === undefined ? undefined : new Uint8Array(Buffer.from(body.inline));
}
