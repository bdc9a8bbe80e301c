/** The same type with its top-level fields writable (for values the translator builds up in place). */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };
