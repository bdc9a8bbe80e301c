import { HealthStatus } from "@egts/envoy-api/generated/envoy/config/core/v3/health_check";
import { Address as AddressCodec, SocketAddress_Protocol, type Address } from "@egts/envoy-api/generated/envoy/config/core/v3/address";
import { ClusterLoadAssignment } from "@egts/envoy-api/generated/envoy/config/endpoint/v3/endpoint";
import type { DestinationEndpoint, DestinationSetting, HealthCheck, PreferLocalZone, WeightedZoneConfig } from "@egts/ir";
import { buildXdsMetadata } from "./Metadata.js";
import { msg } from "./Proto.js";

type ClaP = Parameters<typeof ClusterLoadAssignment.fromPartial>[0];
type LocalityP = NonNullable<ClaP["endpoints"]>[number];
type LbEndpointP = NonNullable<LocalityP["lbEndpoints"]>[number];
type MetadataP = LbEndpointP["metadata"];

/** The address of an endpoint: a unix socket path or a TCP host:port. */
export function buildAddress(ep: DestinationEndpoint): Address {
  if (ep.path !== undefined) return msg(AddressCodec, { address: { $case: "pipe", value: { path: ep.path } } });
  return msg(AddressCodec, {
    address: {
      $case: "socketAddress",
      value: { protocol: SocketAddress_Protocol.TCP, address: ep.host, portSpecifier: { $case: "portValue", value: ep.port } },
    },
  });
}

/** The per-endpoint health check overrides (hostname, port) an active health check needs. */
function healthCheckConfig(hc: HealthCheck | undefined, ep: DestinationEndpoint): LbEndpointP extends never ? never : object | undefined {
  if (hc?.active === undefined) return undefined;
  const httpHost = hc.active.http?.host;
  const hostname = httpHost !== undefined && httpHost !== "" && httpHost !== "*" ? "" : (ep.hostname ?? "");
  const port = hc.active.overrides !== undefined ? (hc.active.overrides.port ?? 0) : undefined;
  if (hostname === "" && port === undefined) return undefined;
  return { ...(hostname !== "" ? { hostname } : {}), ...(port !== undefined ? { portValue: port } : {}) };
}

function lbEndpoint(ep: DestinationEndpoint, hc: HealthCheck | undefined, metadata: MetadataP): LbEndpointP {
  const hcConfig = healthCheckConfig(hc, ep);
  return {
    ...(metadata !== undefined ? { metadata } : {}),
    hostIdentifier: {
      $case: "endpoint",
      value: {
        hostname: ep.hostname ?? "",
        address: buildAddress(ep),
        ...(hcConfig !== undefined ? { healthCheckConfig: hcConfig } : {}),
      },
    },
    loadBalancingWeight: 1,
    healthStatus: ep.draining === true ? HealthStatus.DRAINING : HealthStatus.UNKNOWN,
  };
}

function zonal(ds: DestinationSetting, hc: HealthCheck | undefined, metadata: MetadataP, zoneWeights?: ReadonlyMap<string, number>): LocalityP[] {
  const byZone = new Map<string, LbEndpointP[]>();
  for (const ep of ds.endpoints ?? []) {
    const zone = ep.zone ?? "";
    let list = byZone.get(zone);
    if (list === undefined) byZone.set(zone, (list = []));
    list.push(lbEndpoint(ep, hc, metadata));
  }
  const md = buildXdsMetadata(ds.metadata);
  return [...byZone.keys()].sort().map((zone) => ({
    locality: { zone },
    lbEndpoints: byZone.get(zone) ?? [],
    ...(zoneWeights !== undefined ? { loadBalancingWeight: zoneWeights.get(zone) ?? 1 } : {}),
    priority: ds.priority ?? 0,
    ...(md !== undefined ? { metadata: md } : {}),
  }));
}

/** The load assignment of a cluster: one locality per destination setting (or per zone with zone-aware routing). */
export function buildLoadAssignment(
  clusterName: string,
  settings: readonly DestinationSetting[],
  hc: HealthCheck | undefined,
  preferLocal: PreferLocalZone | undefined,
  weightedZones: readonly WeightedZoneConfig[] | undefined,
): ClusterLoadAssignment {
  const localities: LocalityP[] = [];
  settings.forEach((ds, i) => {
    const metadata: MetadataP = ds.tls !== undefined ? { filterMetadata: { "envoy.transport_socket_match": { name: `${clusterName}/tls/${i}` } } } : undefined;
    if (weightedZones !== undefined && weightedZones.length > 0) {
      localities.push(...zonal(ds, hc, metadata, new Map(weightedZones.map((wz) => [wz.zone, wz.weight]))));
    } else if (ds.preferLocal !== undefined || preferLocal !== undefined) {
      localities.push(...zonal(ds, hc, metadata));
    } else {
      const md = buildXdsMetadata(ds.metadata);
      localities.push({
        locality: { region: ds.name },
        lbEndpoints: (ds.endpoints ?? []).map((ep) => lbEndpoint(ep, hc, metadata)),
        priority: ds.priority ?? 0,
        loadBalancingWeight: ds.weight ?? 1,
        ...(md !== undefined ? { metadata: md } : {}),
      });
    }
  });
  return msg(ClusterLoadAssignment, { clusterName, endpoints: localities });
}
