import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { badRequest } from './http-errors';

/** The path of the first string holding a NUL character, or null. */
export function findNulByte(value: unknown, path: string[] = [], depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path.join('.') || '(body)' : null;
  if (value === null || typeof value !== 'object' || depth > 32) return null;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k.includes('\u0000')) return [...path, k.replace(/\u0000/g, '\\0')].join('.');
    const found = findNulByte(v, [...path, k], depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * Postgres cannot store a NUL character in text or jsonb, so a body or query holding one failed deep in a query with
 * a 500. No field of ours has a use for it: refuse it up front with a 400 that names the field.
 */
@Injectable()
export class NulByteMiddleware implements NestMiddleware {
  use(req: Request, _res: Response, next: NextFunction): void {
    const inBody = findNulByte(req.body);
    const inQuery = inBody ? null : findNulByte(req.query);
    const path = inBody ?? inQuery;
    if (path) throw badRequest(path === '(body)' || !inQuery ? path : `query.${path}`, 'must not contain a NUL character');
    next();
  }
}
