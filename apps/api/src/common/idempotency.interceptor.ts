import { CallHandler, ExecutionContext, HttpException, HttpStatus, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { QueryFailedError, type DataSource } from 'typeorm';
import type { Principal } from '@frontdesk/contracts';
import { principalId } from '../auth/branch-access';
import { badRequest } from './http-errors';
import { idempotencyStorage, type IdempotencyContext } from './request-context';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const KEY_FORMAT = /^[A-Za-z0-9._:-]{8,128}$/;

export interface StoredResponse {
  request_hash: string;
  response: { body: unknown } | null;
}

const LOOKUP_IN_TRANSACTION = 'idempotency:lookup-in-transaction';

/**
 * For a route whose handler reads only, then makes its change in one branch transaction (BranchTransactions.run):
 * the stored result is looked up in the transaction's first round trip instead of in a query of its own before the
 * handler. A retry of a request that succeeded then finds it there and is answered with it (the transaction is
 * rolled back); so does a copy that waited for the branch lock while the first committed.
 */
export const IdempotencyLookupInTransaction = () => SetMetadata(LOOKUP_IN_TRANSACTION, true);

/** Thrown by the branch transaction when the request's key already has a stored result. */
export class IdempotentReplay extends Error {
  constructor(readonly previous: StoredResponse) {
    super('idempotent replay');
  }
}

/**
 * Idempotency-Key on every mutation: a retry with the same key returns the first result and changes nothing.
 * Changes made under the branch lock store their result in the same transaction (see BranchTransactions);
 * other mutations store it right after they succeed.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly reflector: Reflector,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<FastifyRequest & { principal?: Principal | null }>();
    const raw = req.headers['idempotency-key'];
    if (!MUTATING.has(req.method) || raw === undefined) return next.handle();
    if (typeof raw !== 'string' || !KEY_FORMAT.test(raw)) {
      throw badRequest('headers.idempotency-key', 'must be 8-128 characters: letters, digits, . _ : -');
    }
    const res = ctx.switchToHttp().getResponse<FastifyReply>();
    const who = req.principal ? principalId(req.principal) : `anon:${req.ip}`;
    const context: IdempotencyContext = {
      key: `${who}|${raw}`,
      requestHash: createHash('sha256').update(`${req.method} ${req.originalUrl}\n${JSON.stringify(req.body ?? null)}`).digest('hex'),
      stored: false,
    };
    const declared = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, ctx.getHandler());
    const successStatus = declared ?? (req.method === 'POST' ? 201 : 200);
    if (this.reflector.get<boolean | undefined>(LOOKUP_IN_TRANSACTION, ctx.getHandler())) context.lookupInTransaction = true;
    return from(this.run(context, next, res, successStatus));
  }

  private async run(context: IdempotencyContext, next: CallHandler, res: FastifyReply, successStatus: number): Promise<unknown> {
    if (!context.lookupInTransaction) {
      const previous = await this.find(context.key);
      if (previous) return this.replay(previous, context, res, successStatus);
    }
    try {
      const value: unknown = await idempotencyStorage.run(context, () => lastValueFrom(next.handle() as Observable<unknown>, { defaultValue: undefined }));
      if (!context.stored) {
        await this.ds.query(
          `INSERT INTO idempotency_keys (key, request_hash, response) VALUES ($1, $2, $3::jsonb) ON CONFLICT (key) DO NOTHING`,
          [context.key, context.requestHash, JSON.stringify({ body: value ?? null })],
        );
      }
      return value;
    } catch (err) {
      if (err instanceof IdempotentReplay) return this.replay(err.previous, context, res, successStatus);
      // Two copies of the same request raced: the second lost on the key's primary key; answer like the first.
      if (err instanceof QueryFailedError && (err.driverError as { code?: string })?.code === '23505' && /idempotency_keys/.test(String((err.driverError as { constraint?: string }).constraint ?? err.message))) {
        const first = await this.find(context.key);
        if (first) return this.replay(first, context, res, successStatus);
      }
      throw err;
    }
  }

  private async find(key: string): Promise<StoredResponse | null> {
    const rows: StoredResponse[] = await this.ds.query(`SELECT request_hash, response FROM idempotency_keys WHERE key = $1`, [key]);
    return rows[0] ?? null;
  }

  private replay(previous: StoredResponse, context: IdempotencyContext, res: FastifyReply, successStatus: number): unknown {
    if (previous.request_hash !== context.requestHash) {
      throw new HttpException(
        {
          statusCode: 422,
          error: 'Unprocessable Entity',
          message: 'this Idempotency-Key was already used for a different request',
          details: [{ path: 'headers.idempotency-key', message: 'already used for a different request' }],
        },
        HttpStatus.UNPROCESSABLE_ENTITY,
      );
    }
    const body = previous.response?.body ?? null;
    res.header('Idempotent-Replayed', 'true');
    res.code(body === null ? 204 : successStatus);
    return body ?? undefined;
  }
}
