import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { TokenService } from '../auth/token.service';
import { JobQueues } from './job-queues.service';

export const QUEUE_BOARD_PATH = '/api/admin/queues';
export const QUEUE_BOARD_COOKIE = 'fdl_queue_board';

function cookie(req: Request, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}

/**
 * Bull Board (the BullMQ dashboard) for admins at /api/admin/queues. A browser opening it carries no bearer
 * header, so the admin screen first calls POST /api/admin/queue-board/session, which puts the admin's token in an
 * HttpOnly cookie limited to this path; every request here is checked like an API call (admin only).
 */
export function mountQueueBoard(app: NestExpressApplication): void {
  const board = new ExpressAdapter();
  board.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: app.get(JobQueues).queues.map((q) => new BullMQAdapter(q)),
    serverAdapter: board,
    options: { uiConfig: { boardTitle: 'Frontdesk Live queues' } },
  });
  const tokens = app.get(TokenService);
  app.use(QUEUE_BOARD_PATH, (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7) : cookie(req, QUEUE_BOARD_COOKIE);
    tokens.resolve(token).then(
      (p) => {
        if (!p) return res.status(401).json({ statusCode: 401, error: 'Unauthorized', message: 'sign in as an admin and open the queues from the admin screen' });
        if (p.kind !== 'user' || p.role !== 'admin') return res.status(403).json({ statusCode: 403, error: 'Forbidden', message: 'the queue board is for admins' });
        next();
      },
      (err: unknown) => next(err),
    );
  });
  app.use(QUEUE_BOARD_PATH, board.getRouter() as (req: Request, res: Response, next: NextFunction) => void);
}
