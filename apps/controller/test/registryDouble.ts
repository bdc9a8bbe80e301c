// A test double of an OCI registry (distribution API subset): GET /v2/, manifests and blobs by digest, and a
// token endpoint issuing Bearer tokens for `repository:<name>:pull` scopes after basic auth, as Docker Hub and
// distribution's token auth do. Plain HTTP on loopback, so clients reach it through the HTTPS-to-HTTP fallback.
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";

export const sha256 = (b: Uint8Array | string): string => createHash("sha256").update(b).digest("hex");

/** A minimal valid-looking Wasm module: the magic and version, then `fill` bytes. */
export const wasmModule = (fill: number, size = 64): Buffer => Buffer.concat([Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), Buffer.alloc(size - 8, fill)]);

/** A gzipped ustar archive of the given files. */
export function tarGz(files: Record<string, Buffer>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, data] of Object.entries(files)) {
    const header = Buffer.alloc(512);
    header.write(name, 0, 100, "utf8");
    header.write("0000644\0", 100);
    header.write("0000000\0", 108);
    header.write("0000000\0", 116);
    header.write(`${data.length.toString(8).padStart(11, "0")}\0`, 124);
    header.write("00000000000\0", 136);
    header.write("        ", 148);
    header.write("0", 156);
    header.write("ustar\0", 257);
    header.write("00", 263);
    let sum = 0;
    for (const b of header) sum += b;
    header.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

interface Layer {
  readonly mediaType: string;
  readonly data: Buffer;
}

export interface RegistryDouble {
  /** `host:port` of the registry. */
  readonly host: string;
  /** Requests seen, as `METHOD path`. */
  readonly requests: string[];
  /** Stores an image under `repository:tag`; returns the manifest digest (hex). */
  push(repository: string, tag: string, layers: readonly Layer[], mediaType?: string): string;
  /** Stores an index pointing at an already pushed manifest for the given platform. */
  pushIndex(repository: string, tag: string, children: ReadonlyArray<{ digest: string; os: string; architecture: string }>): string;
  /** Makes a repository private, readable by these users (name -> password). */
  restrict(repository: string, users: Record<string, string>): void;
  close(): Promise<void>;
}

export const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
export const DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";

export async function startRegistryDouble(): Promise<RegistryDouble> {
  const blobs = new Map<string, Buffer>();
  const manifests = new Map<string, { body: Buffer; mediaType: string }>();
  const privateRepos = new Map<string, Record<string, string>>();
  const tokens = new Map<string, { user: string | undefined; scopes: Set<string> }>();
  const requests: string[] = [];
  let host = "";
  let tokenCount = 0;
  const putBlob = (data: Buffer): string => {
    const digest = `sha256:${sha256(data)}`;
    blobs.set(digest, data);
    return digest;
  };
  const basicUser = (req: IncomingMessage): { user: string; password: string } | undefined => {
    const header = req.headers.authorization ?? "";
    if (!header.startsWith("Basic ")) return undefined;
    const text = Buffer.from(header.slice(6), "base64").toString("utf8");
    const sep = text.indexOf(":");
    return { user: text.slice(0, sep), password: text.slice(sep + 1) };
  };
  const challenge = (scope?: string) => `Bearer realm="http://${host}/token",service="registry.double"${scope !== undefined ? `,scope="${scope}"` : ""}`;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", `http://${host}`);
    requests.push(`${req.method} ${url.pathname}`);
    if (url.pathname === "/token") {
      const credentials = basicUser(req);
      const scope = url.searchParams.get("scope") ?? "";
      const repository = /^repository:(.+):pull$/.exec(scope)?.[1] ?? "";
      const users = privateRepos.get(repository);
      if (credentials !== undefined && users !== undefined && users[credentials.user] !== credentials.password) {
        res
          .writeHead(401, { "content-type": "application/json" })
          .end(JSON.stringify({ errors: [{ code: "UNAUTHORIZED", message: "incorrect username or password" }] }));
        return;
      }
      // Like real token servers: a token is issued, with only the scopes the caller may have.
      const granted = users === undefined || (credentials !== undefined && users[credentials.user] === credentials.password);
      const token = `token-${++tokenCount}`;
      tokens.set(token, { user: credentials?.user, scopes: new Set(granted ? [scope] : []) });
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ token, expires_in: 300 }));
      return;
    }
    if (url.pathname.startsWith("/storage/")) {
      const blob = blobs.get(url.pathname.slice("/storage/".length));
      if (blob === undefined) res.writeHead(404).end();
      else res.writeHead(200, { "content-type": "application/octet-stream" }).end(blob);
      return;
    }
    if (url.pathname === "/v2/") {
      res.writeHead(401, { "www-authenticate": challenge() }).end();
      return;
    }
    const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(url.pathname);
    if (m === null) {
      res.writeHead(404).end();
      return;
    }
    const [, repository, kind, reference] = m as unknown as [string, string, string, string];
    const scope = `repository:${repository}:pull`;
    const token = tokens.get((req.headers.authorization ?? "").replace(/^Bearer /, ""));
    if (token === undefined || !token.scopes.has(scope)) {
      res
        .writeHead(401, { "www-authenticate": challenge(scope), "content-type": "application/json" })
        .end(JSON.stringify({ errors: [{ code: "UNAUTHORIZED", message: "authentication required" }] }));
      return;
    }
    if (kind === "manifests") {
      const manifest = manifests.get(`${repository}@${reference}`) ?? manifests.get(`${repository}:${reference}`);
      const accept = req.headers.accept ?? "";
      if (manifest === undefined || !accept.includes(manifest.mediaType)) {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ errors: [{ code: "MANIFEST_UNKNOWN" }] }));
        return;
      }
      res.writeHead(200, { "content-type": manifest.mediaType, "docker-content-digest": `sha256:${sha256(manifest.body)}` }).end(manifest.body);
      return;
    }
    if (!blobs.has(reference)) {
      res.writeHead(404).end();
      return;
    }
    // Blobs are redirected to storage, as registries backed by object stores do.
    res.writeHead(307, { location: `/storage/${reference}` }).end();
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const storeManifest = (repository: string, tag: string, body: Buffer, mediaType: string): string => {
    const digest = sha256(body);
    manifests.set(`${repository}:${tag}`, { body, mediaType });
    manifests.set(`${repository}@sha256:${digest}`, { body, mediaType });
    return digest;
  };
  return {
    host,
    requests,
    push(repository, tag, layers, mediaType = OCI_MANIFEST) {
      const config = Buffer.from("{}");
      const configType = mediaType === DOCKER_MANIFEST ? "application/vnd.docker.container.image.v1+json" : "application/vnd.oci.image.config.v1+json";
      const body = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType,
          config: { mediaType: configType, digest: putBlob(config), size: config.length },
          layers: layers.map((l) => ({ mediaType: l.mediaType, digest: putBlob(l.data), size: l.data.length })),
        }),
      );
      return storeManifest(repository, tag, body, mediaType);
    },
    pushIndex(repository, tag, children) {
      const mediaType = "application/vnd.oci.image.index.v1+json";
      const body = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType,
          manifests: children.map((c) => ({
            mediaType: OCI_MANIFEST,
            digest: `sha256:${c.digest}`,
            size: manifests.get(`${repository}@sha256:${c.digest}`)?.body.length ?? 0,
            platform: { os: c.os, architecture: c.architecture },
          })),
        }),
      );
      return storeManifest(repository, tag, body, mediaType);
    },
    restrict(repository, users) {
      privateRepos.set(repository, users);
    },
    close: () => new Promise((done) => server.close(() => done())),
  };
}

/** A `.dockerconfigjson` document with basic credentials for one registry. */
export const dockerConfig = (registry: string, user: string, password: string): Uint8Array =>
  new Uint8Array(Buffer.from(JSON.stringify({ auths: { [registry]: { auth: Buffer.from(`${user}:${password}`).toString("base64") } } })));
