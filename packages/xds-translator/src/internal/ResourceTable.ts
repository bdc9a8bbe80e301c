import { BinaryWriter } from "@bufbuild/protobuf/wire";
import { type Any, formatViolations, packAny, validateMessage } from "@egts/envoy-api";
import type { Cluster } from "@egts/envoy-api/generated/envoy/config/cluster/v3/cluster";
import type { ClusterLoadAssignment } from "@egts/envoy-api/generated/envoy/config/endpoint/v3/endpoint";
import type { Listener } from "@egts/envoy-api/generated/envoy/config/listener/v3/listener";
import type { FilterChain } from "@egts/envoy-api/generated/envoy/config/listener/v3/listener_components";
import type { RouteConfiguration } from "@egts/envoy-api/generated/envoy/config/route/v3/route";
import { HttpConnectionManager } from "@egts/envoy-api/generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager";
import type { Secret } from "@egts/envoy-api/generated/envoy/extensions/transport_sockets/tls/v3/secret";
import type { EnvoyPatchPolicyStatus } from "@egts/ir";
import type { ClusterArgs } from "./Cluster.js";
import { encodeRouteConfiguration, type RouteParts, validateRouteConfiguration } from "./RouteParts.js";
import { sameBytes, sameValue } from "./SameValue.js";
import { encodeResource, validateResource, type ResourceKind } from "./Validation.js";

/** The network filter name of the HTTP connection manager. */
export const HCM_FILTER_NAME = "envoy.filters.network.http_connection_manager";

/** Which part of the IR a recorded step translated. */
export type StepKind = "http" | "tcp" | "udp" | "global";

/**
 * One change a translation step made to the table, as the step asked for it (a cluster by its arguments, so
 * that replaying it decides again whether a cluster of that name exists). Messages are the ones added, which
 * are complete once the translation ends.
 */
export type TableOp =
  | { readonly kind: "listener"; readonly message: Listener }
  | { readonly kind: "routeConfig"; readonly message: RouteConfiguration }
  | {
      readonly kind: "cluster";
      readonly args: ClusterArgs;
      /** The IR object (route, backend cluster) whose destination the arguments were taken from. */
      readonly source: object | undefined;
      /** Whether this request built the cluster (no cluster of its name existed). */
      won: boolean;
    }
  | { readonly kind: "clusterOnce"; readonly message: Cluster }
  | { readonly kind: "secret"; readonly message: Secret }
  | { readonly kind: "secretOnce"; readonly message: Secret }
  | { readonly kind: "trustStore"; readonly name: string };

/** A recorded cluster request (once recorded, only the request that records it marks it `won`). */
export type ClusterRequest = Extract<TableOp, { kind: "cluster" }>;

/** The table changes of one IR listener's translation (or of the proxy-wide resources, kind `global`). */
export interface StepRecord {
  readonly kind: StepKind;
  /** The IR listener translated (undefined for `global`). */
  readonly listener: object | undefined;
  readonly ops: readonly TableOp[];
}

/**
 * What a memoising translator keeps from one translation to the next: messages known to pass Envoy's
 * validation rules and their wire bytes (messages are never changed once complete), and the previous
 * translation's clusters and secrets by name, which a freshly built equal message is replaced by.
 */
export interface ResourceMemory {
  readonly validated: WeakSet<object>;
  readonly encoded: WeakMap<object, Uint8Array>;
  readonly previousClusters: ReadonlyMap<string, Cluster>;
  readonly previousSecrets: ReadonlyMap<string, Secret>;
  readonly previousEndpoints: ReadonlyMap<string, ClusterLoadAssignment>;
  /** The previous translation's listeners and route configurations by name: a new one of equal bytes passes as it did. */
  readonly previousListeners: ReadonlyMap<string, Listener>;
  readonly previousRoutes: ReadonlyMap<string, RouteConfiguration>;
  /** Encoded virtual hosts and routes, reused when route configurations are encoded. */
  readonly routeParts: RouteParts;
  /**
   * HCMs packed by earlier translations (that passed the rules when checked), by filter chain name: an equal HCM
   * takes the packed config over, so its listener is equal to the previous one part by part.
   */
  readonly sealedHcms?: Map<string, { readonly hcm: HttpConnectionManager; readonly any: Any }>;
}

/**
 * The resources of one translation while they are being built. Translation mutates the messages in place
 * (a listener gains filter chains as more IR listeners on its port are seen); nothing outside one
 * `translateXds` call ever sees this table.
 */
export class ResourceTable {
  /**
   * @param validating whether resources are checked against Envoy's validation rules
   * @param memory what a memoising translator carries over; with it, the table also records each step's changes
   */
  constructor(
    private readonly validating = true,
    private readonly memory?: ResourceMemory,
  ) {
    this.encoded = memory?.encoded ?? new WeakMap();
  }

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
  private readonly encoded: WeakMap<object, Uint8Array>;
  /** Steps recorded so far (with a memory only). */
  readonly steps: StepRecord[] = [];
  /** The step being recorded, its changes so far. */
  private step: { kind: StepKind; listener: object | undefined; ops: TableOp[] } | undefined;
  /** Depth of changes made on behalf of a recorded change (a cluster's secrets), which are not recorded again. */
  private depth = 0;
  /** The IR object cluster requests are recorded with (see `TableOp`). */
  source: object | undefined;
  /** Messages taken over from an earlier translation instead of being built. */
  readonly takenOver = new Set<object>();
  private readonly clusterByName = new Map<string, Cluster>();
  private readonly secretByName = new Map<string, Secret>();
  private readonly routeByName = new Map<string, RouteConfiguration>();
  /**
   * HTTP connection managers kept unpacked while listeners sharing a filter chain still add filters to
   * them; each filter chain's placeholder HCM filter gets its typed config when the table is sealed.
   */
  private readonly hcms = new Map<FilterChain, HttpConnectionManager>();

  /** Starts recording a step (with a memory; otherwise nothing is recorded). */
  beginStep(kind: StepKind, listener: object | undefined): void {
    if (this.memory !== undefined) this.step = { kind, listener, ops: [] };
  }

  /** Ends the step being recorded. */
  endStep(): void {
    if (this.step !== undefined) this.steps.push(this.step);
    this.step = undefined;
  }

  /** Records a change asked for by the step itself (not on behalf of another recorded change). */
  private record(op: TableOp): void {
    if (this.step !== undefined && this.depth === 0) this.step.ops.push(op);
  }

  /** Records a cluster request; returns the record, to be marked when the request builds the cluster. */
  recordCluster(args: ClusterArgs): ClusterRequest | undefined {
    if (this.step === undefined || this.depth > 0) return undefined;
    const op = { kind: "cluster" as const, args, source: this.source, won: false };
    this.step.ops.push(op);
    return op;
  }

  /**
   * Records an earlier translation's request again when it would change nothing but the record now: the request
   * found its cluster there (did not build it), was made with the current source and asks for `name` (the caller
   * keeps these in flat lists, so nothing of the request need be read), and a cluster of that name exists, so
   * asking again would find that one. Returns whether it did; otherwise the caller asks for the cluster.
   */
  repeatFoundRequest(request: ClusterRequest, name: string): boolean {
    if (this.step === undefined || this.depth > 0 || !this.clusterByName.has(name)) return false;
    this.step.ops.push(request);
    return true;
  }

  /** How many changes the step being recorded holds (a mark for `clusterRequestsSince`). */
  recordedCount(): number {
    return this.step?.ops.length ?? 0;
  }

  /** The cluster requests the step being recorded made since `mark` (none without a memory). */
  clusterRequestsSince(mark: number): ClusterRequest[] {
    const requests: ClusterRequest[] = [];
    for (const op of this.step?.ops.slice(mark) ?? []) if (op.kind === "cluster") requests.push(op);
    return requests;
  }

  /** Records a request for the shared system trust store secret (see Cluster.emitSystemTrustStoreSecret). */
  recordTrustStore(name: string): void {
    this.record({ kind: "trustStore", name });
  }

  /** Runs `f`, whose changes are part of the change just recorded. */
  nested<T>(f: () => T): T {
    this.depth++;
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  /** Marks a message as taken over from an earlier translation (for the built/reused counts). */
  adopt(message: object): void {
    this.takenOver.add(message);
  }

  addListener(listener: Listener): void {
    this.record({ kind: "listener", message: listener });
    this.listeners.push(listener);
  }

  addRouteConfig(route: RouteConfiguration): void {
    this.record({ kind: "routeConfig", message: route });
    this.routes.push(route);
    if (!this.routeByName.has(route.name)) this.routeByName.set(route.name, route);
  }

  findRouteConfig(name: string): RouteConfiguration | undefined {
    return this.routeByName.get(name);
  }

  /** Adds a cluster; returns the message added (an earlier translation's when it is the same). */
  addCluster(given: Cluster): Cluster {
    // A step's own clusters go through Cluster.addCluster or addClusterOnce, which replaying can repeat.
    if (this.step !== undefined && this.step.kind !== "global" && this.depth === 0) throw new Error("internal: unrecorded cluster in a recorded step");
    const cluster = this.canonical(this.memory?.previousClusters, given);
    this.checkComplete("clusters", cluster);
    this.clusters.push(cluster);
    if (!this.clusterByName.has(cluster.name)) this.clusterByName.set(cluster.name, cluster);
    return cluster;
  }

  /** Adds a cluster unless one of that name exists. */
  addClusterOnce(given: Cluster): void {
    const cluster = this.canonical(this.memory?.previousClusters, given);
    this.record({ kind: "clusterOnce", message: cluster });
    if (this.findCluster(cluster.name) === undefined) this.nested(() => this.addCluster(cluster));
  }

  findCluster(name: string): Cluster | undefined {
    return this.clusterByName.get(name);
  }

  /** Adds a load assignment; returns the message added (an earlier translation's when it is the same). */
  addEndpoints(given: ClusterLoadAssignment): ClusterLoadAssignment {
    if (this.step !== undefined && this.step.kind !== "global" && this.depth === 0) throw new Error("internal: unrecorded endpoints in a recorded step");
    const before = this.memory?.previousEndpoints.get(given.clusterName);
    const cla = before !== undefined && before !== given && sameValue(before, given) ? before : given;
    this.checkComplete("endpoints", cla);
    this.endpoints.push(cla);
    return cla;
  }

  findEndpoints(clusterName: string): ClusterLoadAssignment | undefined {
    return this.endpoints.find((e) => e.clusterName === clusterName);
  }

  /** Adds a secret even when one of that name exists (as upstream's AddXdsResource); returns the message added. */
  addSecret(given: Secret): Secret {
    const secret = this.canonical(this.memory?.previousSecrets, given);
    this.record({ kind: "secret", message: secret });
    this.checkComplete("secrets", secret);
    this.secrets.push(secret);
    if (!this.secretByName.has(secret.name)) this.secretByName.set(secret.name, secret);
    return secret;
  }

  /** Adds a secret unless one of that name already exists. */
  addSecretOnce(given: Secret): void {
    const secret = this.canonical(this.memory?.previousSecrets, given);
    this.record({ kind: "secretOnce", message: secret });
    if (!this.secretByName.has(secret.name)) this.nested(() => this.addSecret(secret));
  }

  /** The previous translation's message of that name when it is the same as `message`, else `message`. */
  private canonical<T extends { readonly name: string }>(previous: ReadonlyMap<string, T> | undefined, message: T): T {
    const before = previous?.get(message.name);
    return before !== undefined && before !== message && sameValue(before, message) ? before : message;
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
    const validated = this.memory?.validated;
    if (this.validating && validated?.has(message) !== true) {
      validateResource(kind, message);
      validated?.add(message);
    }
    if (!this.encoded.has(message)) this.encoded.set(message, encodeResource(kind, message, this.writer));
  }

  /** Whether a message was checked against Envoy's rules by this or an earlier translation (with a memory). */
  isValidated(message: object): boolean {
    return this.memory?.validated.has(message) === true;
  }

  /** Marks a message as passing Envoy's rules (its content is that of one that did). */
  markValidated(message: object): void {
    this.memory?.validated.add(message);
  }

  /** The wire bytes of a resource (encoded once; a resource replaced by a patch is encoded anew). */
  bytesOf(kind: ResourceKind, message: object): Uint8Array {
    let bytes = this.encoded.get(message);
    if (bytes === undefined) {
      const parts = this.memory?.routeParts;
      bytes =
        kind === "routes" && parts !== undefined ? encodeRouteConfiguration(parts, message as RouteConfiguration) : encodeResource(kind, message, this.writer);
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
    const validated = this.memory?.validated;
    const check = (kind: ResourceKind, list: readonly object[], previous?: ReadonlyMap<string, object>) => {
      for (const m of list) {
        if (validated?.has(m) === true) continue;
        if (previous !== undefined && this.sameAsValidated(kind, m, previous.get((m as { name: string }).name))) {
          validated?.add(m);
          continue;
        }
        try {
          if (kind === "routes" && validated !== undefined) validateRouteConfiguration(m as RouteConfiguration, validated);
          else validateResource(kind, m);
          validated?.add(m);
        } catch (e) {
          errors.push(e as Error);
        }
      }
    };
    check("listeners", this.listeners, this.memory?.previousListeners);
    check("routes", this.routes, this.memory?.previousRoutes);
    if (all) {
      // Patched resources are new objects without cached bytes; unchanged ones passed when added.
      const fresh = <T extends object>(list: readonly T[]) => list.filter((m) => !this.encoded.has(m));
      check("clusters", fresh(this.clusters));
      check("endpoints", fresh(this.endpoints));
      check("secrets", fresh(this.secrets));
    }
    return errors;
  }

  /** Whether `message` encodes to the same bytes as `before`, a message that passed the rules. */
  private sameAsValidated(kind: ResourceKind, message: object, before: object | undefined): boolean {
    if (before === undefined || this.memory?.validated.has(before) !== true) return false;
    // Listeners: equal values (their HCM configs mostly the same objects) encode alike; no need to encode this one.
    const known = kind === "listeners" ? this.encoded.get(before) : undefined;
    if (known !== undefined && !this.encoded.has(message) && sameValue(before, message)) {
      this.encoded.set(message, known);
      return true;
    }
    const bytes = this.encoded.get(before);
    return bytes !== undefined && sameBytes(bytes, this.bytesOf(kind, message));
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
    const sealed = this.memory?.sealedHcms;
    for (const [chain, hcm] of this.hcms) {
      const known = sealed?.get(chain.name);
      if (known !== undefined && sameValue(known.hcm, hcm)) {
        for (const filter of chain.filters) {
          if (filter.name === HCM_FILTER_NAME) filter.configType = { $case: "typedConfig", value: known.any };
        }
        continue;
      }
      const any = packAny(HttpConnectionManager, hcm);
      let valid = true;
      if (this.validating) {
        const violations = validateMessage(HttpConnectionManager, hcm, { recurseIntoAny: false });
        if (violations.length > 0) errors.push(new Error(`invalid HttpConnectionManager ${JSON.stringify(hcm.statPrefix)}: ${formatViolations(violations)}`));
        valid = violations.length === 0;
      }
      if (valid) sealed?.set(chain.name, { hcm, any });
      for (const filter of chain.filters) {
        if (filter.name === HCM_FILTER_NAME) filter.configType = { $case: "typedConfig", value: any };
      }
    }
    this.hcms.clear();
    return errors;
  }
}
