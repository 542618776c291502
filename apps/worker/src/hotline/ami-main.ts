import { z } from 'zod';
import { AmiConnector } from './ami-connector';
import { HotlineSink } from './hotline-sink';

/**
 * The optional Asterisk connector, a process of its own (`node apps/worker/dist/hotline/ami-main.js`): it can run
 * next to the telephone system, needs no database, and goes through the same signed endpoint as any PBX, so
 * validation, idempotency and live metrics are the API's one code path.
 *
 * Config: AMI_CONNECTIONS, a JSON array of {branchId, host, port?, username, secret, hotlineSecret}, or for one
 * branch AMI_BRANCH_ID, AMI_HOST, AMI_PORT (5038), AMI_USERNAME, AMI_SECRET, HOTLINE_SECRET. API_URL is the API.
 */
const ConnectionSchema = z.object({
  branchId: z.uuid(),
  host: z.string().min(1),
  port: z.coerce.number().int().min(1).max(65535).default(5038),
  username: z.string().min(1),
  secret: z.string().min(1),
  hotlineSecret: z.string().min(1),
});

export function loadAmiConnections(env: NodeJS.ProcessEnv): z.infer<typeof ConnectionSchema>[] {
  const list: unknown = env.AMI_CONNECTIONS
    ? JSON.parse(env.AMI_CONNECTIONS)
    : env.AMI_HOST
      ? [{ branchId: env.AMI_BRANCH_ID, host: env.AMI_HOST, port: env.AMI_PORT, username: env.AMI_USERNAME, secret: env.AMI_SECRET, hotlineSecret: env.HOTLINE_SECRET }]
      : [];
  return z.array(ConnectionSchema).parse(list);
}

function main(): void {
  const apiUrl = process.env.API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
  const connections = loadAmiConnections(process.env);
  if (connections.length === 0) {
    console.log('AMI connector: no AMI_CONNECTIONS or AMI_HOST configured; nothing to do');
    return;
  }
  const log = (line: string) => console.log(`[ami] ${line}`);
  const connectors = connections.map((c) => {
    const sink = new HotlineSink({ apiUrl, branchId: c.branchId, secret: c.hotlineSecret, log });
    const connector = new AmiConnector(c, { onEvents: (events) => sink.push(events), log });
    connector.start();
    return connector;
  });
  // The timers are unref'd: keep the process alive until told to stop.
  const keepAlive = setInterval(() => undefined, 60_000);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      connectors.forEach((c) => c.stop());
      clearInterval(keepAlive);
      process.exit(0);
    });
  }
}

if (require.main === module) main();
