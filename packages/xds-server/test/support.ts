// Test support: Envoy resources that grpc-js-xds accepts and small ADS clients on @grpc/grpc-js.
import { credentials as grpcCredentials, type ChannelCredentials, type ClientDuplexStream } from "@grpc/grpc-js";
import { packAny } from "@egts/envoy-api";
import { Cluster, Cluster_DiscoveryType, Cluster_LbPolicy } from "@egts/envoy-api/generated/envoy/config/cluster/v3/cluster";
import { ClusterLoadAssignment } from "@egts/envoy-api/generated/envoy/config/endpoint/v3/endpoint";
import { Listener } from "@egts/envoy-api/generated/envoy/config/listener/v3/listener";
import { RouteConfiguration } from "@egts/envoy-api/generated/envoy/config/route/v3/route";
import { HttpConnectionManager } from "@egts/envoy-api/generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager";
import { Router } from "@egts/envoy-api/generated/envoy/extensions/filters/http/router/v3/router";
import { AggregatedDiscoveryServiceClient } from "@egts/envoy-api/generated/envoy/service/discovery/v3/ads";
import {
  DeltaDiscoveryRequest,
  DiscoveryRequest,
  type DeltaDiscoveryResponse,
  type DiscoveryResponse,
} from "@egts/envoy-api/generated/envoy/service/discovery/v3/discovery";

/** An EDS cluster fed over ADS. */
export const edsCluster = (name: string, lbPolicy: Cluster_LbPolicy = Cluster_LbPolicy.ROUND_ROBIN): Cluster =>
  Cluster.fromPartial({
    name,
    clusterDiscoveryType: { $case: "type", value: Cluster_DiscoveryType.EDS },
    edsClusterConfig: { edsConfig: { configSourceSpecifier: { $case: "ads", value: {} } } },
    lbPolicy,
  });

/** Endpoints of a cluster: one locality, the given loopback ports. */
export const loadAssignment = (clusterName: string, ports: readonly number[]): ClusterLoadAssignment =>
  ClusterLoadAssignment.fromPartial({
    clusterName,
    endpoints: [
      {
        locality: { region: "local" },
        loadBalancingWeight: 1,
        lbEndpoints: ports.map((port) => ({
          hostIdentifier: {
            $case: "endpoint" as const,
            value: {
              address: {
                address: {
                  $case: "socketAddress" as const,
                  value: { address: "127.0.0.1", portSpecifier: { $case: "portValue" as const, value: port } },
                },
              },
            },
          },
        })),
      },
    ],
  });

/** A client-side (gRPC) listener: an api_listener with an HTTP connection manager using RDS over ADS. */
export const apiListener = (name: string, routeConfigName: string): Listener =>
  Listener.fromPartial({
    name,
    apiListener: {
      apiListener: packAny(
        HttpConnectionManager,
        HttpConnectionManager.fromPartial({
          statPrefix: name,
          routeSpecifier: {
            $case: "rds",
            value: { routeConfigName, configSource: { configSourceSpecifier: { $case: "ads", value: {} } } },
          },
          httpFilters: [{ name: "router", configType: { $case: "typedConfig", value: packAny(Router, Router.fromPartial({})) } }],
        }),
      ),
    },
  });

/** A route table sending everything for `domain` to one cluster. */
export const routeTo = (name: string, domain: string, cluster: string): RouteConfiguration =>
  RouteConfiguration.fromPartial({
    name,
    virtualHosts: [
      {
        name: `${name}-vhost`,
        domains: [domain],
        routes: [
          {
            match: { pathSpecifier: { $case: "prefix", value: "" } },
            action: { $case: "route", value: { clusterSpecifier: { $case: "cluster", value: cluster } } },
          },
        ],
      },
    ],
  });

/** Queues messages of a stream so a test can await them one by one. */
class Inbox<T> {
  private readonly items: T[] = [];
  private readonly waiters: { resolve: (item: T) => void; reject: (error: Error) => void }[] = [];
  private failure: Error | undefined;

  push(item: T): void {
    const waiter = this.waiters.shift();
    if (waiter !== undefined) waiter.resolve(item);
    else this.items.push(item);
  }

  fail(error: Error): void {
    this.failure = error;
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
  }

  next(): Promise<T> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve(item);
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  get pending(): number {
    return this.items.length;
  }
}

/** Options of the test clients. */
export interface ClientOptions {
  readonly credentials?: ChannelCredentials;
  readonly channelOptions?: Record<string, string | number>;
}

/** A delta ADS client speaking through the generated grpc-js client (so responses decode with the real codec). */
export class DeltaClient {
  readonly client: AggregatedDiscoveryServiceClient;
  readonly stream: ClientDuplexStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse>;
  private readonly inbox = new Inbox<DeltaDiscoveryResponse>();
  /** Resolves with the status error when the stream ends with one. */
  readonly ended: Promise<Error & { code?: number }>;

  constructor(address: string, options: ClientOptions = {}) {
    this.client = new AggregatedDiscoveryServiceClient(address, options.credentials ?? grpcCredentials.createInsecure(), options.channelOptions ?? {});
    this.stream = this.client.deltaAggregatedResources();
    this.stream.on("data", (response: DeltaDiscoveryResponse) => this.inbox.push(response));
    this.ended = new Promise((resolve) => {
      this.stream.on("error", (error: Error) => {
        this.inbox.fail(error);
        resolve(error);
      });
    });
  }

  send(request: Parameters<typeof DeltaDiscoveryRequest.fromPartial>[0]): void {
    this.stream.write(DeltaDiscoveryRequest.fromPartial(request));
  }

  next(): Promise<DeltaDiscoveryResponse> {
    return this.inbox.next();
  }

  ack(response: DeltaDiscoveryResponse): void {
    this.send({ typeUrl: response.typeUrl, responseNonce: response.nonce });
  }

  nack(response: DeltaDiscoveryResponse, message: string): void {
    this.send({ typeUrl: response.typeUrl, responseNonce: response.nonce, errorDetail: { code: 3, message, details: [] } });
  }

  close(): void {
    this.stream.cancel();
    this.client.close();
  }
}

/** A state-of-the-world ADS client. */
export class SotwClient {
  readonly client: AggregatedDiscoveryServiceClient;
  readonly stream: ClientDuplexStream<DiscoveryRequest, DiscoveryResponse>;
  private readonly inbox = new Inbox<DiscoveryResponse>();

  constructor(address: string, options: ClientOptions = {}) {
    this.client = new AggregatedDiscoveryServiceClient(address, options.credentials ?? grpcCredentials.createInsecure());
    this.stream = this.client.streamAggregatedResources();
    this.stream.on("data", (response: DiscoveryResponse) => this.inbox.push(response));
    this.stream.on("error", (error: Error) => this.inbox.fail(error));
  }

  send(request: Parameters<typeof DiscoveryRequest.fromPartial>[0]): void {
    this.stream.write(DiscoveryRequest.fromPartial(request));
  }

  next(): Promise<DiscoveryResponse> {
    return this.inbox.next();
  }

  close(): void {
    this.stream.cancel();
    this.client.close();
  }
}
