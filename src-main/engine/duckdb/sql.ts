/** Quoting for identifiers and literals the engine writes itself (never for user SQL). */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function literalList(values: readonly string[]): string {
  return `[${values.map(literal).join(', ')}]`;
}
