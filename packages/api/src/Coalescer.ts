/** Settings of {@link createCoalescer}. */
export interface CoalescerOptions {
  /** Quiet time after the last event of a burst before the trailing run. */
  readonly quietMs: number;
  /** Longest the trailing run waits after the first event of a burst, however busy the source stays. */
  readonly maxDelayMs: number;
  /** The work: called at the leading edge of an isolated event and once after each burst. */
  readonly run: () => void;
}

/** Turns events into runs: leading edge when idle, one trailing run per burst. */
export interface Coalescer {
  /** Reports one event. */
  readonly trigger: () => void;
  /** Drops any pending run; later triggers do nothing. */
  readonly close: () => void;
}

/**
 * A debounce that costs nothing when idle: an event arriving after a quiet period runs at once (leading edge);
 * events arriving within `quietMs` of the previous event or run form a burst, answered by one trailing run
 * `quietMs` after the burst's last event, but never later than `maxDelayMs` after its first. Every event is
 * followed by a run that starts after it, so the last run always sees the latest state.
 */
export function createCoalescer(options: CoalescerOptions): Coalescer {
  const quietMs = Math.max(0, options.quietMs);
  const maxDelayMs = Math.max(options.maxDelayMs, quietMs);
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** First event of the burst waiting for its trailing run. */
  let pendingSince: number | undefined;
  /** Until when events count as part of a burst (the latest event or run plus the quiet time). */
  let busyUntil = Number.NEGATIVE_INFINITY;
  let closed = false;

  const fire = (): void => {
    timer = undefined;
    pendingSince = undefined;
    busyUntil = Date.now() + quietMs;
    options.run();
  };

  return {
    trigger() {
      if (closed) return;
      const now = Date.now();
      if (timer === undefined && now >= busyUntil) {
        busyUntil = now + quietMs;
        options.run();
        return;
      }
      pendingSince ??= now;
      busyUntil = now + quietMs;
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(fire, Math.max(0, Math.min(quietMs, pendingSince + maxDelayMs - now)));
    },
    close() {
      closed = true;
      pendingSince = undefined;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
