import { escapeLiteral } from 'pg';
import { QueryFailedError } from 'typeorm';

/** A statement with its `$n` parameters, as given to `em.query`. */
export interface Statement {
  sql: string;
  params: unknown[];
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
    const t = textOf(params[i]);
    return t === null ? 'NULL' : escapeLiteral(t);
  });
}

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
  const sql = statements.map((s) => (typeof s === 'string' ? s : inline(s))).join(';\n');
  try {
    const r = await client.query(sql);
    return (Array.isArray(r) ? r : [r]).map((x) => x.rows ?? []);
  } catch (err) {
    throw new QueryFailedError(sql, [], err as Error);
  }
}
