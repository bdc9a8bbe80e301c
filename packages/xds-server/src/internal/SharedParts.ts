import { deltaFieldChunks, resourceSetChanges, sotwFieldChunks, type EncodedResource, type ResourceSet } from "../Snapshot.js";
import { ChunkList } from "./ProtoWire.js";

/** What changed between two resource sets of a type, each list sorted by name. */
export interface SetDifference {
  readonly changed: readonly EncodedResource[];
  readonly removed: readonly string[];
}

/**
 * Work shared by every stream of a service, computed once per resource set (or pair of sets) and kept
 * only while some stream still holds those sets: sorted resource lists, set differences, and the
 * response fields of a whole list as chunks (views of the resources' bytes, not copies), which is what most
 * streams send after an update.
 */
export class SharedParts {
  private readonly differences = new WeakMap<ResourceSet, WeakMap<ResourceSet, SetDifference>>();
  private readonly sortedSets = new WeakMap<ResourceSet, readonly EncodedResource[]>();
  private readonly deltaBodies = new WeakMap<readonly EncodedResource[], ChunkList>();
  private readonly sotwBodies = new WeakMap<readonly EncodedResource[], ChunkList>();
  /** Lists handed out by this object; only their bodies are worth keeping (a per-stream list is used once). */
  private readonly sharedLists = new WeakSet<readonly EncodedResource[]>();

  /** The resources of a set, sorted by name. */
  sorted(set: ResourceSet): readonly EncodedResource[] {
    let sorted = this.sortedSets.get(set);
    if (sorted === undefined) {
      sorted = [...set.resources.values()].sort(byName);
      this.sortedSets.set(set, sorted);
      this.sharedLists.add(sorted);
    }
    return sorted;
  }

  /** Resources new or changed in `newer`, and names only `older` has. */
  difference(older: ResourceSet, newer: ResourceSet): SetDifference {
    let byNewer = this.differences.get(older);
    if (byNewer === undefined) this.differences.set(older, (byNewer = new WeakMap()));
    let difference = byNewer.get(newer);
    if (difference === undefined) {
      // Both lists from the sorted lists, so in name order; a set edited in place reports its replacements in
      // their own order, which the sort puts in name order too (an already sorted list costs one pass).
      const changes = resourceSetChanges(older, newer, (set) => this.sorted(set));
      difference = { changed: changes.changed.sort(byName), removed: changes.removed };
      const { changed } = difference;
      byNewer.set(newer, difference);
      this.sharedLists.add(changed);
    }
    return difference;
  }

  /** The delta `resources` fields of a list (gathered once, for a shared list). */
  deltaBody(list: readonly EncodedResource[]): ChunkList {
    return this.bodyOf(this.deltaBodies, list, deltaFieldChunks);
  }

  /** The state-of-the-world `resources` fields of a list (gathered once, for a shared list). */
  sotwBody(list: readonly EncodedResource[]): ChunkList {
    return this.bodyOf(this.sotwBodies, list, sotwFieldChunks);
  }

  private bodyOf(
    cache: WeakMap<readonly EncodedResource[], ChunkList>,
    list: readonly EncodedResource[],
    field: (resource: EncodedResource) => readonly Uint8Array[],
  ): ChunkList {
    let body = cache.get(list);
    if (body === undefined) {
      body = new ChunkList();
      for (const resource of list) for (const chunk of field(resource)) body.push(chunk);
      if (this.sharedLists.has(list)) cache.set(list, body);
    }
    return body;
  }
}

/** Orders resources by name. */
export const byName = (a: EncodedResource, b: EncodedResource): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
