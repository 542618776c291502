import 'reflect-metadata';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { BranchEntity } from './entities/branch.entity';
import { CounterEntity } from './entities/counter.entity';
import { DeviceEntity } from './entities/device.entity';
import { ServiceEntity } from './entities/service.entity';
import { TicketEntity } from './entities/ticket.entity';
import { UserEntity } from './entities/user.entity';
import { CustomerEntity, RepairEntity, RepairHistoryEntity } from './entities/repair.entity';
import { LobbyQueue1764000000000 } from './migrations/1764000000000-lobby-queue';
import { Alerts1764050000000 } from './migrations/1764050000000-alerts';
import { Repairs1764100000000 } from './migrations/1764100000000-repairs';
import { Hotline1764200000000 } from './migrations/1764200000000-hotline';
import { Notifications1764300000000 } from './migrations/1764300000000-notifications';
import { Callbacks1764400000000 } from './migrations/1764400000000-callbacks';
import { Manager1764500000000 } from './migrations/1764500000000-manager';
import { CustomerAudit1764600000000 } from './migrations/1764600000000-customer-audit';
import { TicketRepair1764700000000 } from './migrations/1764700000000-ticket-repair';
import { NotificationQueuedAt1764800000000 } from './migrations/1764800000000-notification-queued-at';
import { TicketDurationsIndex1764810000000 } from './migrations/1764810000000-ticket-durations-index';
import { CustomerAuditActor1764820000000 } from './migrations/1764820000000-customer-audit-actor';
import { QueueVersion1764830000000 } from './migrations/1764830000000-queue-version';
import { QueueStampPlpgsql1764840000000 } from './migrations/1764840000000-queue-stamp-plpgsql';
import { BranchExpectedLock1764850000000 } from './migrations/1764850000000-branch-expected-lock';
import { BranchExpectedLockQueueOnly1764860000000 } from './migrations/1764860000000-branch-expected-lock-queue-only';
import { TicketNumberUnique1764870000000 } from './migrations/1764870000000-ticket-number-unique';

export const ENTITIES = [BranchEntity, ServiceEntity, CounterEntity, UserEntity, DeviceEntity, TicketEntity, CustomerEntity, RepairEntity, RepairHistoryEntity];
export const MIGRATIONS = [
  LobbyQueue1764000000000,
  Alerts1764050000000,
  Repairs1764100000000,
  Hotline1764200000000,
  Notifications1764300000000,
  Callbacks1764400000000,
  Manager1764500000000,
  CustomerAudit1764600000000,
  TicketRepair1764700000000,
  NotificationQueuedAt1764800000000,
  TicketDurationsIndex1764810000000,
  CustomerAuditActor1764820000000,
  QueueVersion1764830000000,
  QueueStampPlpgsql1764840000000,
  BranchExpectedLock1764850000000,
  BranchExpectedLockQueueOnly1764860000000,
  TicketNumberUnique1764870000000,
];

/** The one place connection options live: used by the API, the CLI (migrate/seed) and the tests. */
export function dataSourceOptions(databaseUrl: string): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    // Fail fast while Postgres is down instead of queueing requests behind a dead pool.
    extra: { max: 20, connectionTimeoutMillis: 3000, idleTimeoutMillis: 30000 },
  };
}

export function createDataSource(databaseUrl: string): DataSource {
  return new DataSource(dataSourceOptions(databaseUrl));
}
