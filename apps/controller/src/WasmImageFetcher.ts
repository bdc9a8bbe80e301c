// Fetching Wasm modules from OCI registries (upstream internal/wasm/imagefetcher.go, which follows the Wasm image
// specification of solo-io/wasm): the OCI distribution API (manifest, then blobs) with the registry's token auth
// flow and credentials from a kubernetes.io/dockerconfigjson pull secret. Three image shapes are accepted:
// - Docker v2 manifests whose last layer is a Docker tar+gzip layer holding `plugin.wasm` ("compat" variant);
// - OCI manifests whose last layer is an OCI tar+gzip layer holding `plugin.wasm` (also "compat");
// - OCI manifests with exactly two layers, one of them the raw module (`application/vnd.module.wasm.content.layer.v1+wasm`).
// The image's digest (sha256 of the manifest) is known before the module is downloaded, so the cache can check
// a policy's sha256 and its own entries first.
import { createHash } from "node:crypto";
import http from "node:http";
import https from "node:https";
import { gunzipSync } from "node:zlib";

/** One HTTP exchange with a registry; `maxBytes` caps the body (the request rejects beyond it). */
export interface RegistryRequest {
  readonly url: string;
  readonly method?: "GET" | "POST";
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly caCert?: Uint8Array;
  /** Skip verification of the registry's certificate (upstream's insecure registries). */
  readonly skipVerify?: boolean;
  readonly maxBytes: number;
}

/** A registry's answer. Header names are lower case. */
export interface RegistryResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Buffer;
}

/** Sends one request (no redirects followed); rejects on transport errors. */
export type RegistryTransport = (request: RegistryRequest) => Promise<RegistryResponse>;

/** How an image is fetched. */
export interface ImageFetchOptions {
  /** A `.dockerconfigjson` document; without one the registry is used anonymously. */
  readonly pullSecret?: Uint8Array;
  readonly caCert?: Uint8Array;
  /** Skip TLS verification of the registry (upstream's insecure registries). */
  readonly insecure?: boolean;
  /** Largest layer (and unpacked module) accepted. */
  readonly maxBytes: number;
  readonly transport?: RegistryTransport;
}

/** A resolved image: its digest, and the download of its module still to do. */
export interface PreparedImage {
  /** Hex sha256 of the image manifest (what a policy's `sha256` names for image sources). */
  readonly digest: string;
  readonly fetchModule: () => Promise<Buffer>;
}

/** An image reference, normalized as go-containerregistry's name package does. */
export interface ImageReference {
  readonly registry: string;
  readonly repository: string;
  /** A tag or `sha256:<hex>`. */
  readonly reference: string;
}

/** Registry errors keep the status, so 401/403 (no access) can be told from transient failures. */
export class RegistryError extends Error {
  override readonly name = "RegistryError";
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

const DEFAULT_REGISTRY = "index.docker.io";
const MANIFEST_LIMIT = 4 * 1024 * 1024;
const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
const DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
const DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
const DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";
const OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
const WASM_LAYER = "application/vnd.module.wasm.content.layer.v1+wasm";
const MANIFEST_ACCEPT = [OCI_MANIFEST, DOCKER_MANIFEST, OCI_INDEX, DOCKER_MANIFEST_LIST].join(", ");

/** Parses `host[:port]/repo[:tag][@sha256:hex]`; Docker Hub names get `index.docker.io` and `library/`. */
export function parseImageReference(text: string): ImageReference {
  const raw = text.replace(/^oci:\/\//, "");
  let name = raw;
  let reference = "latest";
  const at = raw.indexOf("@");
  if (at >= 0) {
    name = raw.slice(0, at);
    reference = raw.slice(at + 1);
    if (!/^sha256:[0-9a-f]{64}$/.test(reference)) throw new Error(`could not parse url in image reference: invalid digest "${reference}" in ${text}`);
  }
  const colon = name.lastIndexOf(":");
  if (colon > name.lastIndexOf("/")) {
    if (at < 0) reference = name.slice(colon + 1);
    name = name.slice(0, colon);
  }
  const slash = name.indexOf("/");
  const first = slash >= 0 ? name.slice(0, slash) : "";
  const hasRegistry = first !== "" && (first.includes(".") || first.includes(":") || first === "localhost");
  let registry = hasRegistry ? first : DEFAULT_REGISTRY;
  let repository = hasRegistry ? name.slice(slash + 1) : name;
  if (registry === "docker.io") registry = DEFAULT_REGISTRY;
  if (registry === DEFAULT_REGISTRY && !repository.includes("/")) repository = `library/${repository}`;
  if (repository === "" || !/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(repository)) {
    throw new Error(`could not parse url in image reference: invalid repository "${repository}" in ${text}`);
  }
  if (!/^[\w][\w.-]{0,127}$/.test(reference) && !reference.startsWith("sha256:")) {
    throw new Error(`could not parse url in image reference: invalid tag "${reference}" in ${text}`);
  }
  return { registry, repository, reference };
}

/** Credentials for a registry from a `.dockerconfigjson` document (docker's config file lookup). */
interface Credentials {
  readonly username?: string;
  readonly password?: string;
  readonly identityToken?: string;
  readonly registryToken?: string;
}

const hostOfKey = (key: string): string => key.replace(/^https?:\/\//, "").split("/")[0] ?? "";

function credentialsFor(pullSecret: Uint8Array | undefined, registry: string): Credentials | undefined {
  if (pullSecret === undefined || pullSecret.length === 0) return undefined;
  let config: { auths?: Record<string, Record<string, unknown>> };
  try {
    config = JSON.parse(Buffer.from(pullSecret).toString("utf8")) as typeof config;
  } catch (e) {
    throw new Error(`pull secret is not a valid .dockerconfigjson document: ${(e as Error).message}`);
  }
  if (config === null || typeof config !== "object") throw new Error("pull secret is not a valid .dockerconfigjson document");
  const auths = config.auths ?? {};
  const key = registry === DEFAULT_REGISTRY ? "https://index.docker.io/v1/" : registry;
  const entry = auths[key] ?? Object.entries(auths).find(([k]) => hostOfKey(k) === hostOfKey(key))?.[1];
  if (entry === undefined) return undefined;
  const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
  let username = str(entry["username"]);
  let password = str(entry["password"]);
  const auth = str(entry["auth"]);
  if (auth !== undefined) {
    const decoded = Buffer.from(auth, "base64").toString("utf8");
    const sep = decoded.indexOf(":");
    if (sep < 0) throw new Error(`pull secret entry for ${registry} has an invalid auth field`);
    username = decoded.slice(0, sep);
    password = decoded.slice(sep + 1);
  }
  const identityToken = str(entry["identitytoken"]);
  const registryToken = str(entry["registrytoken"]);
  const found: Credentials = {
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(identityToken !== undefined ? { identityToken } : {}),
    ...(registryToken !== undefined ? { registryToken } : {}),
  };
  return Object.keys(found).length > 0 ? found : undefined;
}

/** node:http(s) implementation of {@link RegistryTransport}. */
export const nodeRegistryTransport: RegistryTransport = (request) =>
  new Promise((resolve, reject) => {
    let settled = false;
    const settle = (f: () => void): void => {
      if (!settled) {
        settled = true;
        f();
      }
    };
    const target = new URL(request.url);
    const secure = target.protocol === "https:";
    const req = (secure ? https : http).request(
      target,
      {
        method: request.method ?? "GET",
        headers: { "user-agent": "egts-wasm-cache", ...(request.headers ?? {}) },
        timeout: 30_000,
        ...(secure && request.caCert !== undefined ? { ca: Buffer.from(request.caCert) } : {}),
        ...(secure && request.skipVerify === true ? { rejectUnauthorized: false } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > request.maxBytes) {
            settle(() => reject(new RegistryError(`wasm module size exceeds maximum size ${request.maxBytes}`)));
            req.destroy();
            return;
          }
          chunks.push(chunk);
        });
        response.on("end", () => {
          const headers: Record<string, string | undefined> = {};
          for (const [k, v] of Object.entries(response.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
          settle(() => resolve({ status: response.statusCode ?? 0, headers, body: Buffer.concat(chunks) }));
        });
        response.on("error", (e) => settle(() => reject(e)));
      },
    );
    req.on("timeout", () => {
      settle(() => reject(new Error(`timeout talking to ${target.host}`)));
      req.destroy();
    });
    req.on("error", (e) => settle(() => reject(e)));
    req.end(request.body);
  });

/** A TLS handshake answered in plain HTTP (go's "server gave HTTP response to HTTPS client"). */
const isPlainHttpAnswer = (e: unknown): boolean => {
  const err = e as NodeJS.ErrnoException;
  return (
    err.code === "EPROTO" ||
    err.code === "ERR_SSL_WRONG_VERSION_NUMBER" ||
    err.code === "ERR_SSL_PACKET_LENGTH_TOO_LONG" ||
    /wrong version number|packet length too long|http request/i.test(err.message ?? "")
  );
};

/** `key="value"` parameters of a WWW-Authenticate challenge. */
function challengeParams(header: string): { scheme: string; params: Record<string, string> } {
  const space = header.indexOf(" ");
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const params: Record<string, string> = {};
  for (const m of header.slice(space + 1).matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) params[(m[1] ?? "").toLowerCase()] = m[2] ?? m[3] ?? "";
  return { scheme, params };
}

const sha256Hex = (data: Uint8Array): string => createHash("sha256").update(data).digest("hex");

interface Descriptor {
  readonly mediaType?: string;
  readonly digest?: string;
  readonly size?: number;
  readonly platform?: { readonly os?: string; readonly architecture?: string };
}

interface Manifest {
  readonly mediaType?: string;
  readonly layers?: readonly Descriptor[];
  readonly manifests?: readonly Descriptor[];
}

/**
 * A session with one repository of one registry: it authenticates on the first 401 (Bearer token from the
 * challenge's realm with the pull secret's credentials as basic auth, or basic auth directly) and keeps the
 * authorization for later requests.
 */
class RepositorySession {
  private scheme: "https" | "http" = "https";
  private authorization: string | undefined;
  private readonly transport: RegistryTransport;

  constructor(
    private readonly image: ImageReference,
    private readonly credentials: Credentials | undefined,
    private readonly options: ImageFetchOptions,
  ) {
    this.transport = options.transport ?? nodeRegistryTransport;
  }

  private send(url: string, headers: Record<string, string>, maxBytes: number, extra: Partial<RegistryRequest> = {}): Promise<RegistryResponse> {
    return this.transport({
      url,
      headers,
      maxBytes,
      ...(this.options.caCert !== undefined ? { caCert: this.options.caCert } : {}),
      ...(this.options.insecure === true ? { skipVerify: true } : {}),
      ...extra,
    });
  }

  /** GET `/v2/<repo>/<path>`, authenticating and following redirects (credentials stay with the registry's host). */
  async get(path: string, accept: string | undefined, maxBytes: number): Promise<RegistryResponse> {
    let url = `${this.scheme}://${this.image.registry}/v2/${this.image.repository}/${path}`;
    let response: RegistryResponse;
    try {
      response = await this.send(url, this.headers(accept, true), maxBytes);
    } catch (e) {
      if (this.scheme !== "https" || !isPlainHttpAnswer(e)) throw e;
      // Upstream falls back to plain HTTP when the registry answers HTTPS in plain text.
      this.scheme = "http";
      url = `http://${this.image.registry}/v2/${this.image.repository}/${path}`;
      response = await this.send(url, this.headers(accept, true), maxBytes);
    }
    if (response.status === 401) {
      await this.authenticate(response.headers["www-authenticate"]);
      response = await this.send(url, this.headers(accept, true), maxBytes);
    }
    for (let hops = 0; hops < 5 && response.status >= 300 && response.status < 400 && response.headers["location"] !== undefined; hops++) {
      const next = new URL(response.headers["location"] as string, url);
      const sameHost = next.host === new URL(url).host;
      url = next.toString();
      response = await this.send(url, this.headers(accept, sameHost), maxBytes);
    }
    return response;
  }

  private headers(accept: string | undefined, withAuth: boolean): Record<string, string> {
    return {
      ...(accept !== undefined ? { accept } : {}),
      ...(withAuth && this.authorization !== undefined ? { authorization: this.authorization } : {}),
    };
  }

  private basic(): string | undefined {
    const c = this.credentials;
    return c?.username !== undefined ? `Basic ${Buffer.from(`${c.username}:${c.password ?? ""}`).toString("base64")}` : undefined;
  }

  private async authenticate(challenge: string | undefined): Promise<void> {
    if (challenge === undefined) throw new RegistryError(`${this.image.registry} answered 401 without a WWW-Authenticate challenge`, 401);
    const { scheme, params } = challengeParams(challenge);
    if (this.credentials?.registryToken !== undefined) {
      this.authorization = `Bearer ${this.credentials.registryToken}`;
      return;
    }
    if (scheme === "basic") {
      const basic = this.basic();
      if (basic === undefined) throw new RegistryError(`${this.image.registry} requires credentials and the policy gives none`, 401);
      this.authorization = basic;
      return;
    }
    if (scheme !== "bearer" || params["realm"] === undefined)
      throw new RegistryError(`unsupported authentication challenge from ${this.image.registry}: ${challenge}`, 401);
    const scope = `repository:${this.image.repository}:pull`;
    const realm = new URL(params["realm"]);
    let response: RegistryResponse;
    if (this.credentials?.identityToken !== undefined) {
      // An identity token is an OAuth2 refresh token, exchanged at the realm.
      const form = new URLSearchParams({ grant_type: "refresh_token", refresh_token: this.credentials.identityToken, scope, client_id: "egts" });
      if (params["service"] !== undefined) form.set("service", params["service"]);
      response = await this.send(realm.toString(), { "content-type": "application/x-www-form-urlencoded" }, MANIFEST_LIMIT, {
        method: "POST",
        body: form.toString(),
      });
    } else {
      if (params["service"] !== undefined) realm.searchParams.set("service", params["service"]);
      realm.searchParams.set("scope", scope);
      const basic = this.basic();
      response = await this.send(realm.toString(), basic !== undefined ? { authorization: basic } : {}, MANIFEST_LIMIT);
    }
    if (response.status !== 200) {
      throw new RegistryError(`token request to ${realm.origin}${realm.pathname} for ${scope} failed: status code ${response.status}`, response.status);
    }
    let token: unknown;
    try {
      const answer = JSON.parse(response.body.toString("utf8")) as { token?: unknown; access_token?: unknown };
      token = answer.token ?? answer.access_token;
    } catch {
      token = undefined;
    }
    if (typeof token !== "string" || token === "") throw new RegistryError(`token endpoint ${realm.origin}${realm.pathname} answered without a token`);
    this.authorization = `Bearer ${token}`;
  }
}

const describe = (response: RegistryResponse): string => {
  const text = response.body.toString("utf8").slice(0, 200).trim();
  return `status code ${response.status}${text !== "" ? `: ${text}` : ""}`;
};

/**
 * Resolves an image (manifest, following an index to its linux/amd64 child as go-containerregistry does) and
 * returns its digest and the module download. Rejects with a {@link RegistryError} (status 401/403 when the
 * credentials do not give access).
 */
export async function prepareImageFetch(url: string, options: ImageFetchOptions): Promise<PreparedImage> {
  const image = parseImageReference(url);
  const session = new RepositorySession(image, credentialsFor(options.pullSecret, image.registry), options);
  const fetchManifest = async (reference: string): Promise<{ manifest: Manifest; raw: Buffer; mediaType: string }> => {
    const response = await session.get(`manifests/${reference}`, MANIFEST_ACCEPT, MANIFEST_LIMIT);
    if (response.status !== 200) {
      throw new RegistryError(`could not fetch manifest ${image.registry}/${image.repository}:${reference}: ${describe(response)}`, response.status);
    }
    if (reference.startsWith("sha256:") && `sha256:${sha256Hex(response.body)}` !== reference) {
      throw new RegistryError(`manifest of ${image.registry}/${image.repository} does not match its digest ${reference}`);
    }
    let manifest: Manifest;
    try {
      manifest = JSON.parse(response.body.toString("utf8")) as Manifest;
    } catch (e) {
      throw new RegistryError(`manifest of ${image.registry}/${image.repository}:${reference} is not JSON: ${(e as Error).message}`);
    }
    const mediaType = manifest.mediaType ?? (response.headers["content-type"] ?? "").split(";")[0] ?? "";
    return { manifest, raw: response.body, mediaType };
  };
  let resolved = await fetchManifest(image.reference);
  if (resolved.mediaType === OCI_INDEX || resolved.mediaType === DOCKER_MANIFEST_LIST || resolved.manifest.manifests !== undefined) {
    const child = (resolved.manifest.manifests ?? []).find((m) => m.platform?.os === "linux" && m.platform.architecture === "amd64");
    if (child?.digest === undefined)
      throw new RegistryError(`no child with platform linux/amd64 in index ${image.registry}/${image.repository}:${image.reference}`);
    resolved = await fetchManifest(child.digest);
  }
  const { manifest, raw, mediaType } = resolved;
  const digest = sha256Hex(raw);
  const layers = manifest.layers ?? [];
  const blob = async (layer: Descriptor): Promise<Buffer> => {
    if (layer.digest === undefined || !/^sha256:[0-9a-f]{64}$/.test(layer.digest))
      throw new RegistryError(`layer without a sha256 digest in ${image.repository}`);
    if (layer.size !== undefined && layer.size > options.maxBytes) throw new RegistryError(`wasm module size exceeds maximum size ${options.maxBytes}`);
    const response = await session.get(`blobs/${layer.digest}`, undefined, options.maxBytes);
    if (response.status !== 200) throw new RegistryError(`could not fetch layer ${layer.digest}: ${describe(response)}`, response.status);
    if (`sha256:${sha256Hex(response.body)}` !== layer.digest) throw new RegistryError(`layer ${layer.digest} does not match its digest`);
    return response.body;
  };
  const fromTarLayer = async (expected: string): Promise<Buffer> => {
    const last = layers.at(-1);
    if (last === undefined) throw new Error("number of layers must be greater than zero");
    if (last.mediaType !== expected) throw new Error(`invalid media type ${last.mediaType ?? ""} (expect ${expected})`);
    return extractPluginWasm(await blob(last), options.maxBytes);
  };
  const fetchModule = async (): Promise<Buffer> => {
    if (mediaType === DOCKER_MANIFEST) {
      try {
        return await fromTarLayer(DOCKER_LAYER);
      } catch (e) {
        throw new Error(`could not extract Wasm file from the image as Docker container ${(e as Error).message}`);
      }
    }
    let compat: Error;
    try {
      return await fromTarLayer(OCI_LAYER);
    } catch (e) {
      if (e instanceof RegistryError) throw e;
      compat = e as Error;
    }
    if (layers.length !== 2) {
      throw new Error(
        `the given image is in invalid format as an OCI image: could not parse as compat variant: ${compat.message}; could not parse as oci variant: number of layers must be 2 but got ${layers.length}`,
      );
    }
    const wasmLayer = layers.find((l) => l.mediaType === WASM_LAYER);
    if (wasmLayer === undefined) {
      throw new Error(
        `the given image is in invalid format as an OCI image: could not parse as compat variant: ${compat.message}; could not parse as oci variant: could not find the layer of type ${WASM_LAYER}`,
      );
    }
    return blob(wasmLayer);
  };
  return { digest, fetchModule };
}

/** The content of the first `plugin.wasm` (any directory) in a tar+gzip layer. */
export function extractPluginWasm(layer: Buffer, maxBytes: number): Buffer {
  let tar: Buffer;
  try {
    tar = gunzipSync(layer, { maxOutputLength: maxBytes + 64 * 1024 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE" || e instanceof RangeError)
      throw new Error(`wasm module size exceeds maximum size ${maxBytes}`);
    throw new Error(`failed to parse layer as tar.gz: ${(e as Error).message}`);
  }
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, length: number): string => {
      const text = header.subarray(start, start + length).toString("utf8");
      const nul = text.indexOf("\0");
      return nul >= 0 ? text.slice(0, nul) : text;
    };
    const size = Number.parseInt(field(124, 12).trim() || "0", 8);
    if (!Number.isFinite(size) || size < 0) throw new Error("failed to parse layer as tar.gz: invalid tar header");
    const type = field(156, 1);
    const prefix = header.subarray(257, 262).toString("latin1") === "ustar" ? field(345, 155) : "";
    const name = longName ?? (prefix !== "" ? `${prefix}/${field(0, 100)}` : field(0, 100));
    longName = undefined;
    const data = tar.subarray(offset + 512, offset + 512 + size);
    if (data.length < size) throw new Error("failed to read plugin.wasm: unexpected EOF");
    if (type === "L") longName = data.toString("utf8").replace(/\0+$/, "");
    else if (type === "x") {
      const path = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data.toString("utf8"))?.[1];
      if (path !== undefined) longName = path;
    } else if ((name.split("/").at(-1) ?? "") === "plugin.wasm") return Buffer.from(data);
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error("plugin.wasm not found in the archive");
}
