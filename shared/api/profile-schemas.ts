/** The profile DTOs: one definition with the engine's result type, in shared/preview/results.ts. */
export { columnProfile, histogramBin, profileResult, type ColumnProfile as ColumnProfileDto, type ProfileResult as ProfileResultDto } from '../preview/results';
