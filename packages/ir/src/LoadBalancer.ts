import type * as egv1a1 from "./EnvoyGatewayApi.js";
import type { Duration } from "./Json.js";

/** LoadBalancer (xds IR type). */
export interface LoadBalancer {
  readonly roundRobin?: RoundRobin;
  readonly leastRequest?: LeastRequest;
  readonly random?: Random;
  readonly consistentHash?: ConsistentHash;
  readonly backendUtilization?: BackendUtilization;
  readonly preferLocal?: PreferLocalZone;
  readonly weightedZones?: readonly WeightedZoneConfig[];
  readonly endpointOverride?: EndpointOverride;
}

/** RoundRobin (xds IR type). */
export interface RoundRobin {
  readonly slowStart?: SlowStart;
}

/** LeastRequest (xds IR type). */
export interface LeastRequest {
  readonly slowStart?: SlowStart;
}

/** Random (xds IR type). */
export type Random = Readonly<Record<never, never>>;

/** BackendUtilization (xds IR type). */
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

/** OutOfBandReporting (xds IR type). */
export interface OutOfBandReporting {
  readonly reportingPeriod?: Duration;
  readonly port?: number;
  readonly authority?: string;
}

/** ConsistentHash (xds IR type). */
export interface ConsistentHash {
  readonly sourceIP?: boolean;
  readonly headers?: readonly egv1a1.Header[];
  readonly cookie?: egv1a1.Cookie;
  readonly queryParams?: readonly egv1a1.QueryParam[];
  readonly tableSize?: number;
}

/** SlowStart (xds IR type). */
export interface SlowStart {
  readonly window?: Duration;
}

/** PreferLocalZone (xds IR type). */
export interface PreferLocalZone {
  readonly force?: ForceLocalZone;
  readonly minEndpointsThreshold?: number;
  readonly percentageEnabled?: number;
}

/** ForceLocalZone (xds IR type). */
export interface ForceLocalZone {
  readonly minEndpointsInZoneThreshold?: number;
}

/** WeightedZoneConfig (xds IR type). */
export interface WeightedZoneConfig {
  readonly zone: string;
  readonly weight: number;
}

/** EndpointOverride (xds IR type). */
export interface EndpointOverride {
  readonly extractFrom?: readonly EndpointOverrideExtractFrom[];
}

/** EndpointOverrideExtractFrom (xds IR type). */
export interface EndpointOverrideExtractFrom {
  readonly header?: string;
}

/** LoadBalancerType (xds IR type). */
export type LoadBalancerType = "LeastRequest" | "RoundRobin" | "Random" | "ConsistentHash" | "BackendUtilization";
