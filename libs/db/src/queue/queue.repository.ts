import type { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { BranchEntity } from '../entities/branch.entity';
import { CounterEntity } from '../entities/counter.entity';
import { ServiceEntity } from '../entities/service.entity';
import { TicketEntity } from '../entities/ticket.entity';
import { BranchTransaction } from '../events/branch-transaction';
import type { Statement } from '../events/sql-batch';

export interface QueueState {
  /** The time the state was read at (the transaction's `now` for a LockedRead). */
  now: Date;
  branch: BranchEntity;
  day: string;
  services: ServiceEntity[];
  counters: CounterEntity[];
  tickets: TicketEntity[];
  durations: Map<string, number[]>;
  repairOrderNos: Map<string, string>;
  /**
   * The last ticket number given today per service: the next ticket takes the one after. It is the day counter
   * (ticket_day_sequences), or the highest number of the service's code among the day's tickets where that is higher
   * (a ticket written behind the API's back, a restore without the counters): the number is then still free, where
   * the counter alone would have given one taken (a unique violation, a 500 for the kiosk). By the number, not the
   * service: a transferred ticket keeps its number at its new service. One scan of the day's numbers, in the full read.
   */
  daySeqs: Map<string, number>;
}

interface QueueStateRow {
  now: Date;
  /** False: the kept copy named by the read's parameters is still the queue, and the columns below are null. */
  full: boolean;
  queue_tx: string | null;
  branch: Record<string, unknown> | null;
  day: string;
  services: Record<string, unknown>[];
  counters: Record<string, unknown>[];
  /** One array of TICKET_COLUMNS' values per ticket. */
  tickets: unknown[][];
  /** Per service id, its latest service durations in seconds, newest first (an empty list: none finished yet). */
  durations: Record<string, number[]>;
  repair_orders: Record<string, string>;
  day_seqs: Record<string, number> | null;
}

/**
 * The ticket columns the queue read returns, in this order, each ticket as a JSON array of their values instead of
 * an object (json_agg(t)). Every change reads the branch's active tickets under the lock, and with 50 waiting the
 * objects' keys were 45 % of the read's 33 KB. Measured on a scratch database (50 waiting, 4,000 done tickets; 2,000
 * reads per try, tries alternated): Postgres's CPU per read 0.41–0.47 → 0.36–0.43 ms, the client's (receive and
 * parse) 0.50–0.60 → 0.42–0.51 ms, before the smaller hydration. Must name every column of TicketEntity:
 * hydrateValues refuses a list that does not.
 */
export const TICKET_COLUMNS = [
  'id', 'branch_id', 'service_id', 'local_day', 'day_seq', 'number', 'priority', 'status', 'phone', 'language', 'counter_id',
  'call_reason', 'recall_count', 'created_at', 'first_called_at', 'called_at', 'serving_at', 'finished_at', 'closed_at',
  'estimated_wait_seconds', 'wait_error_seconds', 'issued_by', 'repair_id',
] as const;

/**
 * The queue read (QueueRepository.queueStateRead). $1 branch, $2 `now` (null: clock_timestamp()), $3 and $4 the kept
 * copy's stamp and local day (null: none). `full` is false when both still hold: the CASEs then leave every sub-select
 * unrun (each is an InitPlan, run only when its value is first needed), so the read costs Postgres a few index
 * lookups instead of the aggregation of the queue.
 */
const QUEUE_STATE_SQL = `WITH n AS MATERIALIZED (SELECT coalesce($2::timestamptz, clock_timestamp()) AS now),
              b AS MATERIALIZED (SELECT branches.*, ((n.now AT TIME ZONE time_zone)::date) AS today FROM branches, n WHERE id = $1),
              v AS MATERIALIZED (SELECT queue_tx FROM branch_event_seq WHERE branch_id = $1),
              f AS MATERIALIZED (SELECT NOT coalesce($3::xid8 = (SELECT queue_tx FROM v) AND $4::text = (SELECT to_char(today, 'YYYY-MM-DD') FROM b), false) AS full_read)
         SELECT
           (SELECT now FROM n) AS now,
           (SELECT full_read FROM f) AS full,
           (SELECT queue_tx::text FROM v) AS queue_tx,
           (SELECT to_char(today, 'YYYY-MM-DD') FROM b) AS day,
           CASE WHEN (SELECT full_read FROM f) THEN (SELECT row_to_json(x) FROM (SELECT id, code, name_zh, name_en, time_zone, default_language, queue_settings, notify_settings, created_at FROM b) x) END AS branch,
           CASE WHEN (SELECT full_read FROM f) THEN (SELECT coalesce(json_agg(s ORDER BY s.sort, s.code), '[]'::json) FROM services s WHERE s.branch_id = $1) END AS services,
           CASE WHEN (SELECT full_read FROM f) THEN (SELECT coalesce(json_agg(c ORDER BY c.sort, c.name), '[]'::json) FROM counters c WHERE c.branch_id = $1) END AS counters,
           CASE WHEN (SELECT full_read FROM f) THEN (SELECT coalesce(json_agg(json_build_array(${TICKET_COLUMNS.map((c) => `t.${c}`).join(', ')}) ORDER BY t.created_at), '[]'::json) FROM tickets t, b
             WHERE t.branch_id = $1 AND t.local_day = b.today AND t.status IN ('waiting','called','serving')) END AS tickets,
           CASE WHEN (SELECT full_read FROM f) THEN (SELECT coalesce(json_object_agg(s.id, (
                SELECT coalesce(json_agg(d.seconds ORDER BY d.finished_at DESC), '[]'::json) FROM (
                  SELECT extract(epoch FROM t.finished_at - t.serving_at)::float8 AS seconds, t.finished_at
                    FROM tickets t
                   WHERE t.branch_id = s.branch_id AND t.service_id = s.id AND t.status = 'done' AND t.serving_at IS NOT NULL
                   ORDER BY t.finished_at DESC
                   LIMIT coalesce((b.queue_settings->>'serviceTimeSampleSize')::int, 10)) d)), '{}'::json)
              FROM services s, b
             WHERE s.branch_id = $1) END AS durations,
           CASE WHEN (SELECT full_read FROM f) THEN (SELECT coalesce(json_object_agg(r.id, r.order_no), '{}'::json) FROM repairs r
             WHERE r.id IN (SELECT t.repair_id FROM tickets t, b WHERE t.branch_id = $1 AND t.local_day = b.today AND t.repair_id IS NOT NULL)) END AS repair_orders,
           CASE WHEN (SELECT full_read FROM f) THEN (SELECT coalesce(json_object_agg(s.id, greatest(d.last_seq, n.last_seq)) FILTER (WHERE coalesce(d.last_seq, n.last_seq) IS NOT NULL), '{}'::json)
              FROM services s CROSS JOIN b
              LEFT JOIN ticket_day_sequences d ON d.service_id = s.id AND d.local_day = b.today
              LEFT JOIN (SELECT substring(t.number FROM '^[A-Z]+') AS code, max(substring(t.number FROM '[0-9]+$')::int) AS last_seq
                           FROM tickets t, b WHERE t.branch_id = $1 AND t.local_day = b.today AND t.number ~ '^[A-Z]{1,2}[0-9]{1,9}$'
                          GROUP BY 1) n ON n.code = s.code
             WHERE s.branch_id = $1) END AS day_seqs`;

/** Every query of the lobby queue. Takes the transaction's EntityManager so reads see the locked state. */
export class QueueRepository {
  branch(em: EntityManager, branchId: string): Promise<BranchEntity | null> {
    return em.findOne(BranchEntity, { where: { id: branchId } });
  }

  services(em: EntityManager, branchId: string): Promise<ServiceEntity[]> {
    return em.find(ServiceEntity, { where: { branchId }, order: { sort: 'ASC', code: 'ASC' } });
  }

  counters(em: EntityManager, branchId: string): Promise<CounterEntity[]> {
    return em.find(CounterEntity, { where: { branchId }, order: { sort: 'ASC', name: 'ASC' } });
  }

  counter(em: EntityManager, counterId: string): Promise<CounterEntity | null> {
    return em.findOne(CounterEntity, { where: { id: counterId } });
  }

  ticket(em: EntityManager, ticketId: string): Promise<TicketEntity | null> {
    return em.findOne(TicketEntity, { where: { id: ticketId } });
  }

  /** Waiting, called and serving tickets of the branch's current local day. */
  activeTickets(em: EntityManager, branchId: string, localDay: string): Promise<TicketEntity[]> {
    return em
      .createQueryBuilder(TicketEntity, 't')
      .where('t.branch_id = :branchId AND t.local_day = :localDay', { branchId, localDay })
      .andWhere(`t.status IN ('waiting','called','serving')`)
      .orderBy('t.created_at', 'ASC')
      .getMany();
  }

  /** Service durations (seconds) of the latest finished tickets per service, newest first. */
  async recentDurations(em: EntityManager, branchId: string, perService: number): Promise<Map<string, number[]>> {
    const rows: { service_id: string; seconds: string }[] = await em.query(
      `SELECT s.id AS service_id, d.seconds
         FROM services s
         CROSS JOIN LATERAL (
           SELECT extract(epoch FROM t.finished_at - t.serving_at) AS seconds
             FROM tickets t
            WHERE t.branch_id = s.branch_id AND t.service_id = s.id AND t.status = 'done'
              AND t.serving_at IS NOT NULL
            ORDER BY t.finished_at DESC
            LIMIT $2) d
        WHERE s.branch_id = $1`,
      [branchId, perService],
    );
    const out = new Map<string, number[]>();
    for (const r of rows) {
      const list = out.get(r.service_id) ?? [];
      list.push(Number(r.seconds));
      out.set(r.service_id, list);
    }
    return out;
  }

  /** The latest calls of the day, newest first, for the wall display's "last calls" list. */
  recentCalls(em: EntityManager, branchId: string, localDay: string, limit: number): Promise<TicketEntity[]> {
    return em
      .createQueryBuilder(TicketEntity, 't')
      .where('t.branch_id = :branchId AND t.local_day = :localDay AND t.called_at IS NOT NULL', { branchId, localDay })
      .orderBy('t.called_at', 'DESC')
      .limit(limit)
      .getMany();
  }

  /** Next number of a service for a local day; the row is created on the first ticket of the day. */
  /**
   * A new ticket and its service's day counter, both sent with the commit (BranchTransaction.write): `seq` is the
   * one after the queue's `daySeqs` for the service, read under the branch lock with the queue, and only changes
   * under that lock take ticket numbers, so nothing else can have taken it. Every column is written, as the
   * ticket is kept in memory for the rest of the change (and the batch).
   */
  insertTicket(tx: BranchTransaction, t: TicketEntity): void {
    tx.write(
      `INSERT INTO ticket_day_sequences (service_id, local_day, last_seq) VALUES ($1, $2, $3)
       ON CONFLICT (service_id, local_day) DO UPDATE SET last_seq = EXCLUDED.last_seq`,
      [t.serviceId, t.localDay, t.daySeq],
    );
    const metadata = tx.em.connection.getMetadata(TicketEntity);
    const driver = tx.em.connection.driver;
    const params = metadata.columns.map((c): unknown => driver.preparePersistentValue((t as unknown as Record<string, unknown>)[c.propertyName] ?? null, c));
    let sql = insertTexts.get(metadata);
    if (sql === undefined) {
      const columns = metadata.columns.map((c) => `"${c.databaseName}"`);
      insertTexts.set(metadata, (sql = `INSERT INTO "${metadata.tableName}" (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`));
    }
    tx.write(sql, params);
  }

  /**
   * One UPDATE of the changed row (save() would select it first: a round trip more under the branch lock).
   * Given the branch transaction, the UPDATE is sent with its commit (see BranchTransaction.write).
   */
  async saveTicket(to: EntityManager | BranchTransaction, t: TicketEntity): Promise<void> {
    await save(to, TicketEntity, t);
  }

  async saveCounter(to: EntityManager | BranchTransaction, c: CounterEntity): Promise<void> {
    await save(to, CounterEntity, c);
  }

  /** Tickets left open (waiting, called, serving) from a local day before `localDay`. */
  staleTickets(em: EntityManager, branchId: string, localDay: string): Promise<TicketEntity[]> {
    return em
      .createQueryBuilder(TicketEntity, 't')
      .where('t.branch_id = :branchId AND t.local_day < :localDay', { branchId, localDay })
      .andWhere(`t.status IN ('waiting','called','serving')`)
      .orderBy('t.created_at', 'ASC')
      .getMany();
  }

  /** Branches that still have open tickets from an earlier day in their own time zone. */
  async branchesWithStaleTickets(em: EntityManager): Promise<string[]> {
    const rows: { branch_id: string }[] = await em.query(
      `SELECT DISTINCT t.branch_id FROM tickets t JOIN branches b ON b.id = t.branch_id
        WHERE t.status IN ('waiting','called','serving') AND t.local_day < (now() AT TIME ZONE b.time_zone)::date`,
    );
    return rows.map((r) => r.branch_id);
  }

  /**
   * Everything BranchQueue needs in one round trip (it runs under the branch lock, where each round trip
   * holds up every other change of the branch): the branch, its services and counters, the active tickets
   * of its current local day (in its own time zone) and the latest service durations per service.
   */
  async loadQueueState(em: EntityManager, branchId: string, now: Date): Promise<QueueState | null> {
    const { sql, params } = QueueRepository.queueStateRead(branchId, now);
    return QueueRepository.queueState(em, await em.query(sql, params));
  }

  /**
   * loadQueueState's statement. Without `now` it reads `clock_timestamp()` once and returns it as `now` (as a
   * LockedRead, so the queue is read in the lock's round trip, at the transaction's `now`). Given `kept` (the stamp
   * and day of a copy of the queue the caller kept), the queue is read only if the branch's queue stamp or its local
   * day moved since (`full`); otherwise only `now`, `day` and `queue_tx` come back (see BranchQueue.lockedRead).
   */
  static queueStateRead(branchId: string, now: Date | null, kept: { queueTx: string; day: string } | null = null): Statement {
    return {
      sql: QUEUE_STATE_SQL,
      params: [branchId, now, kept?.queueTx ?? null, kept?.day ?? null],
      name: 'fdl_queue_state',
    };
  }

  /** The branch's queue stamp (branch_event_seq.queue_tx: the last transaction that wrote what the queue read reads). */
  static queueTxRead(branchId: string): Statement {
    return { sql: `SELECT queue_tx::text AS queue_tx FROM branch_event_seq WHERE branch_id = $1`, params: [branchId], name: 'fdl_queue_tx' };
  }

  /** The state from queueStateRead's rows (null: no such branch). */
  static queueState(em: EntityManager, rows: Record<string, unknown>[]): QueueState | null {
    const r = rows[0] as unknown as QueueStateRow | undefined;
    if (!r?.branch) return null;
    if (!r.full) throw new Error('the queue read returned only its stamp: the kept copy of the queue is the state');
    const durations = new Map<string, number[]>();
    for (const [serviceId, seconds] of Object.entries(r.durations)) if (seconds.length) durations.set(serviceId, seconds.map(Number));
    return {
      now: r.now,
      branch: hydrate(em, BranchEntity, r.branch),
      day: r.day,
      services: r.services.map((x) => hydrate(em, ServiceEntity, x)),
      counters: r.counters.map((x) => hydrate(em, CounterEntity, x)),
      tickets: r.tickets.map((x) => hydrateValues(em, TicketEntity, TICKET_COLUMNS, x)),
      durations,
      repairOrderNos: new Map(Object.entries(r.repair_orders ?? {})),
      daySeqs: new Map(Object.entries(r.day_seqs ?? {}).map(([k, v]) => [k, Number(v)])),
    };
  }

  /** The pickup ticket of a repair still waiting, called or served today, if any (a second scan gets the same one). */
  activeTicketOfRepair(em: EntityManager, branchId: string, repairId: string, localDay: string): Promise<TicketEntity | null> {
    return em
      .createQueryBuilder(TicketEntity, 't')
      .where('t.branch_id = :branchId AND t.repair_id = :repairId AND t.local_day = :localDay', { branchId, repairId, localDay })
      .andWhere(`t.status IN ('waiting','called','serving')`)
      .orderBy('t.created_at', 'DESC')
      .getOne();
  }
}

const TIMESTAMP_TYPES = new Set(['timestamptz', 'timestamp', 'timestamp with time zone', 'timestamp without time zone']);

/** An entity from a row of column values (from RETURNING or row_to_json), converted as TypeORM converts its own reads. */
export function hydrate<T extends ObjectLiteral>(em: EntityManager, entity: EntityTarget<T>, raw: Record<string, unknown>): T {
  let hydrator = hydrators.get(entity);
  if (!hydrator) {
    const metadata = em.connection.getMetadata(entity);
    hydrator = compileHydrator(metadata.target as { prototype: object }, metadata.columns);
    hydrators.set(entity, hydrator);
  }
  return hydrator(raw, em.connection.driver) as T;
}

/**
 * An entity from an array of its column values, in the order `columns` names them (a JSON array per row, as the queue
 * read returns tickets). `columns` must name every column of the entity, each once: anything else throws, the
 * first time the list is used, so a column added to the entity cannot be silently left out of a read.
 */
export function hydrateValues<T extends ObjectLiteral>(em: EntityManager, entity: EntityTarget<T>, columns: readonly string[], values: unknown[]): T {
  let byList = valueHydrators.get(entity);
  if (!byList) valueHydrators.set(entity, (byList = new Map<readonly string[], Hydrator>()));
  let hydrator = byList.get(columns);
  if (!hydrator) {
    const metadata = em.connection.getMetadata(entity);
    const names = metadata.columns.map((c) => c.databaseName);
    const missing = names.filter((n) => !columns.includes(n));
    const unknown = columns.filter((n, i) => !names.includes(n) || columns.indexOf(n) !== i);
    if (missing.length || unknown.length) {
      throw new Error(`column list for ${metadata.tableName}: missing ${missing.join(', ') || 'none'}; unknown or repeated ${unknown.join(', ') || 'none'}`);
    }
    hydrator = compileHydrator(metadata.target as { prototype: object }, metadata.columns, columns);
    byList.set(columns, hydrator);
  }
  return hydrator(values as unknown as Record<string, unknown>, em.connection.driver) as T;
}

type Hydrator = (raw: Record<string, unknown>, driver: { prepareHydratedValue(value: unknown, column: ColumnMetadata): unknown }) => Record<string, unknown>;

/**
 * One function per entity, written out column by column: an instance of the entity class made without TypeORM's
 * create() (a hot path: a queue is loaded on every change). Every assignment names its property, so each is a plain
 * store V8 can inline; one loop assigning `out[property]` for every column of every entity took most of the
 * hydration's time. For each column, in the entity's order: a key missing from the row is skipped, a timestamp
 * given as a string (JSON carries them so; TypeORM only converts the long type names itself) becomes a Date, the
 * plain types (those TypeORM's Postgres driver hands over unchanged) are copied as they are, and every other value
 * goes through the driver as TypeORM's own reads do. Given `order` (the database names in a values array's order),
 * the row is that array and every column is in it.
 */
function compileHydrator(target: { prototype: object }, columns: ColumnMetadata[], order?: readonly string[]): Hydrator {
  const lines = columns.map((c, i) => {
    const key = order ? String(order.indexOf(c.databaseName)) : JSON.stringify(c.databaseName);
    const property = JSON.stringify(c.propertyName);
    const kind = c.transformer ? 'driver' : TIMESTAMP_TYPES.has(String(c.type)) ? 'timestamp' : PLAIN_TYPES.has(String(c.type)) ? 'plain' : 'driver';
    const value = kind === 'timestamp' ? `typeof v === 'string' ? new Date(v) : v` : kind === 'plain' ? 'v' : `driver.prepareHydratedValue(v, columns[${i}])`;
    return order ? `v = raw[${key}]; out[${property}] = ${value};` : `v = raw[${key}]; if (v !== undefined || ${key} in raw) out[${property}] = ${value};`;
  });
  const body = `return function hydrate(raw, driver) { const out = Object.create(prototype); let v;\n${lines.join('\n')}\nreturn out; };`;
  // The source is made from the entity's metadata only (names quoted by JSON.stringify), never from a row's data.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const make = new Function('prototype', 'columns', body) as (prototype: object, columns: ColumnMetadata[]) => Hydrator;
  return make(target.prototype, columns);
}

/** Column types whose values TypeORM's Postgres driver returns as they come (no transformer): copied as they are. */
const PLAIN_TYPES = new Set(['uuid', 'text', 'varchar', 'character varying', 'integer', 'int', 'int4', 'smallint', 'boolean', 'bool', 'json', 'jsonb', 'double precision', 'float8', 'real']);

const hydrators = new Map<unknown, Hydrator>();
const valueHydrators = new Map<unknown, Map<readonly string[], Hydrator>>();

/**
 * `UPDATE <table> SET <every column but the key> ... WHERE id = $1`, as em.update would write it (an update-date column
 * gets CURRENT_TIMESTAMP, or in a branch transaction its `now`).
 */
async function save<T extends ObjectLiteral & { id: string }>(to: EntityManager | BranchTransaction, entity: EntityTarget<T>, row: T): Promise<void> {
  const em = to instanceof BranchTransaction ? to.em : to;
  const metadata = em.connection.getMetadata(entity);
  const driver = em.connection.driver;
  const now = to instanceof BranchTransaction ? to.now : null;
  const params: unknown[] = [row.id];
  // Which columns are written (those defined on the row) picks the statement's text, built once per entity and set:
  // a ticket's UPDATE names every column, and building it on every save was a tenth of the bytes the API promoted
  // past its young generation at saturation (sampled heap profile), the same text then looked up again by `prepared`.
  let key = now ? 'b' : 'e';
  for (const column of metadata.columns) {
    if (column.isPrimary) continue;
    if (column.isUpdateDate) {
      if (now) {
        // The change's own time, kept on the row too: the queue it leaves is the next change's (BranchQueue.inTx).
        (row as Record<string, unknown>)[column.propertyName] = now;
        params.push(now);
      }
      continue;
    }
    const value = (row as Record<string, unknown>)[column.propertyName];
    if (value === undefined) {
      key += '0';
      continue;
    }
    key += '1';
    params.push(driver.preparePersistentValue(value, column));
  }
  let texts = updateTexts.get(metadata);
  if (!texts) updateTexts.set(metadata, (texts = new Map<string, string>()));
  let sql = texts.get(key);
  if (sql === undefined) texts.set(key, (sql = updateText(metadata, row, now !== null)));
  if (to instanceof BranchTransaction) to.write(sql, params);
  else await em.query(sql, params);
}

/** The INSERT of every column of an entity (insertTicket), built once (see `save`). */
const insertTexts = new WeakMap<EntityMetadata, string>();

/** UPDATE texts by entity, then by which columns are written (see `save`). */
const updateTexts = new WeakMap<EntityMetadata, Map<string, string>>();

/** The UPDATE `save` sends for this row's defined columns, its parameters numbered in the order `save` pushes them. */
function updateText(metadata: EntityMetadata, row: ObjectLiteral, inBranch: boolean): string {
  let n = 1;
  const sets: string[] = [];
  for (const column of metadata.columns) {
    if (column.isPrimary) continue;
    if (column.isUpdateDate) {
      sets.push(inBranch ? `"${column.databaseName}" = $${++n}` : `"${column.databaseName}" = CURRENT_TIMESTAMP`);
      continue;
    }
    if ((row as Record<string, unknown>)[column.propertyName] === undefined) continue;
    sets.push(`"${column.databaseName}" = $${++n}`);
  }
  return `UPDATE "${metadata.tableName}" SET ${sets.join(', ')} WHERE "id" = $1`;
}
