import { z } from 'zod';

/**
 * A value that may be `${env:NAME}`: resolved when a run starts, so the file holds no
 * secret. The desktop resolves such names from the OS keychain first.
 */
export const secretish = z.string();

/** True when a value is exactly one `${env:NAME}` reference. */
export const isEnvRef = (v: unknown): boolean => typeof v === 'string' && /^\$\{env:[A-Za-z_][A-Za-z0-9_]*\}$/.test(v);

/** A value as a summary line shows it: strings and numbers as written, anything else left out. */
export const text = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
