import { HeaderMutation } from "@egts/envoy-api/generated/envoy/extensions/filters/http/header_mutation/v3/header_mutation";
import { buildHeaderMutationRules } from "../HeaderMutationRules.js";
import { anyOf } from "../Proto.js";
import { hcmHasFilter, httpFilter } from "./common.js";
import type { HttpFilterModule } from "./HttpFilter.js";

const NAME = "envoy.filters.http.header_mutation";

/** Late response header edits of a listener (ClientTrafficPolicy headers), as a header_mutation filter. */
export const headerMutationFilter: HttpFilterModule = {
  name: "header_mutation",
  patchHcm(hcm, l) {
    if (hcmHasFilter(hcm, NAME)) return;
    const h = l.headers;
    if (h === undefined) return;
    const add = h.lateAddResponseHeaders ?? [];
    const remove = h.lateRemoveResponseHeaders ?? [];
    const onMatch = h.lateRemoveResponseHeadersOnMatch ?? [];
    if (add.length === 0 && remove.length === 0 && onMatch.length === 0) return;
    hcm.httpFilters.push(httpFilter(NAME, anyOf(HeaderMutation, { mutations: { responseMutations: buildHeaderMutationRules(add, remove, onMatch) } })));
  },
};
