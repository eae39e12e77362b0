/** OpenLineage dataset naming: local files are (file, /path), S3 objects (s3://bucket, key). */
export function datasetName(uri: string): { namespace: string; name: string } {
  if (uri.startsWith('file://')) return { namespace: 'file', name: decodeURI(uri.slice('file://'.length)) };
  try {
    const u = new URL(uri);
    // Never let credentials in a URI reach a lineage backend.
    return { namespace: `${u.protocol}//${u.host}`, name: decodeURIComponent(u.pathname.replace(/^\/+/, '')) || u.host };
  } catch {
    return { namespace: 'file', name: uri };
  }
}
