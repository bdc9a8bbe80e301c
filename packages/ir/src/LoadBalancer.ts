import type * as egv1a1 from "./EnvoyGatewayApi.js";
import type { Duration } from "./Json.js";

/** Load balancing policy of a cluster; exactly one algorithm is set. */
export interface LoadBalancer {
  readonly roundRobin?: RoundRobin;
  readonly leastRequest?: LeastRequest;
  readonly random?: Random;
  readonly consistentHash?: ConsistentHash;
  readonly backendUtilization?: BackendUtilization;
  /** Prefer endpoints in the local zone. */
  readonly preferLocal?: PreferLocalZone;
  /** Traffic weights per zone. */
  readonly weightedZones?: readonly WeightedZoneConfig[];
  readonly endpointOverride?: EndpointOverride;
}

/** Round robin load balancing. */
export interface RoundRobin {
  readonly slowStart?: SlowStart;
}

/** Least-request load balancing. */
export interface LeastRequest {
  readonly slowStart?: SlowStart;
}

/** Random load balancing. */
export type Random = Readonly<Record<never, never>>;

/** Load balancing by backend-reported utilization (ORCA). */
export interface BackendUtilization {
  readonly blackoutPeriod?: Duration;
  readonly weightExpirationPeriod?: Duration;
  readonly weightUpdatePeriod?: Duration;
  readonly errorUtilizationPenaltyPercent?: number;
  readonly metricNamesForComputingUtilization?: readonly string[];
  readonly slowStart?: SlowStart;
  readonly keepResponseHeaders?: boolean;
  readonly outOfBand?: OutOfBandReporting;
}

/** Out-of-band ORCA load reports. */
export interface OutOfBandReporting {
  readonly reportingPeriod?: Duration;
  readonly port?: number;
  readonly authority?: string;
}

/** Consistent-hash load balancing on source IP, headers, cookie or query parameters. */
export interface ConsistentHash {
  readonly sourceIP?: boolean;
  readonly headers?: readonly egv1a1.Header[];
  readonly cookie?: egv1a1.Cookie;
  readonly queryParams?: readonly egv1a1.QueryParam[];
  /** Size of the Maglev lookup table. */
  readonly tableSize?: number;
}

/** Ramps traffic up to new endpoints over a window. */
export interface SlowStart {
  /** How long traffic to a new endpoint ramps up. */
  readonly window?: Duration;
}

/** Prefer endpoints in the proxy's own zone. */
export interface PreferLocalZone {
  readonly force?: ForceLocalZone;
  /** Fewest local endpoints needed to keep preferring the local zone. */
  readonly minEndpointsThreshold?: number;
  readonly percentageEnabled?: number;
}

/** Send only to endpoints in the local zone while enough are healthy. */
export interface ForceLocalZone {
  readonly minEndpointsInZoneThreshold?: number;
}

/** The traffic weight of one zone. */
export interface WeightedZoneConfig {
  readonly zone: string;
  readonly weight: number;
}

/** Chooses the endpoint from request data (header) instead of the load balancer. */
export interface EndpointOverride {
  readonly extractFrom?: readonly EndpointOverrideExtractFrom[];
}

/** Where to read the endpoint override from. */
export interface EndpointOverrideExtractFrom {
  readonly header?: string;
}

/** Load balancing algorithm name. */
export type LoadBalancerType = "LeastRequest" | "RoundRobin" | "Random" | "ConsistentHash" | "BackendUtilization";
