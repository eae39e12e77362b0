import { describe, expect, it } from 'vitest';
import { applicationName, hostTag, parseApplicationName, wantedSettings } from '../../../src-main/engine/postgres/session';

const RUN = '20261126T012233.123Z-3f9a1c';

describe('a session application_name', () => {
  it('names the run, the runner process and host, the purpose and the work', () => {
    expect(applicationName({ purpose: 'publish', runId: RUN, detail: 'batches' }, 4242, 'a1b2c3d4')).toBe(`weir ${RUN} 4242@a1b2c3d4 publish batches`);
    expect(applicationName({ purpose: 'test', detail: 'mart' }, 7, 'a1b2c3d4')).toBe('weir test 7@a1b2c3d4 mart');
  });

  it('fits in the 63 bytes PostgreSQL keeps, the run, process and host always whole, and printable ASCII only', () => {
    const long = applicationName({ purpose: 'publish', runId: RUN, detail: 'a_table_name_much_longer_than_what_fits' }, 4194304, 'a1b2c3d4');
    expect(long).toHaveLength(63);
    expect(parseApplicationName(long)).toEqual({ runId: RUN, pid: 4194304, host: 'a1b2c3d4' });
    expect(applicationName({ purpose: 'source', runId: RUN, detail: 'büro\nx' }, 1, 'a1b2c3d4')).toBe(`weir ${RUN} 1@a1b2c3d4 source b?ro?x`);
  });

  it("reads back a run's session, and nothing else", () => {
    expect(parseApplicationName(applicationName({ purpose: 'source', runId: RUN }, 99, hostTag()))).toEqual({ runId: RUN, pid: 99, host: hostTag() });
    for (const other of ['weir', 'weir publish batches', 'weir test 7@a1b2c3d4 mart', `weir ${RUN} x@a1b2c3d4`, `weir ${RUN} 12@host`, `weirdo ${RUN} 12@a1b2c3d4`, 'psql', '']) {
      expect(parseApplicationName(other)).toBeNull();
    }
  });

  it('has a stable 8-hex host tag', () => {
    expect(hostTag()).toMatch(/^[0-9a-f]{8}$/);
    expect(hostTag()).toBe(hostTag());
  });
});

describe('the settings a session asks for', () => {
  it('bounds statements by default and lets a use give its own limit', () => {
    expect(wantedSettings({ purpose: 'publish' })).toEqual({
      statement_timeout: '3600000',
      idle_in_transaction_session_timeout: '300000',
      client_connection_check_interval: '1000',
      tcp_keepalives_idle: '10',
      tcp_keepalives_interval: '5',
      tcp_keepalives_count: '3',
    });
    expect(wantedSettings({ purpose: 'test', statementTimeoutMs: 10_000 }).statement_timeout).toBe('10000');
  });
});
