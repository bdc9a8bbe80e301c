// Reading the controller's admin API (apps/controller: /api/status, /api/config_dump) for egctl.

/** Where the controller's admin server listens unless told otherwise. */
export const DEFAULT_ADMIN_URL = "http://127.0.0.1:19000";

/** Fetches a JSON document from the admin server; errors name the URL and the answer. */
export async function fetchAdminJson(base: string, path: string, timeoutMs = 10_000): Promise<unknown> {
  const url = new URL(path, base.endsWith("/") ? base : `${base}/`);
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    throw new Error(`cannot reach the egts admin server at ${url.origin} (${e instanceof Error ? e.message : String(e)}); is the controller running?`);
  }
  const body = await res.text();
  if (!res.ok) throw new Error(`${url.pathname}${url.search}: ${res.status} ${body.trim()}`);
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new Error(`${url.pathname}${url.search}: the answer is not JSON`);
  }
}
