import type { ExtensionService } from "@egts/api";

const RETRYABLE = new Set([
  "CANCELLED",
  "UNKNOWN",
  "INVALID_ARGUMENT",
  "DEADLINE_EXCEEDED",
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "PERMISSION_DENIED",
  "RESOURCE_EXHAUSTED",
  "FAILED_PRECONDITION",
  "ABORTED",
  "OUT_OF_RANGE",
  "UNIMPLEMENTED",
  "INTERNAL",
  "UNAVAILABLE",
  "DATA_LOSS",
  "UNAUTHENTICATED",
]);

/** A Go duration ("100ms", "1s", "1m30s") in seconds; undefined when it is not one. */
export function goDurationSeconds(text: string): number | undefined {
  const units: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  if (text === "0") return 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  for (const m of text.matchAll(re)) {
    total += Number(m[1]) * (units[m[2] as string] as number);
    consumed += m[0].length;
  }
  return consumed === text.length && consumed > 0 ? total : undefined;
}

/**
 * The gRPC service config of a manager's channel: upstream's retry policy (4 attempts, 100ms to 1s backoff,
 * multiplier 2, on UNAVAILABLE) with the manager's `retry` settings applied.
 */
export function grpcServiceConfig(serviceName: string, retry: ExtensionService["retry"]): string {
  const maxAttempts = retry?.maxAttempts ?? 4;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new Error(`invalid Extension Manager GRPC Retry maxAttempts ${maxAttempts}`);
  const initial = goDurationSeconds(retry?.initialBackoff ?? "100ms");
  if (initial === undefined) throw new Error(`invalid Extension Manager GRPC Retry Initial Backoff ${retry?.initialBackoff}`);
  const max = goDurationSeconds(retry?.maxBackoff ?? "1s");
  if (max === undefined) throw new Error(`invalid Extension Manager GRPC Retry Max Backoff ${retry?.maxBackoff}`);
  const fraction = retry?.backoffMultiplier;
  const multiplier = fraction === undefined ? 2 : fraction.numerator / (fraction.denominator ?? 1);
  const codes = retry?.RetryableStatusCodes ?? [];
  for (const c of codes) if (!RETRYABLE.has(c)) throw new Error(`invalid Extension Manager GRPC Retry Status code value ${c}`);
  // gRPC requires at least two attempts in a retry policy; one attempt means no retries.
  if (maxAttempts < 2) return JSON.stringify({ methodConfig: [{ name: [{ service: serviceName }] }] });
  return JSON.stringify({
    methodConfig: [
      {
        name: [{ service: serviceName }],
        retryPolicy: {
          maxAttempts,
          initialBackoff: `${initial}s`,
          maxBackoff: `${max}s`,
          backoffMultiplier: multiplier,
          retryableStatusCodes: codes.length > 0 ? codes : ["UNAVAILABLE"],
        },
      },
    ],
  });
}

/** A Kubernetes quantity ("4Mi", "1M", "1048576") in bytes; undefined when it is not one. */
export function parseQuantity(q: number | string): number | undefined {
  if (typeof q === "number") return Number.isInteger(q) ? q : undefined;
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(q.trim());
  if (m === null) return undefined;
  const scale: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };
  const value = Number(m[1]) * (m[2] === undefined ? 1 : (scale[m[2]] as number));
  return Number.isInteger(value) ? value : Math.ceil(value);
}
