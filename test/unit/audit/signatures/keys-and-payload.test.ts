import { createPublicKey, sign, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { generatedSchemas } from '../../../../scripts/gen-json-schema';
import { signingPayload, type SignedFields } from '../../../../shared/gxp/entries';
import { keyValidAt, SIGNERS_SCHEMA_PATH, signersFileV1 } from '../../../../shared/gxp/signers';
import { createKeyFile, parseKeyFile, parsePublicKey, rawPublicKey, unlockKeyFile } from '../../../../src-main/engine/audit/signatures/key-file';

const fields: SignedFields = {
  runId: '20261201T000000Z-abc123',
  key: '20261201T000000Z-abc123',
  recordSha256: 'c'.repeat(64),
  meaning: 'approved',
  signedAt: '2026-12-01T10:00:00.000Z',
  signerId: 'qa.lead',
  comment: 'checked against the batch record',
};

describe('the signed payload', () => {
  it('is the canonical JSON of exactly the signed fields under a domain tag, whatever order they come in', () => {
    const text = signingPayload(fields);
    expect(text).toBe(
      '{"comment":"checked against the batch record","domain":"weir.signature.v1","key":"20261201T000000Z-abc123","meaning":"approved","recordSha256":"' +
        'c'.repeat(64) +
        '","runId":"20261201T000000Z-abc123","signedAt":"2026-12-01T10:00:00.000Z","signerId":"qa.lead"}',
    );
    const reordered = Object.fromEntries(Object.entries(fields).reverse()) as unknown as SignedFields;
    expect(signingPayload(reordered)).toBe(text);
    // Extra fields of a payload (printed name, host...) are not part of what is signed.
    expect(signingPayload({ ...fields, signerName: 'X' } as SignedFields)).toBe(text);
  });

  it('changes with every signed field, so none can be edited under a valid signature', () => {
    const base = signingPayload(fields);
    const edits: Partial<SignedFields>[] = [
      { runId: 'other' },
      { key: 'B0042' },
      { recordSha256: 'd'.repeat(64) },
      { meaning: 'released' },
      { signedAt: '2026-12-01T10:00:00.001Z' },
      { signerId: 'someone' },
      { comment: '' },
    ];
    for (const e of edits) expect(signingPayload({ ...fields, ...e }), JSON.stringify(e)).not.toBe(base);
  });
});

describe('the signer key file', () => {
  it('round-trips: the passphrase unlocks the key that verifies against the listed public key', async () => {
    const file = await createKeyFile('qa.lead', 'correct horse battery');
    const text = JSON.stringify(file);
    expect(text).not.toContain('PRIVATE KEY');
    const priv = await unlockKeyFile(parseKeyFile(text, 'k.json'), 'correct horse battery');
    const pub = parsePublicKey(file.publicKey);
    const sig = sign(null, Buffer.from(signingPayload(fields)), priv);
    expect(verify(null, Buffer.from(signingPayload(fields)), pub, sig)).toBe(true);
    expect(verify(null, Buffer.from(signingPayload({ ...fields, meaning: 'released' })), pub, sig)).toBe(false);
  });

  it('refuses a wrong passphrase, a changed ciphertext and a key file renamed to another signer', async () => {
    const file = await createKeyFile('qa.lead', 'correct horse battery');
    await expect(unlockKeyFile(file, 'correct horse batterY')).rejects.toThrow('wrong passphrase for signer "qa.lead"');
    const ct = Buffer.from(file.ciphertext, 'base64');
    ct[5]! ^= 1;
    await expect(unlockKeyFile({ ...file, ciphertext: ct.toString('base64') }, 'correct horse battery')).rejects.toThrow('wrong passphrase');
    await expect(unlockKeyFile({ ...file, signerId: 'other' }, 'correct horse battery')).rejects.toThrow('wrong passphrase for signer "other"');
  });

  it('refuses a short passphrase, a foreign file and scrypt costs a hostile file could set', async () => {
    await expect(createKeyFile('a', 'short')).rejects.toThrow('at least 8 characters');
    expect(() => parseKeyFile('{"format":"x"}', 'k.json')).toThrow('k.json: not a Weir signer key file');
    expect(() => parseKeyFile('nope', 'k.json')).toThrow('not JSON');
    const file = await createKeyFile('a', 'long enough');
    expect(() => parseKeyFile(JSON.stringify({ ...file, kdf: { ...file.kdf, N: 2 ** 24 } }), 'k.json')).toThrow('scrypt parameters out of range');
  });

  it('reads a public key as raw base64 or PEM, and refuses anything else', async () => {
    const file = await createKeyFile('a', 'long enough');
    const pem = parsePublicKey(file.publicKey).export({ format: 'pem', type: 'spki' }).toString();
    expect(rawPublicKey(parsePublicKey(pem)).toString('base64')).toBe(file.publicKey);
    expect(() => parsePublicKey('AAAA')).toThrow('not an Ed25519 public key');
    const rsa = createPublicKey(
      '-----BEGIN PUBLIC KEY-----\nMFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAMwbS8u3/g/4XNDrfdNBsTkHxKVP1EJz\nHPpU/VNNf6tO9E8k4ki+vbCbSbCZ4dEwkyTfzW2sJmu6RtS3lYeH8KUCAwEAAQ==\n-----END PUBLIC KEY-----\n',
    ).export({ format: 'pem', type: 'spki' }).toString();
    expect(() => parsePublicKey(rsa)).toThrow('a rsa key');
  });
});

describe('signers.json', () => {
  const root = fileURLToPath(new URL('../../../../', import.meta.url));
  it('a key is valid from validFrom (inclusive) to validTo (exclusive)', () => {
    const s = { validFrom: '2026-01-01T00:00:00Z', validTo: '2026-07-01T00:00:00Z' };
    expect(keyValidAt(s, '2025-12-31T23:59:59Z')).toBe(false);
    expect(keyValidAt(s, '2026-01-01T00:00:00Z')).toBe(true);
    expect(keyValidAt(s, '2026-07-01T00:00:00Z')).toBe(false);
    expect(keyValidAt({ validFrom: s.validFrom, validTo: null }, '2099-01-01T00:00:00Z')).toBe(true);
  });

  it('defaults its policy (released: one signature and no failed blocking check) and refuses unknown fields', () => {
    const f = signersFileV1.parse({ format: 'weir.signers', version: 1, signers: [] });
    expect(f.release.released).toEqual({ signatures: 1, roles: [], noFailedBlockingCheck: true });
    expect(f.requireRunReason).toBe('never');
    expect(signersFileV1.safeParse({ format: 'weir.signers', version: 1, signers: [], privateKey: 'x' }).success).toBe(false);
  });

  it('its committed JSON Schema is the one generated (run `npm run schema` when this fails) and accepts a file with a policy', () => {
    const generated = generatedSchemas().find((s) => s.path === SIGNERS_SCHEMA_PATH);
    const committed = readFileSync(`${root}/${SIGNERS_SCHEMA_PATH}`, 'utf8');
    expect(committed).toBe(generated!.text);
    const validate = new Ajv2020({ strict: false }).compile(JSON.parse(committed));
    const ok = {
      format: 'weir.signers',
      version: 1,
      signers: [{ id: 'qa.lead', name: 'Dr. A. Reviewer', roles: ['QA'], publicKey: 'x', validFrom: '2026-01-01T00:00:00Z' }],
      release: { released: { signatures: 2, roles: ['QA'], noFailedBlockingCheck: true } },
    };
    expect(validate(ok), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...ok, signers: [{ ...ok.signers[0], id: '../x' }] })).toBe(false);
  });
});
