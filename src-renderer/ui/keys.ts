/**
 * Key combinations as the shortcuts table writes them (`mod+shift+1`) and as a person reads
 * them (Ctrl+Shift+1, or ⌘⇧1 on a Mac): pure, in ui/ so any feature's button can name its key
 * without reaching into the shell.
 */
const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

export function keyOf(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): string {
  const parts: string[] = [];
  if (isMac ? e.metaKey : e.ctrlKey) parts.push('mod');
  if (e.altKey) parts.push('alt');
  if (e.shiftKey) parts.push('shift');
  const key = e.key === ' ' ? 'space' : e.key.toLowerCase();
  if (!['control', 'meta', 'shift', 'alt'].includes(key)) parts.push(key === '!' ? '1' : key);
  return parts.join('+');
}

export function shortcutLabel(keys: string): string {
  return keys
    .split('+')
    .map((k) => (k === 'mod' ? (isMac ? '⌘' : 'Ctrl') : k === 'shift' ? (isMac ? '⇧' : 'Shift') : k === 'alt' ? (isMac ? '⌥' : 'Alt') : k.length === 1 ? k.toUpperCase() : k[0]!.toUpperCase() + k.slice(1)))
    .join(isMac ? '' : '+');
}
