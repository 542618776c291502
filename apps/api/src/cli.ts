import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { createDataSource } from '@frontdesk/db';
import { seedDemo } from './database/seed/demo-seed';
import { seedDemoHistory } from './database/seed/demo-history';

const CliEnv = z.object({
  DATABASE_URL: z.string({ error: 'DATABASE_URL is required' }).regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres://'),
  DEMO_PASSWORD: z.string().min(8).default('frontdesk-demo'),
  PUBLIC_URL: z.string().url().optional(),
  PORT: z.coerce.number().int().default(3000),
  SEED_OUTPUT: z.string().optional(),
  /** seed-demo: past days of lobby, hotline, repair and callback traffic to make up for a new demo branch (npm start asks for 28). */
  DEMO_HISTORY_DAYS: z.coerce.number({ error: 'DEMO_HISTORY_DAYS must be a number of days' }).int().min(0).max(366).default(0),
});

const USAGE = 'usage: node apps/api/dist/cli.js <migrate|revert|seed-demo>';

async function main(): Promise<void> {
  const command = process.argv[2];
  if (!command || !['migrate', 'revert', 'seed-demo'].includes(command)) {
    console.error(USAGE);
    process.exit(2);
  }
  const env = CliEnv.safeParse(process.env);
  if (!env.success) {
    console.error(env.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
    process.exit(2);
  }
  const ds = createDataSource(env.data.DATABASE_URL);
  await ds.initialize();
  try {
    if (command === 'migrate') {
      const ran = await ds.runMigrations({ transaction: 'each' });
      console.log(ran.length ? `applied ${ran.length} migration(s): ${ran.map((m) => m.name).join(', ')}` : 'database is up to date');
    } else if (command === 'revert') {
      await ds.undoLastMigration({ transaction: 'each' });
      console.log('reverted the last migration');
    } else {
      const publicUrl = (env.data.PUBLIC_URL ?? `http://localhost:${env.data.PORT}`).replace(/\/$/, '');
      const result = await seedDemo(ds, { password: env.data.DEMO_PASSWORD, publicUrl });
      if (env.data.SEED_OUTPUT) writeFileSync(env.data.SEED_OUTPUT, JSON.stringify(result, null, 2));
      console.log(`demo branch "${result.branchCode}" ready (${result.branchId})`);
      console.log(`  kiosk:   ${result.kioskUrl}`);
      console.log(`  display: ${result.displayUrl}`);
      console.log(`  users:   ${result.users.map((u) => `${u.username} (${u.role})`).join(', ')} — password: ${result.password}`);
      if (env.data.DEMO_HISTORY_DAYS > 0) {
        const h = await seedDemoHistory(ds, result.branchId, { days: env.data.DEMO_HISTORY_DAYS });
        console.log(
          h.written
            ? `  history: ${h.days} past days, ${h.tickets} tickets (${h.events} events), ${h.calls} hotline calls, ${h.repairs} repairs, ${h.callbacks} callbacks`
            : `  history: not written: ${h.reason}`,
        );
      }
    }
  } finally {
    await ds.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
