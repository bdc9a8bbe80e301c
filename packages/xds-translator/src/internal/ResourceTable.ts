import { BinaryWriter } from "@bufbuild/protobuf/wire";
import { formatViolations, packAny, validateMessage } from "@egts/envoy-api";
import type { Cluster } from "@egts/envoy-api/generated/envoy/config/cluster/v3/cluster";
import type { ClusterLoadAssignment } from "@egts/envoy-api/generated/envoy/config/endpoint/v3/endpoint";
import type { Listener } from "@egts/envoy-api/generated/envoy/config/listener/v3/listener";
import type { FilterChain } from "@egts/envoy-api/generated/envoy/config/listener/v3/listener_components";
import type { RouteConfiguration } from "@egts/envoy-api/generated/envoy/config/route/v3/route";
import { HttpConnectionManager } from "@egts/envoy-api/generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager";
import type { Secret } from "@egts/envoy-api/generated/envoy/extensions/transport_sockets/tls/v3/secret";
import type { EnvoyPatchPolicyStatus } from "@egts/ir";
import { encodeResource, validateResource, type ResourceKind } from "./Validation.js";

/** The network filter name of the HTTP connection manager. */
export const HCM_FILTER_NAME = "envoy.filters.network.http_connection_manager";

/**
 * The resources of one translation while they are being built. Translation mutates the messages in place
 * (a listener gains filter chains as more IR listeners on its port are seen); nothing outside one
 * `translateXds` call ever sees this table.
 */
export class ResourceTable {
  /** Whether resources are checked against Envoy's validation rules. */
  constructor(private readonly validating = true) {}

  readonly listeners: Listener[] = [];
  readonly routes: RouteConfiguration[] = [];
  readonly clusters: Cluster[] = [];
  readonly endpoints: ClusterLoadAssignment[] = [];
  readonly secrets: Secret[] = [];
  readonly patchPolicyStatuses: EnvoyPatchPolicyStatus[] = [];
  /** Whether the shared system trust store secret was emitted. */
  systemTrustStore = false;

  /** The writer every resource of this table is encoded with (`finish` copies the bytes out and resets it). */
  private readonly writer = new BinaryWriter();
  /** Wire bytes of resources that are complete, so each is encoded once (validation, versions, serving). */
  private readonly encoded = new WeakMap<object, Uint8Array>();
  private readonly clusterByName = new Map<string, Cluster>();
  private readonly secretByName = new Map<string, Secret>();
  private readonly routeByName = new Map<string, RouteConfiguration>();
  /**
   * HTTP connection managers kept unpacked while listeners sharing a filter chain still add filters to
   * them; each filter chain's placeholder HCM filter gets its typed config when the table is sealed.
   */
  private readonly hcms = new Map<FilterChain, HttpConnectionManager>();

  addListener(listener: Listener): void {
    this.listeners.push(listener);
  }

  addRouteConfig(route: RouteConfiguration): void {
    this.routes.push(route);
    if (!this.routeByName.has(route.name)) this.routeByName.set(route.name, route);
  }

  findRouteConfig(name: string): RouteConfiguration | undefined {
    return this.routeByName.get(name);
  }

  addCluster(cluster: Cluster): void {
    this.checkComplete("clusters", cluster);
    this.clusters.push(cluster);
    if (!this.clusterByName.has(cluster.name)) this.clusterByName.set(cluster.name, cluster);
  }

  findCluster(name: string): Cluster | undefined {
    return this.clusterByName.get(name);
  }

  addEndpoints(cla: ClusterLoadAssignment): void {
    this.checkComplete("endpoints", cla);
    this.endpoints.push(cla);
  }

  findEndpoints(clusterName: string): ClusterLoadAssignment | undefined {
    return this.endpoints.find((e) => e.clusterName === clusterName);
  }

  /** Adds a secret even when one of that name exists (as upstream's AddXdsResource). */
  addSecret(secret: Secret): void {
    this.checkComplete("secrets", secret);
    this.secrets.push(secret);
    if (!this.secretByName.has(secret.name)) this.secretByName.set(secret.name, secret);
  }

  /** Adds a secret unless one of that name already exists. */
  addSecretOnce(secret: Secret): void {
    if (!this.secretByName.has(secret.name)) this.addSecret(secret);
  }

  findSecret(name: string): Secret | undefined {
    return this.secretByName.get(name);
  }

  /** Rebuilds the name indexes after a pass (patch policies) replaced whole lists. */
  reindex(): void {
    this.clusterByName.clear();
    this.secretByName.clear();
    this.routeByName.clear();
    for (const c of this.clusters) if (!this.clusterByName.has(c.name)) this.clusterByName.set(c.name, c);
    for (const s of this.secrets) if (!this.secretByName.has(s.name)) this.secretByName.set(s.name, s);
    for (const r of this.routes) if (!this.routeByName.has(r.name)) this.routeByName.set(r.name, r);
  }

  /** Validates a resource that will not change any more, keeping its bytes; throws when it breaks a rule. */
  private checkComplete(kind: ResourceKind, message: object): void {
    if (this.validating) validateResource(kind, message);
    this.encoded.set(message, encodeResource(kind, message, this.writer));
  }

  /** The wire bytes of a resource (encoded once; a resource replaced by a patch is encoded anew). */
  bytesOf(kind: ResourceKind, message: object): Uint8Array {
    let bytes = this.encoded.get(message);
    if (bytes === undefined) {
      bytes = encodeResource(kind, message, this.writer);
      this.encoded.set(message, bytes);
    }
    return bytes;
  }

  /**
   * Validates every listener and route configuration (built up in place, so only checkable now) and, when
   * `all`, every other resource too (after patch policies edited them); returns the problems found.
   */
  validateAll(all: boolean): Error[] {
    const errors: Error[] = [];
    if (!this.validating) return errors;
    const check = (kind: ResourceKind, list: readonly object[]) => {
      for (const m of list) {
        try {
          validateResource(kind, m);
        } catch (e) {
          errors.push(e as Error);
        }
      }
    };
    check("listeners", this.listeners);
    check("routes", this.routes);
    if (all) {
      // Patched resources are new objects without cached bytes; unchanged ones passed when added.
      const fresh = <T extends object>(list: readonly T[]) => list.filter((m) => !this.encoded.has(m));
      check("clusters", fresh(this.clusters));
      check("endpoints", fresh(this.endpoints));
      check("secrets", fresh(this.secrets));
    }
    return errors;
  }

  /** Registers the HCM that a filter chain's HCM filter will carry. */
  attachHcm(chain: FilterChain, hcm: HttpConnectionManager): void {
    this.hcms.set(chain, hcm);
  }

  /** The HCM of a filter chain, if it has one. */
  hcmOf(chain: FilterChain | undefined): HttpConnectionManager | undefined {
    return chain === undefined ? undefined : this.hcms.get(chain);
  }

  /** Packs every pending HCM into its filter chain's HCM filter; returns the HCMs breaking Envoy's rules. */
  sealHcms(): Error[] {
    const errors: Error[] = [];
    for (const [chain, hcm] of this.hcms) {
      const any = packAny(HttpConnectionManager, hcm);
      if (this.validating) {
        const violations = validateMessage(HttpConnectionManager, hcm, { recurseIntoAny: false });
        if (violations.length > 0) errors.push(new Error(`invalid HttpConnectionManager ${JSON.stringify(hcm.statPrefix)}: ${formatViolations(violations)}`));
      }
      for (const filter of chain.filters) {
        if (filter.name === HCM_FILTER_NAME) filter.configType = { $case: "typedConfig", value: any };
      }
    }
    this.hcms.clear();
    return errors;
  }
}
