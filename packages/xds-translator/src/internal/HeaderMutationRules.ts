import { HeaderMutation as MutationRule } from "@egts/envoy-api/generated/envoy/config/common/mutation_rules/v3/mutation_rules";
import { HeaderValueOption_HeaderAppendAction } from "@egts/envoy-api/generated/envoy/config/core/v3/base";
import type { AddHeader, StringMatch } from "@egts/ir";
import { buildStringMatcher } from "./Matchers.js";
import { msg } from "./Proto.js";

/** Header mutation rules (add, remove, remove-on-match) as the header mutation extensions take them. */
export function buildHeaderMutationRules(add: readonly AddHeader[], remove: readonly string[], removeOnMatch: readonly StringMatch[]): MutationRule[] {
  const rules: MutationRule[] = [];
  for (const h of add) {
    const appendAction = h.addIfAbsent
      ? HeaderValueOption_HeaderAppendAction.ADD_IF_ABSENT
      : h.append
        ? HeaderValueOption_HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD
        : HeaderValueOption_HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD;
    const values = h.value ?? [];
    if (values.length === 0) {
      rules.push(msg(MutationRule, { action: { $case: "append", value: { header: { key: h.name }, appendAction, keepEmptyValue: true } } }));
    }
    for (const value of values) {
      rules.push(msg(MutationRule, { action: { $case: "append", value: { header: { key: h.name, value }, appendAction, keepEmptyValue: value === "" } } }));
    }
  }
  for (const name of remove) rules.push(msg(MutationRule, { action: { $case: "remove", value: name } }));
  for (const m of removeOnMatch) {
    rules.push(msg(MutationRule, { action: { $case: "removeOnMatch", value: { keyMatcher: buildStringMatcher(m) } } }));
  }
  return rules;
}
