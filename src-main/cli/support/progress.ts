import { count, duration } from '../../../shared/format';
import type { RunEvent } from '../../../shared/run/events';
import { maskRunEvent, processSecrets } from '../../engine';
import { safeJson, safeLine } from './terminal-text';

export interface ProgressSink {
  event(e: RunEvent): void;
}

/** A last guard: the run masks its events, and the process knows every value any run resolved. */
const masked = (e: RunEvent): RunEvent => maskRunEvent(processSecrets(), e);

/** `--json`: one JSON object per line on stdout, for log shippers and orchestrators. */
export function jsonLines(out: NodeJS.WritableStream): ProgressSink {
  return {
    event: (e) => out.write(safeJson(masked(e)) + '\n'),
  };
}

const rowsText = (rows: number | null): string => (rows === null ? '' : count(rows, 'row'));

const MARK: Record<string, string> = { done: '✔', failed: '✖', skipped: '–', cancelled: '■', running: '…', queued: ' ' };

/**
 * Writes gathered and sent once per turn of the event loop (or per 64 KiB): a line per node
 * event is 100,000s of system calls for a big pipeline. The last event flushes at once.
 */
function batched(stream: NodeJS.WriteStream): { write: (text: string) => void; flush: () => void; isTTY: boolean; rows: number } {
  let parts: string[] = [];
  let size = 0;
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (!parts.length) return;
    stream.write(parts.join(''));
    parts = [];
    size = 0;
  };
  return {
    write(text) {
      parts.push(text);
      size += text.length;
      if (size >= 64 * 1024) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
    isTTY: Boolean(stream.isTTY),
    rows: stream.rows,
  };
}

/** The most nodes the live table shows: it must fit the terminal, and a redraw costs a line per node. */
const tableRows = (out: { rows: number }): number => Math.min(60, (out.rows || 24) - 2);

/**
 * A live table on a terminal (one line per node, redrawn in place); plain lines when
 * stdout is not a terminal, so cron mail and CI logs stay readable, and for pipelines with
 * more nodes than the table shows (redrawing 100,000 lines per event would never end).
 * Messages from nodes are shown with their control characters escaped.
 */
export function terminalProgress(stream: NodeJS.WriteStream): ProgressSink {
  const out = batched(stream);
  let tty = Boolean(out.isTTY);
  const order: string[] = [];
  const lines = new Map<string, { name: string; status: string; detail: string }>();
  let drawn = 0;
  let started = 0;
  let width = 4;
  const redraw = () => {
    if (!tty) return;
    if (drawn) out.write(`\x1b[${drawn}A`);
    for (const id of order) {
      const l = lines.get(id)!;
      out.write(`\x1b[2K ${MARK[l.status] ?? ' '} ${l.name.padEnd(width)}  ${l.status.padEnd(9)} ${l.detail}\n`);
    }
    drawn = order.length;
  };
  const set = (id: string, status: string, detail = '') => {
    const l = lines.get(id);
    if (!l) return;
    l.status = status;
    l.detail = safeLine(detail);
    if (!tty && status !== 'running') out.write(`${MARK[status] ?? ' '} ${l.name}: ${status}${detail ? ` (${detail})` : ''}\n`);
    redraw();
  };
  return {
    event(raw) {
      const e = masked(raw);
      switch (e.type) {
        case 'run_started':
          started = Date.now();
          if (tty && e.nodes.length > tableRows(out)) tty = false;
          for (const n of e.nodes) {
            width = Math.max(width, n.name.length);
            order.push(n.id);
            lines.set(n.id, { name: n.name, status: 'queued', detail: n.kind });
          }
          if (!tty) out.write(`run ${e.runId}: ${e.pipeline}, ${count(e.nodes.length, 'node')}\n`);
          redraw();
          break;
        case 'node_started':
          set(e.nodeId, 'running');
          break;
        case 'node_rows':
          set(e.nodeId, 'running', rowsText(e.rows));
          break;
        case 'node_finished':
          set(e.nodeId, 'done', [rowsText(e.rows), duration(e.durationMs), e.cached ? 'cached' : ''].filter(Boolean).join(', '));
          break;
        case 'node_failed':
          set(e.nodeId, e.error === 'cancelled' ? 'cancelled' : 'failed', e.error === 'cancelled' ? '' : e.error);
          break;
        case 'node_skipped':
          set(e.nodeId, 'skipped', e.reason);
          break;
        case 'node_warning':
          out.write(`! ${e.name}: ${safeLine(e.message)}\n`);
          drawn = 0;
          redraw();
          break;
        case 'node_published':
          out.write(safeLine(`published ${e.name} → ${e.target}`) + '\n');
          drawn = 0;
          redraw();
          break;
        case 'run_finished':
          out.write(safeLine(`${e.status} in ${duration(Date.now() - started)}${e.recordPath ? ` · run record ${e.recordPath}` : ''}`) + '\n');
          out.flush();
          break;
      }
    },
  };
}
