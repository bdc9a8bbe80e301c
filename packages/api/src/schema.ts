// @egts/api/schema: effect/Schema declarations of the modelled kinds. A subpath of its own, so that importing
// @egts/api does not load effect/Schema for the many users who never decode through it.
export type { KindSchema } from "./Schemas.js";
export { fieldPathKeys, kindSchema, knownObjectSchema } from "./Schemas.js";
