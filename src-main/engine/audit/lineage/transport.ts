import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { maskLineageEvent } from '../../secrets/mask-run';
import type { Redactor } from '../../secrets/redactor';
import type { LineageConfig } from './config';
import type { OlRunEvent } from './events';

/** The URL without user:password, for messages. */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return 'the OpenLineage URL';
  }
}

/** The URL to POST to and its Authorization: the API key, else user:password given in the URL. */
function endpoint(cfg: LineageConfig): { url: string; authorization: string | null } {
  const url = cfg.url ?? '';
  if (cfg.apiKey) return { url: safeUrl(url), authorization: `Bearer ${cfg.apiKey}` };
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return { url, authorization: null };
    const basic = Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64');
    return { url: safeUrl(url), authorization: `Basic ${basic}` };
  } catch {
    return { url, authorization: null };
  }
}

/**
 * Sends one event to the configured file and/or endpoint. Lineage is reporting, not the run:
 * a failure comes back as a warning (recorded in the run record), never as an exception.
 * The event and the warnings are masked with the run's secrets (the endpoint's own key
 * included); a redirect is not followed, so the key goes nowhere but the endpoint.
 */
export async function emitLineageEvent(cfg: LineageConfig, event: OlRunEvent, redactor: Redactor): Promise<string[]> {
  const warnings: string[] = [];
  const body = JSON.stringify(maskLineageEvent(redactor, event));
  if (cfg.file) {
    try {
      await mkdir(dirname(cfg.file), { recursive: true });
      await appendFile(cfg.file, body + '\n');
    } catch (e) {
      warnings.push(`OpenLineage ${event.eventType} event not written to ${cfg.file}: ${(e as Error).message}`);
    }
  }
  if (cfg.url) {
    const target = endpoint(cfg);
    try {
      const res = await fetch(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(target.authorization ? { authorization: target.authorization } : {}) },
        body,
        signal: AbortSignal.timeout(cfg.timeoutMs),
        redirect: 'manual',
      });
      // The answer's body is never used: dropped unread, so an endpoint answering without end costs nothing.
      await res.body?.cancel().catch(() => undefined);
      if (res.status >= 300 && res.status < 400) warnings.push(`OpenLineage ${event.eventType} event not sent to ${safeUrl(cfg.url)}: it answered HTTP ${res.status}, a redirect, which is not followed with the endpoint's credentials`);
      else if (!res.ok) warnings.push(`OpenLineage ${event.eventType} event refused by ${safeUrl(cfg.url)}: HTTP ${res.status}`);
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      const why = err.name === 'TimeoutError' ? `no answer in ${cfg.timeoutMs} ms` : (err.cause?.code ?? err.message);
      // Whatever the error says, the URL's credentials stay out of the record.
      warnings.push(`OpenLineage ${event.eventType} event not sent to ${safeUrl(cfg.url)}: ${why.split(cfg.url).join(safeUrl(cfg.url))}`);
    }
  }
  return warnings.map((w) => redactor.mask(w));
}
