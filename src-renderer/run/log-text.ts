/**
 * The run's end names its record inside the workspace (`.weir/runs/….json`): the absolute path
 * took three lines of the log at 1024 px. The line's tooltip keeps the whole path.
 */
export function recordRelative(message: string, root: string | undefined): string {
  if (!root) return message;
  for (const sep of ['/', '\\']) {
    const at = message.indexOf(` · record ${root}${sep}`);
    if (at >= 0) return `${message.slice(0, at)} · record ${message.slice(at + ` · record ${root}${sep}`.length)}`;
  }
  return message;
}
