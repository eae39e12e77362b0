import { yamlString } from './quote';

/** A value of a manifest: plain data only. */
export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

function scalar(v: string | number | boolean | null): string {
  if (typeof v === 'string') return yamlString(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : yamlString(String(v));
  return v === null ? 'null' : String(v);
}

const isEmpty = (v: YamlValue) => (Array.isArray(v) ? v.length === 0 : v !== null && typeof v === 'object' && Object.keys(v).length === 0);

/**
 * Block-style YAML with every string double-quoted and escaped (quote.ts) and keys quoted too:
 * nothing from a pipeline file can start a new key, item or document.
 */
export function toYaml(value: YamlValue, indent = ''): string {
  if (Array.isArray(value)) {
    if (!value.length) return `${indent}[]\n`;
    return value
      .map((item) => {
        if (item !== null && typeof item === 'object' && !isEmpty(item)) {
          const inner = toYaml(item, `${indent}  `);
          return `${indent}- ${inner.slice(indent.length + 2)}`;
        }
        return `${indent}- ${inline(item)}\n`;
      })
      .join('');
  }
  if (value !== null && typeof value === 'object') {
    if (!Object.keys(value).length) return `${indent}{}\n`;
    return Object.entries(value)
      .map(([k, v]) => {
        const key = /^[A-Za-z_][A-Za-z0-9_.\/-]*$/.test(k) ? k : yamlString(k);
        if (v !== null && typeof v === 'object' && !isEmpty(v)) return `${indent}${key}:\n${toYaml(v, Array.isArray(v) ? indent : `${indent}  `)}`;
        return `${indent}${key}: ${inline(v)}\n`;
      })
      .join('');
  }
  return `${indent}${scalar(value)}\n`;
}

function inline(v: YamlValue): string {
  if (Array.isArray(v)) return '[]';
  if (v !== null && typeof v === 'object') return '{}';
  return scalar(v);
}
