/**
 * Property-based testing of egts' loader and translators: reference-corpus inputs, mutated, checked end to
 * end (see Properties.ts for the properties). The tests in this package run it bounded and seeded; set
 * EGTS_FUZZ_RUNS (and EGTS_FUZZ_SEED) for longer local runs.
 *
 * @packageDocumentation
 */
export { applyMutation, hostileValue, mutationOf, pathsOf, type JsonPath, type Mutation } from "./Mutate.js";
export { seedLoader, seedNames, type Seed } from "./Seeds.js";
export { checkBundle, checkRouteIsolation, loadBundle, PropertyViolation } from "./Properties.js";
