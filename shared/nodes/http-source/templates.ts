/**
 * `{{ params.name }}` (a pipeline parameter) and `{{ input.column }}` (the value a dependent
 * http source asks for) in an http source's url, headers, query values and body. SQL reads
 * parameters with getvariable('name'); a request is text, so it takes them by this template
 * form instead, filled in by the engine when the request is built, never by the pipeline file.
 */
export const TEMPLATE = /\{\{\s*(params|input)\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Anything that looks like a template but is not one of the two forms above. */
const LOOSE = /\{\{[^{}]*\}\}/g;

export interface TemplateRef {
  scope: 'params' | 'input';
  name: string;
}

/** Every template in a text, in order. */
export function templateRefs(text: string): TemplateRef[] {
  return [...text.matchAll(new RegExp(TEMPLATE.source, 'g'))].map((m) => ({ scope: m[1] as TemplateRef['scope'], name: m[2]! }));
}

/** The first `{{ ... }}` in a text that is neither `{{ params.name }}` nor `{{ input.column }}`, or null. */
export function badTemplate(text: string): string | null {
  for (const m of text.matchAll(LOOSE)) {
    if (!new RegExp(`^${TEMPLATE.source}$`).test(m[0])) return m[0];
  }
  return null;
}

/** Every string of a JSON value (a body), keys included. */
export function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...stringsOf(v)]);
  return [];
}

/** The texts of a request config that may hold templates: url, header and query values, the body's strings. */
export function templatedTexts(c: { url: string; headers: Record<string, string>; query: Record<string, string | number | boolean>; body?: unknown }): string[] {
  return [c.url, ...Object.values(c.headers), ...Object.values(c.query).map(String), ...stringsOf(c.body)];
}

/** The pipeline parameters a request config names, sorted, once each. */
export function paramsNamed(c: Parameters<typeof templatedTexts>[0]): string[] {
  const names = new Set<string>();
  for (const t of templatedTexts(c)) for (const r of templateRefs(t)) if (r.scope === 'params') names.add(r.name);
  return [...names].sort();
}
