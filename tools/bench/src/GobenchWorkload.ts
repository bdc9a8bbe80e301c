// The inputs of upstream Envoy Gateway's `test/gobench` BenchmarkGatewayAPItoXDS, rebuilt object for object so
// egts is measured on the same work (same kinds, names, counts and specs). The TLS Secret carries a freshly
// generated certificate instead of upstream's fixed one: the translator only checks that it parses.

/** The three sizes upstream benchmarks. */
export type GobenchSize = "small" | "medium" | "large";

/** How many objects of each generated family a size has (small has one fixed object of each instead). */
const familyCounts: Record<Exclude<GobenchSize, "small">, number> = { medium: 50, large: 500 };

const doc = (lines: string): string => `---\n${lines.trim()}\n`;

function base(tls: { certificate: string; privateKey: string }): string {
  const b64 = (pem: string) => Buffer.from(pem).toString("base64");
  return [
    doc(`
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata:
  name: eg
spec:
  controllerName: gateway.envoyproxy.io/gatewayclass-controller`),
    doc(`
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: eg
  namespace: default
spec:
  gatewayClassName: eg
  listeners:
    - name: http
      protocol: HTTP
      port: 80
    - name: https
      protocol: HTTPS
      port: 443
      tls:
        mode: Terminate
        certificateRefs:
          - name: tls-secret
    - name: grpc
      protocol: HTTP
      port: 81
    - name: udp
      protocol: UDP
      port: 82`),
    doc(`
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: Backend
metadata:
  name: provided-backend
  namespace: default
spec:
  endpoints:
    - ip:
        address: 0.0.0.0
        port: 8000`),
    doc(`
apiVersion: v1
kind: Secret
metadata:
  name: tls-secret
  namespace: default
type: kubernetes.io/tls
data:
  tls.crt: ${b64(tls.certificate)}
  tls.key: ${b64(tls.privateKey)}`),
    doc(`
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: ClientTrafficPolicy
metadata:
  name: client-traffic-policy
  namespace: default
spec:
  targetRefs:
    - group: gateway.networking.k8s.io
      kind: Gateway
      name: eg
  timeout:
    http:
      requestReceivedTimeout: 30s`),
  ].join("");
}

const extProcService = doc(`
apiVersion: v1
kind: Service
metadata:
  name: myExtProc
  namespace: default
spec:
  clusterIP: 10.11.12.13
  ports:
    - port: 3000
      name: http
      protocol: TCP
      targetPort: 3000`);

/** The fixed single-route set of the "small" case. */
const smallExtras = [
  doc(`
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: backend
  namespace: default
spec:
  parentRefs:
    - name: eg
  hostnames:
    - "www.example.com"
  rules:
    - backendRefs:
        - name: provided-backend
          port: 8000`),
  doc(`
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: SecurityPolicy
metadata:
  name: security-policy
  namespace: default
spec:
  targetRefs:
    - group: gateway.networking.k8s.io
      kind: HTTPRoute
      name: backend
  cors:
    allowOrigins:
      - "https://www.example.com"
    allowMethods:
      - GET
      - POST
    allowHeaders:
      - "Content-Type"`),
  doc(`
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: BackendTrafficPolicy
metadata:
  name: backend-traffic-policy
  namespace: default
spec:
  targetRefs:
    - group: gateway.networking.k8s.io
      kind: HTTPRoute
      name: backend
  circuitBreaker:
    maxConnections: 100
    maxPendingRequests: 50
  loadBalancer:
    type: RoundRobin`),
  doc(`
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: EnvoyExtensionPolicy
metadata:
  name: envoy-extension-policy
  namespace: default
spec:
  targetRefs:
    - group: gateway.networking.k8s.io
      kind: HTTPRoute
      name: backend
  extProc:
    - backendRefs:
        - kind: Service
          name: myExtProc
          port: 3000
      messageTimeout: 5s`),
  extProcService,
].join("");

/** One generated object family: `count` documents from a template of the index. */
const family = (count: number, template: (i: number) => string): string => Array.from({ length: count }, (_, i) => doc(template(i))).join("");

const httpRoute = (i: number) => `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: backend-${i}
  namespace: default
spec:
  parentRefs:
    - name: eg
  hostnames:
    - "www.example-${i}.com"
  rules:
    - backendRefs:
        - name: service-backend-${i}
          port: 8000`;

const grpcRoute = (i: number) => `
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata:
  name: backend-grpc-${i}
  namespace: default
spec:
  parentRefs:
    - name: eg
      sectionName: grpc
  hostnames:
    - "www.grpc-${i}.example.com"
  rules:
    - matches:
        - method:
            service: com.example.Service${i}
            method: Call
      backendRefs:
        - name: service-backend-${i}
          port: 9000`;

const udpRoute = (i: number) => `
apiVersion: gateway.networking.k8s.io/v1
kind: UDPRoute
metadata:
  name: backend-udp-${i}
  namespace: default
spec:
  parentRefs:
    - name: eg
      sectionName: udp
  rules:
    - backendRefs:
        - name: service-backend-${i}
          port: ${3000 + i}`;

const jwksConfigMap = (i: number) => `
apiVersion: v1
kind: ConfigMap
metadata:
  name: jwks-cm-${i}
  namespace: default
data:
  local.jwt: '{"keys": [{"kty": "RSA","n": "some-modulus","e": "AQAB","kid": "example1-key"}]}'`;

const securityPolicy = (i: number) => `
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: SecurityPolicy
metadata:
  name: security-policy-${i}
  namespace: default
spec:
  targetRefs:
    - group: gateway.networking.k8s.io
      kind: HTTPRoute
      name: backend-${i}
  jwt:
    providers:
      - name: local-jwks-${i}
        issuer: https://one.example.com
        localJWKS:
          type: ValueRef
          valueRef:
            group: ""
            kind: ConfigMap
            name: jwks-cm-${i}`;

const backendTrafficPolicy = (i: number) => `
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: BackendTrafficPolicy
metadata:
  name: backend-traffic-policy-${i}
  namespace: default
spec:
  targetRefs:
    - group: gateway.networking.k8s.io
      kind: HTTPRoute
      name: backend-${i}
  circuitBreaker:
    maxConnections: ${100 + i * 10}
    maxPendingRequests: ${50 + i * 5}
  loadBalancer:
    type: RoundRobin`;

const envoyExtensionPolicy = (i: number) => `
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: EnvoyExtensionPolicy
metadata:
  name: envoy-extension-policy-${i}
  namespace: default
spec:
  targetRefs:
    - group: gateway.networking.k8s.io
      kind: HTTPRoute
      name: backend-${i}
  extProc:
    - backendRefs:
        - kind: Service
          name: myExtProc
          port: 3000
      messageTimeout: 5s`;

const service = (i: number) => `
apiVersion: v1
kind: Service
metadata:
  name: service-backend-${i}
  namespace: default
spec:
  clusterIP: 10.11.12.13
  ports:
    - port: 8000
      name: http
      protocol: TCP
      targetPort: 8000`;

const endpointSlice = (i: number) => `
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: service-backend-${i}-slice
  namespace: default
  labels:
    kubernetes.io/service-name: service-backend-${i}
addressType: IPv4
ports:
  - name: http
    protocol: TCP
    port: 8000
endpoints:
  - addresses:
      - 192.168.1.1
    conditions:
      ready: true`;

/**
 * The multi-document YAML of one gobench case. Upstream's generated EnvoyExtensionPolicies reference a
 * `myExtProc` Service that only the small case defines; the medium and large cases keep that dangling
 * reference, and so does this.
 */
export function gobenchYaml(size: GobenchSize, tls: { certificate: string; privateKey: string }): string {
  if (size === "small") return base(tls) + smallExtras;
  const n = familyCounts[size];
  return (
    base(tls) +
    family(n, httpRoute) +
    family(n / 2, grpcRoute) +
    family(n / 5, udpRoute) +
    family(n, jwksConfigMap) +
    family(n, securityPolicy) +
    family(n, backendTrafficPolicy) +
    family(n, envoyExtensionPolicy) +
    family(n, service) +
    family(n, endpointSlice)
  );
}

/** egctl's options for TranslateGatewayAPIToXds, as upstream's Go benchmark sets them (Gateway API side). */
export const gobenchTranslateOptions = {
  gatewayControllerName: "gateway.envoyproxy.io/gatewayclass-controller",
  gatewayClassName: "eg",
  controllerNamespace: "default",
  globalRateLimitEnabled: true,
  endpointRoutingDisabled: false,
  envoyPatchPolicyEnabled: true,
  backendEnabled: true,
} as const;

/** The xDS side of the same options (egctl's rate limit service URL). */
export const gobenchXdsOptions = { globalRateLimitServiceURL: "grpc://envoy-ratelimit.default.svc.cluster.local:8081" } as const;
