export { runEgctlSuite } from "./EgctlSuite.js";
export { translateGatewayApiSuite, translateXdsSuite } from "./TranslateSuites.js";
export { roundTripGatewayApi } from "./GatewayApiSuite.js";
export { roundTripXds } from "./XdsSuite.js";
export { caseNames, suiteNames, type SuiteName, type SuiteReport } from "./Corpus.js";
