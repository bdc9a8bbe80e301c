import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createCoalescer } from "./Coalescer.js";

describe("createCoalescer", () => {
  let runs: number[];
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
    runs = [];
  });
  afterEach(() => vi.useRealTimers());
  const make = (quietMs: number, maxDelayMs: number) => createCoalescer({ quietMs, maxDelayMs, run: () => runs.push(Date.now()) });

  it("runs an isolated event at once, with no timer left behind", () => {
    const c = make(100, 1000);
    vi.advanceTimersByTime(500);
    c.trigger();
    expect(runs).toEqual([500]);
    expect(vi.getTimerCount()).toBe(0);
    // A second isolated event, after the quiet time, runs at once too.
    vi.advanceTimersByTime(150);
    c.trigger();
    expect(runs).toEqual([500, 650]);
  });

  it("answers a burst with the leading run and one trailing run after the burst's last event", () => {
    const c = make(100, 1000);
    c.trigger();
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(10);
      c.trigger();
    }
    expect(runs).toEqual([0]);
    vi.advanceTimersByTime(99);
    expect(runs).toEqual([0]);
    vi.advanceTimersByTime(1);
    expect(runs).toEqual([0, 150]);
    vi.advanceTimersByTime(1000);
    expect(runs).toEqual([0, 150]);
  });

  it("bounds the wait of a never-ending storm by the maximum delay (a run starts after every event)", () => {
    const c = make(150, 1000);
    c.trigger(); // leading run at 0
    // An event every 50 ms for 3.5 s: the quiet time never passes.
    for (let t = 50; t <= 3500; t += 50) {
      vi.advanceTimersByTime(50);
      c.trigger();
    }
    // Trailing runs at most 1 s after the first waiting event, not postponed by later ones.
    expect(runs.slice(0, 4)).toEqual([0, 1050, 2050, 3050]);
    vi.advanceTimersByTime(150);
    // After the storm one more run follows its last event.
    expect(runs.at(-1)).toBe(3650);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("treats an event just after a trailing run as part of the burst", () => {
    const c = make(100, 1000);
    c.trigger();
    vi.advanceTimersByTime(10);
    c.trigger();
    vi.advanceTimersByTime(100); // trailing run at 110
    vi.advanceTimersByTime(20);
    c.trigger(); // 130: still busy, so deferred
    expect(runs).toEqual([0, 110]);
    vi.advanceTimersByTime(100);
    expect(runs).toEqual([0, 110, 230]);
  });

  it("drops the pending run when closed", () => {
    const c = make(100, 1000);
    c.trigger();
    c.trigger();
    c.close();
    vi.advanceTimersByTime(1000);
    c.trigger();
    expect(runs).toEqual([0]);
  });
});
