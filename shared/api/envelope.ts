import type { ValidationIssue, WeirErrorKind } from '../errors';
import { z } from 'zod';
import { WeirError, PipelineInvalidError, jsonPath } from '../errors';

/**
 * Every transport answers a call with the same envelope, so the renderer sees the same
 * one-line error from IPC and from HTTP. Never a stack trace.
 */
export interface ApiErrorBody {
  kind: WeirErrorKind;
  message: string;
  details?: { nodeId?: string; nodeName?: string; line?: number; column?: number };
  issues?: ValidationIssue[];
}

export type Envelope<T> = { ok: true; result: T } | { ok: false; error: ApiErrorBody };

const KINDS: readonly WeirErrorKind[] = ['usage', 'invalid', 'node', 'connection', 'cancelled', 'stale', 'internal'];

export function errorBody(e: unknown): ApiErrorBody {
  if (e instanceof WeirError) {
    const body: ApiErrorBody = { kind: e.kind, message: e.message };
    if (Object.keys(e.details).length) body.details = { ...e.details };
    if (e instanceof PipelineInvalidError) body.issues = e.issues;
    return body;
  }
  // A schema's refusal that no caller turned into words is still the input's fault, never an
  // internal error quoting zod's JSON (`internal error: [`): said by path and message.
  if (e instanceof z.ZodError) return { kind: 'invalid', message: zodLine(e), issues: e.issues.map((i) => ({ path: jsonPath(i.path), message: i.message })) };
  const message = e instanceof Error ? e.message : String(e);
  return { kind: 'internal', message: `internal error: ${message.split('\n')[0]}` };
}

function zodLine(e: z.ZodError): string {
  const first = e.issues[0];
  if (!first) return 'invalid input';
  const at = jsonPath(first.path);
  const more = e.issues.length > 1 ? ` (and ${e.issues.length - 1} more problem${e.issues.length > 2 ? 's' : ''})` : '';
  return `${at ? `${at}: ` : ''}${first.message}${more}`;
}

/** The error a client throws for a failed call; `kind` as the engine set it. */
export class ApiError extends Error {
  readonly kind: WeirErrorKind;
  readonly details: ApiErrorBody['details'];
  readonly issues: ValidationIssue[];
  constructor(body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.kind = KINDS.includes(body.kind) ? body.kind : 'internal';
    this.details = body.details;
    this.issues = body.issues ?? [];
  }
}

/** The one line a client shows for a failed call, or for anything else thrown. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
