/**
 * The File provider: reads Kubernetes-style YAML from files and directories (recursively), watches them and
 * reloads on change. The core ({@link updateFileSet}, {@link parseKubernetesYaml}) is pure: texts in, objects
 * and problems out; {@link watchFiles} is the thin effectful edge around it.
 *
 * @packageDocumentation
 */
export type { DocumentParser, FileProblem, ParsedFile, ParseLimits, ValidatingParser } from "./Documents.js";
export { checkObjectShape, formatFileProblem, parseKubernetesYaml, validatingParser } from "./Documents.js";
export { isIgnoredFileName, isResourceFileName } from "./FileNames.js";
export type { FileEntry, FileSet, FileSnapshot, ProblemLimits } from "./FileSet.js";
export { boundProblems, emptyFileSet, snapshotOf, updateFileSet } from "./FileSet.js";
export type { FileProviderOptions, FileWatch } from "./FileProvider.js";
export { loadFiles, watchFiles } from "./FileProvider.js";
