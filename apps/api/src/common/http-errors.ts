import { ConflictException, HttpException, HttpStatus, NotFoundException } from '@nestjs/common';

/** 409 for an illegal state change: names the current state and the allowed ones (CONTRACT.md). */
export function illegalTransition(message: string, currentState: string, allowed: readonly string[]): ConflictException {
  return new ConflictException({ statusCode: 409, error: 'Conflict', message, currentState, allowed: [...allowed] });
}

/** 409 for a rule that blocks an otherwise legal change (cooldown, recall limit). */
export function ruleConflict(message: string, currentState: string, extra: Record<string, unknown> = {}): ConflictException {
  return new ConflictException({ statusCode: 409, error: 'Conflict', message, currentState, ...extra });
}

export function notFound(what: string, id: string): NotFoundException {
  return new NotFoundException({ statusCode: 404, error: 'Not Found', message: `${what} ${id} not found` });
}

export function badRequest(path: string, message: string): HttpException {
  return new HttpException(
    { statusCode: 400, error: 'Bad Request', message: `${path}: ${message}`, details: [{ path, message }] },
    HttpStatus.BAD_REQUEST,
  );
}
