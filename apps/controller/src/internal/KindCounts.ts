/** What an object is counted by: its kind ("?" when it has none). */
interface Kinded {
  readonly kind?: string;
}

/**
 * Counts a provider's objects per kind after every change. Objects are immutable and a provider hands the
 * same object again while it is unchanged, so when the lists keep their lengths only the positions holding
 * another object are looked at (an edit in place changes no count unless it changes a kind); otherwise they
 * are counted again. The same counts object comes back while nothing changed.
 */
export function createKindCounter(): (lists: ReadonlyArray<ReadonlyArray<Kinded>>) => Readonly<Record<string, number>> {
  let lastLists: ReadonlyArray<ReadonlyArray<Kinded>> = [];
  let counts: Readonly<Record<string, number>> = {};
  const kindOf = (o: Kinded): string => o.kind ?? "?";
  return (lists) => {
    const sameShape = lists.length === lastLists.length && lists.every((list, i) => list.length === lastLists[i]!.length);
    if (!sameShape) {
      const fresh: Record<string, number> = {};
      for (const list of lists) for (const o of list) fresh[kindOf(o)] = (fresh[kindOf(o)] ?? 0) + 1;
      counts = fresh;
    } else {
      let next: Record<string, number> | undefined;
      lists.forEach((list, i) => {
        const before = lastLists[i]!;
        if (list === before) return;
        for (let j = 0; j < list.length; j++) {
          if (list[j] === before[j]) continue;
          const was = kindOf(before[j]!);
          const now = kindOf(list[j]!);
          if (was === now) continue;
          next ??= { ...counts };
          next[was] = next[was]! - 1;
          if (next[was] === 0) delete next[was];
          next[now] = (next[now] ?? 0) + 1;
        }
      });
      if (next !== undefined) counts = next;
    }
    lastLists = lists;
    return counts;
  };
}
