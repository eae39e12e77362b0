// Types of gen-kind-index.mjs, for the tests that run it.
export declare const SHARED_INDEX: string;
export declare const RUNTIME_INDEX: string;
/** The text of both index files for the tree at `root`, by path relative to it. */
export declare function kindIndexFiles(root: string): Record<string, string>;
/** Writes the files that differ from what they should be; returns their paths. */
export declare function writeKindIndex(root: string): string[];
