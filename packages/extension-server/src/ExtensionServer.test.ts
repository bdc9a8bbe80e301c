import { afterEach, describe, expect, it } from "vitest";
import { credentials, makeGenericClientConstructor, Metadata, status, type ServiceError } from "@grpc/grpc-js";
import {
  EnvoyGatewayExtensionClient,
  PostHTTPListenerModifyRequest,
  PostRouteModifyRequest,
  PostVirtualHostModifyRequest,
} from "@egts/envoy-api/generated/envoygateway/extension/service";
import { createExtensionServer, EXTENSION_SERVICE_NAME, HealthService, parseExtensionResources, ServingStatus, type RunningExtensionServer } from "./index.js";

let server: RunningExtensionServer | undefined;
afterEach(async () => {
  await server?.stop(100);
  server = undefined;
});

type Callback<T> = (error: ServiceError | null, value: T) => void;
const unary = <Req, Res>(client: object, method: string, request: Req): Promise<Res> =>
  new Promise((resolve, reject) =>
    (client as Record<string, (r: Req, m: Metadata, cb: Callback<Res>) => void>)[method]?.call(client, request, new Metadata(), (e, v) =>
      e ? reject(e) : resolve(v),
    ),
  );

describe("createExtensionServer", () => {
  it("serves the hooks it is given, echoes the others, and reports failures as gRPC status UNKNOWN", async () => {
    server = await createExtensionServer(
      {
        postRouteModify: (req) => ({ route: { ...req.route!, name: `${req.route?.name}-seen-${req.postRouteContext?.hostnames.join(",")}` } }),
        postVirtualHostModify: () => {
          throw new Error("virtual host refused");
        },
      },
      { port: 0 },
    );
    const client = new EnvoyGatewayExtensionClient(server.address, credentials.createInsecure());
    try {
      const route = await unary<unknown, { route?: { name: string } }>(
        client,
        "postRouteModify",
        PostRouteModifyRequest.fromPartial({ route: { name: "r1" }, postRouteContext: { hostnames: ["a.example"] } }),
      );
      expect(route.route?.name).toBe("r1-seen-a.example");
      const listener = await unary<unknown, { listener?: { name: string } }>(
        client,
        "postHttpListenerModify",
        PostHTTPListenerModifyRequest.fromPartial({ listener: { name: "l1" } }),
      );
      expect(listener.listener?.name).toBe("l1");
      const failure = await unary(client, "postVirtualHostModify", PostVirtualHostModifyRequest.fromPartial({ virtualHost: { name: "vh" } })).catch(
        (e: ServiceError) => e,
      );
      expect((failure as ServiceError).code).toBe(status.UNKNOWN);
      expect((failure as ServiceError).details).toBe("virtual host refused");
    } finally {
      client.close();
    }
  });

  it("answers gRPC health checks for the server and the extension service, and reports NOT_SERVING when told", async () => {
    server = await createExtensionServer({}, { port: 0 });
    const Health = makeGenericClientConstructor(HealthService, "Health");
    const health = new Health(server.address, credentials.createInsecure());
    try {
      expect(await unary(health, "check", { service: "" })).toEqual({ status: ServingStatus.SERVING });
      expect(await unary(health, "check", { service: EXTENSION_SERVICE_NAME })).toEqual({ status: ServingStatus.SERVING });
      const unknown = await unary(health, "check", { service: "nope" }).catch((e: ServiceError) => e);
      expect((unknown as ServiceError).code).toBe(status.NOT_FOUND);
      server.setServing(false);
      expect(await unary(health, "check", { service: "" })).toEqual({ status: ServingStatus.NOT_SERVING });
    } finally {
      health.close();
    }
  });
});

describe("parseExtensionResources", () => {
  it("parses each object's JSON and names the one that is broken", () => {
    const ok = { unstructuredBytes: Buffer.from('{"kind":"Widget","metadata":{"name":"w"}}') };
    expect(parseExtensionResources([ok])).toEqual([{ kind: "Widget", metadata: { name: "w" } }]);
    expect(() => parseExtensionResources([ok, { unstructuredBytes: Buffer.from("{") }])).toThrow(/extension resource 1: invalid JSON/);
    expect(() => parseExtensionResources([{ unstructuredBytes: Buffer.from("[1]") }])).toThrow(/extension resource 0: not a JSON object/);
  });
});
