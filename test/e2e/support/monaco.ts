import type { Page } from 'playwright-core';

/**
 * The SQL editors are Monaco; the page exposes `window.__weirMonaco` (value, setValue,
 * markers by node id and SQL slot) so tests read the model rather than the screen.
 */
export interface MarkerInfo {
  line: number;
  column: number;
  endColumn: number;
  message: string;
}

/** Waits for the Monaco editor of a node's SQL slot to be up. */
export async function waitForSqlEditor(page: Page, nodeId: string, slot = 'sql'): Promise<void> {
  await page.locator(`[data-testid="sql-editor"][data-node-id="${nodeId}"][data-slot="${slot}"] .monaco-editor`).waitFor({ timeout: 30_000 });
  await page.waitForFunction(([n, s]) => window.__weirMonaco?.value(n!, s) != null, [nodeId, slot]);
}

export async function sqlValue(page: Page, nodeId: string, slot = 'sql'): Promise<string | null> {
  return page.evaluate(([n, s]) => window.__weirMonaco?.value(n!, s) ?? null, [nodeId, slot]);
}

/** Replaces the text of a node's SQL editor as a paste would (one undo step, onChange fires). */
export async function setSql(page: Page, nodeId: string, text: string, slot = 'sql'): Promise<void> {
  await waitForSqlEditor(page, nodeId, slot);
  const ok = await page.evaluate(([n, t, s]) => window.__weirMonaco?.setValue(n!, t!, s) ?? false, [nodeId, text, slot]);
  if (!ok) throw new Error(`no SQL editor for node ${nodeId} (${slot})`);
}

export async function sqlMarkers(page: Page, nodeId: string, slot = 'sql'): Promise<MarkerInfo[]> {
  return page.evaluate(([n, s]) => window.__weirMonaco?.markers(n!, s) ?? [], [nodeId, slot]);
}
