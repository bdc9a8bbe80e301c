/**
 * One CEL (Common Expression Language) front end for egts: a parser that numbers nodes and records
 * positions exactly as cel-go does, producing the `cel.expr` AST that Envoy's CEL matcher takes pre-parsed
 * and that @egts/api's validation-rule evaluator walks.
 *
 * @packageDocumentation
 */
export type { CelCall, CelComprehension, CelConstant, CelExpr, CelSelect, CelStruct, CelStructEntry, ParsedCel } from "./ast.js";
export { CelSyntaxError, parseCel } from "./parse.js";
