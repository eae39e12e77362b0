/** Gap between tabs (px), as in bottom-panel.css. */
export const TAB_GAP = 2;

/**
 * Which tabs are shown in the strip and which go into its "More" menu, from each tab's width
 * and the room there is (px). The selected tab is always shown (in the last place, if in order
 * it would have gone into the menu), so the strip always says where the user is.
 */
export function splitTabs<Id extends string>(ids: readonly Id[], widths: readonly number[], room: number, moreWidth: number, selected: Id | null): { shown: Id[]; more: Id[] } {
  const width = new Map(ids.map((id, i) => [id, widths[i] ?? 0]));
  const span = (list: readonly Id[]) => list.reduce((a, id) => a + width.get(id)!, 0) + TAB_GAP * Math.max(0, list.length - 1);
  if (span(ids) <= room) return { shown: [...ids], more: [] };
  const budget = room - moreWidth - TAB_GAP;
  const shown: Id[] = [];
  for (const id of ids) {
    if (span([...shown, id]) > budget) break;
    shown.push(id);
  }
  if (selected !== null && ids.includes(selected) && !shown.includes(selected)) {
    while (shown.length && span([...shown, selected]) > budget) shown.pop();
    shown.push(selected);
  }
  return { shown, more: ids.filter((id) => !shown.includes(id)) };
}
