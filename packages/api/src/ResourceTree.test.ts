import { describe, expect, it } from "vitest";
import { loadText } from "./Loader.js";
import { resourcesFromObjects } from "./Resources.js";
import { buildResourceTree } from "./ResourceTree.js";

const manifests = `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: gw, namespace: apps }
spec: { gatewayClassName: eg, listeners: [{ name: https, protocol: HTTPS, port: 443, tls: { certificateRefs: [{ name: cert }] } }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: mine, namespace: apps }
spec:
  parentRefs: [{ name: gw }]
  rules:
    - backendRefs: [{ name: local, port: 80 }, { name: granted, namespace: shared, port: 80 }, { name: ungranted, namespace: other, port: 80 }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: elsewhere, namespace: apps }
spec: { parentRefs: [{ name: another-gateway }], rules: [{ backendRefs: [{ name: unused, port: 80 }] }] }
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: { name: allow-apps, namespace: shared }
spec:
  from: [{ group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: apps }]
  to: [{ group: "", kind: Service }]
---
apiVersion: v1
kind: Service
metadata: { name: local, namespace: apps }
spec: { ports: [{ port: 80 }] }
---
apiVersion: v1
kind: Service
metadata: { name: granted, namespace: shared }
spec: { ports: [{ port: 80 }] }
---
apiVersion: v1
kind: Service
metadata: { name: ungranted, namespace: other }
spec: { ports: [{ port: 80 }] }
---
apiVersion: v1
kind: Service
metadata: { name: unused, namespace: apps }
spec: { ports: [{ port: 80 }] }
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: local-1, namespace: apps, labels: { kubernetes.io/service-name: local } }
addressType: IPv4
endpoints: [{ addresses: [10.0.0.1] }]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: unused-1, namespace: apps, labels: { kubernetes.io/service-name: unused } }
addressType: IPv4
endpoints: [{ addresses: [10.0.0.2] }]
---
apiVersion: v1
kind: Secret
metadata: { name: cert, namespace: apps }
type: kubernetes.io/tls
---
apiVersion: v1
kind: Secret
metadata: { name: unrelated, namespace: apps }
---
apiVersion: v1
kind: Secret
metadata: { name: envoy, namespace: envoy-gateway-system }
`;

describe("buildResourceTree", () => {
  const all = resourcesFromObjects(loadText(manifests, "tree.yaml"));
  const tree = buildResourceTree(all, "eg");
  const names = (list: ReadonlyArray<{ metadata: { namespace?: string; name: string } }>) =>
    list.map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort();

  it("keeps the routes attached to the class's Gateways", () => {
    expect(names(tree.httpRoutes)).toEqual(["apps/mine"]);
  });

  it("keeps referenced Services (across namespaces only with a ReferenceGrant) and their EndpointSlices", () => {
    expect(names(tree.services)).toEqual(["apps/local", "shared/granted"]);
    expect(names(tree.endpointSlices)).toEqual(["apps/local-1"]);
  });

  it("keeps referenced Secrets and the Envoy TLS Secret of the controller namespace", () => {
    expect(names(tree.secrets)).toEqual(["apps/cert", "envoy-gateway-system/envoy"]);
  });

  it("keeps every ReferenceGrant and Namespace", () => {
    expect(tree.referenceGrants).toHaveLength(1);
    expect(tree.namespaces).toEqual(all.namespaces);
  });
});
