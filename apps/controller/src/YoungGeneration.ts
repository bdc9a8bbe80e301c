// Holds V8's young generation to a size from inside the process.
//
// V8 sizes its semi-spaces once, when the isolate is created, from `--max-semi-space-size`; a flag set later with
// v8.setFlagsFromString does not move that limit. What V8 does read at every resize is how much to grow by:
// after a scavenge that leaves enough survivors, each semi-space grows to `--semi-space-growth-factor` times its
// size (up to the limit). So the limit is kept by steering the factor after every garbage collection (a `gc`
// performance entry): 2, V8's own, while a doubling stays within the target; 1, so the size stays, once it
// would not. V8 still shrinks the new space when allocation is slow, and it then grows back the same way.
//
// The factor is steered between collections, from the event loop: a burst of allocation that grows the young
// generation twice before the process gets back to its event loop can take it one doubling past the target (at
// most to V8's own limit, where it would be without this). On the controller's workloads it stays at the target
// (apps/controller/README.md, "Memory").
import { PerformanceObserver } from "node:perf_hooks";
import { getHeapSpaceStatistics, setFlagsFromString } from "node:v8";

const MiB = 1024 * 1024;

/**
 * The size of one semi-space, in bytes, as V8 reports the new space (both semi-spaces; only one before the first
 * scavenge, which reads as half its size: the factor is then 2 for a little longer, as V8 would grow anyway).
 */
function semiSpaceBytes(): number | undefined {
  const newSpace = getHeapSpaceStatistics().find((space) => space.space_name === "new_space");
  return newSpace === undefined || newSpace.space_size === 0 ? undefined : newSpace.space_size / 2;
}

/** The growth factor for a semi-space of `current` bytes that is not to pass `target` bytes: 2 or 1. */
export function growthFactorTowards(current: number, target: number): 1 | 2 {
  return 2 * current <= target ? 2 : 1;
}

/**
 * Keeps each semi-space of the young generation at most `semiSpaceMiB` MiB (at least 2), from now on: call it
 * before the bulk of the program is loaded, as a semi-space already past the size is not shrunk. Returns a
 * function that stops steering, leaving the last factor in place.
 */
export function limitYoungGeneration(semiSpaceMiB: number): () => void {
  const target = semiSpaceMiB * MiB;
  let factor: number | undefined;
  const steer = () => {
    const current = semiSpaceBytes();
    if (current === undefined) return;
    const next = growthFactorTowards(current, target);
    if (next === factor) return;
    setFlagsFromString(`--semi-space-growth-factor=${next}`);
    factor = next;
  };
  steer();
  const observer = new PerformanceObserver(steer);
  observer.observe({ entryTypes: ["gc"] });
  return () => observer.disconnect();
}
