import { s3ConnectionKind } from '../../../../shared/connections/s3';
import { WeirError } from '../../../../shared/errors';
import { normalizePrefix } from '../../storage/glob';
import { openS3Store } from '../../storage/open-store';
import { describeS3Error, displayEndpoint } from '../../storage/s3-errors';
import { defineConnectionRuntime } from '../define';

/** An S3 bucket (AWS, MinIO): the test lists one object under the connection's prefix; the client is the S3 store. */
export const s3ConnectionRuntime = defineConnectionRuntime(s3ConnectionKind, {
  provides: 'object-store',
  client: (name, spec, o) => openS3Store(name, spec, o),
  async test({ name, spec, signal }) {
    if (!spec.bucket) throw new WeirError('connection', `connection "${name}": no bucket given`);
    const endpoint = displayEndpoint(spec.endpoint);
    // Loaded here, not at start-up: the SDK takes a fifth of a second to load.
    const [{ ListObjectsV2Command }, { createS3Client }] = await Promise.all([import('@aws-sdk/client-s3'), import('../../storage/s3-client')]);
    const client = createS3Client(spec, name);
    const prefix = normalizePrefix(spec.root);
    try {
      const page = await client.send(new ListObjectsV2Command({ Bucket: spec.bucket, Prefix: prefix, MaxKeys: 1 }), { abortSignal: signal });
      const any = (page.Contents?.length ?? 0) > 0;
      return `bucket "${spec.bucket}" at ${endpoint} answered${prefix ? ` under ${prefix}` : ''}: ${any ? 'objects found' : 'no objects yet'}`;
    } catch (e) {
      throw describeS3Error(e, { connection: name, bucket: spec.bucket, endpoint });
    } finally {
      client.destroy();
    }
  },
});
