// Test double of a proxy: an ADS client that asks for clusters as a Gateway's proxy and NACKs the first answer.
import { credentials } from "@grpc/grpc-js";
import { AggregatedDiscoveryServiceClient } from "@egts/envoy-api/generated/envoy/service/discovery/v3/ads";
import { DiscoveryRequest, type DiscoveryResponse } from "@egts/envoy-api/generated/envoy/service/discovery/v3/discovery";

/** The cluster type URL the double asks for. */
export const CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";

/** Connects to the xDS server, rejects the first clusters answer with `message`; resolves to a closer. */
export async function nackingProxyDouble(xdsPort: number, irKey: string, nodeId: string, message: string): Promise<() => void> {
  const client = new AggregatedDiscoveryServiceClient(`127.0.0.1:${xdsPort}`, credentials.createInsecure());
  const stream = client.streamAggregatedResources();
  const first = new Promise<DiscoveryResponse>((r) => stream.once("data", r));
  stream.on("error", () => undefined);
  stream.write(DiscoveryRequest.fromPartial({ node: { id: nodeId, cluster: irKey }, typeUrl: CDS }));
  const response = await first;
  stream.write(DiscoveryRequest.fromPartial({ typeUrl: CDS, responseNonce: response.nonce, errorDetail: { code: 3, message, details: [] } }));
  return () => {
    stream.cancel();
    client.close();
  };
}
