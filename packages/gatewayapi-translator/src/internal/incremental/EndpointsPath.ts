// The endpoint fast path: when only EndpointSlices changed, the new endpoint arrays replace the old ones in
// the previous xds IR, copying only the objects on the way from an IR root to a replaced array; everything
// else keeps its identity. A parent graph of the IR (built once per full translation, then kept up to date)
// finds those ways without walking the IR on every event.
import type * as ir from "@egts/ir";

/**
 * Top-level Xds fields whose endpoint arrays are used as they are. Elsewhere (access log, tracing, metrics)
 * endpoints are also read to derive other values (authority, de-duplication), which only a full translation
 * recomputes.
 */
const endpointSafeFields: ReadonlySet<string> = new Set(["http", "tcp", "udp", "backendClusters", "globalResources"]);

/**
 * Who refers to which object in an xds IR map. A parent is recorded as the object it was when the graph
 * learned of it; a copy made since (on the way to replaced endpoints) stands for it through `current`, so
 * copying an object with many children (a listener's routes) does not touch the children's entries.
 */
export interface IRGraph {
  /** Child (as it is now) -> its first parent (as first recorded). */
  readonly firstParent: Map<object, object>;
  readonly moreParents: Map<object, object[]>;
  /** The Xds values, with their IR keys. */
  readonly roots: Map<object, string>;
  /** A recorded parent -> the copy that replaced it (absent while it was not copied). */
  readonly current: Map<object, object>;
  /** A copy -> the recorded parent it replaced. */
  readonly recorded: Map<object, object>;
}

function isNode(value: unknown): value is object {
  return typeof value === "object" && value !== null && !ArrayBuffer.isView(value);
}

function forEachChild(node: object, visit: (child: object) => void): void {
  if (Array.isArray(node)) {
    for (const v of node as unknown[]) if (isNode(v)) visit(v);
    return;
  }
  const rec = node as Record<string, unknown>;
  for (const k in rec) {
    const v = rec[k];
    if (isNode(v)) visit(v);
  }
}

function addParent(graph: IRGraph, child: object, parent: object): boolean {
  const recorded = graph.recorded.get(parent) ?? parent;
  const first = graph.firstParent.get(child);
  if (first === undefined) {
    graph.firstParent.set(child, recorded);
    return true;
  }
  const more = graph.moreParents.get(child);
  if (more === undefined) graph.moreParents.set(child, [recorded]);
  else more.push(recorded);
  return false;
}

/** A node's parents as they are now. */
function parentsOf(graph: IRGraph, node: object): object[] {
  const first = graph.firstParent.get(node);
  if (first === undefined) return [];
  const more = graph.moreParents.get(node);
  const now = (p: object) => graph.current.get(p) ?? p;
  return more === undefined ? [now(first)] : [now(first), ...more.map(now)];
}

/** Moves a node's entries as a child (its parents) to the node that replaced it. */
function moveChildEntries(graph: IRGraph, old: object, now: object): void {
  const first = graph.firstParent.get(old);
  if (first === undefined) return;
  graph.firstParent.delete(old);
  graph.firstParent.set(now, first);
  const more = graph.moreParents.get(old);
  if (more !== undefined) {
    graph.moreParents.delete(old);
    graph.moreParents.set(now, more);
  }
}

/**
 * The parent graph of an xds IR map: one walk, each shared object visited once. With `kept`, the graph keeps the
 * entries of those objects and of their ancestors only (all that replacing them reads), not of the whole IR.
 */
export function buildIRGraph(xdsIR: ReadonlyMap<string, ir.Xds>, kept?: Iterable<object>): IRGraph {
  const graph: IRGraph = { firstParent: new Map(), moreParents: new Map(), roots: new Map(), current: new Map(), recorded: new Map() };
  const stack: object[] = [];
  for (const [key, xds] of xdsIR) {
    graph.roots.set(xds, key);
    stack.push(xds);
  }
  while (stack.length > 0) {
    const node = stack.pop() as object;
    forEachChild(node, (child) => {
      if (addParent(graph, child, node) && !graph.roots.has(child)) stack.push(child);
    });
  }
  if (kept === undefined) return graph;
  const wanted = new Set<object>();
  for (const object of kept) stack.push(object);
  while (stack.length > 0) {
    const node = stack.pop() as object;
    if (wanted.has(node)) continue;
    wanted.add(node);
    for (const parent of parentsOf(graph, node)) stack.push(parent);
  }
  // New maps rather than deletions: a map keeps the table it grew to.
  const pruned: IRGraph = { ...graph, firstParent: new Map(), moreParents: new Map() };
  for (const node of wanted) {
    const first = graph.firstParent.get(node);
    if (first !== undefined) pruned.firstParent.set(node, first);
    const more = graph.moreParents.get(node);
    if (more !== undefined) pruned.moreParents.set(node, more);
  }
  return pruned;
}

/**
 * The xds IR map with each `replacements` key (an endpoints array) replaced by its value, or undefined when
 * that is not safe: an array the IR does not hold (its endpoints may have been used in another way) or one
 * held under a field that derives other values from endpoints. Updates `graph` to the new IR.
 */
export function replaceEndpoints(
  xdsIR: ReadonlyMap<string, ir.Xds>,
  graph: IRGraph,
  replacements: ReadonlyMap<object, object>,
): ReadonlyMap<string, ir.Xds> | undefined {
  // Everything on a way from a root to a replaced array, checked before anything is changed.
  const dirty = new Set<object>();
  const queue: object[] = [];
  for (const old of replacements.keys()) {
    if (!graph.firstParent.has(old)) return undefined;
    queue.push(old);
  }
  while (queue.length > 0) {
    const node = queue.pop() as object;
    for (const parent of parentsOf(graph, node)) {
      if (graph.roots.has(parent)) {
        const rec = parent as Record<string, unknown>;
        let field: string | undefined;
        for (const k in rec) if (rec[k] === node) field = k;
        if (field === undefined || !endpointSafeFields.has(field)) return undefined;
        dirty.add(parent);
      } else if (!dirty.has(parent)) {
        dirty.add(parent);
        queue.push(parent);
      }
    }
  }

  const copies = new Map<object, object>();
  const rebuild = (node: object): object => {
    const replaced = replacements.get(node);
    if (replaced !== undefined) return replaced;
    if (!dirty.has(node)) return node;
    const done = copies.get(node);
    if (done !== undefined) return done;
    let copy: object;
    if (Array.isArray(node)) copy = (node as unknown[]).map((v) => (isNode(v) ? rebuild(v) : v));
    else {
      const rec: Record<string, unknown> = { ...(node as Record<string, unknown>) };
      for (const k in rec) {
        const v = rec[k];
        if (isNode(v)) rec[k] = rebuild(v);
      }
      copy = rec;
    }
    copies.set(node, copy);
    return copy;
  };
  const out = new Map<string, ir.Xds>();
  for (const [key, xds] of xdsIR) out.set(key, rebuild(xds) as ir.Xds);

  // The graph follows. A copy stands for its original as a parent, and takes over the original's own
  // entries as a child (its parents are recorded ones, still right); its children's entries stay as they are.
  for (const [old, copy] of copies) {
    const key = graph.roots.get(old);
    if (key !== undefined) {
      graph.roots.delete(old);
      graph.roots.set(copy, key);
    }
    const recorded = graph.recorded.get(old) ?? old;
    graph.recorded.delete(old);
    graph.recorded.set(copy, recorded);
    graph.current.set(recorded, copy);
    moveChildEntries(graph, old, copy);
  }
  for (const [old, fresh] of replacements) {
    moveChildEntries(graph, old, fresh);
    forEachChild(old, (child) => {
      graph.firstParent.delete(child);
      graph.moreParents.delete(child);
    });
    forEachChild(fresh, (child) => {
      addParent(graph, child, fresh);
    });
  }
  return out;
}
