import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastify } from '@bull-board/fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { parse } from 'cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TokenService } from '../auth/token.service';
import { JobQueues } from './job-queues.service';

export const QUEUE_BOARD_PATH = '/api/admin/queues';
export const QUEUE_BOARD_COOKIE = 'fdl_queue_board';

/**
 * Bull Board (the BullMQ dashboard) for admins at /api/admin/queues. A browser opening it carries no bearer
 * header, so the admin screen first calls POST /api/admin/queue-board/session, which puts the admin's token in an
 * HttpOnly cookie limited to this path; every request here is checked like an API call (admin only).
 */
export async function mountQueueBoard(app: NestFastifyApplication): Promise<void> {
  const board = new BullBoardFastify();
  board.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: app.get(JobQueues).queues.map((q) => new BullMQAdapter(q)),
    serverAdapter: board,
    options: { uiConfig: { boardTitle: 'Frontdesk Live queues' } },
  });
  const tokens = app.get(TokenService);
  // A scope of its own: the admin check runs for the board's routes only.
  await app.register(async (scope: FastifyInstance) => {
    scope.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
      const header = req.headers.authorization;
      const token = header?.startsWith('Bearer ') ? header.slice(7) : (parse(req.headers.cookie ?? '')[QUEUE_BOARD_COOKIE] ?? null);
      const p = await tokens.resolve(token);
      if (!p) return reply.code(401).send({ statusCode: 401, error: 'Unauthorized', message: 'sign in as an admin and open the queues from the admin screen' });
      if (p.kind !== 'user' || p.role !== 'admin') return reply.code(403).send({ statusCode: 403, error: 'Forbidden', message: 'the queue board is for admins' });
    });
    await scope.register(board.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
  });
}
