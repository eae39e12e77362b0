import type { JSX } from 'react';
import type { ConnectionTestResultDto } from '../../shared/api/connection-schemas';

/** The last test of a connection: testing, ok (what answered) or the one-line reason. */
export function TestResult({ result }: { result: ConnectionTestResultDto | 'testing' | undefined }): JSX.Element | null {
  if (!result) return null;
  if (result === 'testing') return <span className="test-result testing" data-testid="test-result" data-ok="">testing…</span>;
  return (
    <span className={`test-result ${result.ok ? 'ok' : 'bad'}`} data-testid="test-result" data-ok={String(result.ok)} title={result.message}>
      {result.ok ? '✓ ' : '✕ '}
      {result.message}
      <span className="muted"> · {result.elapsedMs} ms</span>
    </span>
  );
}
