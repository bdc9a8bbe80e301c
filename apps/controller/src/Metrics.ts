/** Histogram bucket bounds for translation durations, in seconds. */
const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

interface Histogram {
  readonly counts: number[];
  sum: number;
  count: number;
}

/** A live value read when /metrics is scraped. */
export interface GaugeSource {
  readonly name: string;
  readonly help: string;
  /** Current samples: label set (may be empty) and value. */
  readonly read: () => ReadonlyArray<{ readonly labels: Readonly<Record<string, string>>; readonly value: number }>;
}

/**
 * The controller's metrics in Prometheus text format: translation counts, errors and durations per stage
 * (counters and a histogram), plus gauges read on scrape (resources per kind, connected proxies, NACKs...).
 */
export class ControllerMetrics {
  private readonly translations = new Map<string, number>();
  private readonly failures = new Map<string, number>();
  private readonly durations = new Map<string, Histogram>();
  /** Per rendered `{stage,path}` label set: runs and their durations. */
  private readonly stageRuns = new Map<string, { readonly stage: string; readonly path: string; readonly histogram: Histogram }>();
  private readonly counters = new Map<string, { help: string; values: Map<string, number> }>();
  private readonly gauges: GaugeSource[] = [];

  /** Records one translation of a stage and how long it took. */
  observeTranslation(stage: string, seconds: number, ok: boolean): void {
    this.translations.set(stage, (this.translations.get(stage) ?? 0) + 1);
    if (!ok) this.failures.set(stage, (this.failures.get(stage) ?? 0) + 1);
    let h = this.durations.get(stage);
    if (h === undefined) this.durations.set(stage, (h = newHistogram()));
    observe(h, seconds);
  }

  /**
   * Records one run of a pipeline stage and which path it took: `full`, `endpoints` or `unchanged` for the
   * Gateway API translation; `translated` or `skipped-identical` for the xDS translation of an IR key.
   */
  observeStage(stage: string, path: string, seconds: number): void {
    const key = renderLabels({ path, stage });
    let run = this.stageRuns.get(key);
    if (run === undefined) this.stageRuns.set(key, (run = { stage, path, histogram: newHistogram() }));
    observe(run.histogram, seconds);
  }

  /** How many runs of a stage took `path`. */
  stageRunCount(stage: string, path: string): number {
    return this.stageRuns.get(renderLabels({ path, stage }))?.histogram.count ?? 0;
  }

  /** How many translations a stage ran. */
  translationCount(stage: string): number {
    return this.translations.get(stage) ?? 0;
  }

  /** Adds to a labelled counter (created on first use). */
  increment(name: string, help: string, labels: Readonly<Record<string, string>> = {}, by = 1): void {
    let counter = this.counters.get(name);
    if (counter === undefined) this.counters.set(name, (counter = { help, values: new Map() }));
    const key = renderLabels(labels);
    counter.values.set(key, (counter.values.get(key) ?? 0) + by);
  }

  /** Registers a gauge read at scrape time. */
  addGauge(source: GaugeSource): void {
    this.gauges.push(source);
  }

  /** The Prometheus text exposition. */
  render(): string {
    const lines: string[] = [];
    lines.push("# HELP egts_translations_total Translations run, per pipeline stage.", "# TYPE egts_translations_total counter");
    for (const [stage, n] of [...this.translations].sort()) lines.push(`egts_translations_total{stage="${stage}"} ${n}`);
    lines.push("# HELP egts_translation_errors_total Translations that failed, per pipeline stage.", "# TYPE egts_translation_errors_total counter");
    for (const [stage, n] of [...this.failures].sort()) lines.push(`egts_translation_errors_total{stage="${stage}"} ${n}`);
    lines.push(
      "# HELP egts_translation_duration_seconds Time spent in one translation, per pipeline stage.",
      "# TYPE egts_translation_duration_seconds histogram",
    );
    for (const [stage, h] of [...this.durations].sort(([a], [b]) => (a < b ? -1 : 1))) {
      DURATION_BUCKETS.forEach((bound, i) => lines.push(`egts_translation_duration_seconds_bucket{stage="${stage}",le="${bound}"} ${h.counts[i]}`));
      lines.push(`egts_translation_duration_seconds_bucket{stage="${stage}",le="+Inf"} ${h.count}`);
      lines.push(`egts_translation_duration_seconds_sum{stage="${stage}"} ${h.sum}`);
      lines.push(`egts_translation_duration_seconds_count{stage="${stage}"} ${h.count}`);
    }
    lines.push(
      "# HELP egts_pipeline_stage_duration_seconds Runs of a pipeline stage and their duration, per stage and the path the run took.",
      "# TYPE egts_pipeline_stage_duration_seconds histogram",
    );
    for (const [labels, { stage, path, histogram: h }] of [...this.stageRuns].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const l = `path="${path}",stage="${stage}"`;
      DURATION_BUCKETS.forEach((bound, i) => lines.push(`egts_pipeline_stage_duration_seconds_bucket{${l},le="${bound}"} ${h.counts[i]}`));
      lines.push(`egts_pipeline_stage_duration_seconds_bucket{${l},le="+Inf"} ${h.count}`);
      lines.push(`egts_pipeline_stage_duration_seconds_sum${labels} ${h.sum}`);
      lines.push(`egts_pipeline_stage_duration_seconds_count${labels} ${h.count}`);
    }
    for (const [name, counter] of [...this.counters].sort(([a], [b]) => (a < b ? -1 : 1))) {
      lines.push(`# HELP ${name} ${counter.help}`, `# TYPE ${name} counter`);
      for (const [labels, value] of [...counter.values].sort()) lines.push(`${name}${labels} ${value}`);
    }
    for (const gauge of this.gauges) {
      lines.push(`# HELP ${gauge.name} ${gauge.help}`, `# TYPE ${gauge.name} gauge`);
      for (const sample of gauge.read()) lines.push(`${gauge.name}${renderLabels(sample.labels)} ${sample.value}`);
    }
    return `${lines.join("\n")}\n`;
  }
}

const newHistogram = (): Histogram => ({ counts: DURATION_BUCKETS.map(() => 0), sum: 0, count: 0 });

function observe(h: Histogram, seconds: number): void {
  DURATION_BUCKETS.forEach((bound, i) => {
    if (seconds <= bound) h.counts[i]! += 1;
  });
  h.sum += seconds;
  h.count += 1;
}

function renderLabels(labels: Readonly<Record<string, string>>): string {
  const entries = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1));
  if (entries.length === 0) return "";
  return `{${entries.map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`).join(",")}}`;
}
