import { describe, expect, it } from 'vitest';
import { isConnectionLost, pgErrorMessage } from '../../../src-main/engine/postgres/errors';

/** The fields pg puts on a server error. */
function serverError(message: string, fields: { code?: string; detail?: string; hint?: string } = {}): Error {
  return Object.assign(new Error(message), fields);
}

describe('pgErrorMessage: one line', () => {
  it("adds the server's detail and hint", () => {
    const e = serverError('duplicate key value violates unique constraint "t_pkey"', { code: '23505', detail: 'Key (id)=(7) already exists.', hint: 'Check\nthe input.' });
    expect(pgErrorMessage(e)).toBe('duplicate key value violates unique constraint "t_pkey" (Key (id)=(7) already exists.) Hint: Check the input.');
  });

  it('says which row and column COPY refused, without the internal table name', () => {
    const e = serverError('invalid input syntax for type integer: "x"', { code: '22P02' });
    Object.assign(e, { where: 'COPY results__weir_stage_0a1b2c3d, line 1234, column dose: "x"' });
    expect(pgErrorMessage(e)).toBe('invalid input syntax for type integer: "x" (row 1234, column dose)');
  });

  it('explains a refused connection, also when Node reports it as an AggregateError without a message', () => {
    const inner = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5999'), { code: 'ECONNREFUSED' });
    const agg = Object.assign(new AggregateError([inner], ''), { code: 'ECONNREFUSED' });
    expect(pgErrorMessage(agg)).toBe('connection refused: is the server running and accepting TCP connections? (connect ECONNREFUSED 127.0.0.1:5999)');
  });

  it('says a session was terminated, and names a lost connection', () => {
    expect(pgErrorMessage(serverError('terminating connection due to administrator command', { code: '57P01' }))).toBe(
      'the session was terminated by the server (pg_terminate_backend or a server shutdown) (terminating connection due to administrator command)',
    );
    expect(pgErrorMessage(serverError('terminating connection because of crash of another server process', { code: '57P02' }))).toMatch(/^the session was terminated because another server process crashed/);
    expect(pgErrorMessage(serverError('terminating connection due to idle-in-transaction timeout', { code: '25P03' }))).toMatch(/^the session was terminated for being idle in a transaction too long/);
    expect(pgErrorMessage(new Error('Connection terminated unexpectedly'))).toBe('the connection to the server was lost (Connection terminated unexpectedly)');
  });

  it('says a statement outlived statement_timeout and how to raise it; a cancel on request stays as the server said', () => {
    expect(pgErrorMessage(serverError('canceling statement due to statement timeout', { code: '57014' }))).toBe(
      "the statement ran longer than statement_timeout allows (canceling statement due to statement timeout); raise it for this role (ALTER ROLE ... SET statement_timeout) or with PGOPTIONS='-c statement_timeout=...'",
    );
    expect(pgErrorMessage(serverError('canceling statement due to user request', { code: '57014' }))).toBe('canceling statement due to user request');
  });

  it('cuts the password out, whatever put it there', () => {
    const e = serverError('could not connect with postgres://u:Pa55word!@db/x', { detail: 'password Pa55word! rejected' });
    const msg = pgErrorMessage(e, { password: 'Pa55word!' });
    expect(msg).not.toContain('Pa55word!');
    expect(msg).toContain('***');
  });

  it('tells a lost connection from a failed statement', () => {
    expect(isConnectionLost(serverError('terminating connection due to administrator command', { code: '57P01' }))).toBe(true);
    expect(isConnectionLost(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isConnectionLost(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionLost(serverError('connection failure', { code: '08006' }))).toBe(true);
    expect(isConnectionLost(serverError('duplicate key', { code: '23505' }))).toBe(false);
    expect(isConnectionLost(serverError('canceling statement due to lock timeout', { code: '55P03' }))).toBe(false);
  });
});
