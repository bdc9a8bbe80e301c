// Named parts of the Gateway API kinds, taken from the generated kind types so they can never drift from them.
// Names follow Gateway API's Go types where no egts kind already uses the name.
import type {
  BackendTLSPolicySpec,
  BackendTLSPolicyStatus,
  GatewaySpec,
  GatewayStatus,
  GRPCRouteSpec,
  HTTPRouteSpec,
  HTTPRouteStatus,
  ListenerSetSpec,
  ReferenceGrantSpec,
  TCPRouteSpec,
  TLSRouteSpec,
  UDPRouteSpec,
} from "./generated/crdTypes.js";

type Item<T> = T extends ReadonlyArray<infer U> ? U : never;

/** The API group of Gateway API kinds. */
export const GatewayAPIGroup = "gateway.networking.k8s.io";
/** The API group of Envoy Gateway's own kinds. */
export const EnvoyGatewayGroup = "gateway.envoyproxy.io";

/** A Gateway listener (gwapiv1.Listener). */
export type Listener = Item<GatewaySpec["listeners"]>;
/** A Gateway's requested address (gwapiv1.GatewaySpecAddress). */
export type GatewaySpecAddress = Item<NonNullable<GatewaySpec["addresses"]>>;
/** Gateway TLS configuration of a listener (gwapiv1.ListenerTLSConfig). */
export type ListenerTLSConfig = NonNullable<Listener["tls"]>;
/** The route kinds a listener allows (gwapiv1.AllowedRoutes). */
export type AllowedRoutes = NonNullable<Listener["allowedRoutes"]>;
/** Status of one listener (gwapiv1.ListenerStatus). */
export type ListenerStatus = Item<NonNullable<GatewayStatus["listeners"]>>;
/** A listener of a ListenerSet (gwapiv1.ListenerEntry). */
export type ListenerEntry = Item<ListenerSetSpec["listeners"]>;
/** A reference from a ListenerSet to its parent Gateway. */
export type ParentGatewayReference = ListenerSetSpec["parentRef"];

/** A route's reference to its parent Gateway or ListenerSet (gwapiv1.ParentReference). */
export type ParentReference = Item<NonNullable<HTTPRouteSpec["parentRefs"]>>;
/** Status of a route for one parent (gwapiv1.RouteParentStatus). */
export type RouteParentStatus = Item<HTTPRouteStatus["parents"]>;

/** An HTTPRoute rule (gwapiv1.HTTPRouteRule). */
export type HTTPRouteRule = Item<NonNullable<HTTPRouteSpec["rules"]>>;
/** An HTTPRoute match (gwapiv1.HTTPRouteMatch). */
export type HTTPRouteMatch = Item<NonNullable<HTTPRouteRule["matches"]>>;
/** An HTTP path match (gwapiv1.HTTPPathMatch). */
export type HTTPPathMatch = NonNullable<HTTPRouteMatch["path"]>;
/** An HTTP header match (gwapiv1.HTTPHeaderMatch). */
export type HTTPHeaderMatch = Item<NonNullable<HTTPRouteMatch["headers"]>>;
/** An HTTP query parameter match (gwapiv1.HTTPQueryParamMatch). */
export type HTTPQueryParamMatch = Item<NonNullable<HTTPRouteMatch["queryParams"]>>;
/**
 * A filter inside an HTTPRoute rule (Go type gwapiv1.HTTPRouteFilter; renamed because `HTTPRouteFilter` is
 * Envoy Gateway's kind).
 */
export type HTTPRouteRuleFilter = Item<NonNullable<HTTPRouteRule["filters"]>>;
/** A header modifier filter (gwapiv1.HTTPHeaderFilter). */
export type HTTPHeaderFilter = NonNullable<HTTPRouteRuleFilter["requestHeaderModifier"]>;
/** A redirect filter (gwapiv1.HTTPRequestRedirectFilter). */
export type HTTPRequestRedirectFilter = NonNullable<HTTPRouteRuleFilter["requestRedirect"]>;
/** A URL rewrite filter (gwapiv1.HTTPURLRewriteFilter). */
export type HTTPURLRewriteFilter = NonNullable<HTTPRouteRuleFilter["urlRewrite"]>;
/** A request mirror filter (gwapiv1.HTTPRequestMirrorFilter). */
export type HTTPRequestMirrorFilter = NonNullable<HTTPRouteRuleFilter["requestMirror"]>;
/** A CORS filter (gwapiv1.HTTPCORSFilter). */
export type HTTPCORSFilter = NonNullable<HTTPRouteRuleFilter["cors"]>;
/** A reference to an extension filter object (gwapiv1.LocalObjectReference). */
export type LocalObjectReference = NonNullable<HTTPRouteRuleFilter["extensionRef"]>;
/** An HTTPRoute backend reference with its filters (gwapiv1.HTTPBackendRef). */
export type HTTPBackendRef = Item<NonNullable<HTTPRouteRule["backendRefs"]>>;
/** Rule timeouts (gwapiv1.HTTPRouteTimeouts). */
export type HTTPRouteTimeouts = NonNullable<HTTPRouteRule["timeouts"]>;
/** Rule retry settings (gwapiv1.HTTPRouteRetry). */
export type HTTPRouteRetry = NonNullable<HTTPRouteRule["retry"]>;
/** Session persistence settings (gwapiv1.SessionPersistence). */
export type SessionPersistence = NonNullable<HTTPRouteRule["sessionPersistence"]>;

/** A GRPCRoute rule (gwapiv1.GRPCRouteRule). */
export type GRPCRouteRule = Item<NonNullable<GRPCRouteSpec["rules"]>>;
/** A GRPCRoute match (gwapiv1.GRPCRouteMatch). */
export type GRPCRouteMatch = Item<NonNullable<GRPCRouteRule["matches"]>>;
/** A gRPC method match (gwapiv1.GRPCMethodMatch). */
export type GRPCMethodMatch = NonNullable<GRPCRouteMatch["method"]>;
/** A gRPC header match (gwapiv1.GRPCHeaderMatch). */
export type GRPCHeaderMatch = Item<NonNullable<GRPCRouteMatch["headers"]>>;
/** A filter inside a GRPCRoute rule (gwapiv1.GRPCRouteFilter). */
export type GRPCRouteFilter = Item<NonNullable<GRPCRouteRule["filters"]>>;
/** A GRPCRoute backend reference with its filters (gwapiv1.GRPCBackendRef). */
export type GRPCBackendRef = Item<NonNullable<GRPCRouteRule["backendRefs"]>>;

/** A TLSRoute rule (gwapiv1.TLSRouteRule). */
export type TLSRouteRule = Item<TLSRouteSpec["rules"]>;
/** A TCPRoute rule (gwapiv1.TCPRouteRule). */
export type TCPRouteRule = Item<TCPRouteSpec["rules"]>;
/** A UDPRoute rule (gwapiv1.UDPRouteRule). */
export type UDPRouteRule = Item<UDPRouteSpec["rules"]>;
/** A plain backend reference (gwapiv1.BackendRef), as used by TLS/TCP/UDP routes. */
export type BackendRef = Item<NonNullable<TCPRouteRule["backendRefs"]>>;

/** A ReferenceGrant's "from" entry (gwapiv1.ReferenceGrantFrom). */
export type ReferenceGrantFrom = Item<ReferenceGrantSpec["from"]>;
/** A ReferenceGrant's "to" entry (gwapiv1.ReferenceGrantTo). */
export type ReferenceGrantTo = Item<ReferenceGrantSpec["to"]>;

/** A policy's target reference with optional section name (gwapiv1.LocalPolicyTargetReferenceWithSectionName). */
export type LocalPolicyTargetReferenceWithSectionName = Item<BackendTLSPolicySpec["targetRefs"]>;
/** BackendTLSPolicy validation settings (gwapiv1.BackendTLSPolicyValidation). */
export type BackendTLSPolicyValidation = BackendTLSPolicySpec["validation"];

/** Status of a policy: one entry per ancestor it applies to (gwapiv1.PolicyStatus). */
export type PolicyStatus = BackendTLSPolicyStatus;
/** Status of a policy for one ancestor (gwapiv1.PolicyAncestorStatus). */
export type PolicyAncestorStatus = Item<PolicyStatus["ancestors"]>;
/** Status of a route, shared by every route kind (gwapiv1.RouteStatus). */
export type RouteStatus = HTTPRouteStatus;
/** An address a Gateway reports in its status (gwapiv1.GatewayStatusAddress). */
export type GatewayStatusAddress = Item<NonNullable<GatewayStatus["addresses"]>>;
