import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The user's browser opener; `WEIR_BROWSER` replaces it (a particular browser, or a test's stand-in). */
function opener(file: string): [string, string[]] {
  const own = process.env.WEIR_BROWSER;
  if (own) return [own, [file]];
  if (process.platform === 'darwin') return ['open', [file]];
  if (process.platform === 'win32') return ['cmd', ['/c', 'start', '""', file]];
  return ['xdg-open', [file]];
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * Opens a launch link in the user's browser without putting it on a command line, where every
 * local user can read it (`ps`) until the browser has used it. The link goes into a page
 * readable by this user only (a 0600 file in a 0700 folder), which forwards the browser to it;
 * the opener is handed that file's path. Returns a function that removes the file.
 */
export function openInBrowser(url: string): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'weir-launch-'));
  const file = join(dir, 'open-weir.html');
  const href = escapeHtml(url);
  writeFileSync(
    file,
    `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${href}"><title>Weir</title>` +
      `<p style="font:15px system-ui;margin:3em">Opening the Weir designer… <a href="${href}">Open it</a> if nothing happens.</p>\n`,
    { mode: 0o600 },
  );
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const [cmd, args] = opener(file);
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => {}); // no browser to open: the printed link is enough
    child.unref();
  } catch {
    // same: the link is printed
  }
  // The browser reads the page at once; a page left behind would hold a code nobody needs.
  setTimeout(remove, 120_000).unref();
  return remove;
}
