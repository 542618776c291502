import { createHash } from 'node:crypto';
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
  return quoted(t);
}

/**
 * node-postgres's escapeLiteral, written with whole-string replaces: quotes doubled, and with a backslash in the
 * text an E'' literal with backslashes doubled (space-prefixed, as pg writes it). pg's version appends the text one
 * character at a time, so an event's JSON of a few KB became thousands of short-lived strings: a fifth of everything
 * the API allocated at saturation (sampled heap profile), and garbage collection is what its slowest calls waited on.
 */
function quoted(t: string): string {
  const q = t.includes("'") ? t.replace(/'/g, "''") : t;
  return t.includes('\\') ? ` E'${q.replace(/\\/g, '\\\\')}'` : `'${q}'`;
}

/** SQL texts given a name by `prepared`, at most AUTO_NAMES_MAX of them (each is prepared once per pooled connection). */
const autoNames = new Map<string, string>();
const AUTO_NAMES_MAX = 256;

/**
 * The statement under a name made from its SQL text, so runBatch prepares it once per connection and runs it with
 * EXECUTE: Postgres neither parses nor plans it again, and its parameters are written as a list of literals instead
 * of into the text. For statements built by our code whose every parameter gets its type from its place (a column it
 * is compared with or stored in, or a cast): PREPARE cannot type a bare `$1`, where a literal would be text. Past
 * AUTO_NAMES_MAX distinct texts, the rest are sent unnamed, as before.
 */
export function prepared(sql: string, params: unknown[]): Statement {
  let name = autoNames.get(sql);
  if (name === undefined && autoNames.size < AUTO_NAMES_MAX) {
    name = `fdl_w_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
    autoNames.set(sql, name);
  }
  return name === undefined ? { sql, params } : { sql, params, name };
}

/** The names prepared on each connection (a connection is its pg client object, for as long as it lives). */
const preparedOn = new WeakMap<object, Set<string>>();

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
  let names = preparedOn.get(client);
  if (!names) preparedOn.set(client, (names = new Set()));
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
