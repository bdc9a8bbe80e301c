import { FilterConfig } from "@egts/envoy-api/generated/envoy/config/route/v3/route_components";
import { CredentialInjector } from "@egts/envoy-api/generated/envoy/extensions/filters/http/credential_injector/v3/credential_injector";
import type { HttpFilter } from "@egts/envoy-api/generated/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager";
import { Generic } from "@egts/envoy-api/generated/envoy/extensions/http/injected_credentials/generic/v3/generic";
import { Secret } from "@egts/envoy-api/generated/envoy/extensions/transport_sockets/tls/v3/secret";
import type { CredentialInjection } from "@egts/ir";
import { adsConfigSource, anyOf, anyOfUnchecked, msg } from "../Proto.js";
import { enableFilterOnRoute, hcmHasFilter, httpFilter, perRouteFilterName } from "./common.js";
import type { HttpFilterModule } from "./HttpFilter.js";

const TYPE = "envoy.filters.http.credential_injector";

/** One credential_injector filter per injection: `envoy.filters.http.credential_injector/<name>`. */
export const credentialInjectorFilterName = (c: CredentialInjection): string => perRouteFilterName(TYPE, c.name);

/** The SDS name of the injected credential. */
export const credentialSecretName = (c: CredentialInjection): string => `credential_injector/credential/${c.name}`;

/** The credential_injector filter (generic credential from SDS), `disabled` on the HCM until a route enables it. */
export function buildCredentialInjectorFilter(c: CredentialInjection, disabled: boolean): HttpFilter {
  const generic = anyOf(Generic, {
    credential: { name: credentialSecretName(c), sdsConfig: adsConfigSource() },
    ...(c.header !== undefined && c.header !== "" ? { header: c.header } : {}),
  });
  const config = anyOf(CredentialInjector, {
    credential: { name: "envoy.http.injected_credentials.generic", typedConfig: generic },
    overwrite: c.overwrite === true,
  });
  return httpFilter(credentialInjectorFilterName(c), config, disabled);
}

/** The generic secret holding the credential. */
export const buildCredentialSecret = (c: CredentialInjection): Secret =>
  msg(Secret, {
    name: credentialSecretName(c),
    type: { $case: "genericSecret", value: { secret: { specifier: { $case: "inlineBytes", value: Buffer.from(c.credential) } } } },
  });

/**
 * Credential injection (HTTPRouteFilter): a disabled credential_injector filter per injection on the HCM,
 * enabled on its routes, and the credential as an SDS secret.
 */
export const credentialInjectorFilter: HttpFilterModule = {
  name: "credential_injector",
  patchHcm(hcm, l) {
    for (const r of l.routes ?? []) {
      const c = r.credentialInjection;
      if (c === undefined || hcmHasFilter(hcm, credentialInjectorFilterName(c))) continue;
      hcm.httpFilters.push(buildCredentialInjectorFilter(c, true));
    }
  },
  patchRoute(route, r) {
    const c = r.credentialInjection;
    if (c === undefined) return;
    enableFilterOnRoute(route, credentialInjectorFilterName(c), anyOfUnchecked(FilterConfig, { config: { typeUrl: "", value: Buffer.alloc(0) } }));
  },
  patchesResourcesFor: (r) => r.credentialInjection !== undefined,
  patchResources(routes, ctx) {
    for (const r of routes) if (r.credentialInjection !== undefined) ctx.table.addSecretOnce(buildCredentialSecret(r.credentialInjection));
  },
};
