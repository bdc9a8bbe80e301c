export { runEgctlSuite } from "./EgctlSuite.js";
export { translateGatewayApiSuite, translateXdsSuite } from "./TranslateSuites.js";
export { roundTripGatewayApi } from "./GatewayApiSuite.js";
export { roundTripXds } from "./XdsSuite.js";
export { translateExtensionSuite } from "./ExtensionSuite.js";
export { startTestDoubleExtensionServer, testDoubleExtensionHandlers } from "./TestExtensionServer.js";
export { caseNames, suiteNames, type SuiteName, type SuiteReport } from "./Corpus.js";
