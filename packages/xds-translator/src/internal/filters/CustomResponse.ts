import type { Any } from "@egts/envoy-api";
import type { Expr } from "@egts/envoy-api/generated/cel/expr/syntax";
import { HeaderValueOption_HeaderAppendAction } from "@egts/envoy-api/generated/envoy/config/core/v3/base";
import { FilterConfig } from "@egts/envoy-api/generated/envoy/config/route/v3/route_components";
import { CustomResponse as CustomResponseConfig } from "@egts/envoy-api/generated/envoy/extensions/filters/http/custom_response/v3/custom_response";
import { LocalResponsePolicy } from "@egts/envoy-api/generated/envoy/extensions/http/custom_response/local_response_policy/v3/local_response_policy";
import { RedirectPolicy } from "@egts/envoy-api/generated/envoy/extensions/http/custom_response/redirect_policy/v3/redirect_policy";
import { HttpResponseHeaderMatchInput } from "@egts/envoy-api/generated/envoy/type/matcher/v3/http_inputs";
import { HttpResponseLocalReplyMatchInput, HttpResponseStatusCodeMatchInput } from "@egts/envoy-api/generated/envoy/type/matcher/v3/status_code_input";
import { CelMatcher } from "@egts/envoy-api/generated/xds/type/matcher/v3/cel";
import { HttpAttributesCelMatchInput } from "@egts/envoy-api/generated/xds/type/matcher/v3/http_inputs";
import type { Matcher_MatcherList_FieldMatcher, Matcher_MatcherList_Predicate } from "@egts/envoy-api/generated/xds/type/matcher/v3/matcher";
import type { StringMatcher as XdsStringMatcher } from "@egts/envoy-api/generated/xds/type/matcher/v3/string";
import type { ResponseOverride, ResponseOverrideRule, StatusCodeMatch, StatusCodeRange, StringMatch } from "@egts/ir";
import { buildAddedHeaders } from "../Matchers.js";
import { anyOf, anyOfUnchecked, msg } from "../Proto.js";
import { enableFilterOnRoute, hcmHasFilter, httpFilter, perRouteFilterName } from "./common.js";
import type { HttpFilterModule } from "./HttpFilter.js";

const TYPE = "envoy.filters.http.custom_response";

type Predicate = Matcher_MatcherList_Predicate;

/** One custom_response filter per policy: `envoy.filters.http.custom_response/<policy>`. */
export const customResponseFilterName = (ro: ResponseOverride): string => perRouteFilterName(TYPE, ro.name);

const single = (
  name: string,
  input: Any,
  matcher: { $case: "valueMatch"; value: XdsStringMatcher } | { $case: "customMatch"; value: { name: string; typedConfig: Any } },
): Predicate => ({
  matchType: { $case: "singlePredicate", value: { input: { name, typedConfig: input }, matcher } },
});
const combine = (kind: "andMatcher" | "orMatcher", predicates: Predicate[]): Predicate =>
  predicates.length === 1 ? (predicates[0] as Predicate) : { matchType: { $case: kind, value: { predicate: predicates } } };
const exact = (value: string): XdsStringMatcher => ({ matchPattern: { $case: "exact", value }, ignoreCase: false });

function stringMatcher(m: StringMatch): XdsStringMatcher {
  if (m.exact !== undefined) return exact(m.exact);
  if (m.prefix !== undefined) return { matchPattern: { $case: "prefix", value: m.prefix }, ignoreCase: false };
  if (m.suffix !== undefined) return { matchPattern: { $case: "suffix", value: m.suffix }, ignoreCase: false };
  if (m.safeRegex !== undefined) {
    return { matchPattern: { $case: "safeRegex", value: { regex: m.safeRegex, engineType: { $case: "googleRe2", value: {} } } }, ignoreCase: false };
  }
  throw new Error(`response header match ${JSON.stringify(m.name)}: unsupported string matcher`);
}

/** `response.code >= start && response.code <= end`, pre-parsed with the node ids cel-go assigns. */
function statusRangeExpr(range: StatusCodeRange): Expr {
  const code = (selectId: number): Expr =>
    ({
      id: String(selectId),
      exprKind: {
        $case: "selectExpr",
        value: { field: "code", testOnly: false, operand: { id: String(selectId - 1), exprKind: { $case: "identExpr", value: { name: "response" } } } },
      },
    }) as Expr;
  const int = (id: number, v: number): Expr =>
    ({ id: String(id), exprKind: { $case: "constExpr", value: { constantKind: { $case: "int64Value", value: String(v) } } } }) as Expr;
  const call = (id: number, fn: string, args: Expr[]): Expr => ({ id: String(id), exprKind: { $case: "callExpr", value: { function: fn, args } } }) as Expr;
  return call(9, "_&&_", [call(3, "_>=_", [code(2), int(4, range.start)]), call(7, "_<=_", [code(6), int(8, range.end)])]);
}

function statusCodePredicate(m: StatusCodeMatch): Predicate {
  if (m.range !== undefined) {
    const matcher = anyOf(CelMatcher, { exprMatch: { celExprParsed: { expr: statusRangeExpr(m.range) } } });
    return single("http-attributes-cel-match-input", anyOf(HttpAttributesCelMatchInput, {}), {
      $case: "customMatch",
      value: { name: "cel-matcher", typedConfig: matcher },
    });
  }
  return single("http-response-status-code-match-input", anyOf(HttpResponseStatusCodeMatchInput, {}), {
    $case: "valueMatch",
    value: exact(String(m.value ?? 0)),
  });
}

function actionOf(rule: ResponseOverrideRule): Any {
  const rd = rule.redirect;
  if (rd !== undefined) {
    const path = rd.path?.fullReplace;
    return anyOf(RedirectPolicy, {
      redirectActionSpecifier: {
        $case: "redirectAction",
        value: {
          ...(rd.scheme !== undefined ? { schemeRewriteSpecifier: { $case: "schemeRedirect" as const, value: rd.scheme } } : {}),
          hostRedirect: rd.hostname ?? "",
          portRedirect: rd.port ?? 0,
          ...(path !== undefined ? { pathRewriteSpecifier: { $case: "pathRedirect" as const, value: path } } : {}),
        },
      },
      ...(rd.statusCode !== undefined ? { statusCode: rd.statusCode } : {}),
    });
  }
  const resp = rule.response ?? {};
  const headers = [
    ...(resp.contentType !== undefined && resp.contentType !== ""
      ? [{ header: { key: "Content-Type", value: resp.contentType }, appendAction: HeaderValueOption_HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD }]
      : []),
    ...buildAddedHeaders(resp.addResponseHeaders ?? []),
  ];
  const body = resp.body !== undefined && resp.body.length > 0 ? Buffer.from(resp.body).toString("utf8") : undefined;
  return anyOf(LocalResponsePolicy, {
    ...(body !== undefined ? { bodyFormat: { format: { $case: "textFormat", value: body } } } : {}),
    ...(resp.statusCode !== undefined ? { statusCode: resp.statusCode } : {}),
    responseHeadersToAdd: headers,
  });
}

/** The custom_response config of a policy: its rules as a first-match matcher list. */
export function buildCustomResponseConfig(ro: ResponseOverride): CustomResponseConfig {
  const matchers: Matcher_MatcherList_FieldMatcher[] = [];
  for (const rule of ro.rules ?? []) {
    const predicates: Predicate[] = [];
    const codes = rule.match.statusCodes ?? [];
    if (codes.length > 0) predicates.push(combine("orMatcher", codes.map(statusCodePredicate)));
    const headers = rule.match.responseHeaders ?? [];
    if (headers.length > 0) {
      predicates.push(
        combine(
          "andMatcher",
          headers.map((h) =>
            single("http-response-header-match-input", anyOf(HttpResponseHeaderMatchInput, { headerName: h.name }), {
              $case: "valueMatch",
              value: stringMatcher(h),
            }),
          ),
        ),
      );
    }
    if (predicates.length === 0) throw new Error(`response override ${ro.name} rule ${rule.name}: missing match criteria`);
    // Local and Backend rules only fire for replies of that origin.
    if (rule.source === "Local" || rule.source === "Backend") {
      predicates.push(
        single("http-response-local-reply-match-input", anyOf(HttpResponseLocalReplyMatchInput, {}), {
          $case: "valueMatch",
          value: exact(rule.source === "Local" ? "true" : "false"),
        }),
      );
    }
    matchers.push({
      predicate: combine("andMatcher", predicates),
      onMatch: { onMatch: { $case: "action", value: { name: rule.name, typedConfig: actionOf(rule) } }, keepMatching: false },
    });
  }
  return msg(CustomResponseConfig, { customResponseMatcher: { matcherType: { $case: "matcherList", value: { matchers } } } });
}

/**
 * Response overrides (BackendTrafficPolicy): a disabled custom_response filter per policy on the HCM,
 * enabled on each of the policy's routes.
 */
export const customResponseFilter: HttpFilterModule = {
  name: "custom_response",
  patchHcm(hcm, l) {
    const errors: string[] = [];
    for (const r of l.routes ?? []) {
      const ro = r.traffic?.responseOverride;
      if (ro === undefined || hcmHasFilter(hcm, customResponseFilterName(ro))) continue;
      try {
        hcm.httpFilters.push(httpFilter(customResponseFilterName(ro), anyOf(CustomResponseConfig, buildCustomResponseConfig(ro)), true));
      } catch (e) {
        errors.push(e instanceof Error ? e.message : String(e));
      }
    }
    if (errors.length > 0) throw new Error(errors.join("\n"));
  },
  patchRoute(route, r) {
    const ro = r.traffic?.responseOverride;
    if (ro === undefined) return;
    enableFilterOnRoute(route, customResponseFilterName(ro), anyOfUnchecked(FilterConfig, { config: { typeUrl: "", value: Buffer.alloc(0) } }));
  },
};
