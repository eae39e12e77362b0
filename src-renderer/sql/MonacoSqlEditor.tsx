import { useEffect, useRef, useState, type JSX } from 'react';
import type { SqlEditorProps } from './SqlEditor';
import { SHORTCUTS } from '../shell/shortcuts';
import { useDoc } from '../document/doc-store';
import { requestFunctions, useInputSchemas, useSqlAssist, type InputSchemas } from './sql-assist-store';
import { useSqlMarkers, type SqlMarker } from './sql-markers-store';
import { useUi } from '../ui/ui-store';
import type { TableSchema } from './completion';
import { DUCKDB_SQL } from './duckdb-language';
import { SQL_KEYWORDS } from './keywords';
import { modelUri, monaco, onFormatError, provideContext, themeName, type CompletionContext } from './monaco';
import './sql-editor.css';

const LINE_HEIGHT = 19;
const PADDING = 12;
const SIZES = { full: [6, 28], fragment: [1, 8], generated: [3, 28] } as const;
const WIDE_KEY = 'weir.inspectorWide';

onFormatError((message) => useUi.getState().notify('error', message));

/** The inspector widens for SQL on request (remembered): 340px is narrow for a query. */
function useWideInspector(): [boolean, () => void] {
  const [wide, setWide] = useState(() => document.documentElement.dataset.inspector === 'wide');
  const toggle = () => {
    const next = !wide;
    setWide(next);
    if (next) document.documentElement.dataset.inspector = 'wide';
    else delete document.documentElement.dataset.inspector;
    try {
      localStorage.setItem(WIDE_KEY, next ? '1' : '0');
    } catch {
      // not remembered
    }
  };
  return [wide, toggle];
}

try {
  if (localStorage.getItem(WIDE_KEY) === '1') document.documentElement.dataset.inspector = 'wide';
} catch {
  // storage unavailable: the inspector starts narrow
}

function tablesWithColumns(tables: readonly string[], schemas: InputSchemas | null): TableSchema[] {
  return tables.map((name) => ({ name, columns: schemas?.inputs.find((i) => i.name.toLowerCase() === name.toLowerCase())?.columns ?? [] }));
}

function markerData(model: monaco.editor.ITextModel, m: SqlMarker): monaco.editor.IMarkerData {
  const line = Math.min(Math.max(1, m.line), model.getLineCount());
  const maxColumn = model.getLineMaxColumn(line);
  let startColumn = Math.max(1, model.getLineFirstNonWhitespaceColumn(line));
  let endColumn = maxColumn;
  if (m.column) {
    const col = Math.min(Math.max(1, m.column), maxColumn);
    const word = model.getWordAtPosition({ lineNumber: line, column: col });
    startColumn = word?.startColumn ?? col;
    endColumn = word?.endColumn ?? Math.min(col + 1, maxColumn);
  }
  if (endColumn <= startColumn) endColumn = startColumn + 1;
  return {
    severity: monaco.MarkerSeverity.Error,
    message: m.message,
    source: m.from === 'run' ? 'last run' : 'preview',
    startLineNumber: line,
    startColumn,
    endLineNumber: line,
    endColumn,
  };
}

function InputsLine({ tables, schemas }: { tables: readonly string[]; schemas: InputSchemas | null }): JSX.Element | null {
  if (!tables.length) return null;
  return (
    <div className="sql-tables muted" data-testid="sql-inputs">
      Reads:{' '}
      {tables.map((t) => {
        const input = schemas?.inputs.find((i) => i.name.toLowerCase() === t.toLowerCase());
        const title = input?.error ?? (input ? input.columns.map((c) => `${c.name} ${c.type}`).join('\n') : schemas?.status === 'loading' ? 'looking up its columns…' : undefined);
        return (
          <code key={t} title={title} className={input?.error ? 'input-error' : undefined}>
            {t}
            {input && !input.error && <span className="muted"> · {input.columns.length}</span>}
            {input?.error && ' ⚠'}
          </code>
        );
      })}
      {schemas?.status === 'loading' && <span className="sql-loading-note"> looking up columns…</span>}
    </div>
  );
}

/** Monaco on a node's SQL; loaded lazily by SqlEditor. */
export default function MonacoSqlEditor(props: SqlEditorProps): JSX.Element {
  const { nodeId, slot = 'sql', variant = 'full', lines, tables, diagnostics = false, invalid, ariaLabel } = props;
  const readOnly = variant === 'generated';
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const onChangeRef = useRef(props.onChange);
  onChangeRef.current = props.onChange;
  const applying = useRef(false);
  const [min, max] = SIZES[variant];
  const [height, setHeight] = useState(Math.max(min, Math.min(max, lines.length)) * LINE_HEIGHT + PADDING);
  const theme = useUi((s) => s.theme);
  const schemas = useInputSchemas(nodeId);
  const functions = useSqlAssist((s) => s.functions);
  const params = useDoc((s) => s.doc?.params);
  const marker = useSqlMarkers((s) => (diagnostics ? s.byNode[nodeId] : undefined));
  const [wide, toggleWide] = useWideInspector();

  // Completion reads the latest of these at each request; typing never waits for them.
  const context = useRef<CompletionContext>({ tables: [] });
  context.current = { tables: tablesWithColumns(tables, schemas), functions: functions ?? [], keywords: SQL_KEYWORDS, params: Object.keys(params ?? {}) };

  useEffect(() => {
    requestFunctions();
    const uri = modelUri(nodeId, slot);
    monaco.editor.getModel(uri)?.dispose();
    const model = monaco.editor.createModel(lines.join('\n'), DUCKDB_SQL, uri);
    model.setEOL(monaco.editor.EndOfLineSequence.LF);
    const editor = monaco.editor.create(host.current as HTMLDivElement, {
      model,
      theme: themeName(useUi.getState().theme),
      readOnly,
      domReadOnly: readOnly,
      // A textarea rather than EditContext: keyboard input from automation and IMEs arrives intact.
      editContext: false,
      ariaLabel: ariaLabel ?? (readOnly ? 'Generated SQL' : 'SQL'),
      minimap: { enabled: false },
      lineNumbers: variant === 'fragment' ? 'off' : 'on',
      lineNumbersMinChars: 3,
      lineDecorationsWidth: variant === 'fragment' ? 4 : 8,
      glyphMargin: false,
      folding: false,
      wordWrap: 'on',
      wrappingIndent: 'indent',
      scrollBeyondLastLine: false,
      automaticLayout: true,
      fixedOverflowWidgets: true,
      fontFamily: "ui-monospace, 'SF Mono', 'Cascadia Code', 'JetBrains Mono', Menlo, Consolas, monospace",
      fontSize: 12.5,
      lineHeight: LINE_HEIGHT,
      tabSize: 2,
      insertSpaces: true,
      padding: { top: PADDING / 2, bottom: PADDING / 2 },
      renderLineHighlight: readOnly ? 'none' : 'line',
      overviewRulerLanes: 0,
      overviewRulerBorder: false,
      hideCursorInOverviewRuler: true,
      stickyScroll: { enabled: false },
      scrollbar: { alwaysConsumeMouseWheel: false, verticalScrollbarSize: 8, horizontalScrollbarSize: 8, useShadows: false },
      quickSuggestions: readOnly ? false : { other: true, comments: false, strings: false },
      suggestOnTriggerCharacters: !readOnly,
      wordBasedSuggestions: 'off',
      // Enter is a new line unless the user picked a suggestion with the arrow keys: suggestions
      // that pop up as you type show with none selected ('never'), so `from batches⏎` breaks the
      // line instead of taking the highlighted name. Tab takes the first (bound below); the
      // arrows select, then Enter takes the selected one. Ctrl+Space, an explicit ask, selects
      // the first as usual.
      suggest: { showWords: false, localityBonus: false, selectionMode: 'never' },
      acceptSuggestionOnEnter: 'on',
      tabCompletion: 'off',
      occurrencesHighlight: 'off',
      unicodeHighlight: { ambiguousCharacters: false },
    });
    editorRef.current = editor;
    const unregister = provideContext(model, () => context.current);
    const subs = [
      model.onDidChangeContent(() => {
        if (!applying.current) onChangeRef.current(model.getValue().split('\n'));
      }),
      editor.onDidContentSizeChange((e) => {
        if (e.contentHeightChanged) setHeight(Math.max(min * LINE_HEIGHT + PADDING, Math.min(max * LINE_HEIGHT + PADDING, e.contentHeight)));
      }),
    ];
    // The app's own keys that Monaco would otherwise keep (Ctrl+Enter inserts a line in VS Code).
    for (const keys of ['mod+enter', 'mod+p']) {
      const shortcut = SHORTCUTS.find((s) => s.keys === keys);
      const code = keys === 'mod+enter' ? monaco.KeyCode.Enter : monaco.KeyCode.KeyP;
      if (shortcut) editor.addCommand(monaco.KeyMod.CtrlCmd | code, () => shortcut.run());
    }
    // Tab takes the first suggestion when none is selected (the built-in Tab needs a selected one).
    if (!readOnly) {
      editor.addCommand(
        monaco.KeyCode.Tab,
        () => editor.trigger('keyboard', 'focusAndAcceptSuggestion', {}),
        'suggestWidgetVisible && !suggestWidgetHasFocusedSuggestion && textInputFocus',
      );
    }
    // Shift+Alt+F formats, as the Format button's title and the docs say: Monaco binds its
    // format action to it on Windows and macOS only (Ctrl+Shift+I on Linux).
    if (!readOnly) editor.addCommand(monaco.KeyMod.Shift | monaco.KeyMod.Alt | monaco.KeyCode.KeyF, () => void editor.getAction('editor.action.formatDocument')?.run());
    return () => {
      for (const s of subs) s.dispose();
      unregister();
      editorRef.current = null;
      editor.dispose();
      model.dispose();
    };
    // One editor per node and slot; the effects below keep it in step with the other props.
  }, [nodeId, slot]);

  // Text changed elsewhere (undo from the toolbar, a rename, a restored draft, a form).
  useEffect(() => {
    const model = editorRef.current?.getModel();
    const text = lines.join('\n');
    if (!model || model.getValue() === text) return;
    applying.current = true;
    try {
      if (readOnly) model.setValue(text);
      else model.pushEditOperations([], [{ range: model.getFullModelRange(), text }], () => null);
    } finally {
      applying.current = false;
    }
  }, [lines, readOnly]);

  useEffect(() => {
    monaco.editor.setTheme(themeName(theme));
  }, [theme]);

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!model) return;
    monaco.editor.setModelMarkers(model, 'weir', marker ? [markerData(model, marker)] : []);
  }, [marker, nodeId, slot]);

  return (
    <>
      {variant === 'full' && (
        <div className="sql-toolbar">
          <button
            type="button"
            className="btn small ghost"
            data-testid="sql-format"
            title="Format SQL (Shift+Alt+F)"
            onClick={() => {
              const editor = editorRef.current;
              editor?.focus();
              void editor?.getAction('editor.action.formatDocument')?.run();
            }}
          >
            Format
          </button>
          <button type="button" className="btn small ghost" data-testid="sql-wide" aria-pressed={wide} onClick={toggleWide} title={wide ? 'Narrower inspector' : 'Wider inspector for SQL'}>
            {wide ? '⇥ Narrower' : '⇤ Wider'}
          </button>
          <span className="spacer" />
          {marker && (
            <span className="sql-marker-note" data-testid="sql-error-note" title={marker.message}>
              ⚠ line {marker.line}
            </span>
          )}
        </div>
      )}
      <div
        ref={host}
        className={`monaco-host${invalid ? ' invalid' : ''}${readOnly ? ' readonly' : ''}`}
        style={{ height }}
        data-testid={readOnly ? 'generated-sql' : 'monaco-sql'}
      />
      {variant === 'full' && <InputsLine tables={tables} schemas={schemas} />}
    </>
  );
}
