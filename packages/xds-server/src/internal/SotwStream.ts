import type { DiscoveryRequest } from "@egts/envoy-api/generated/envoy/service/discovery/v3/discovery";
import { isFullStateType } from "../ResourceTypes.js";
import type { EncodedResource, ResourceSet } from "../Snapshot.js";
import { ChunkList } from "./ProtoWire.js";
import { byName } from "./SharedParts.js";
import { StreamBase, type Subscription } from "./StreamBase.js";

interface SotwTypeState {
  readonly typeUrl: string;
  wildcard: boolean;
  names: ReadonlySet<string>;
  /** Set once a request names resources differently from what the last response answered. */
  namesChanged: boolean;
  lastNonce: string | undefined;
  lastVersion: string | undefined;
  lastResources: readonly EncodedResource[] | undefined;
  awaitingAck: boolean;
  /** The resource set the last decision (sent or nothing to send) was made on. */
  lastSet: ResourceSet | undefined;
}

/**
 * A state-of-the-world ADS stream. Every response of a type carries the whole subscribed set; a request
 * with a stale nonce is ignored (a newer response is in flight and will be answered); one response per
 * type is in flight at a time, so a slow proxy only delays itself and bursts coalesce.
 */
export class SotwStream extends StreamBase<SotwTypeState> {
  readonly protocol = "sotw";

  onRequest(request: DiscoveryRequest): void {
    if (!this.acceptRequest(request, "discovery request on an aggregated stream has no type_url")) return;
    const typeUrl = request.typeUrl;
    if (!this.admit(typeUrl, request.resourceNames.length)) return;
    let state = this.types.get(typeUrl);
    const first = state === undefined;
    if (state === undefined) {
      state = {
        typeUrl,
        wildcard: false,
        names: new Set(),
        namesChanged: true,
        lastNonce: undefined,
        lastVersion: undefined,
        lastResources: undefined,
        awaitingAck: false,
        lastSet: undefined,
      };
      this.types.set(typeUrl, state);
    }
    if (state.lastNonce !== undefined && request.responseNonce !== state.lastNonce) {
      this.deps.logger.debug("ignoring request with a stale nonce", {
        streamId: this.streamId,
        typeUrl,
        nonce: request.responseNonce,
        expected: state.lastNonce,
      });
      return;
    }
    // The first request carrying the nonce of the response in flight answers it; later ones with the same
    // nonce only change the subscription.
    if (state.lastNonce !== undefined && state.awaitingAck) this.answer(state, request);

    const named = request.resourceNames.filter((name) => name !== "*");
    const wildcard = request.resourceNames.includes("*") || (request.resourceNames.length === 0 && (first || state.wildcard));
    const names = new Set(named);
    if (wildcard !== state.wildcard || !sameSet(names, state.names)) state.namesChanged = true;
    state.wildcard = wildcard;
    state.names = names;
    this.push();
  }

  private answer(state: SotwTypeState, request: DiscoveryRequest): void {
    state.awaitingAck = false;
    const sent = { version: state.lastVersion ?? "", resourceNames: (state.lastResources ?? []).map((resource) => resource.name) };
    this.recordAnswer(request, state.typeUrl, sent, request.versionInfo);
  }

  protected subscriptionOf(state: SotwTypeState): Subscription {
    return { typeUrl: state.typeUrl, wildcard: state.wildcard, names: [...state.names].sort() };
  }

  protected respond(state: SotwTypeState): "sent" | "idle" | "held" {
    const snapshot = this.currentSnapshot();
    if (snapshot === undefined) return "idle";
    const set = snapshot.resourcesOf(state.typeUrl);
    if (set === state.lastSet && !state.namesChanged) return "idle";
    let resources: readonly EncodedResource[];
    if (state.wildcard) {
      resources = this.shared.sorted(set);
    } else {
      const named: EncodedResource[] = [];
      const missing: string[] = [];
      for (const name of state.names) {
        const resource = set.resources.get(name);
        if (resource === undefined) missing.push(name);
        else named.push(resource);
      }
      // Like go-control-plane in ADS mode: a route or endpoint set the proxy names but the snapshot lacks
      // is not answered (the proxy keeps waiting rather than applying a partial set). Listeners and
      // clusters are full-state types, where leaving a name out of the response tells the proxy it is gone.
      if (missing.length > 0 && !isFullStateType(state.typeUrl)) {
        this.deps.logger.debug("not responding: requested resources missing from the snapshot", {
          streamId: this.streamId,
          typeUrl: state.typeUrl,
          missing,
        });
        return "idle";
      }
      resources = named.length === set.resources.size ? this.shared.sorted(set) : named.sort(byName);
    }
    if (!state.namesChanged && sameResources(resources, state.lastResources)) {
      state.lastSet = set;
      return "idle";
    }
    if (state.awaitingAck) return "held";

    const nonce = this.nextNonce();
    const body = new ChunkList();
    // envoy.service.discovery.v3.DiscoveryResponse: version_info = 1, resources = 2, type_url = 4,
    // nonce = 5, control_plane = 6 (ControlPlane.identifier = 1).
    body.string(1, set.version);
    body.append(this.shared.sotwBody(resources));
    body.string(4, state.typeUrl);
    body.string(5, nonce);
    this.writeControlPlane(body, 6);
    state.lastNonce = nonce;
    state.lastVersion = set.version;
    state.lastResources = resources;
    state.namesChanged = false;
    state.awaitingAck = true;
    state.lastSet = set;
    this.deps.logger.debug("sending state-of-the-world response", {
      streamId: this.streamId,
      typeUrl: state.typeUrl,
      version: set.version,
      nonce,
      resources: resources.length,
    });
    this.send(body.finish());
    return "sent";
  }
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const item of a) if (!b.has(item)) return false;
  return true;
}

function sameResources(a: readonly EncodedResource[], b: readonly EncodedResource[] | undefined): boolean {
  if (b === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.version !== b[i]!.version || a[i]!.name !== b[i]!.name) return false;
  return true;
}
