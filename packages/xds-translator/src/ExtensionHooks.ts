import type { Cluster } from "@egts/envoy-api/generated/envoy/config/cluster/v3/cluster";
import type { ClusterLoadAssignment } from "@egts/envoy-api/generated/envoy/config/endpoint/v3/endpoint";
import type { Listener } from "@egts/envoy-api/generated/envoy/config/listener/v3/listener";
import type { RouteConfiguration } from "@egts/envoy-api/generated/envoy/config/route/v3/route";
import type { Route, VirtualHost } from "@egts/envoy-api/generated/envoy/config/route/v3/route_components";
import type { Secret } from "@egts/envoy-api/generated/envoy/extensions/transport_sockets/tls/v3/secret";

/** A Kubernetes object owned by an extension (filter, backend or policy), in its unstructured JSON form. */
export type ExtensionObject = { readonly [key: string]: unknown };

/** The names of the hooks, as `EnvoyGateway.extensionManager.hooks.xdsTranslator.post` spells them. */
export type ExtensionHookName = "Route" | "VirtualHost" | "HTTPListener" | "Cluster" | "Endpoints" | "Translation";

/** Which resource lists the Translation hook receives (and replaces); upstream's `TranslationConfig` defaults. */
export interface TranslationHookSelection {
  readonly clusters: boolean;
  readonly secrets: boolean;
  readonly listeners: boolean;
  readonly routes: boolean;
}

/** The resource lists of a Translation hook call: only the kinds its selection includes are set. */
export interface TranslationResources {
  readonly clusters?: readonly Cluster[];
  readonly secrets?: readonly Secret[];
  readonly listeners?: readonly Listener[];
  readonly routes?: readonly RouteConfiguration[];
}

/**
 * The extension hooks an xDS translation calls (upstream's post xDS-translator hooks), each after building
 * the resource it names; a hook that is absent is not subscribed. A hook resolves with the replacement, or
 * `undefined` to keep the resource, and rejects to fail. Hooks must not mutate their arguments.
 */
export interface ExtensionHooks {
  /**
   * Whether a failing hook is ignored (the resource stays as built, the error goes to `onFailOpenError`)
   * rather than making the translation fail (its error joins the result's errors).
   */
  readonly failOpen: boolean;
  /** The lists the Translation hook receives; clusters and secrets only when absent. */
  readonly translation?: TranslationHookSelection;
  /** Called for each route whose IR route has extension filters or extension server policies. */
  postRouteModify?(route: Route, context: RouteHookContext): Promise<Route | undefined>;
  /** Called for each virtual host once its routes were added. */
  postVirtualHostModify?(virtualHost: VirtualHost): Promise<VirtualHost | undefined>;
  /** Called for each listener once all listeners were built; the result replaces the listener of its name. */
  postHttpListenerModify?(listener: Listener, context: ListenerHookContext): Promise<Listener | undefined>;
  /** Called for each route cluster whose IR route has extension refs, after the Endpoints hook. */
  postClusterModify?(cluster: Cluster, context: ClusterHookContext): Promise<Cluster | undefined>;
  /** Called for each EDS load assignment of a route or merged backend cluster. */
  postEndpointsModify?(loadAssignment: ClusterLoadAssignment): Promise<ClusterLoadAssignment | undefined>;
  /** Called once after patch policies; the lists returned replace the lists sent (an absent list empties it). */
  postTranslateModify?(resources: TranslationResources, context: TranslationHookContext): Promise<TranslationResources>;
  /** Receives the errors of hooks that failed open (upstream logs them). */
  onFailOpenError?(hook: ExtensionHookName, error: Error): void;
}

/** What the Route hook is told besides the route. */
export interface RouteHookContext {
  /** The domains of the virtual host the route goes into. */
  readonly hostnames: readonly string[];
  /** The route's `extensionRefs` objects, in order. */
  readonly extensionResources: readonly ExtensionObject[];
  /** The route's `extensionServerPolicies` objects, in order. */
  readonly extensionPolicies: readonly ExtensionObject[];
}

/** What the HTTPListener hook is told besides the listener. */
export interface ListenerHookContext {
  /** `extensionRefs` of every IR listener on the listener's address and port, without duplicates. */
  readonly extensionResources: readonly ExtensionObject[];
}

/** What the Cluster hook is told besides the cluster. */
export interface ClusterHookContext {
  /** The `extensionRefs` objects of the route the cluster serves. */
  readonly backendExtensionResources: readonly ExtensionObject[];
}

/** What the Translation hook is told besides the resources. */
export interface TranslationHookContext {
  /** The IR's top-level `extensionServerPolicies` objects. */
  readonly extensionResources: readonly ExtensionObject[];
}

/** The defaults of upstream's `TranslationConfig`: clusters and secrets yes, listeners and routes no. */
export const defaultTranslationHookSelection: TranslationHookSelection = { clusters: true, secrets: true, listeners: false, routes: false };

/** One member of a chain of extension managers (`EnvoyGateway.extensionManagers`). */
export interface ChainedExtension {
  /** The manager's name; a failing fail-closed member's error is prefixed with `extension "<name>": `. */
  readonly name: string;
  readonly hooks: ExtensionHooks;
  /** Group/kind pairs of its `resources` and `backendResources` (route and cluster hooks get only these). */
  readonly resourceKinds: readonly GroupKind[];
  /** Group/kind pairs of its `policyResources` (route, listener and translation hooks get only these). */
  readonly policyKinds: readonly GroupKind[];
}

/** An API group and kind, matched regardless of version. */
export interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

const groupKindOf = (o: ExtensionObject): string => {
  const apiVersion = typeof o.apiVersion === "string" ? o.apiVersion : "";
  const slash = apiVersion.indexOf("/");
  const group = slash < 0 ? "" : apiVersion.slice(0, slash);
  return `${group}/${typeof o.kind === "string" ? o.kind : ""}`;
};

/** Keeps the objects of the given kinds (all of them when no kind is given, as upstream does). */
function ownedBy(objects: readonly ExtensionObject[], kinds: readonly GroupKind[]): readonly ExtensionObject[] {
  if (kinds.length === 0) return objects;
  const set = new Set(kinds.map((k) => `${k.group}/${k.kind}`));
  return objects.filter((o) => set.has(groupKindOf(o)));
}

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

/**
 * Chains several managers' hooks into one (upstream's composite manager): each hook calls every member
 * subscribed to it, in order, each with the previous one's output and only the objects of kinds it owns.
 * A member that fails open is skipped; one that fails closed stops the chain with its error, prefixed with
 * its name. The chain fails open only when every member does.
 */
export function chainExtensionHooks(members: readonly ChainedExtension[]): ExtensionHooks {
  const subscribed = <K extends keyof ExtensionHooks>(key: K) => members.filter((m) => m.hooks[key] !== undefined);
  /** Runs `step` over the subscribed members, threading the value through. */
  async function chain<T>(
    list: readonly ChainedExtension[],
    start: T,
    hook: ExtensionHookName,
    step: (m: ChainedExtension, current: T) => Promise<T>,
  ): Promise<T> {
    let current = start;
    for (const m of list) {
      try {
        current = await step(m, current);
      } catch (e) {
        if (m.hooks.failOpen) {
          m.hooks.onFailOpenError?.(hook, asError(e));
          continue;
        }
        throw new Error(`extension ${JSON.stringify(m.name)}: ${asError(e).message}`, { cause: e });
      }
    }
    return current;
  }
  const hooks: { -readonly [K in keyof ExtensionHooks]: ExtensionHooks[K] } = {
    failOpen: members.every((m) => m.hooks.failOpen),
  };
  const selections = members.map((m) => m.hooks.translation ?? defaultTranslationHookSelection);
  hooks.translation = {
    clusters: selections.some((s) => s.clusters),
    secrets: selections.some((s) => s.secrets),
    listeners: selections.some((s) => s.listeners),
    routes: selections.some((s) => s.routes),
  };
  const routeMembers = subscribed("postRouteModify");
  if (routeMembers.length > 0) {
    hooks.postRouteModify = (route, context) =>
      chain(routeMembers, route, "Route", async (m, current) => {
        const owned = {
          ...context,
          extensionResources: ownedBy(context.extensionResources, m.resourceKinds),
          extensionPolicies: ownedBy(context.extensionPolicies, m.policyKinds),
        };
        return (await m.hooks.postRouteModify?.(current, owned)) ?? current;
      });
  }
  const vhostMembers = subscribed("postVirtualHostModify");
  if (vhostMembers.length > 0) {
    hooks.postVirtualHostModify = (vh) =>
      chain(vhostMembers, vh, "VirtualHost", async (m, current) => (await m.hooks.postVirtualHostModify?.(current)) ?? current);
  }
  const listenerMembers = subscribed("postHttpListenerModify");
  if (listenerMembers.length > 0) {
    hooks.postHttpListenerModify = (listener, context) =>
      chain(
        listenerMembers,
        listener,
        "HTTPListener",
        async (m, current) =>
          (await m.hooks.postHttpListenerModify?.(current, { extensionResources: ownedBy(context.extensionResources, m.policyKinds) })) ?? current,
      );
  }
  const clusterMembers = subscribed("postClusterModify");
  if (clusterMembers.length > 0) {
    hooks.postClusterModify = (cluster, context) =>
      chain(
        clusterMembers,
        cluster,
        "Cluster",
        async (m, current) =>
          (await m.hooks.postClusterModify?.(current, { backendExtensionResources: ownedBy(context.backendExtensionResources, m.resourceKinds) })) ?? current,
      );
  }
  const endpointMembers = subscribed("postEndpointsModify");
  if (endpointMembers.length > 0) {
    hooks.postEndpointsModify = (cla) =>
      chain(endpointMembers, cla, "Endpoints", async (m, current) => (await m.hooks.postEndpointsModify?.(current)) ?? current);
  }
  const translateMembers = subscribed("postTranslateModify");
  if (translateMembers.length > 0) {
    hooks.postTranslateModify = (resources, context) =>
      chain(translateMembers, resources, "Translation", async (m, current) => {
        const sel = m.hooks.translation ?? defaultTranslationHookSelection;
        const sent: TranslationResources = {
          ...(sel.clusters ? { clusters: current.clusters ?? [] } : {}),
          ...(sel.secrets ? { secrets: current.secrets ?? [] } : {}),
          ...(sel.listeners ? { listeners: current.listeners ?? [] } : {}),
          ...(sel.routes ? { routes: current.routes ?? [] } : {}),
        };
        const got = (await m.hooks.postTranslateModify?.(sent, { extensionResources: ownedBy(context.extensionResources, m.policyKinds) })) ?? sent;
        const pick = <T>(selected: boolean, returned: T[] | readonly T[] | undefined, kept: readonly T[] | undefined) => (selected ? (returned ?? []) : kept);
        const clusters = pick(sel.clusters, got.clusters, current.clusters);
        const secrets = pick(sel.secrets, got.secrets, current.secrets);
        const listeners = pick(sel.listeners, got.listeners, current.listeners);
        const routes = pick(sel.routes, got.routes, current.routes);
        return {
          ...(clusters !== undefined ? { clusters } : {}),
          ...(secrets !== undefined ? { secrets } : {}),
          ...(listeners !== undefined ? { listeners } : {}),
          ...(routes !== undefined ? { routes } : {}),
        };
      });
  }
  return hooks;
}
