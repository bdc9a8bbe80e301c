/** Placeholder until the IR lands. */
export const IR_VERSION = "v1.9";
