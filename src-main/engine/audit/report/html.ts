/** Text made safe for HTML element content and attribute values. */
export function esc(value: unknown): string {
  const s = typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);
  return (s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A table cell's text for a JSON value from a sample row. */
export function cell(value: unknown): string {
  if (value === null || value === undefined) return '<span class="null">NULL</span>';
  return esc(typeof value === 'string' ? value : JSON.stringify(value));
}

export const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}h3{font-size:14px;margin:14px 0 6px}
.sub{color:#5b6475;margin:0 0 16px}
table{border-collapse:collapse;width:100%;background:#fff;margin:6px 0 12px}
th,td{border:1px solid #dde1e8;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#eef1f5;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.meta th{width:180px}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-weight:600;font-size:12px}
.pass{background:#dff3e4;color:#16692f}.fail{background:#fbe0e0;color:#9b1c1c}.warn{background:#fdf0cf;color:#7a5300}
.skip{background:#e9ebef;color:#4a5263}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:12px 0}
.card{background:#fff;border:1px solid #dde1e8;border-radius:6px;padding:10px 16px;min-width:120px}
.card b{display:block;font-size:22px}
.null{color:#8a93a3;font-style:italic}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12.5px}
.sample{overflow-x:auto}
`;
