// OIDC discovery for the controller: the translator asks (synchronously) for an issuer's endpoints; this
// service answers from its cache, and on a miss starts fetching <issuer>/.well-known/openid-configuration
// in the background with the provider's TLS settings, then tells its listeners so the GatewayClass is
// translated again. Results and failures are cached with their own TTLs; an entry past its TTL keeps being
// served while it is fetched again. Upstream fetches during translation (securitypolicy.go); the answers
// and error texts are the same, read by the translator's interpretOpenIDConfiguration.
import http from "node:http";
import https from "node:https";
import type { TLSUpstreamConfig } from "@egts/ir";
import {
  interpretOpenIDConfiguration,
  isRetryableDiscoveryStatus,
  openIDConfigurationURL,
  type OIDCDiscovery,
  type OIDCEndpoints,
} from "@egts/gatewayapi-translator";

/** One HTTP response to a discovery request. */
export interface DiscoveryResponse {
  readonly status: number;
  readonly body: string;
}

/** Fetches a URL with TLS settings; rejects on transport errors. */
export type DiscoveryGet = (url: string, tls: TLSUpstreamConfig | undefined) => Promise<DiscoveryResponse>;

/** Tuning of the discovery service. */
export interface OidcDiscoveryOptions {
  /** How long a discovered document is used before it is fetched again. Default 10 minutes. */
  readonly successTtlMs?: number;
  /** How long a failure is reported before discovery is tried again. Default 30 s. */
  readonly failureTtlMs?: number;
  /** Per-request timeout. Default 5 s (upstream's client timeout). */
  readonly timeoutMs?: number;
  /** Attempts for transport errors and retryable statuses (429, 5xx). Default 3. */
  readonly attempts?: number;
  /** Largest document accepted. Default 1 MiB. */
  readonly maxBytes?: number;
  /** The HTTP client (tests pass a double's); default: node:http(s) with the provider's TLS settings. */
  readonly get?: DiscoveryGet;
  /** Clock in milliseconds; default Date.now. */
  readonly now?: () => number;
}

/** The discovery service: a synchronous lookup for the translator, plus "a result arrived" notifications. */
export interface OidcDiscoveryService {
  /** The translator's lookup: cached endpoints or error, else an in-progress error while the fetch runs. */
  readonly lookup: OIDCDiscovery;
  /** Calls the listener whenever a fetch finished with a result different from what was served. */
  readonly onResult: (listener: () => void) => () => void;
  /** Resolves when no fetch is running (for tests and shutdown). */
  readonly idle: () => Promise<void>;
}

type Outcome = OIDCEndpoints | { readonly error: string };

interface Entry {
  outcome?: Outcome;
  expiresAt: number;
  fetching?: Promise<void>;
}

const pem = (value: unknown): Buffer | undefined => {
  if (value instanceof Uint8Array) return Buffer.from(value);
  if (typeof value === "string" && value !== "") return value.includes("-----BEGIN") ? Buffer.from(value) : Buffer.from(value, "base64");
  if (Array.isArray(value)) return Buffer.from(value as number[]);
  return undefined;
};

/** node:http(s) GET honouring the provider's CA, SNI and insecureSkipVerify; the body is capped. */
export function nodeDiscoveryGet(timeoutMs: number, maxBytes: number): DiscoveryGet {
  return (url, tls) =>
    new Promise<DiscoveryResponse>((resolve, reject) => {
      let settled = false;
      const settle = (f: () => void): void => {
        if (settled) return;
        settled = true;
        f();
      };
      const target = new URL(url);
      const ca = pem(tls?.caCertificate?.certificate);
      const options: https.RequestOptions = {
        method: "GET",
        timeout: timeoutMs,
        headers: { accept: "application/json" },
        ...(target.protocol === "https:"
          ? {
              ...(ca !== undefined && tls?.useSystemTrustStore !== true ? { ca } : {}),
              ...(tls?.sni !== undefined ? { servername: tls.sni } : {}),
              rejectUnauthorized: tls?.insecureSkipVerify !== true,
            }
          : {}),
      };
      const request = (target.protocol === "https:" ? https : http).request(target, options, (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            settle(() => reject(new Error(`openid-configuration response is larger than ${maxBytes} bytes`)));
            request.destroy();
            return;
          }
          chunks.push(chunk);
        });
        response.on("end", () => settle(() => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") })));
        response.on("error", (e) => settle(() => reject(e)));
      });
      request.on("timeout", () => {
        settle(() => reject(new Error(`timeout after ${timeoutMs} ms`)));
        request.destroy();
      });
      request.on("error", (e) => settle(() => reject(e)));
      request.end();
    });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const cacheKey = (issuer: string, tls: TLSUpstreamConfig | undefined): string =>
  JSON.stringify([issuer, tls ?? null], (_, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString("base64") : v));

/** Creates the discovery service. */
export function makeOidcDiscoveryService(options: OidcDiscoveryOptions = {}): OidcDiscoveryService {
  const successTtl = options.successTtlMs ?? 10 * 60_000;
  const failureTtl = options.failureTtlMs ?? 30_000;
  const attempts = Math.max(1, options.attempts ?? 3);
  const get = options.get ?? nodeDiscoveryGet(options.timeoutMs ?? 5_000, options.maxBytes ?? 1024 * 1024);
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  const listeners = new Set<() => void>();
  const running = new Set<Promise<void>>();

  const discover = async (issuer: string, tls: TLSUpstreamConfig | undefined): Promise<Outcome> => {
    let last: Outcome = { error: `failed fetching openid-configuration from issuer URL: ${issuer}` };
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await sleep(200 * 2 ** (attempt - 1));
      try {
        const response = await get(openIDConfigurationURL(issuer), tls);
        last = interpretOpenIDConfiguration(issuer, response.status, response.body);
        if (!isRetryableDiscoveryStatus(response.status)) return last;
      } catch (e) {
        last = { error: `Get "${openIDConfigurationURL(issuer)}": ${(e as Error).message}` };
      }
    }
    return last;
  };

  const refresh = (key: string, entry: Entry, issuer: string, tls: TLSUpstreamConfig | undefined): void => {
    if (entry.fetching !== undefined) return;
    const task = discover(issuer, tls).then((outcome) => {
      const changed = JSON.stringify(outcome) !== JSON.stringify(entry.outcome);
      entry.outcome = outcome;
      entry.expiresAt = now() + ("error" in outcome ? failureTtl : successTtl);
      delete entry.fetching;
      if (changed) for (const listener of listeners) listener();
    });
    entry.fetching = task;
    running.add(task);
    void task.finally(() => running.delete(task));
    entries.set(key, entry);
  };

  return {
    lookup: (issuer, tls) => {
      const key = cacheKey(issuer, tls);
      const entry = entries.get(key) ?? { expiresAt: 0 };
      if (entry.expiresAt <= now()) refresh(key, entry, issuer, tls);
      return entry.outcome ?? { error: `failed fetching openid-configuration from issuer URL: ${issuer}: discovery is in progress` };
    },
    onResult: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    idle: async () => {
      while (running.size > 0) await Promise.all([...running]);
    },
  };
}
