import { z } from 'zod';

/** What a connection field's schema says about it, for the form: how it is edited, whether it must be given, its default. */
export interface FieldShape {
  base: 'string' | 'number' | 'boolean' | 'enum' | 'record' | 'other';
  /** The file may leave it out (it is optional, or the schema fills in a default). */
  optional: boolean;
  /** The value the schema fills in when the file leaves the field out. */
  default?: unknown;
  /** An enum's values. */
  options?: readonly string[];
}

/** Reads a field's schema (optional and default wrappers, then its type), so hints need not repeat it. */
export function fieldShape(type: z.ZodType): FieldShape {
  let t: z.ZodType = type;
  let optional = false;
  let dflt: unknown;
  for (;;) {
    if (t instanceof z.ZodOptional) {
      optional = true;
      t = t.unwrap() as z.ZodType;
    } else if (t instanceof z.ZodDefault) {
      optional = true;
      dflt = t.def.defaultValue;
      t = t.unwrap() as z.ZodType;
    } else break;
  }
  const out = (base: FieldShape['base'], extra: Partial<FieldShape> = {}): FieldShape => ({ base, optional, ...(dflt !== undefined ? { default: dflt } : {}), ...extra });
  if (t instanceof z.ZodString) return out('string');
  if (t instanceof z.ZodNumber) return out('number');
  if (t instanceof z.ZodBoolean) return out('boolean');
  if (t instanceof z.ZodEnum) return out('enum', { options: t.options.map(String) });
  if (t instanceof z.ZodRecord) return out('record');
  // A port may be a number or a `${env:NAME}`: the form edits it as a number.
  if (t instanceof z.ZodUnion && (t.options as z.ZodType[]).some((o) => o instanceof z.ZodNumber)) return out('number');
  return out('other');
}
