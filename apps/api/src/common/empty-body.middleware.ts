import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/** Express 5 leaves req.body undefined for body-less POSTs; actions like recall take an optional body. */
@Injectable()
export class EmptyBodyMiddleware implements NestMiddleware {
  use(req: Request, _res: Response, next: NextFunction): void {
    if (req.body === undefined) req.body = {};
    next();
  }
}
