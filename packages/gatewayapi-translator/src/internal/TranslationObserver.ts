// What a translation reports about its own inputs, for the incremental translator (internal/incremental/):
// which endpoints it built from which EndpointSlices, and which instants its certificate checks compared
// `now` with. A plain translation observes nothing and pays nothing.
import type * as ir from "@egts/ir";
import type { TlsSecretFacts } from "./Listeners.js";

/** One set of endpoints built from a Service's (or ServiceImport's) EndpointSlices for one port. */
export interface EndpointUse {
  /** `Service/<namespace>/<name>` or `ServiceImport/<namespace>/<name>` (see `endpointSliceOwnerKey`). */
  readonly owner: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly portName: string;
  readonly protocol: string;
  /** The array the destination setting holds (its identity is how the IR positions are found again). */
  readonly endpoints: readonly ir.DestinationEndpoint[];
  readonly addressType: ir.DestinationAddressType | undefined;
}

/** Collects what one translation observed. */
export interface TranslationObserver {
  readonly endpointUses: EndpointUse[];
  /**
   * When present, told each HTTP listener's IR route names in translation order, before sorting (keyed by
   * {@link routeOrderKey}): where a route's IR routes go when only that route is translated again.
   */
  readonly routeOrder?: Map<string, ReadonlyArray<string>>;
  /**
   * When present, what the checks of listeners' TLS Secrets found that does not depend on the time, by Secret
   * object: kept across translations, so a translation after an edit parses no certificate and key again.
   */
  readonly tlsSecrets?: WeakMap<object, TlsSecretFacts>;
  /**
   * When present, the lookup tables built over input lists (by namespace/name, EndpointSlices by owner), by
   * list: input lists are immutable and each holds one kind, so a translation given the same list again
   * reuses its table.
   */
  readonly listIndexes?: WeakMap<ReadonlyArray<unknown>, ReadonlyMap<string, unknown>>;
}

/** The key of one HTTP listener in {@link TranslationObserver.routeOrder}. */
export function routeOrderKey(irKey: string, listenerName: string): string {
  return `${irKey}\n${listenerName}`;
}

/**
 * A `now` that remembers the instants it was compared with (certificate notBefore/notAfter, CRL
 * thisUpdate/nextUpdate): the result holds for any other `now` on the same side of each of them.
 */
export class ObservedNow extends Date {
  readonly boundaries: number[] = [];
}

/** Notes the instants a validity check compares `now` with (a no-op for a plain Date). */
export function noteTimeBoundaries(now: Date, ...instants: ReadonlyArray<Date | undefined>): void {
  if (!(now instanceof ObservedNow)) return;
  for (const t of instants) if (t !== undefined) now.boundaries.push(t.getTime());
}
