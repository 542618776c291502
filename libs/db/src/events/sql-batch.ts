import { escapeLiteral } from 'pg';
import { QueryFailedError } from 'typeorm';

/** A statement with its `$n` parameters, as given to `em.query`. */
export interface Statement {
  sql: string;
  params: unknown[];
  /**
   * Prepared once per connection under this name and run with EXECUTE, so Postgres plans it once instead of on
   * every run (for a large statement on the hot path: the queue read took 2–6 ms to plan). One name, one SQL text.
   */
  name?: string;
}

/** The text form of a value, as node-postgres sends a parameter (null stays null). */
function textOf(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return `{${v.map((x) => { const t = textOf(x); return t === null ? 'NULL' : `"${t.replace(/[\\"]/g, '\\$&')}"`; }).join(',')}}`;
  if (Buffer.isBuffer(v)) throw new Error('binary parameters cannot be sent in a batch');
  if (typeof v === 'object') return JSON.stringify(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  throw new Error(`a ${typeof v} cannot be sent as a parameter`);
}

/**
 * The statement with its parameters written in as quoted literals. A quoted literal has no type until the
 * server resolves it from its context, exactly like a parameter sent as text, so the statement means the same.
 * The SQL must not contain `$n` anywhere but as a parameter (our statements never do).
 */
export function inline({ sql, params }: Statement): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => {
    const i = Number(n) - 1;
    if (i < 0 || i >= params.length) throw new Error(`no value for $${n}`);
    return literal(params[i]);
  });
}

function literal(v: unknown): string {
  const t = textOf(v);
  if (t === null) return 'NULL';
  // A NUL would end the message's text early; Postgres refuses it in a parameter with this error, so the same here.
  if (t.includes('\0')) throw Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
  return escapeLiteral(t);
}

/** The names prepared on each connection (a connection is its pg client object, for as long as it lives). */
const prepared = new WeakMap<object, Set<string>>();

interface PgResult {
  rows: Record<string, unknown>[];
}
interface PgClient {
  query(sql: string): Promise<PgResult | PgResult[]>;
}

/**
 * Several statements in ONE round trip (the simple query protocol runs them in order, each with its own snapshot,
 * so a statement sees what the one before it did or waited for). Returns each statement's rows. An error is
 * raised as TypeORM raises it (QueryFailedError with the driver's error), and the statements after it do not run.
 */
export async function runBatch(client: PgClient, statements: (Statement | string)[]): Promise<Record<string, unknown>[][]> {
  let names = prepared.get(client);
  if (!names) prepared.set(client, (names = new Set()));
  for (const s of statements) {
    if (typeof s === 'string' || !s.name || names.has(s.name)) continue;
    // Its own round trip, once per connection; a batch starts outside any transaction (or inside a healthy one).
    try {
      await client.query(`PREPARE ${s.name} AS ${s.sql}`);
    } catch (err) {
      throw new QueryFailedError(`PREPARE ${s.name}`, [], err as Error);
    }
    names.add(s.name);
  }
  let sql = '';
  try {
    sql = statements
      .map((s) => (typeof s === 'string' ? s : s.name ? `EXECUTE ${s.name}(${s.params.map(literal).join(', ')})` : inline(s)))
      .join(';\n');
    const r = await client.query(sql);
    return (Array.isArray(r) ? r : [r]).map((x) => x.rows ?? []);
  } catch (err) {
    throw new QueryFailedError(sql, [], err as Error);
  }
}
