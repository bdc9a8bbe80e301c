import { BinaryReader, BinaryWriter } from "@bufbuild/protobuf/wire";
import { status, type sendUnaryData, type ServerUnaryCall, type ServerWritableStream, type ServiceDefinition } from "@grpc/grpc-js";

/** `grpc.health.v1.HealthCheckResponse.ServingStatus`. */
export const ServingStatus = { UNKNOWN: 0, SERVING: 1, NOT_SERVING: 2, SERVICE_UNKNOWN: 3 } as const;
type ServingStatusValue = (typeof ServingStatus)[keyof typeof ServingStatus];

interface HealthCheckRequest {
  readonly service: string;
}
interface HealthCheckResponse {
  readonly status: ServingStatusValue;
}

// The two messages of grpc/health/v1/health.proto have one field each; coding them by hand spares a
// generated package for them.
const decodeRequest = (bytes: Buffer): HealthCheckRequest => {
  const reader = new BinaryReader(bytes);
  let service = "";
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1 && wireType === 2) service = reader.string();
    else reader.skip(wireType);
  }
  return { service };
};
const encodeResponse = (response: HealthCheckResponse): Buffer => {
  const writer = new BinaryWriter();
  if (response.status !== 0) writer.uint32(8).int32(response.status);
  return Buffer.from(writer.finish());
};
const encodeRequest = (request: HealthCheckRequest): Buffer => {
  const writer = new BinaryWriter();
  if (request.service !== "") writer.uint32(10).string(request.service);
  return Buffer.from(writer.finish());
};
const decodeResponse = (bytes: Buffer): HealthCheckResponse => {
  const reader = new BinaryReader(bytes);
  let value = 0;
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1 && wireType === 0) value = reader.int32();
    else reader.skip(wireType);
  }
  return { status: value as ServingStatusValue };
};

/** The `grpc.health.v1.Health` service definition (Check and Watch). */
export const HealthService = {
  check: {
    path: "/grpc.health.v1.Health/Check",
    requestStream: false,
    responseStream: false,
    requestSerialize: encodeRequest,
    requestDeserialize: decodeRequest,
    responseSerialize: encodeResponse,
    responseDeserialize: decodeResponse,
  },
  watch: {
    path: "/grpc.health.v1.Health/Watch",
    requestStream: false,
    responseStream: true,
    requestSerialize: encodeRequest,
    requestDeserialize: decodeRequest,
    responseSerialize: encodeResponse,
    responseDeserialize: decodeResponse,
  },
} satisfies ServiceDefinition;

/** Serving states by service name ("" is the whole server), with the Watch streams to notify. */
export function createHealthImplementation(serviceNames: readonly string[]) {
  const states = new Map<string, ServingStatusValue>(["", ...serviceNames].map((n) => [n, ServingStatus.SERVING]));
  const watchers = new Set<{ service: string; stream: ServerWritableStream<HealthCheckRequest, HealthCheckResponse> }>();
  const current = (service: string): ServingStatusValue => states.get(service) ?? ServingStatus.SERVICE_UNKNOWN;
  return {
    setServing(serving: boolean): void {
      for (const name of states.keys()) states.set(name, serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
      for (const w of watchers) w.stream.write({ status: current(w.service) });
    },
    endWatches(): void {
      for (const w of watchers) w.stream.end();
      watchers.clear();
    },
    implementation: {
      check(call: ServerUnaryCall<HealthCheckRequest, HealthCheckResponse>, callback: sendUnaryData<HealthCheckResponse>): void {
        const s = states.get(call.request.service);
        if (s === undefined) callback({ code: status.NOT_FOUND, details: `unknown service ${call.request.service}` });
        else callback(null, { status: s });
      },
      watch(stream: ServerWritableStream<HealthCheckRequest, HealthCheckResponse>): void {
        const w = { service: stream.request.service, stream };
        watchers.add(w);
        stream.on("cancelled", () => watchers.delete(w));
        stream.write({ status: current(w.service) });
      },
    },
  };
}
