import type { DeltaDiscoveryRequest } from "@egts/envoy-api/generated/envoy/service/discovery/v3/discovery";
import type { EncodedResource, ResourceSet } from "../Snapshot.js";
import { ChunkList, utf8 } from "./ProtoWire.js";
import { StreamBase, type ResponseSink, type StreamDeps, type Subscription } from "./StreamBase.js";

interface DeltaTypeState {
  readonly typeUrl: string;
  wildcard: boolean;
  /** Names subscribed explicitly. */
  readonly subscribed: Set<string>;
  /** What the proxy holds, as far as the server knows: name -> version (sent, or declared on reconnect). */
  readonly known: Map<string, string>;
  /** Subscribed names already reported absent through removed_resources. */
  readonly reportedMissing: Set<string>;
  /** The first request of a type is always answered, even with nothing, so the proxy's init completes. */
  mustAnswer: boolean;
  lastNonce: string | undefined;
  lastVersion: string | undefined;
  lastNames: readonly string[];
  awaitingAck: boolean;
  /**
   * The resource set `known` fully reflects under the current subscription: a later set is reconciled from
   * the difference between the two (computed once and shared by every stream), not by scanning every name.
   */
  reconciled: ResourceSet | undefined;
}

/** What changed between two resource sets of a type. */
interface SetDifference {
  readonly changed: readonly EncodedResource[];
  readonly removed: readonly string[];
}

/** Differences between resource sets, by older then newer set; shared by the streams of one service. */
export type SetDifferences = WeakMap<ResourceSet, WeakMap<ResourceSet, SetDifference>>;

function differenceOf(memo: SetDifferences, older: ResourceSet, newer: ResourceSet): SetDifference {
  let byNewer = memo.get(older);
  if (byNewer === undefined) memo.set(older, (byNewer = new WeakMap()));
  let difference = byNewer.get(newer);
  if (difference === undefined) {
    const changed: EncodedResource[] = [];
    const removed: string[] = [];
    for (const resource of newer.resources.values()) {
      if (older.resources.get(resource.name)?.version !== resource.version) changed.push(resource);
    }
    for (const name of older.resources.keys()) if (!newer.resources.has(name)) removed.push(name);
    difference = { changed, removed };
    byNewer.set(newer, difference);
  }
  return difference;
}

/**
 * An incremental (delta) ADS stream. Each response carries only resources whose version the proxy does
 * not hold and the names it should drop; subscription changes apply whatever nonce a request carries, and
 * a request answers the response in flight only when it carries that response's nonce.
 */
export class DeltaStream extends StreamBase<DeltaTypeState> {
  constructor(
    streamId: number,
    peer: string,
    deps: StreamDeps,
    sink: ResponseSink,
    private readonly differences: SetDifferences,
  ) {
    super(streamId, "delta", peer, deps, sink);
  }

  onRequest(request: DeltaDiscoveryRequest): void {
    if (this.closed || !this.bindNode(request.node)) return;
    const typeUrl = request.typeUrl;
    if (typeUrl.length === 0) {
      this.fail(3, "delta discovery request has no type_url");
      return;
    }
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
        lastNames: [],
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
      state.reconciled = undefined;
    }
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
        for (const held of state.known.keys()) if (!state.subscribed.has(held)) state.known.delete(held);
      } else {
        state.subscribed.delete(name);
        state.reportedMissing.delete(name);
        if (!state.wildcard) state.known.delete(name);
      }
    }
    this.push();
  }

  private answer(state: DeltaTypeState, request: DeltaDiscoveryRequest): void {
    state.awaitingAck = false;
    const node = this.node!;
    const base = {
      nodeId: node.id,
      cluster: node.cluster,
      streamId: this.streamId,
      protocol: this.protocol,
      typeUrl: state.typeUrl,
      nonce: request.responseNonce,
      time: this.deps.now(),
    };
    if (request.errorDetail !== undefined) {
      this.record({
        ...base,
        kind: "nack",
        rejectedVersion: state.lastVersion ?? "",
        resourceNames: state.lastNames,
        code: request.errorDetail.code,
        message: request.errorDetail.message,
      });
    } else {
      this.record({ ...base, kind: "ack", version: state.lastVersion ?? "" });
    }
  }

  protected subscriptionOf(state: DeltaTypeState): Subscription {
    return { typeUrl: state.typeUrl, wildcard: state.wildcard, names: [...state.subscribed].sort() };
  }

  protected respond(state: DeltaTypeState): "sent" | "idle" | "held" {
    const snapshot = this.currentSnapshot();
    if (snapshot === undefined) return "idle";
    const set = snapshot.resourcesOf(state.typeUrl);
    const toSend = new Map<string, EncodedResource>();
    const removed = new Set<string>();

    const wanted = (name: string): boolean => state.wildcard || state.subscribed.has(name);
    const consider = (resource: EncodedResource): void => {
      if (state.known.get(resource.name) !== resource.version) toSend.set(resource.name, resource);
    };
    if (state.reconciled === set) {
      if (!state.mustAnswer) return "idle";
    } else if (state.reconciled !== undefined) {
      const difference = differenceOf(this.differences, state.reconciled, set);
      for (const resource of difference.changed) if (wanted(resource.name)) consider(resource);
      for (const name of difference.removed) if (wanted(name) && state.known.has(name)) removed.add(name);
    } else {
      if (state.wildcard) for (const resource of set.resources.values()) consider(resource);
      for (const name of state.subscribed) {
        const resource = set.resources.get(name);
        if (resource !== undefined) consider(resource);
        else if (state.known.has(name) || !state.reportedMissing.has(name)) removed.add(name);
      }
      for (const name of state.known.keys()) if (!set.resources.has(name) && wanted(name)) removed.add(name);
    }
    if (toSend.size === 0 && removed.size === 0 && !state.mustAnswer) {
      state.reconciled = set;
      return "idle";
    }
    if (state.awaitingAck) return "held";

    const resources = [...toSend.values()].sort(byName);
    const removedNames = [...removed].sort();
    const nonce = this.nextNonce();
    const body = new ChunkList();
    // envoy.service.discovery.v3.DeltaDiscoveryResponse: system_version_info = 1, resources = 2,
    // type_url = 4, nonce = 5, removed_resources = 6, control_plane = 7.
    body.string(1, set.version);
    for (const resource of resources) body.push(resource.deltaResourceField);
    body.string(4, state.typeUrl);
    body.string(5, nonce);
    for (const name of removedNames) body.bytes(6, utf8(name));
    if (this.deps.controlPlaneId.length > 0) {
      const controlPlane = new ChunkList();
      controlPlane.bytes(1, utf8(this.deps.controlPlaneId));
      body.message(7, controlPlane);
    }

    for (const resource of resources) {
      state.known.set(resource.name, resource.version);
      state.reportedMissing.delete(resource.name);
    }
    for (const name of removedNames) {
      state.known.delete(name);
      if (state.subscribed.has(name)) state.reportedMissing.add(name);
    }
    state.mustAnswer = false;
    state.reconciled = set;
    state.lastNonce = nonce;
    state.lastVersion = set.version;
    state.lastNames = resources.map((resource) => resource.name);
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

const byName = (a: EncodedResource, b: EncodedResource): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
