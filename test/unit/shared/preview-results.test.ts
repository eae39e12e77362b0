import { describe, expect, expectTypeOf, it } from 'vitest';
import { methods } from '../../../shared/api/contract';
import type { ProfileResultDto } from '../../../shared/api/profile-schemas';
import type { PreviewResultDto } from '../../../shared/api/schemas';
import { previewResult, profileResult } from '../../../shared/preview/results';
import type { PreviewResult } from '../../../src-main/engine/run/preview';
import type { ProfileResult } from '../../../src-main/engine/run/profile';

describe("the engine's preview and profile results", () => {
  it('are the API contract DTOs: one schema, one type', () => {
    // The contract answers with the very schemas the engine's types are inferred from.
    expect(methods['pipeline.preview'].output).toBe(previewResult);
    expect(methods['pipeline.profile'].output).toBe(profileResult);
    expectTypeOf<PreviewResult>().toEqualTypeOf<PreviewResultDto>();
    expectTypeOf<ProfileResult>().toEqualTypeOf<ProfileResultDto>();
  });
});
