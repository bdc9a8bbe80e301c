import { ApiException, KubernetesObjectApi, PatchStrategy, type KubeConfig, type KubernetesObject } from "@kubernetes/client-node";
import type { ObjectRef, ObjectStore, StoredObject } from "./Applier.js";

const FIELD_MANAGER = "envoy-gateway";
const notFound = (error: unknown) => error instanceof ApiException && error.code === 404;

/** The applier's {@link ObjectStore} over @kubernetes/client-node (a real API server, through the kubeconfig). */
export function clientNodeObjectStore(kubeConfig: KubeConfig): ObjectStore {
  const api = KubernetesObjectApi.makeApiClient(kubeConfig);
  const header = (ref: ObjectRef) => ({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace: ref.namespace } });
  return {
    get: async (ref) => {
      try {
        return (await api.read(header(ref))) as unknown as StoredObject;
      } catch (error) {
        if (notFound(error)) return undefined;
        throw error;
      }
    },
    create: async (object) => {
      await api.create(object as unknown as KubernetesObject, undefined, undefined, FIELD_MANAGER);
    },
    update: async (object) => {
      await api.patch(object as unknown as KubernetesObject, undefined, undefined, FIELD_MANAGER, undefined, PatchStrategy.MergePatch);
    },
    delete: async (ref) => {
      try {
        await api.delete(header(ref), undefined, undefined, undefined, undefined, "Background");
      } catch (error) {
        if (!notFound(error)) throw error;
      }
    },
  };
}
