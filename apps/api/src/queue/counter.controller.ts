import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { createZodDto } from 'nestjs-zod';
import { CallTicketSchema, CounterActionSchema, PauseCounterSchema, type Principal } from '@frontdesk/contracts';
import { Allow, CurrentPrincipal, FRONTDESK, STAFF } from '../auth/auth.decorators';
import { IdempotencyLookupInTransaction } from '../common/idempotency.interceptor';
import { UuidPipe } from '../common/uuid.pipe';
import { CounterService } from './counter.service';
import { TicketService } from './ticket.service';

class CounterActionDto extends createZodDto(CounterActionSchema) {}
class PauseCounterDto extends createZodDto(PauseCounterSchema) {}
class CallTicketDto extends createZodDto(CallTicketSchema) {}

@ApiTags('lobby queue')
@ApiBearerAuth()
@Controller()
export class CounterController {
  constructor(
    private readonly counters: CounterService,
    private readonly tickets: TicketService,
  ) {}

  @Get('branches/:branchId/counters')
  @Allow(...STAFF)
  @ApiOperation({ summary: 'Counters with their state, services and current ticket' })
  list(@CurrentPrincipal() p: Principal, @Param('branchId', UuidPipe) branchId: string) {
    return this.counters.list(p, branchId);
  }

  @Post('counters/:id/open')
  @HttpCode(200)
  @IdempotencyLookupInTransaction()
  @Allow(...FRONTDESK)
  @ApiOperation({ summary: 'Open (or resume) a counter' })
  open(@CurrentPrincipal() p: Principal, @Param('id', UuidPipe) id: string, @Body() _body: CounterActionDto) {
    return this.counters.change(p, id, 'open');
  }

  @Post('counters/:id/pause')
  @HttpCode(200)
  @IdempotencyLookupInTransaction()
  @Allow(...FRONTDESK)
  @ApiOperation({ summary: 'Pause a counter with a reason (lunch, paperwork, ...)' })
  pause(@CurrentPrincipal() p: Principal, @Param('id', UuidPipe) id: string, @Body() body: PauseCounterDto) {
    return this.counters.change(p, id, 'pause', body.reason);
  }

  @Post('counters/:id/close')
  @HttpCode(200)
  @IdempotencyLookupInTransaction()
  @Allow(...FRONTDESK)
  @ApiOperation({ summary: 'Close a counter' })
  close(@CurrentPrincipal() p: Principal, @Param('id', UuidPipe) id: string, @Body() _body: CounterActionDto) {
    return this.counters.change(p, id, 'close');
  }

  @Post('counters/:id/call-next')
  @HttpCode(200)
  @IdempotencyLookupInTransaction()
  @Allow(...FRONTDESK)
  @ApiOperation({ summary: 'Call the next ticket for the counter (priority and aging first, then by creation); 204 when none waits' })
  async callNext(@CurrentPrincipal() p: Principal, @Param('id', UuidPipe) id: string, @Res({ passthrough: true }) res: FastifyReply) {
    const result = await this.tickets.callNext(p, id);
    if (!result) res.code(204);
    return result ?? undefined;
  }

  @Post('counters/:id/call/:ticketId')
  @HttpCode(200)
  @IdempotencyLookupInTransaction()
  @Allow(...FRONTDESK)
  @ApiOperation({ summary: 'Call a chosen ticket out of order; the reason is kept' })
  callTicket(
    @CurrentPrincipal() p: Principal,
    @Param('id', UuidPipe) id: string,
    @Param('ticketId', UuidPipe) ticketId: string,
    @Body() body: CallTicketDto,
  ) {
    return this.tickets.callTicket(p, id, ticketId, body.reason);
  }
}
