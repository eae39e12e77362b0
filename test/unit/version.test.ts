import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WEIR_VERSION } from '../../src-main/engine/context/version';

describe('version', () => {
  it('the engine reports the version in package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(WEIR_VERSION).toBe(pkg.version);
  });
});
