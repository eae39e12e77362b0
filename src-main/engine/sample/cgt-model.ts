/**
 * The synthetic CGT manufacturing world the generator draws from: sites, products, the
 * release assays with their specification limits, and which batches fail. Kept apart from
 * the SQL so the template's expectations (tests, docs) read from one place.
 */

/** Manufacturing sites; batch b (0-based) is made at SITES[b % 3]. Hive partition values. */
export const SITES = ['BOS', 'LEI', 'SGP'] as const;

export const PRODUCTS = ['CAR-T CD19', 'CAR-T BCMA', 'TIL-M1'] as const;

export interface AssaySpec {
  /** The code the curated outputs use. */
  code: string;
  /** The name as the LIMS exports it (the raw file spells it with varying case and spaces). */
  name: string;
  unit: string;
  min: number | null;
  max: number | null;
  /** For pass/fail text results (sterility). */
  expected: string | null;
}

/** Release specification: every batch needs each of these, within limits. Order = assay index t. */
export const ASSAYS: readonly AssaySpec[] = [
  { code: 'viability', name: 'Viability', unit: '%', min: 70, max: null, expected: null },
  { code: 'viable_cell_count', name: 'Viable cell count', unit: 'cells', min: 100_000_000, max: 2_500_000_000, expected: null },
  { code: 'cd3_pct', name: 'CD3+ T cells', unit: '%', min: 80, max: null, expected: null },
  { code: 'vector_copy_number', name: 'Vector copy number', unit: 'copies/cell', min: 0.2, max: 5, expected: null },
  { code: 'endotoxin', name: 'Endotoxin', unit: 'EU/mL', min: null, max: 5, expected: null },
  { code: 'sterility', name: 'Sterility', unit: '', min: null, max: null, expected: 'No growth' },
];

/**
 * Batches that fail release, by 1-based batch number n. Fixed patterns rather than random
 * draws, so the same batches fail at every scale and seed (tests and docs can name them):
 * in the 40-batch sample, B0007 and B0026 (low viability), B0013 (high endotoxin) and
 * B0021 (CD3+ result missing, "N/A"). Sterility failures first appear at B0050.
 */
export const FAILURES = {
  lowViability: { modulus: 19, remainder: 7 },
  highEndotoxin: { modulus: 29, remainder: 13 },
  missingCd3: { modulus: 37, remainder: 21 },
  sterilityGrowth: { modulus: 97, remainder: 50 },
} as const;

/**
 * Whether batch number n (1-based) fails release in generated data at the specification's
 * limits, given each batch has at least one result per assay (assays >= 6 x batches).
 */
export function batchFailsRelease(n: number): boolean {
  return Object.values(FAILURES).some((f) => n % f.modulus === f.remainder);
}

/** `B0001`: at least four digits, more when there are more batches. */
export function batchIdWidth(batches: number): number {
  return Math.max(4, String(batches).length);
}

export function batchId(n: number, batches: number): string {
  return `B${String(n).padStart(batchIdWidth(batches), '0')}`;
}

export const RAW_COLUMNS = {
  batches: ['batch_id', 'product', 'donor_id', 'site', 'manufacture_start', 'manufacture_end'],
  assays: ['sample_id', 'batch_id', 'assay', 'result', 'unit', 'tested_at'],
  specs: ['assay_code', 'assay_name', 'unit', 'min_value', 'max_value', 'expected_text'],
  /** Plus `site`, which comes from the `site=XXX/` folder. */
  bioreactor: ['batch_id', 'reading_at', 'ph', 'do_pct', 'temp_c', 'glucose_g_l', 'lactate_g_l'],
} as const;
