import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { protocolStdout } from '../../../src-main/cli/commands/mcp';

const text = (s: PassThrough) => {
  const chunks: string[] = [];
  s.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  return () => chunks.join('');
};

describe('weir mcp: stdout is the protocol\'s alone', () => {
  it('sends protocol messages to stdout and anything else written there (a stray console.log) to stderr', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const out = text(stdout);
    const err = text(stderr);
    const protocol = protocolStdout(stdout, stderr);
    stdout.write('a stray log line\n');
    await new Promise<void>((done) => protocol.write('{"jsonrpc":"2.0","id":1,"result":{}}\n', () => done()));
    expect(out()).toBe('{"jsonrpc":"2.0","id":1,"result":{}}\n');
    expect(err()).toBe('a stray log line\n');
  });
});
