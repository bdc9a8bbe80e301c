import { deepEqual } from "./internal/deepEqual.js";

/** What subscribers of a {@link WatchableMap} hear: the keys that changed since the last notification. */
export interface MapUpdate<V> {
  /** Changed keys with their new value, `undefined` for a deleted key. */
  readonly changed: ReadonlyMap<string, V | undefined>;
  /** The whole map after the change. */
  readonly state: ReadonlyMap<string, V>;
}

/**
 * A keyed map that runners publish into and subscribe to (upstream's watchable.Map, the TypeScript way).
 * - A store of a value equal to the current one is dropped: nothing is published. Equal is deep equality
 *   (identical parts are not looked into) unless the map is given its own `equals`.
 * - Bursts are coalesced: changes made in the same turn of the event loop reach subscribers as one update,
 *   holding only the keys whose value differs from what subscribers saw last.
 * - A new subscriber first receives the current state (when not empty).
 */
export class WatchableMap<V> {
  private readonly values = new Map<string, V>();
  /** Value each key had at the last notification (undefined: absent), for keys touched since. */
  private readonly pending = new Map<string, V | undefined>();
  /** Pending keys touched more than once since the last notification (only they can have come back). */
  private readonly touchedAgain = new Set<string>();
  private readonly listeners = new Set<(update: MapUpdate<V>) => void>();
  private scheduled = false;
  private published = 0;

  /** `equals` decides which stores change nothing; default {@link deepEqual}. */
  constructor(
    readonly name: string,
    private readonly equals: (a: V, b: V) => boolean = deepEqual,
  ) {}

  /** Sets a key; returns false (and publishes nothing) when the value equals the current one. */
  store(key: string, value: V): boolean {
    const current = this.values.get(key);
    if (this.values.has(key) && (current === value || this.equals(current as V, value))) return false;
    this.touch(key, current);
    this.values.set(key, value);
    return true;
  }

  /** Removes a key; returns false when it was not there. */
  delete(key: string): boolean {
    if (!this.values.has(key)) return false;
    this.touch(key, this.values.get(key));
    this.values.delete(key);
    return true;
  }

  /** Makes the map equal to `entries`: stores each, deletes keys not in it. Returns how many keys changed. */
  replaceAll(entries: ReadonlyMap<string, V>): number {
    let changed = 0;
    for (const key of [...this.values.keys()]) if (!entries.has(key) && this.delete(key)) changed++;
    for (const [key, value] of entries) if (this.store(key, value)) changed++;
    return changed;
  }

  /** The current value of a key. */
  get(key: string): V | undefined {
    return this.values.get(key);
  }

  /** The current contents (a copy). */
  snapshot(): ReadonlyMap<string, V> {
    return new Map(this.values);
  }

  /** How many keys the map holds. */
  get size(): number {
    return this.values.size;
  }

  /** How many updates were delivered to subscribers so far (each coalesced burst counts once). */
  get publishCount(): number {
    return this.published;
  }

  /** Subscribes; the listener first hears the current state, then every coalesced change. Returns the unsubscribe. */
  subscribe(listener: (update: MapUpdate<V>) => void): () => void {
    this.listeners.add(listener);
    if (this.values.size > 0) {
      const initial = this.snapshot();
      queueMicrotask(() => {
        if (this.listeners.has(listener)) listener({ changed: initial, state: initial });
      });
    }
    return () => {
      this.listeners.delete(listener);
    };
  }

  private touch(key: string, before: V | undefined): void {
    if (this.pending.has(key)) this.touchedAgain.add(key);
    else this.pending.set(key, before);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.scheduled = false;
    const changed = new Map<string, V | undefined>();
    for (const [key, before] of this.pending) {
      const now = this.values.get(key);
      // A burst that ends where it started (set then reset, add then delete) changes nothing. A key touched once
      // did change: its store found the value different, or its delete found it present.
      if (this.touchedAgain.has(key) && (before === now || (before !== undefined && now !== undefined && this.equals(before, now)))) continue;
      changed.set(key, now);
    }
    this.pending.clear();
    this.touchedAgain.clear();
    if (changed.size === 0) return;
    this.published++;
    const update: MapUpdate<V> = { changed, state: this.snapshot() };
    for (const listener of [...this.listeners]) listener(update);
  }
}
