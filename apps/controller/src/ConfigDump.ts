import type { JsonValue } from "@bufbuild/protobuf";
import { binaryToProtoJson, protoJsonToBinary } from "@egts/envoy-api";

/** Canonical proto3 JSON of Envoy's bootstrap given in Envoy's YAML field names; the input itself if it does not parse. */
export function bootstrapJson(bootstrap: Record<string, unknown>): JsonValue {
  try {
    const name = "envoy.config.bootstrap.v3.Bootstrap";
    return binaryToProtoJson(name, protoJsonToBinary(name, bootstrap as never));
  } catch {
    return bootstrap as JsonValue;
  }
}
