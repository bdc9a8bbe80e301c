import {
  createIncrementalTranslator,
  type IncrementalGatewayApiTranslator,
  type LuaScriptValidator,
  type OIDCDiscovery,
  type WasmCache,
} from "@egts/gatewayapi-translator";
import {
  createXdsTranslator,
  type XdsTranslator,
  translateXdsWithExtensions,
  type XdsResource,
  type XdsTranslateOptions,
  type XdsTranslateResult,
} from "@egts/xds-translator";
import type { Resources } from "@egts/api";
import type { GatewayApiTranslation, PipelineStages, ResourceStatus, XdsResourceEntry, XdsSettings, XdsTranslation } from "./Stages.js";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Collects `{kind, namespace, name, status}` of every object in the translate result that carries a status.
 * With `memo`, an object met before (an incremental translator hands unchanged objects over again) gives the
 * same entry as before, so later comparisons of the statuses stop at identity.
 */
export function statusesOf(result: Record<string, unknown>, memo?: WeakMap<object, ResourceStatus>): ResourceStatus[] {
  const statuses: ResourceStatus[] = [];
  const visit = (value: unknown): void => {
    if (!isRecord(value) || !("status" in value)) return;
    const known = memo?.get(value);
    if (known !== undefined) {
      statuses.push(known);
      return;
    }
    const metadata = isRecord(value["metadata"]) ? value["metadata"] : {};
    const namespace = typeof metadata["namespace"] === "string" ? metadata["namespace"] : undefined;
    const entry: ResourceStatus = {
      kind: String(value["kind"] ?? ""),
      ...(namespace !== undefined ? { namespace } : {}),
      name: String(metadata["name"] ?? ""),
      status: value["status"],
    };
    memo?.set(value, entry);
    statuses.push(entry);
  };
  for (const [key, value] of Object.entries(result)) {
    if (key === "xdsIR" || key === "infraIR") continue;
    if (Array.isArray(value)) value.forEach(visit);
    else visit(value);
  }
  return statuses;
}

// The translator's own lists: an unchanged type comes back as the same array, which the bus and the snapshot
// input then recognise at once.
const entries = <T extends object>(list: ReadonlyArray<XdsResource<T>>): ReadonlyArray<XdsResourceEntry> => list;

/** What the default stages are given beside the resources. */
export interface DefaultStagesOptions {
  /** The Lua VM that validates EnvoyExtensionPolicy scripts. */
  readonly luaValidator?: LuaScriptValidator;
  /**
   * Loads the Lua VM when the first resources carrying a Lua script are to be translated (instead of
   * `luaValidator`): most configurations have none, and the VM costs memory and start time. A VM that cannot
   * be loaded leaves scripts with the entry-point check only.
   */
  readonly loadLuaValidator?: () => Promise<LuaScriptValidator>;
  /** OIDC issuer discovery (a lookup into a background fetcher) and its "result arrived" notifications. */
  readonly oidcDiscovery?: { readonly lookup: OIDCDiscovery; readonly onResult: (listener: () => void) => () => void };
  /** The Wasm module cache (a lookup into a background downloader) and its "result arrived" notifications. */
  readonly wasmCache?: { readonly lookup: WasmCache; readonly onResult: (listener: () => void) => () => void };
}

/**
 * The stages backed by @egts/gatewayapi-translator and @egts/xds-translator. The Gateway API stage is
 * incremental: one translator per GatewayClass remembers its last run (here, in this closure) and reuses it.
 */
export function defaultStages(options: DefaultStagesOptions = {}): PipelineStages {
  const translators = new Map<string, IncrementalGatewayApiTranslator>();
  /** The statuses derived from each class's last reported resources (the same object when the translator reused it). */
  const lastStatuses = new Map<string, { readonly from: object; readonly statuses: ResourceStatus[] }>();
  /** Status entries by the result object they were read from (translators hand unchanged objects over again). */
  const statusEntries = new WeakMap<object, ResourceStatus>();
  /** One memoising xDS translator per IR key, made for the settings it was created with. */
  const xdsTranslators = new Map<string, { readonly settings: string; readonly translator: XdsTranslator }>();
  /** The IR keys each GatewayClass produced last, so a key that goes away drops its translator. */
  const keysByClass = new Map<string, ReadonlySet<string>>();
  const lua = luaVm(options);
  const carriesLua = luaCarrier();
  return {
    onExternalResult: (listener: () => void) => {
      const unsubscribes = [options.oidcDiscovery?.onResult(listener), options.wasmCache?.onResult(listener)];
      return () => unsubscribes.forEach((unsubscribe) => unsubscribe?.());
    },
    invalidate() {
      for (const translator of translators.values()) translator.invalidate();
    },
    translateGatewayApi(resources, settings): GatewayApiTranslation {
      let translator = translators.get(settings.gatewayClassName);
      if (translator === undefined) translators.set(settings.gatewayClassName, (translator = createIncrementalTranslator()));
      // The IR is handed on as @egts/ir values, with no JSON round trip between the two translators.
      const luaValidator = lua.current();
      const result = translator.translate(resources, {
        ...settings,
        ...(luaValidator !== undefined ? { luaValidator } : {}),
        ...(options.oidcDiscovery !== undefined ? { oidcDiscovery: options.oidcDiscovery.lookup } : {}),
        ...(options.wasmCache !== undefined ? { wasmCache: options.wasmCache.lookup } : {}),
      });
      // A reused result keeps its statuses object, so the status stage sees at once that nothing changed.
      const previous = lastStatuses.get(settings.gatewayClassName);
      const statuses = previous?.from === result.resources ? previous.statuses : statusesOf(result.resources, statusEntries);
      lastStatuses.set(settings.gatewayClassName, { from: result.resources, statuses });
      const keys = new Set(result.xdsIR.keys());
      for (const key of keysByClass.get(settings.gatewayClassName) ?? []) if (!keys.has(key)) xdsTranslators.delete(key);
      keysByClass.set(settings.gatewayClassName, keys);
      return { xdsIR: result.xdsIR, infraIR: result.infraIR, statuses, path: translator.lastRun?.path ?? "full" };
    },
    translateXds(ir, settings, irKey) {
      const key = irKey ?? "";
      const settingsText = JSON.stringify(settings);
      let entry = xdsTranslators.get(key);
      if (entry === undefined || entry.settings !== settingsText) {
        entry = { settings: settingsText, translator: createXdsTranslator(xdsOptionsOf(settings)) };
        xdsTranslators.set(key, entry);
      }
      const translation = xdsTranslationOf(entry.translator.translate(ir));
      const work = entry.translator.lastRun;
      return work === undefined ? translation : { ...translation, work };
    },
    async translateXdsWithExtensions(ir, settings, hooks) {
      return xdsTranslationOf(await translateXdsWithExtensions(ir, xdsOptionsOf(settings), hooks));
    },
    prepareGatewayApi: (resources) => (carriesLua(resources) ? lua.load() : undefined),
  };
}

/** The Lua VM given, or the one loaded on demand: `load` answers undefined once there is nothing to wait for. */
function luaVm(options: DefaultStagesOptions): { readonly current: () => LuaScriptValidator | undefined; readonly load: () => Promise<void> | undefined } {
  let current = options.luaValidator;
  const loader = current === undefined ? options.loadLuaValidator : undefined;
  let loading: Promise<void> | undefined;
  let settled = false;
  return {
    current: () => current,
    load: () => {
      if (settled || loader === undefined) return undefined;
      loading ??= loader()
        .then(
          (vm) => {
            current = vm;
          },
          () => undefined,
        )
        .finally(() => {
          settled = true;
        });
      return loading;
    },
  };
}

/**
 * Whether some EnvoyExtensionPolicy carries Lua; the answer for the last list is kept, as the list is the same
 * array while no policy changed (every endpoint edit asks).
 */
function luaCarrier(): (resources: Resources) => boolean {
  let last: { readonly policies: Resources["envoyExtensionPolicies"]; readonly lua: boolean } | undefined;
  return (resources) => {
    const policies = resources.envoyExtensionPolicies;
    if (last?.policies !== policies) last = { policies, lua: policies.some((policy) => (policy.spec?.lua?.length ?? 0) > 0) };
    return last.lua;
  };
}

const xdsOptionsOf = (settings: XdsSettings): XdsTranslateOptions => ({
  controllerNamespace: settings.controllerNamespace,
  dnsDomain: settings.dnsDomain,
  ...(settings.runtimeFlags !== undefined ? { runtimeFlags: settings.runtimeFlags } : {}),
});

/** The controller's view of a translation result: resources with their bytes, errors as text. */
function xdsTranslationOf(result: XdsTranslateResult): XdsTranslation {
  return {
    resources: {
      listeners: entries(result.listeners),
      routes: entries(result.routes),
      clusters: entries(result.clusters),
      endpoints: entries(result.endpoints),
      secrets: entries(result.secrets),
    },
    errors: result.errors.map((e) => e.message),
  };
}
