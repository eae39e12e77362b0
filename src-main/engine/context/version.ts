/** Kept in step with package.json by test/unit/version.test.ts. */
export const WEIR_VERSION = '0.1.0';
