/**
 * One line for a PostgreSQL or socket failure: the server's message, its detail and hint,
 * or what happened to the connection. A password can never appear: it is cut out of the
 * text as a last guard, although neither pg nor the server puts it in a message.
 */
export interface PgErrorFields {
  message?: string;
  code?: string;
  detail?: string;
  hint?: string;
  /** Context, such as `COPY t, line 300001, column batch_id: "..."`. */
  where?: string;
  errors?: unknown[];
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

/**
 * Codes with which the server ends a session. 57P01 is the same for pg_terminate_backend and a
 * fast or smart shutdown (both send the backend SIGTERM): the message cannot tell them apart.
 */
const SESSION_ENDED: Record<string, string> = {
  '57P01': 'the session was terminated by the server (pg_terminate_backend or a server shutdown)',
  '57P02': 'the session was terminated because another server process crashed',
  '57P03': 'the server is starting up or shutting down',
  '57P05': 'the session was terminated for being idle too long (idle_session_timeout)',
  '25P03': 'the session was terminated for being idle in a transaction too long (idle_in_transaction_session_timeout)',
};

export function pgErrorMessage(err: unknown, secret?: { password?: string | undefined }): string {
  const e = (err ?? {}) as PgErrorFields;
  // Node reports a refused "localhost" (::1 and 127.0.0.1) as an AggregateError with no message.
  const inner = Array.isArray(e.errors) && e.errors.length ? (e.errors[0] as PgErrorFields) : undefined;
  const code = e.code ?? inner?.code;
  let text = (e.message || inner?.message || String(err)).replace(/\s+/g, ' ').trim();
  if (code && CONNECTION_CODES.has(code)) text = `${describeSocketCode(code)} (${text})`;
  else if (code && SESSION_ENDED[code]) text = `${SESSION_ENDED[code]} (${text})`;
  else if (/Connection terminated/i.test(text)) text = `the connection to the server was lost (${text})`;
  else if (code === '57014' && /statement timeout/i.test(text)) {
    text = `the statement ran longer than statement_timeout allows (${text}); raise it for this role (ALTER ROLE ... SET statement_timeout) or with PGOPTIONS='-c statement_timeout=...'`;
  }
  if (e.detail) text += ` (${e.detail.replace(/\s+/g, ' ').trim()})`;
  // Which input row COPY choked on (line n is the n-th row sent); not the internal table name.
  const copyAt = e.where ? /COPY [^,]+, line (\d+)(?:, column ([^:]+))?/.exec(e.where) : null;
  if (copyAt) text += ` (row ${copyAt[1]}${copyAt[2] ? `, column ${copyAt[2]}` : ''})`;
  if (e.hint) text += ` Hint: ${e.hint.replace(/\s+/g, ' ').trim()}`;
  const pw = secret?.password;
  if (pw && pw.length >= 3) text = text.split(pw).join('***');
  return text;
}

function describeSocketCode(code: string): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused: is the server running and accepting TCP connections?';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'unknown host';
    case 'ETIMEDOUT':
      return 'timed out';
    default:
      return 'the connection to the server was lost';
  }
}

/** Whether the failure means the connection is gone (so no ROLLBACK can be sent). */
export function isConnectionLost(err: unknown): boolean {
  const e = (err ?? {}) as PgErrorFields;
  return (
    (e.code !== undefined && (CONNECTION_CODES.has(e.code) || SESSION_ENDED[e.code] !== undefined || /^08/.test(e.code))) ||
    /Connection terminated|not queryable|ECONNRESET/i.test(String(e.message))
  );
}
