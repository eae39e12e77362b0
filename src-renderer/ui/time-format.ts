/**
 * How the designer writes a moment: 24-hour local time everywhere (run log, history, git
 * history), so two panels showing the same run read alike, whatever the browser's locale.
 */
const pad = (x: number, w = 2) => String(x).padStart(w, '0');

/** 14:03:27 */
export function clockTime(at: number | Date): string {
  const d = new Date(at);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** 14:03:27.042: the run log's precision. */
export function clockTimeMs(at: number | Date): string {
  const d = new Date(at);
  return `${clockTime(d)}.${pad(d.getMilliseconds(), 3)}`;
}

/** 2026-12-06 */
export function calendarDate(at: number | Date): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Today: the time alone (14:03:27); another day: the date and the minute (2026-12-05 14:03). */
export function moment(at: number | Date | string, now: number | Date = Date.now()): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return String(at);
  return calendarDate(d) === calendarDate(now) ? clockTime(d) : `${calendarDate(d)} ${clockTime(d).slice(0, 5)}`;
}
