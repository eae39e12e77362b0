// The layer rule (DESIGN, "One engine, three shells"), as an allow-list: each folder role says
// what it may import, and everything else is refused. eslint.config.js holds the table of
// roles; test/unit/layers.test.ts plants a violation of each to prove the rule fires.
//
// An import is judged by where it lands, not by how it is spelled: a relative path is
// resolved against the importing file (a folder means its index.ts), a bare name is a
// package (node:fs and fs are Node). Static imports, re-exports, `import type`, `import()`
// with a literal path, `require(...)` (including one made by createRequire) and
// `import x = require(...)` are all judged; an `import()` of a computed path is refused,
// since no one can tell where it lands.
import { existsSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';

const BUILTINS = new Set(builtinModules);

/** `@scope/name/sub?query` → `@scope/name`; `name/sub` → `name`. */
function packageName(spec) {
  const bare = spec.split('?')[0];
  const parts = bare.split('/');
  return bare.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** A repository path without its extension; a folder stands for its index. */
function moduleAt(root, abs) {
  let path = abs.split('?')[0];
  try {
    if (existsSync(path) && statSync(path).isDirectory()) path = `${path}/index`;
  } catch {
    // Unreadable: judged by its name.
  }
  return relative(root, path).split(sep).join('/').replace(/\.(ts|tsx|js|mjs|cjs|css)$/, '');
}

/** What an import names: a module of the repository, Node, or a package. */
function classify(root, file, spec) {
  if (spec.startsWith('.') || spec.startsWith('/')) return { kind: 'path', path: moduleAt(root, resolve(dirname(file), spec)) };
  if (spec.startsWith('node:') || BUILTINS.has(spec.split('/')[0])) return { kind: 'node' };
  return { kind: 'package', name: packageName(spec) };
}

/** A path entry ending in `/` is a folder (everything below it); otherwise one module. */
const pathAllowed = (entries, path) => entries.some((e) => (e.endsWith('/') ? path.startsWith(e) : path === e.replace(/\.(ts|tsx)$/, '')));

/**
 * roles: [{ name, files: [path prefixes], paths: [...], packages: [...], node: boolean, says }],
 * most specific first: a file takes the first role whose prefix it starts with. Files of no
 * role (tests, configuration) are not judged.
 */
export function layersPlugin(root, roles) {
  const roleOf = (file) => {
    const rel = relative(root, file).split(sep).join('/');
    return roles.find((r) => r.files.some((f) => rel === f || rel.startsWith(f)));
  };
  const rule = {
    meta: { type: 'problem', schema: [], docs: { description: 'what each folder role may import (eslint.config.js)' } },
    create(context) {
      const file = context.filename;
      const role = roleOf(file);
      if (!role) return {};
      const judge = (node, spec, how) => {
        if (typeof spec !== 'string') {
          context.report({ node, message: `${role.name}: ${how} of a computed path cannot be checked by the layer rule; name the module` });
          return;
        }
        const target = classify(root, file, spec);
        const ok =
          target.kind === 'node' ? role.node : target.kind === 'package' ? role.packages.includes(target.name) : pathAllowed(role.paths, target.path);
        if (ok) return;
        const what = target.kind === 'node' ? `Node's "${spec}"` : target.kind === 'package' ? `the package "${target.name}"` : target.path;
        context.report({ node, message: `${role.name} may not import ${what}: ${role.says}` });
      };
      const literal = (n) => (n && n.type === 'Literal' && typeof n.value === 'string' ? n.value : n && n.type === 'TemplateLiteral' && n.expressions.length === 0 ? n.quasis[0].value.cooked : undefined);
      // Names bound to createRequire(...) in this file: calls of them load modules too.
      const requires = new Set(['require']);
      return {
        ImportDeclaration: (n) => judge(n, n.source.value, 'an import'),
        ExportNamedDeclaration: (n) => n.source && judge(n, n.source.value, 'a re-export'),
        ExportAllDeclaration: (n) => judge(n, n.source.value, 'a re-export'),
        ImportExpression: (n) => judge(n, literal(n.source), 'import()'),
        TSImportType: (n) => {
          // typescript-estree 8 names the path `source`; older ones `argument` (a literal type).
          const arg = n.source ?? (n.argument?.type === 'TSLiteralType' ? n.argument.literal : n.argument);
          judge(n, literal(arg), 'import()');
        },
        TSImportEqualsDeclaration: (n) => n.moduleReference.type === 'TSExternalModuleReference' && judge(n, literal(n.moduleReference.expression), 'require()'),
        VariableDeclarator: (n) => {
          if (n.id.type === 'Identifier' && n.init?.type === 'CallExpression' && n.init.callee.type === 'Identifier' && n.init.callee.name === 'createRequire') requires.add(n.id.name);
        },
        CallExpression: (n) => {
          const callee = n.callee;
          const direct = callee.type === 'Identifier' && requires.has(callee.name);
          const chained = callee.type === 'CallExpression' && callee.callee.type === 'Identifier' && callee.callee.name === 'createRequire';
          if (direct || chained) judge(n, literal(n.arguments[0]), 'require()');
        },
      };
    },
  };
  return { rules: { layers: rule } };
}
