import { describe, expect, it } from 'vitest';
import { exitFor, parseKeys } from '../../../src-main/cli/commands/review';
import { sampleReport } from '../shared/review/sample-report';

describe('weir review: --key and --fail-on', () => {
  it('parses NODE=COL[,COL...] pairs, and refuses anything else as a usage error', () => {
    expect(parseKeys(['batch_release=batch_id', 'kpis=site, product'])).toEqual({ batch_release: ['batch_id'], kpis: ['site', 'product'] });
    for (const bad of ['batch_release', '=batch_id', 'batch_release=', 'x=a,,b']) {
      expect(() => parseKeys([bad]), bad).toThrow(expect.objectContaining({ kind: 'usage', message: expect.stringMatching(/--key expects NODE=COLUMN/) }));
    }
  });

  it('exit 3 on a breaking change (fail-on breaking, any), on any impact with fail-on any, never with none', () => {
    const breaking = sampleReport();
    const nonBreaking = { ...breaking, summary: { ...breaking.summary, verdict: 'non_breaking' as const } };
    const none = { ...breaking, summary: { ...breaking.summary, verdict: 'none' as const } };
    expect([exitFor(breaking, 'breaking'), exitFor(breaking, 'any'), exitFor(breaking, 'none')]).toEqual([3, 3, 0]);
    expect([exitFor(nonBreaking, 'breaking'), exitFor(nonBreaking, 'any'), exitFor(nonBreaking, 'none')]).toEqual([0, 3, 0]);
    expect([exitFor(none, 'breaking'), exitFor(none, 'any')]).toEqual([0, 0]);
  });
});
