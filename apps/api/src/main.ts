import 'reflect-metadata';
import { networkInterfaces } from 'node:os';
import { ConfigError, loadConfig } from './config/config';
import { createApp } from './app.factory';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const app = await createApp(config);
  // Every interface, IPv6 and IPv4 where the machine has IPv6 (as Node's own default), IPv4 only where it has not
  // (a container without IPv6). Fastify without a host would listen on localhost only.
  const ipv6 = Object.values(networkInterfaces()).some((list) => list?.some((a) => a.family === 'IPv6'));
  await app.listen(config.PORT, ipv6 ? '::' : '0.0.0.0');
  console.log(`Frontdesk Live API listening on ${config.PUBLIC_URL} (port ${config.PORT})`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
