import { BadRequestException, ConflictException, HttpException } from '@nestjs/common';
import { ZodValidationException } from 'nestjs-zod';
import { QueryFailedError } from 'typeorm';
import { z } from 'zod';
import { RecordNotFoundError } from '@frontdesk/db';
import { toErrorBody } from './http-exception.filter';
import { illegalTransition } from './http-errors';

describe('error bodies', () => {
  it('lists each invalid field of a body with its path', () => {
    const result = z.object({ serviceId: z.uuid(), device: z.object({ imei: z.string().length(15) }) }).safeParse({ serviceId: 'x', device: { imei: '1' } });
    if (result.success) throw new Error('expected a failure');
    const body = toErrorBody(new ZodValidationException(result.error));
    expect(body.statusCode).toBe(400);
    expect(body.details?.map((d) => d.path)).toEqual(['serviceId', 'device.imei']);
    expect(body.message).toContain('serviceId: ');
  });

  it('keeps the current state and the allowed actions of a 409', () => {
    const body = toErrorBody(illegalTransition('A001: cannot finish a ticket that is waiting', 'waiting', ['call', 'cancel']));
    expect(body).toEqual({ statusCode: 409, error: 'Conflict', message: 'A001: cannot finish a ticket that is waiting', currentState: 'waiting', allowed: ['call', 'cancel'] });
  });

  it('turns a missing row into a 404', () => {
    expect(toErrorBody(new RecordNotFoundError('counter', 'c-1'))).toEqual({ statusCode: 404, error: 'Not Found', message: 'counter c-1 not found' });
  });

  it('answers a malformed JSON body with a 400 that says so', () => {
    const body = toErrorBody(new BadRequestException('Unexpected end of JSON input', { cause: new SyntaxError('Unexpected end of JSON input') }));
    expect(body).toEqual({ statusCode: 400, error: 'Bad Request', message: 'request body is not valid JSON', details: [{ path: '(body)', message: 'request body is not valid JSON' }] });
  });

  it('names the path when a path segment is not valid UTF-8 (fuzz case GET /api/branches/%ED%A0%80%FF)', () => {
    const body = toErrorBody(new BadRequestException("Failed to decode param '%ED%A0%80%FF'"));
    expect(body).toMatchObject({ statusCode: 400, details: [{ path: '(path)', message: "Failed to decode param '%ED%A0%80%FF'" }] });
  });

  it('reports a lost database connection as 503, not 500', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(toErrorBody(err).statusCode).toBe(503);
    const terminated = new QueryFailedError('SELECT 1', [], Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }));
    expect(toErrorBody(terminated).statusCode).toBe(503);
  });

  it('hides the details of an unexpected error behind a plain 500', () => {
    expect(toErrorBody(new TypeError('x is undefined'))).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'an unexpected error occurred' });
  });

  it('keeps a string message of any HttpException', () => {
    expect(toErrorBody(new HttpException('slow down', 429))).toEqual({ statusCode: 429, error: 'Too Many Requests', message: 'slow down' });
    expect(toErrorBody(new ConflictException('busy')).error).toBe('Conflict');
  });
});
