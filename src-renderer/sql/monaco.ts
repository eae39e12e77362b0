// Monaco from the local package, only the parts a SQL editor uses (never a CDN). This
// module is loaded lazily, the first time a SQL editor is shown, so the canvas starts fast.
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/codeEditor/register';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/comment/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/cursorUndo/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/format/register';
import 'monaco-editor/features/gotoError/register';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/indentation/register';
import 'monaco-editor/features/linesOperations/register';
import 'monaco-editor/features/multicursor/register';
import 'monaco-editor/features/placeholderText/register';
import 'monaco-editor/features/readOnlyMessage/register';
import 'monaco-editor/features/snippet/register';
import 'monaco-editor/features/suggest/register';
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
import 'monaco-editor/features/tokenization/register';
import 'monaco-editor/features/wordHighlighter/register';
import 'monaco-editor/features/wordOperations/register';
import * as monaco from 'monaco-editor/editor/editor.api';
// The worker inlined as a blob: it loads the same way from http://127.0.0.1 (browser shell)
// and file:// (desktop), under a CSP allowing `worker-src blob:`.
import EditorWorker from 'monaco-editor/editor/editor.worker?worker&inline';
import { sqlCompletions, type CompletionRequest, type SuggestionKind } from './completion';
import { DUCKDB_SQL, duckdbLanguageConfig, duckdbMonarch } from './duckdb-language';

export { monaco };

/** What completion needs for one editor's model; asked at each completion, never awaited. */
export type CompletionContext = Omit<CompletionRequest, 'text' | 'offset'>;

const contexts = new Map<string, () => CompletionContext>();

/** Registers the source of completion data for a model; returns the unregister function. */
export function provideContext(model: monaco.editor.ITextModel, get: () => CompletionContext): () => void {
  const key = model.uri.toString();
  contexts.set(key, get);
  return () => {
    if (contexts.get(key) === get) contexts.delete(key);
  };
}

const KIND: Record<SuggestionKind, monaco.languages.CompletionItemKind> = {
  column: monaco.languages.CompletionItemKind.Field,
  table: monaco.languages.CompletionItemKind.Struct,
  function: monaco.languages.CompletionItemKind.Function,
  keyword: monaco.languages.CompletionItemKind.Keyword,
  param: monaco.languages.CompletionItemKind.Variable,
};

let formatter: ((sql: string) => string) | null = null;
/** sql-formatter is loaded on the first Format, not with the editor. */
async function loadFormatter(): Promise<(sql: string) => string> {
  formatter ??= (await import('./format-sql')).formatSql;
  return formatter;
}

/** Errors of Format SQL go here (the editor shows them as a toast). */
let formatErrorSink: (message: string) => void = () => {};
export function onFormatError(sink: (message: string) => void): void {
  formatErrorSink = sink;
}

function setup(): void {
  globalThis.MonacoEnvironment = { getWorker: () => new EditorWorker() };
  monaco.languages.register({ id: DUCKDB_SQL, aliases: ['DuckDB SQL', 'duckdb'], extensions: ['.sql'] });
  monaco.languages.setLanguageConfiguration(DUCKDB_SQL, duckdbLanguageConfig);
  monaco.languages.setMonarchTokensProvider(DUCKDB_SQL, duckdbMonarch);

  monaco.languages.registerCompletionItemProvider(DUCKDB_SQL, {
    // A space too: after `from ` or `join ` the inputs come unasked (completion answers a space nowhere else).
    triggerCharacters: ['.', '"', "'", ' '],
    provideCompletionItems(model, position, context) {
      const get = contexts.get(model.uri.toString());
      if (!get) return { suggestions: [] };
      const afterSpace = context.triggerKind === monaco.languages.CompletionTriggerKind.TriggerCharacter && context.triggerCharacter === ' ';
      const r = sqlCompletions({ ...get(), text: model.getValue(), offset: model.getOffsetAt(position), afterSpace });
      const start = model.getPositionAt(r.from);
      const end = model.getPositionAt(r.to);
      // A suggestion replaces text on the cursor's line only.
      const range =
        start.lineNumber === position.lineNumber && end.lineNumber === position.lineNumber
          ? new monaco.Range(position.lineNumber, start.column, position.lineNumber, end.column)
          : new monaco.Range(position.lineNumber, position.column, position.lineNumber, position.column);
      return {
        suggestions: r.suggestions.map((s) => ({
          label: s.label,
          kind: KIND[s.kind],
          insertText: s.insertText,
          insertTextRules: s.snippet ? monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet : undefined,
          filterText: s.filterText,
          detail: s.detail,
          documentation: s.documentation,
          sortText: s.sortText,
          range,
        })),
      };
    },
  });

  monaco.languages.registerDocumentFormattingEditProvider(DUCKDB_SQL, {
    displayName: 'sql-formatter (DuckDB)',
    async provideDocumentFormattingEdits(model) {
      try {
        const format = await loadFormatter();
        const text = format(model.getValue());
        return text === model.getValue() ? [] : [{ range: model.getFullModelRange(), text }];
      } catch (e) {
        formatErrorSink(`Could not format the SQL: ${((e as Error).message || String(e)).split('\n')[0]}`);
        return [];
      }
    },
  });

  // Each rule also as `<token>.sql`: the built-in themes colour `string.sql` and `predefined.sql` their own way.
  const rules = (dark: boolean): monaco.editor.ITokenThemeRule[] =>
    baseRules(dark).flatMap((r) => [r, { ...r, token: `${r.token}.sql` }]);
  const baseRules = (dark: boolean): monaco.editor.ITokenThemeRule[] => [
    { token: 'keyword', foreground: dark ? '7aa7f5' : '1f5fbf', fontStyle: 'bold' },
    { token: 'operator.word', foreground: dark ? '7aa7f5' : '1f5fbf' },
    { token: 'predefined', foreground: dark ? 'd7a1f0' : '7a3fa8' },
    { token: 'constant', foreground: dark ? 'e0a05a' : 'a05a00' },
    { token: 'string', foreground: dark ? '8fcf8f' : '2f7a3b' },
    { token: 'string.escape', foreground: dark ? 'b5e0b5' : '1d5a28' },
    { token: 'number', foreground: dark ? 'e0a05a' : 'a05a00' },
    { token: 'variable', foreground: dark ? 'f08f8f' : 'b0302f' },
    // Comments and line numbers at 4.5:1 or more on the editor's background (WCAG AA).
    { token: 'comment', foreground: dark ? '8d97a7' : '5f6877', fontStyle: 'italic' },
    { token: 'identifier.quote', foreground: dark ? 'c9d1dc' : '3d4552' },
    { token: 'operator', foreground: dark ? 'b8c0cc' : '5b6472' },
    { token: 'delimiter', foreground: dark ? 'b8c0cc' : '5b6472' },
  ];
  monaco.editor.defineTheme('weir-light', {
    base: 'vs',
    inherit: true,
    rules: rules(false),
    colors: { 'editor.background': '#f1f3f6', 'editorGutter.background': '#f1f3f6', 'editorLineNumber.foreground': '#646d7c', 'editorLineNumber.activeForeground': '#3d4552' },
  });
  monaco.editor.defineTheme('weir-dark', {
    base: 'vs-dark',
    inherit: true,
    rules: rules(true),
    colors: { 'editor.background': '#222731', 'editorGutter.background': '#222731', 'editorLineNumber.foreground': '#8b95a5', 'editorLineNumber.activeForeground': '#c9d1dc' },
  });
}

setup();

export const themeName = (theme: 'light' | 'dark'): string => (theme === 'dark' ? 'weir-dark' : 'weir-light');

/** A model's address: one per node and SQL field (`sql`, `generated`, `condition`…). */
export const modelUri = (nodeId: string, slot: string): monaco.Uri => monaco.Uri.from({ scheme: 'weir', authority: 'node', path: `/${encodeURIComponent(nodeId)}/${slot}.sql` });

/**
 * A hook for the end-to-end tests (and for curious users in the dev tools): the value and
 * the markers of the editor of a node's SQL field, and a way to set its text.
 */
export interface WeirMonacoHook {
  value(nodeId: string, slot?: string): string | null;
  setValue(nodeId: string, text: string, slot?: string): boolean;
  markers(nodeId: string, slot?: string): { line: number; column: number; endColumn: number; message: string; severity: number }[];
  models(): string[];
}

declare global {
  interface Window {
    __weirMonaco?: WeirMonacoHook;
  }
}

window.__weirMonaco = {
  value: (nodeId, slot = 'sql') => monaco.editor.getModel(modelUri(nodeId, slot))?.getValue() ?? null,
  setValue(nodeId, text, slot = 'sql') {
    const model = monaco.editor.getModel(modelUri(nodeId, slot));
    if (!model) return false;
    model.pushEditOperations([], [{ range: model.getFullModelRange(), text }], () => null);
    return true;
  },
  markers: (nodeId, slot = 'sql') =>
    monaco.editor.getModelMarkers({ resource: modelUri(nodeId, slot) }).map((m) => ({
      line: m.startLineNumber,
      column: m.startColumn,
      endColumn: m.endColumn,
      message: m.message,
      severity: m.severity,
    })),
  models: () => monaco.editor.getModels().map((m) => m.uri.toString()),
};
