import { KubeApiError, type KubeClient, type KubeObject, type Scope, type WatchHandle } from "./KubeClient.js";

/** Exponential backoff bounds, in milliseconds. */
export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** Default reconnect backoff: 200 ms doubling up to 10 s. */
export const defaultBackoff: Backoff = { initialMs: 200, maxMs: 10_000 };

/** A log function: level, message, structured fields. */
export type ProviderLog = (level: "debug" | "info" | "warn" | "error", message: string, fields?: Record<string, unknown>) => void;

/** The local copy of one scope, kept current by list and watch. */
export interface Reflector {
  readonly scope: Scope;
  /** Objects by `namespace/name`. */
  readonly objects: ReadonlyMap<string, KubeObject>;
  /** Whether the first list has completed. */
  readonly synced: boolean;
  /** The last error talking to the API server, cleared by the next success. */
  readonly lastError: string | undefined;
  /** The resourceVersion the next watch resumes from. */
  readonly resourceVersion: string | undefined;
  stop(): void;
}

/** The key of an object in a reflector's map. */
export const objectKeyOf = (o: KubeObject): string => `${o.metadata.namespace ?? ""}/${o.metadata.name}`;

/**
 * Lists a scope, then watches it from the list's resourceVersion, resuming from the last one seen (bookmarks
 * included) after a dropped stream, relisting on `410 Gone`, backing off while the API server is unreachable.
 * An event whose object has the resourceVersion already held is not applied again. `onChange` is called after
 * every change to `objects` (and after each list).
 */
export function startReflector(
  client: KubeClient,
  scope: Scope,
  onChange: () => void,
  options: { readonly backoff?: Backoff; readonly log?: ProviderLog } = {},
): Reflector {
  const backoff = options.backoff ?? defaultBackoff;
  const log = options.log ?? (() => undefined);
  const objects = new Map<string, KubeObject>();
  let synced = false;
  let lastError: string | undefined;
  let resourceVersion: string | undefined;
  let stopped = false;
  let delay = backoff.initialMs;
  let current: WatchHandle | undefined;
  let wake: (() => void) | undefined;
  const label = `${scope.kind.kind}${scope.namespace !== undefined ? ` in ${scope.namespace}` : ""}`;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        wake = undefined;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const relist = async (): Promise<void> => {
    const listed = await client.list(scope);
    const fresh = new Map(listed.items.map((o) => [objectKeyOf(o), o]));
    let changed = !synced || fresh.size !== objects.size;
    for (const [key, o] of fresh) if (objects.get(key)?.metadata.resourceVersion !== o.metadata.resourceVersion) changed = true;
    objects.clear();
    for (const [key, o] of fresh) objects.set(key, o);
    resourceVersion = listed.resourceVersion;
    synced = true;
    if (changed) onChange();
  };

  /** Runs one watch until it ends: "gone" when its resourceVersion expired, else "ended". */
  const watchOnce = () =>
    new Promise<"gone" | "ended">((resolve, reject) => {
      let outcome: "gone" | "ended" = "ended";
      client
        .watch(
          scope,
          resourceVersion ?? "",
          (event) => {
            if (event.type === "ERROR") {
              if (event.object.code === 410) outcome = "gone";
              else lastError = `watch error: ${event.object.message ?? JSON.stringify(event.object)}`;
              current?.stop();
              resolve(outcome);
              return;
            }
            const rv = event.object.metadata?.resourceVersion;
            if (event.type !== "BOOKMARK") {
              const key = objectKeyOf(event.object);
              if (event.type === "DELETED") {
                if (objects.delete(key)) onChange();
              } else if (objects.get(key)?.metadata.resourceVersion !== rv) {
                objects.set(key, event.object);
                onChange();
              }
            }
            if (rv !== undefined) resourceVersion = rv;
            lastError = undefined;
            delay = backoff.initialMs;
          },
          (error) => {
            current = undefined;
            if (error !== null && error !== undefined) {
              const code = (error as { statusCode?: number }).statusCode;
              if (code === 410) resolve("gone");
              else reject(error);
            } else resolve(outcome);
          },
        )
        .then((handle) => {
          current = handle;
          if (stopped) handle.stop();
        }, reject);
    });

  const run = async (): Promise<void> => {
    while (!stopped) {
      try {
        if (resourceVersion === undefined) await relist();
        lastError = undefined;
        if (stopped) break;
        const outcome = await watchOnce();
        if (outcome === "gone") {
          log("debug", "watch resourceVersion expired; relisting", { kind: label });
          resourceVersion = undefined;
        }
      } catch (error) {
        if (stopped) break;
        const aborted = error instanceof Error && error.name === "AbortError";
        if (!aborted) {
          lastError = error instanceof Error ? error.message : String(error);
          if (error instanceof KubeApiError && error.code === 410) resourceVersion = undefined;
          log("debug", "list/watch failed; retrying", { kind: label, error: lastError, retryInMs: delay });
          await sleep(delay);
          delay = Math.min(delay * 2, backoff.maxMs);
        }
      }
    }
  };
  void run();

  return {
    scope,
    objects,
    get synced() {
      return synced;
    },
    get lastError() {
      return lastError;
    },
    get resourceVersion() {
      return resourceVersion;
    },
    stop() {
      stopped = true;
      current?.stop();
      wake?.();
    },
  };
}
