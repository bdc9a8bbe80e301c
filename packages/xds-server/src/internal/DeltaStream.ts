import type { DeltaDiscoveryRequest } from "@egts/envoy-api/generated/envoy/service/discovery/v3/discovery";
import type { EncodedResource, ResourceSet } from "../Snapshot.js";
import { ChunkList, utf8 } from "./ProtoWire.js";
import { StreamBase, type Subscription } from "./StreamBase.js";

interface DeltaTypeState {
  readonly typeUrl: string;
  wildcard: boolean;
  /** Names subscribed explicitly. */
  readonly subscribed: Set<string>;
  /**
   * What the proxy holds (name -> version) while `reconciled` is unset: declared on reconnect, or
   * materialized from `reconciled` when the subscription changes. Dropped once a response or a check
   * brings the proxy in line with a set again, so a stream in the steady state keeps no per-name state.
   */
  known: Map<string, string> | undefined;
  /** Subscribed names already reported absent through removed_resources. */
  readonly reportedMissing: Set<string>;
  /** The first request of a type is always answered, even with nothing, so the proxy's init completes. */
  mustAnswer: boolean;
  lastNonce: string | undefined;
  lastVersion: string | undefined;
  lastResources: readonly EncodedResource[];
  awaitingAck: boolean;
  /**
   * The set the proxy is in line with: it holds exactly this set's resources among the names it wants.
   * A later set is then reconciled from the difference between the two (computed once and shared by all
   * streams), without looking at any per-name state.
   */
  reconciled: ResourceSet | undefined;
}

/**
 * An incremental (delta) ADS stream. Each response carries only resources whose version the proxy does
 * not hold and the names it should drop; subscription changes apply whatever nonce a request carries, and
 * a request answers the response in flight only when it carries that response's nonce.
 */
export class DeltaStream extends StreamBase<DeltaTypeState> {
  readonly protocol = "delta";

  onRequest(request: DeltaDiscoveryRequest): void {
    if (!this.acceptRequest(request, "delta discovery request has no type_url")) return;
    const typeUrl = request.typeUrl;
    const initialNames = this.types.has(typeUrl) ? 0 : Object.keys(request.initialResourceVersions).length;
    if (!this.admit(typeUrl, request.resourceNamesSubscribe.length + request.resourceNamesUnsubscribe.length + initialNames)) return;
    let state = this.types.get(typeUrl);
    if (state === undefined) {
      state = {
        typeUrl,
        // An empty first subscription is the legacy wildcard; "*" is the explicit one.
        wildcard: request.resourceNamesSubscribe.length === 0,
        subscribed: new Set(),
        known: new Map(Object.entries(request.initialResourceVersions)),
        reportedMissing: new Set(),
        mustAnswer: true,
        lastNonce: undefined,
        lastVersion: undefined,
        lastResources: [],
        awaitingAck: false,
        reconciled: undefined,
      };
      this.types.set(typeUrl, state);
    } else if (request.responseNonce.length > 0) {
      if (request.responseNonce === state.lastNonce && state.awaitingAck) this.answer(state, request);
      else {
        this.deps.logger.debug("delta request with a stale nonce: applying its subscription changes only", {
          streamId: this.streamId,
          typeUrl,
          nonce: request.responseNonce,
          expected: state.lastNonce,
        });
      }
    }

    if (request.resourceNamesSubscribe.length > 0 || request.resourceNamesUnsubscribe.length > 0) {
      this.materializeHoldings(state);
    }
    const known = state.known ?? new Map<string, string>();
    for (const name of request.resourceNamesSubscribe) {
      if (name === "*") state.wildcard = true;
      else if (!state.subscribed.has(name)) {
        state.subscribed.add(name);
        state.reportedMissing.delete(name);
      }
    }
    for (const name of request.resourceNamesUnsubscribe) {
      if (name === "*") {
        state.wildcard = false;
        for (const held of known.keys()) if (!state.subscribed.has(held)) known.delete(held);
      } else {
        state.subscribed.delete(name);
        state.reportedMissing.delete(name);
        if (!state.wildcard) known.delete(name);
      }
    }
    this.push();
  }

  /** Turns "in line with `reconciled`" into an explicit name -> version map before the subscription changes. */
  private materializeHoldings(state: DeltaTypeState): void {
    if (state.reconciled === undefined) {
      state.known ??= new Map();
      return;
    }
    const known = new Map<string, string>();
    for (const resource of state.reconciled.resources.values()) {
      if (state.wildcard || state.subscribed.has(resource.name)) known.set(resource.name, resource.version);
    }
    state.known = known;
    state.reconciled = undefined;
  }

  private answer(state: DeltaTypeState, request: DeltaDiscoveryRequest): void {
    state.awaitingAck = false;
    // A delta ACK carries no version: the one acknowledged is the version of the response in flight.
    const version = state.lastVersion ?? "";
    this.recordAnswer(request, state.typeUrl, { version, resourceNames: state.lastResources.map((resource) => resource.name) }, version);
  }

  protected subscriptionOf(state: DeltaTypeState): Subscription {
    return { typeUrl: state.typeUrl, wildcard: state.wildcard, names: [...state.subscribed].sort() };
  }

  protected respond(state: DeltaTypeState): "sent" | "idle" | "held" {
    const snapshot = this.currentSnapshot();
    if (snapshot === undefined) return "idle";
    const set = snapshot.resourcesOf(state.typeUrl);
    if (state.reconciled === set && !state.mustAnswer) return "idle";
    const wanted = (name: string): boolean => state.wildcard || state.subscribed.has(name);
    // Both lists end up sorted by name; `resources` is a shared list (whose encoded body is shared too)
    // whenever the stream needs all of it, the common case after an update.
    let resources: readonly EncodedResource[];
    let removedNames: readonly string[];
    if (state.reconciled === set) {
      resources = [];
      removedNames = [];
    } else if (state.reconciled !== undefined) {
      // In line with the older set: it lacks exactly the changed resources it wants and holds exactly
      // the removed names it wants.
      const difference = this.shared.difference(state.reconciled, set);
      resources = state.wildcard ? difference.changed : difference.changed.filter((resource) => wanted(resource.name));
      if (resources.length === difference.changed.length) resources = difference.changed;
      removedNames = state.wildcard ? difference.removed : difference.removed.filter(wanted);
    } else {
      const known = state.known ?? new Map<string, string>();
      const all = this.shared.sorted(set);
      resources = all.filter((resource) => wanted(resource.name) && known.get(resource.name) !== resource.version);
      if (resources.length === all.length) resources = all;
      const removed = new Set<string>();
      for (const name of state.subscribed) {
        if (set.resources.has(name)) continue;
        if (known.has(name) || !state.reportedMissing.has(name)) removed.add(name);
      }
      for (const name of known.keys()) if (!set.resources.has(name) && wanted(name)) removed.add(name);
      removedNames = [...removed].sort();
    }
    if (resources.length === 0 && removedNames.length === 0 && !state.mustAnswer) {
      state.reconciled = set;
      state.known = undefined;
      return "idle";
    }
    if (state.awaitingAck) return "held";

    const nonce = this.nextNonce();
    const body = new ChunkList();
    // envoy.service.discovery.v3.DeltaDiscoveryResponse: system_version_info = 1, resources = 2,
    // type_url = 4, nonce = 5, removed_resources = 6, control_plane = 7.
    body.string(1, set.version);
    body.append(this.shared.deltaBody(resources));
    body.string(4, state.typeUrl);
    body.string(5, nonce);
    for (const name of removedNames) body.bytes(6, utf8(name));
    this.writeControlPlane(body, 7);

    for (const resource of resources) state.reportedMissing.delete(resource.name);
    for (const name of removedNames) if (state.subscribed.has(name)) state.reportedMissing.add(name);
    state.known = undefined;
    state.mustAnswer = false;
    state.reconciled = set;
    state.lastNonce = nonce;
    state.lastVersion = set.version;
    state.lastResources = resources;
    state.awaitingAck = true;
    this.deps.logger.debug("sending delta response", {
      streamId: this.streamId,
      typeUrl: state.typeUrl,
      version: set.version,
      nonce,
      resources: resources.length,
      removed: removedNames.length,
    });
    this.send(body.finish());
    return "sent";
  }
}
