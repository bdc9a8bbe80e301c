/**
 * A label selector as objects write it (metav1.LabelSelector), its operators not checked yet: the shape
 * {@link labelSelectorMatches} accepts (the checked one is `LabelSelector`).
 */
export interface LabelSelectorLike {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: ReadonlyArray<{ readonly key: string; readonly operator: string; readonly values?: ReadonlyArray<string> }>;
}

/**
 * Whether `labels` satisfy `selector`, as Kubernetes evaluates it: every `matchLabels` pair and every
 * expression must hold, so an empty selector matches everything. An expression with an operator Kubernetes
 * does not know matches nothing (Kubernetes refuses such a selector).
 */
export function labelSelectorMatches(selector: LabelSelectorLike, labels: Readonly<Record<string, string>>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const expression of selector.matchExpressions ?? []) {
    const value = labels[expression.key];
    const values = expression.values ?? [];
    switch (expression.operator) {
      case "In":
        if (value === undefined || !values.includes(value)) return false;
        break;
      case "NotIn":
        if (value !== undefined && values.includes(value)) return false;
        break;
      case "Exists":
        if (value === undefined) return false;
        break;
      case "DoesNotExist":
        if (value !== undefined) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
