import { z } from 'zod';
import { WeirError, jsonPath } from '../../../shared/errors';

/**
 * DuckDB reports errors as "<Kind> Error: message\n\nLINE n: ...\n   ^". The engine keeps
 * the analyst's first SQL line on line 1 of every statement, so n is the editor's line.
 */
export interface SqlErrorInfo {
  message: string;
  line?: number;
  column?: number;
}

export function describeDuckdbError(err: unknown): SqlErrorInfo {
  const raw = err instanceof Error ? err.message : String(err);
  const [head = raw] = raw.split('\n\n');
  const message = head.replace(/\s+/g, ' ').trim();
  const lineMatch = /LINE (\d+):( ?)(.*)\n(\s*)\^/.exec(raw);
  if (!lineMatch) return { message };
  const line = Number(lineMatch[1]);
  // The caret sits under the statement text after the "LINE n: " prefix.
  const prefixLen = `LINE ${lineMatch[1]}:${lineMatch[2]}`.length;
  const column = (lineMatch[4]?.length ?? 0) - prefixLen + 1;
  return { message, line, column: line > 1 && column > 0 ? column : undefined };
}

export function isInterrupt(err: unknown): boolean {
  const m = err instanceof Error ? err.message : String(err);
  return /INTERRUPT|Interrupted/i.test(m);
}

/**
 * A node's failure as the one line a user sees: `node "X", line N: message`. A WeirError
 * that already names its cause keeps its message (a connection error stays one); anything
 * else is read as a DuckDB error. `reason` is the message without the node prefix.
 */
export function nodeFailure(e: unknown, name: string, id: string | undefined): { error: WeirError; reason: string } {
  const info: SqlErrorInfo =
    e instanceof WeirError && e.kind !== 'internal' ? { message: e.message } : e instanceof z.ZodError ? { message: zodWords(e) } : describeDuckdbError(e);
  const where = info.line ? `, line ${info.line}` : '';
  const kind = e instanceof WeirError && e.kind === 'connection' ? 'connection' : 'node';
  const error = new WeirError(kind, `node "${name}"${where}: ${info.message}`, {
    nodeId: id,
    nodeName: name,
    ...(info.line !== undefined ? { line: info.line, column: info.column } : {}),
  });
  return { error, reason: info.message };
}

/** A schema's refusal in words (`column: expected the column avg reads`), not zod's JSON. */
function zodWords(e: z.ZodError): string {
  return e.issues.map((i) => (i.path.length ? `${jsonPath(i.path)}: ${i.message}` : i.message)).join('; ') || 'invalid settings';
}
