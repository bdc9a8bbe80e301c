// Finds out whether two xds IRs differ only in the endpoints of destinations whose endpoints the translator
// uses for load assignments alone: route, mirror, TCP and UDP route destinations, merged backend clusters and
// the proxy service cluster. Their endpoints decide load assignments (and the inline ones of DNS clusters);
// elsewhere only whether there are any decides anything (weighted clusters, cluster per setting), so an
// endpoint list that turns empty or stops being empty is a change of another kind. Access log, tracing and
// policy destinations are not among them: any change there is another kind of change too.
import type { DestinationSetting, Xds } from "@egts/ir";
import { sameValue } from "./SameValue.js";

/** How a newer IR differs from an older one when only endpoints changed. */
export interface EndpointChanges {
  /** Every object of the older IR on the way to a changed setting, with its counterpart in the newer one. */
  readonly replaced: ReadonlyMap<object, object>;
  /**
   * By the older IR object a cluster request takes its destination from (route, backend cluster, proxy
   * service cluster destination): its settings that changed, older -> newer.
   */
  readonly settingsBySource: ReadonlyMap<object, ReadonlyMap<DestinationSetting, DestinationSetting>>;
}

type Compare = (a: unknown, b: unknown) => boolean;

class Walk {
  readonly replaced = new Map<object, object>();
  readonly settingsBySource = new Map<object, Map<DestinationSetting, DestinationSetting>>();

  /** Two plain objects equal but for the fields `special` compares (each called only for unequal values). */
  object(a: unknown, b: unknown, special: Readonly<Record<string, Compare>>): boolean {
    if (a === b) return true;
    if (!isRecord(a) || !isRecord(b)) return false;
    const keys = new Set([...definedKeys(a), ...definedKeys(b)]);
    for (const key of keys) {
      const x = a[key];
      const y = b[key];
      if (x === y) continue;
      const compare = special[key];
      if (!(compare !== undefined ? compare(x, y) : sameValue(x, y))) return false;
    }
    // Property order of IR objects decides nothing the translator emits in order (map fields are not among
    // the fields compared specially), so objects with the same defined properties are counterparts.
    this.replaced.set(a, b);
    return true;
  }

  /** Two arrays of equal length whose elements are equal by `compare`. */
  array(a: unknown, b: unknown, compare: Compare): boolean {
    if (a === b) return true;
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !compare(a[i], b[i])) return false;
    this.replaced.set(a, b);
    return true;
  }

  destination(a: unknown, b: unknown, source: object): boolean {
    return this.object(a, b, { settings: (x, y) => this.array(x, y, (s, t) => this.setting(s, t, source)) });
  }

  setting(a: unknown, b: unknown, source: object): boolean {
    const equalButEndpoints = this.object(a, b, {
      endpoints: (x, y) => hasEndpoints(x) === hasEndpoints(y) && (x === undefined || Array.isArray(x)) && (y === undefined || Array.isArray(y)),
    });
    if (!equalButEndpoints) return false;
    let settings = this.settingsBySource.get(source);
    if (settings === undefined) this.settingsBySource.set(source, (settings = new Map()));
    settings.set(a as DestinationSetting, b as DestinationSetting);
    return true;
  }

  httpRoute(a: unknown, b: unknown): boolean {
    if (!isRecord(a)) return false;
    return this.object(a, b, {
      destination: (x, y) => this.destination(x, y, a),
      mirrors: (x, y) => this.array(x, y, (m, n) => this.object(m, n, { destination: (d, e) => this.destination(d, e, a) })),
    });
  }

  /** A TCP or UDP route. */
  l4Route(a: unknown, b: unknown): boolean {
    if (!isRecord(a)) return false;
    return this.object(a, b, { destination: (x, y) => this.destination(x, y, a) });
  }

  xds(a: Xds, b: Xds): boolean {
    return this.object(a, b, {
      http: (x, y) => this.array(x, y, (l, m) => this.object(l, m, { routes: (r, s) => this.array(r, s, (p, q) => this.httpRoute(p, q)) })),
      tcp: (x, y) => this.array(x, y, (l, m) => this.object(l, m, { routes: (r, s) => this.array(r, s, (p, q) => this.l4Route(p, q)) })),
      udp: (x, y) => this.array(x, y, (l, m) => this.object(l, m, { route: (r, s) => this.l4Route(r, s) })),
      backendClusters: (x, y) => this.array(x, y, (c, d) => isRecord(c) && this.object(c, d, { setting: (s, t) => this.setting(s, t, c) })),
      globalResources: (x, y) => this.object(x, y, { proxyServiceCluster: (d, e) => isRecord(d) && this.destination(d, e, d) }),
    });
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v) && Object.getPrototypeOf(v) === Object.prototype;

const definedKeys = (r: Record<string, unknown>): string[] => Object.keys(r).filter((k) => r[k] !== undefined);

const hasEndpoints = (endpoints: unknown): boolean => Array.isArray(endpoints) && endpoints.length > 0;

/** The settings a cluster request of a source object may take (its destinations' settings). */
function settingsUnder(source: object): unknown[] {
  const s = source as {
    destination?: { settings?: unknown[] };
    mirrors?: { destination?: { settings?: unknown[] } }[];
    setting?: unknown;
    settings?: unknown[];
  };
  return [
    ...(s.destination?.settings ?? []),
    ...(s.mirrors ?? []).flatMap((m) => m.destination?.settings ?? []),
    ...(s.setting !== undefined ? [s.setting] : []),
    ...(s.settings ?? []),
  ];
}

/**
 * How often each of `objects` occurs where cluster requests take their source from, and among listeners (one
 * pass over the IR that counts only those, as a change replaces few). Indexed loops: this pass runs once per
 * endpoint edit over every route, too seldom for V8 to optimize away a for-of's iterator results.
 */
function occurrences(ir: Xds, objects: ReadonlySet<object>): Map<object, number> {
  const count = new Map<object, number>();
  const add = (o: object | undefined) => {
    if (o !== undefined && objects.has(o)) count.set(o, (count.get(o) ?? 0) + 1);
  };
  const addAll = (list: ReadonlyArray<object> | undefined) => {
    if (list !== undefined) for (let i = 0; i < list.length; i++) add(list[i]);
  };
  for (const l of ir.http ?? []) {
    add(l);
    addAll(l.routes);
  }
  for (const l of ir.tcp ?? []) {
    add(l);
    addAll(l.routes);
  }
  for (const l of ir.udp ?? []) {
    add(l);
    add(l.route);
  }
  addAll(ir.backendClusters);
  add(ir.globalResources?.proxyServiceCluster);
  return count;
}

/**
 * How `after` differs from `before`, or undefined when it differs in anything but such endpoints, or when
 * the change cannot be told apart by object: a changed listener or source that occurs twice in `before`,
 * or a changed source holding one setting object twice (cluster requests are matched to changes by them).
 */
export function endpointChanges(before: Xds, after: Xds): EndpointChanges | undefined {
  const walk = new Walk();
  if (!walk.xds(before, after)) return undefined;
  if (walk.replaced.size > 0) {
    const count = occurrences(before, new Set(walk.replaced.keys()));
    for (const n of count.values()) if (n > 1) return undefined;
    for (const source of walk.settingsBySource.keys()) {
      const settings = settingsUnder(source);
      if (new Set(settings).size !== settings.length) return undefined;
    }
  }
  return { replaced: walk.replaced, settingsBySource: walk.settingsBySource };
}
