import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ENGINE = join(ROOT, 'src-main/engine');
const FRONT_DOOR = join(ENGINE, 'index.ts');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sources(path));
    else if (/\.tsx?$/.test(name)) out.push(path);
  }
  return out;
}

interface Edge {
  spec: string;
  /** Absolute module path for a relative import; the package name otherwise. */
  target: string;
  typeOnly: boolean;
  dynamic: boolean;
}

function resolveModule(from: string, spec: string): string {
  const base = resolve(dirname(from), spec);
  for (const c of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) if (existsSync(c) && statSync(c).isFile()) return c;
  return base;
}

/** Every import of a file, telling type-only and dynamic ones apart. */
function importsOf(file: string): Edge[] {
  const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: Edge[] = [];
  const add = (spec: string, typeOnly: boolean, dynamic: boolean) =>
    out.push({ spec, typeOnly, dynamic, target: spec.startsWith('.') ? resolveModule(file, spec) : spec });
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) {
      const clause = n.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : null;
      const typeOnly = Boolean(clause?.isTypeOnly || (clause && !clause.name && named?.length && named.every((e) => e.isTypeOnly)));
      add(n.moduleSpecifier.text, typeOnly, false);
    } else if (ts.isExportDeclaration(n) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      add(n.moduleSpecifier.text, n.isTypeOnly, false);
    } else if (ts.isCallExpression(n) && (n.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(n.expression) && n.expression.text === 'require'))) {
      const arg = n.arguments[0];
      if (arg && ts.isStringLiteralLike(arg)) add(arg.text, false, true);
    } else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) {
      add(n.argument.literal.text, true, true);
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
  return out;
}

describe('the engine has one front door (src-main/engine/index.ts)', () => {
  it('is the only engine module the shells, the benchmarks, the scripts, shared/ and the renderer import', () => {
    const outside = ['src-main/api', 'src-main/cli', 'src-main/server', 'src-main/electron', 'bench', 'scripts', 'shared', 'src-renderer'].flatMap((d) => sources(join(ROOT, d)));
    expect(outside.length).toBeGreaterThan(100);
    // Every module name in the file: imports, re-exports, import(), require(), import types.
    const targets = (file: string) => ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((f) => (f.fileName.startsWith('.') ? resolveModule(file, f.fileName) : f.fileName));
    const reached = outside.flatMap((file) =>
      targets(file)
        .filter((t) => t.startsWith(`${ENGINE}/`) && t !== FRONT_DOOR)
        .map((t) => `${relative(ROOT, file)} imports ${relative(ROOT, t)}`),
    );
    expect(reached).toEqual([]);
    // It is used: the shells do reach the engine, through it.
    const throughDoor = outside.filter((file) => targets(file).includes(FRONT_DOOR));
    expect(throughDoor.map((f) => relative(ROOT, f))).toEqual(expect.arrayContaining(['src-main/api/service.ts', 'src-main/cli/support/engine.ts', 'bench/lib/engine.ts']));
  });

  it('below it, no module reads process.env: the values come from the EngineContext', () => {
    const readers = sources(ENGINE)
      .filter((f) => f !== FRONT_DOOR)
      .filter((f) => readFileSync(f, 'utf8').includes('process.env'))
      .map((f) => relative(ROOT, f));
    expect(readers).toEqual([]);
  });

  it('loads no native or network library by itself: `weir --version`, `weir diff` and the merge driver start without DuckDB, pg or the AWS SDK', () => {
    const heavy = ['@duckdb/node-api', 'pg', 'pg-copy-streams', '@aws-sdk/client-s3'];
    const seen = new Set<string>([FRONT_DOOR]);
    const queue = [FRONT_DOOR];
    const loaded: string[] = [];
    while (queue.length) {
      const file = queue.shift()!;
      for (const e of importsOf(file)) {
        // What loads when the module loads: value imports, not import() nor types.
        if (e.typeOnly || e.dynamic) continue;
        if (heavy.includes(e.target)) loaded.push(`${relative(ROOT, file)} loads ${e.target}`);
        if (e.target.startsWith('/') && !seen.has(e.target)) {
          seen.add(e.target);
          queue.push(e.target);
        }
      }
    }
    expect(seen.size).toBeGreaterThan(20);
    expect(loaded).toEqual([]);
  });
});
