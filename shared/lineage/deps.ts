/**
 * The lineage of one value while a query is walked: input columns it reads directly (its
 * value flows), indirectly (they decide which rows or which branch), and the reasons it
 * cannot be fully known. Input columns are keyed `node\0column`, the node as the SQL names
 * it (lower-cased names are compared; the key keeps the bound spelling).
 */
export interface Deps {
  direct: Set<string>;
  indirect: Set<string>;
  unknown: Set<string>;
}

export const SEP = '\u0000';

export function emptyDeps(): Deps {
  return { direct: new Set(), indirect: new Set(), unknown: new Set() };
}

export function unknownDeps(reason: string): Deps {
  const d = emptyDeps();
  d.unknown.add(reason);
  return d;
}

export function copyDeps(d: Deps): Deps {
  return { direct: new Set(d.direct), indirect: new Set(d.indirect), unknown: new Set(d.unknown) };
}

/** `into` also reads what `d` reads, the same way. */
export function addDeps(into: Deps, d: Deps): Deps {
  for (const k of d.direct) into.direct.add(k);
  for (const k of d.indirect) into.indirect.add(k);
  for (const k of d.unknown) into.unknown.add(k);
  return into;
}

/** `into` reads everything `d` reads, but only to decide rows or branches: all of it is indirect. */
export function addIndirect(into: Deps, d: Deps): Deps {
  for (const k of d.direct) into.indirect.add(k);
  for (const k of d.indirect) into.indirect.add(k);
  for (const k of d.unknown) into.unknown.add(k);
  return into;
}
