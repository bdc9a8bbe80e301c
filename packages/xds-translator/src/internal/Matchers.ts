import { HeaderValueOption_HeaderAppendAction, type HeaderValueOption } from "@egts/envoy-api/generated/envoy/config/core/v3/base";
import type { StringMatcher } from "@egts/envoy-api/generated/envoy/type/matcher/v3/string";
import type { AddHeader, StringMatch } from "@egts/ir";

/** An Envoy StringMatcher for an IR string match (exact, prefix, suffix or RE2 regex). */
export function buildStringMatcher(m: StringMatch): StringMatcher {
  const base = { ignoreCase: false };
  if (m.exact !== undefined) return { ...base, matchPattern: { $case: "exact", value: m.exact } };
  if (m.prefix !== undefined) return { ...base, matchPattern: { $case: "prefix", value: m.prefix } };
  if (m.suffix !== undefined) return { ...base, matchPattern: { $case: "suffix", value: m.suffix } };
  if (m.safeRegex !== undefined) return { ...base, matchPattern: { $case: "safeRegex", value: { regex: m.safeRegex } } };
  return base;
}

/** Header value options for headers to add: one per value, append action from `addIfAbsent`/`append`. */
export function buildAddedHeaders(headers: readonly AddHeader[]): HeaderValueOption[] {
  const out: HeaderValueOption[] = [];
  for (const h of headers) {
    const appendAction = h.addIfAbsent
      ? HeaderValueOption_HeaderAppendAction.ADD_IF_ABSENT
      : h.append
        ? HeaderValueOption_HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD
        : HeaderValueOption_HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD;
    const values = h.value ?? [];
    if (values.length === 0) {
      out.push({ header: { key: h.name, value: "", rawValue: Buffer.alloc(0) }, appendAction, keepEmptyValue: true });
      continue;
    }
    for (const value of values) {
      out.push({ header: { key: h.name, value, rawValue: Buffer.alloc(0) }, appendAction, keepEmptyValue: value === "" });
    }
  }
  return out;
}
