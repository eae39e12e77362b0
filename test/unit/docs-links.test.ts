import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Every relative link in README.md, docs/*.md and src-renderer/README.md resolves: the file
 * (or folder) is in the repository, and a `#fragment` is a heading of the file it points
 * into, as GitHub makes anchors of headings.
 */
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const FILES = ['README.md', 'src-renderer/README.md', ...readdirSync(join(REPO, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens; repeats get -1, -2. */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  let inCode = false;
  for (const line of markdown.split('\n')) {
    if (line.trimStart().startsWith('```')) inCode = !inCode;
    const m = !inCode && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const text = m[1]!.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n ? `${base}-${n}` : base);
  }
  return out;
}

/** `[text](target)` and `![alt](target)` outside code, with their line numbers. */
function linksOf(markdown: string): { line: number; target: string }[] {
  const out: { line: number; target: string }[] = [];
  let inCode = false;
  markdown.split('\n').forEach((line, i) => {
    if (line.trimStart().startsWith('```')) inCode = !inCode;
    if (inCode) return;
    const text = line.replace(/`[^`]*`/g, '');
    for (const m of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) out.push({ line: i + 1, target: m[1]! });
  });
  return out;
}

function broken(file: string): string[] {
  const text = readFileSync(join(REPO, file), 'utf8');
  return linksOf(text).flatMap(({ line, target }) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return []; // https:, mailto:
    const [path, fragment] = target.split('#') as [string, string | undefined];
    const into = path ? resolve(dirname(join(REPO, file)), decodeURI(path)) : join(REPO, file);
    const where = `${file}:${line} ${target}`;
    if (!into.startsWith(REPO) || !existsSync(into)) return [`${where}: no such file`];
    if (fragment === undefined || statSync(into).isDirectory() || !into.endsWith('.md')) return [];
    return anchorsOf(readFileSync(into, 'utf8')).has(fragment) ? [] : [`${where}: no heading #${fragment} in ${relative(REPO, into)}`];
  });
}

describe('links in the docs', () => {
  it('resolve: files exist, fragments name headings', () => {
    expect(FILES.flatMap(broken)).toEqual([]);
  });

  it('are found, and anchors made, as GitHub does', () => {
    expect(FILES.flatMap((f) => linksOf(readFileSync(join(REPO, f), 'utf8'))).length).toBeGreaterThan(50);
    expect([...anchorsOf('# Speed\n## Signers: `signers.json` and key files\n## Speed\n```\n# not a heading\n```')]).toEqual([
      'speed',
      'signers-signersjson-and-key-files',
      'speed-1',
    ]);
    expect(linksOf('see [a](docs/a.md#x) and `[b](not/a/link)`\n```\n[c](code)\n```\n![pic](p.png)')).toEqual([
      { line: 1, target: 'docs/a.md#x' },
      { line: 5, target: 'p.png' },
    ]);
  });
});
