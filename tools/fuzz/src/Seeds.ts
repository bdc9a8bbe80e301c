// Seed inputs: the reference corpus' gatewayapi cases (resources.yaml + options.json), read lazily.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { TranslateOptions } from "@egts/gatewayapi-translator";
import { pathsOf, type JsonPath } from "./Mutate.js";

/** One corpus case as a fuzzing seed. */
export interface Seed {
  readonly name: string;
  /** The resources bundle as parsed YAML, before any decoding. */
  readonly raw: unknown;
  readonly options: TranslateOptions;
  readonly paths: ReadonlyArray<JsonPath>;
}

/** The names of the gatewayapi cases under a corpus folder (empty when the corpus is absent). */
export function seedNames(corpus: string): string[] {
  const dir = join(corpus, "gatewayapi");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => existsSync(join(dir, n, "resources.yaml")))
    .sort();
}

/** Loads seeds on first use and keeps them (a run touches a few hundred cases at most). */
export function seedLoader(corpus: string): (name: string) => Seed {
  const cache = new Map<string, Seed>();
  return (name) => {
    let seed = cache.get(name);
    if (seed === undefined) {
      const dir = join(corpus, "gatewayapi", name);
      const raw = parse(readFileSync(join(dir, "resources.yaml"), "utf8"), { maxAliasCount: 100 }) ?? {};
      const options = JSON.parse(readFileSync(join(dir, "options.json"), "utf8")) as TranslateOptions;
      seed = { name, raw, options, paths: pathsOf(raw) };
      cache.set(name, seed);
    }
    return seed;
  };
}
