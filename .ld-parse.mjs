import { DuckDBInstance } from '@duckdb/node-api';
const db = await DuckDBInstance.create(':memory:'); const c = await db.connect();
const r = await c.runAndReadAll(`select json_serialize_sql($1::VARCHAR) j`, [process.argv[2]]);
console.log(JSON.stringify(JSON.parse(r.getRowsJS()[0][0]).statements[0].node, (k,v)=> k==='query_location'?undefined:v, 1).slice(0, 6000));
