import 'reflect-metadata';
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
  // Every interface, as in a container (Fastify alone would listen on localhost only).
  await app.listen(config.PORT, '0.0.0.0');
  console.log(`Frontdesk Live API listening on ${config.PUBLIC_URL} (port ${config.PORT})`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
