import { describe, expect, it } from 'vitest';
import { WeirError } from '../../../shared/errors';
import { databaseUri, describeTarget, pgTarget, targetUri } from '../../../src-main/engine/postgres/connect';

const env = (vars: Record<string, string>) => (name: string) => vars[name];

describe('pgTarget: a resolved connection, with the PG* variables as fallback', () => {
  it('takes what the workspace gives', () => {
    const t = pgTarget('mart', { kind: 'postgres', host: 'db.internal', port: '6543', database: 'marts', user: 'weir', password: 's3cret', sslmode: 'require' }, env({ PGHOST: 'ignored' }));
    expect(t).toEqual({ name: 'mart', host: 'db.internal', port: 6543, database: 'marts', user: 'weir', password: 's3cret', sslmode: 'require', sslRootCert: undefined });
  });

  it('falls back to PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD, PGSSLMODE and PGSSLROOTCERT', () => {
    const t = pgTarget(
      'mart',
      { kind: 'postgres', database: 'from_workspace' },
      env({ PGHOST: '10.0.0.5', PGPORT: '5433', PGDATABASE: 'from_env', PGUSER: 'analyst', PGPASSWORD: 'pw', PGSSLMODE: 'verify-full', PGSSLROOTCERT: '/etc/ca.pem' }),
    );
    expect(t).toMatchObject({ host: '10.0.0.5', port: 5433, database: 'from_workspace', user: 'analyst', password: 'pw', sslmode: 'verify-full', sslRootCert: '/etc/ca.pem' });
  });

  it("uses libpq's defaults when nothing is set: localhost:5432, sslmode prefer, database named as the user", () => {
    const t = pgTarget('mart', { kind: 'postgres', user: 'qa' }, env({}));
    expect(t).toMatchObject({ host: 'localhost', port: 5432, user: 'qa', database: 'qa', password: undefined, sslmode: 'prefer' });
  });

  it('an empty value (an unset optional variable) counts as not given', () => {
    const t = pgTarget('mart', { kind: 'postgres', host: '' }, env({ PGHOST: 'fallback' }));
    expect(t.host).toBe('fallback');
  });

  it('refuses a port that is not a port and an unknown sslmode, naming the connection', () => {
    expect(() => pgTarget('mart', { kind: 'postgres', port: 'fivefour' }, env({}))).toThrow('connection "mart": port "fivefour" is not a TCP port');
    expect(() => pgTarget('mart', { kind: 'postgres' }, env({ PGSSLMODE: 'allow-ish' }))).toThrow(
      'connection "mart": sslmode "allow-ish" is not one of disable, prefer, require, verify-ca, verify-full',
    );
  });

  it('refuses a connection of another kind', () => {
    const e = (() => {
      try {
        pgTarget('lake', { kind: 'folder', path: 'data' }, env({}));
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(WeirError);
    expect((e as WeirError).message).toBe('connection "lake" is of kind "folder", expected "postgres"');
  });

  it('describes a target and builds record URIs without the password', () => {
    const t = pgTarget('mart', { kind: 'postgres', host: 'db', port: 5432, database: 'qc marts', user: 'weir', password: 'hunter2' }, env({}));
    expect(describeTarget(t)).toBe('weir@db:5432/qc marts');
    expect(databaseUri(t)).toBe('postgresql://db:5432/qc%20marts');
    expect(targetUri(t, 'mart', 'batch_release')).toBe('postgresql://db:5432/qc%20marts/mart.batch_release');
    expect(`${describeTarget(t)} ${targetUri(t, 'a', 'b')}`).not.toContain('hunter2');
  });
});
