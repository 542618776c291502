import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { Throttle } from '@nestjs/throttler';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { CreateTicketSchema, TicketNoteSchema, TransferTicketSchema, type Principal } from '@frontdesk/contracts';
import { Allow, CurrentPrincipal, FRONTDESK, Public, STAFF } from '../auth/auth.decorators';
import { DeviceOrIpThrottlerGuard, envLimit } from '../common/device-throttler.guard';
import { IdempotencyLookupInTransaction } from '../common/idempotency.interceptor';
import { UuidPipe } from '../common/uuid.pipe';
import { QueueSnapshotService } from './queue-snapshot.service';
import { TicketService } from './ticket.service';

class CreateTicketDto extends createZodDto(CreateTicketSchema) {}
class TransferTicketDto extends createZodDto(TransferTicketSchema) {}
class TicketNoteDto extends createZodDto(TicketNoteSchema) {}

@ApiTags('lobby queue')
@ApiBearerAuth()
@Controller()
export class TicketController {
  constructor(
    private readonly tickets: TicketService,
    private readonly snapshots: QueueSnapshotService,
  ) {}

  @Post('branches/:branchId/tickets')
  @Allow(...FRONTDESK, 'kiosk')
  // A kiosk serves one customer at a time: 60 tickets a minute is far past any real lobby.
  @UseGuards(DeviceOrIpThrottlerGuard)
  @Throttle({ default: { limit: () => envLimit('KIOSK_TICKETS_PER_MINUTE', 60), ttl: 60_000 } })
  @IdempotencyLookupInTransaction()
  @ApiOperation({ summary: 'Take a ticket (kiosk or front desk): number, position, estimated wait, tracking URL' })
  issue(@CurrentPrincipal() p: Principal, @Param('branchId', UuidPipe) branchId: string, @Body() body: CreateTicketDto) {
    return this.tickets.issue(p, branchId, body);
  }

  @Get('branches/:branchId/tickets')
  @Allow(...STAFF)
  @ApiOperation({ summary: 'Active tickets (waiting, called, serving) of the branch today' })
  listActive(@CurrentPrincipal() p: Principal, @Param('branchId', UuidPipe) branchId: string) {
    return this.tickets.listActive(p, branchId);
  }

  @Get('branches/:branchId/queue')
  @Allow(...STAFF, 'display', 'kiosk')
  @ApiOperation({ summary: 'Queue snapshot with its seq (devices get the lobby view without personal data)' })
  queue(@CurrentPrincipal() p: Principal, @Param('branchId', UuidPipe) branchId: string) {
    return this.snapshots.forPrincipal(p, branchId);
  }

  @Get('tickets/:id/track')
  @Public()
  // The page refetches on live events (debounced); a phone stays far below this.
  @UseGuards(DeviceOrIpThrottlerGuard)
  @Throttle({ default: { limit: () => envLimit('TRACK_REQUESTS_PER_MINUTE', 120), ttl: 60_000 } })
  @ApiOperation({ summary: "The customer's own position, estimate and, once called, counter (public; the id is the secret)" })
  track(@Param('id', UuidPipe) id: string) {
    return this.tickets.track(id);
  }

  @Get('tickets/:id')
  @Allow(...STAFF)
  @ApiOperation({ summary: 'A ticket with its stage times' })
  get(@CurrentPrincipal() p: Principal, @Param('id', UuidPipe) id: string) {
    return this.tickets.get(p, id);
  }

  @Post('tickets/:id/recall')
  @HttpCode(200)
  @IdempotencyLookupInTransaction()
  @Allow(...FRONTDESK)
  @ApiOperation({ summary: 'Call the ticket again (limited number of recalls, with a cooldown)' })
  recall(@CurrentPrincipal() p: Principal, @Param('id', UuidPipe) id: string) {
    return this.tickets.recall(p, id);
  }

  @Post('tickets/:id/serve')
  @HttpCode(200)
  @IdempotencyLookupInTransaction()
  @Allow(...FRONTDESK)
  @ApiOperation({ summary: 'The customer reached the counter: start serving' })
  serve(@CurrentPrincipal() p: Principal, @Param('id', UuidPipe) id: string) {
    return this.tickets.serve(p, id);
  }

  @Post('tickets/:id/finish')
  @HttpCode(200)
  @IdempotencyLookupInTransaction()
  @Allow(...FRONTDESK)
  @ApiOperation({ summary: 'Service done' })
  finish(@CurrentPrincipal() p: Principal, @Param('id', UuidPipe) id: string) {
    return this.tickets.finish(p, id);
  }

  @Post('tickets/:id/no-show')
  @HttpCode(200)
  @IdempotencyLookupInTransaction()
  @Allow(...FRONTDESK)
  @ApiOperation({ summary: 'The customer did not come after the allowed recalls' })
  noShow(@CurrentPrincipal() p: Principal, @Param('id', UuidPipe) id: string) {
    return this.tickets.noShow(p, id);
  }

  @Post('tickets/:id/cancel')
  @HttpCode(200)
  @IdempotencyLookupInTransaction()
  @Allow(...FRONTDESK)
  @ApiOperation({ summary: 'Cancel a waiting or called ticket' })
  cancel(@CurrentPrincipal() p: Principal, @Param('id', UuidPipe) id: string, @Body() body: TicketNoteDto) {
    return this.tickets.cancel(p, id, body?.reason);
  }

  @Post('tickets/:id/transfer')
  @HttpCode(200)
  @IdempotencyLookupInTransaction()
  @Allow(...FRONTDESK)
  @ApiOperation({ summary: 'Move the ticket to another service, keeping its place by creation time' })
  transfer(@CurrentPrincipal() p: Principal, @Param('id', UuidPipe) id: string, @Body() body: TransferTicketDto) {
    return this.tickets.transfer(p, id, body.serviceId);
  }
}
