/**
 * The parsed CEL AST, shaped exactly as ts-proto renders `cel.expr.Expr` (google/cel-spec syntax.proto):
 * string ids, `exprKind` as a `$case` union, 64-bit integers as decimal strings. Keeping that shape lets
 * Envoy's CEL matcher take the tree as it is, while an evaluator walks the same tree.
 */
export interface CelExpr {
  id: string;
  exprKind?:
    | { $case: "constExpr"; value: CelConstant }
    | { $case: "identExpr"; value: { name: string } }
    | { $case: "selectExpr"; value: CelSelect }
    | { $case: "callExpr"; value: CelCall }
    | { $case: "listExpr"; value: { elements: CelExpr[]; optionalIndices: number[] } }
    | { $case: "structExpr"; value: CelStruct }
    | { $case: "comprehensionExpr"; value: CelComprehension }
    | undefined;
}

/** A literal. */
export interface CelConstant {
  constantKind?:
    | { $case: "nullValue"; value: 0 }
    | { $case: "boolValue"; value: boolean }
    | { $case: "int64Value"; value: string }
    | { $case: "uint64Value"; value: string }
    | { $case: "doubleValue"; value: number }
    | { $case: "stringValue"; value: string }
    | { $case: "bytesValue"; value: Buffer }
    | undefined;
}

/** `operand.field`, or `has(operand.field)` when `testOnly`. */
export interface CelSelect {
  operand?: CelExpr | undefined;
  field: string;
  testOnly: boolean;
}

/** A function or operator call (operators under cel-go's names: `_+_`, `_[_]`, `@in`, `!_`...). */
export interface CelCall {
  target?: CelExpr | undefined;
  function: string;
  args: CelExpr[];
}

/** A map literal (`messageName` empty, `mapKey` entries) or a message construction (`fieldKey` entries). */
export interface CelStruct {
  messageName: string;
  entries: CelStructEntry[];
}

export interface CelStructEntry {
  id: string;
  keyKind?: { $case: "fieldKey"; value: string } | { $case: "mapKey"; value: CelExpr } | undefined;
  value?: CelExpr | undefined;
  optionalEntry: boolean;
}

/** A fold, into which the parser expands the macros all, exists, exists_one, map and filter. */
export interface CelComprehension {
  iterVar: string;
  iterVar2: string;
  iterRange?: CelExpr | undefined;
  accuVar: string;
  accuInit?: CelExpr | undefined;
  loopCondition?: CelExpr | undefined;
  loopStep?: CelExpr | undefined;
  result?: CelExpr | undefined;
}

/** A parsed expression: the tree plus where each node starts (code-point offsets) and where each line ends. */
export interface ParsedCel {
  expr: CelExpr;
  /** Offsets just past each line's newline, in code points, as cel-go's source info records them. */
  lineOffsets: number[];
  /** Node id to code-point offset. */
  positions: { [id: string]: number };
}
