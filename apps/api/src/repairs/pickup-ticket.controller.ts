import { Body, Controller, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import { createZodDto } from 'nestjs-zod';
import { PickupTicketSchema, type Principal } from '@frontdesk/contracts';
import { Allow, CurrentPrincipal, FRONTDESK } from '../auth/auth.decorators';
import { DeviceOrIpThrottlerGuard, envLimit } from '../common/device-throttler.guard';
import { UuidPipe } from '../common/uuid.pipe';
import { PickupTicketService } from './pickup-ticket.service';

class PickupTicketDto extends createZodDto(PickupTicketSchema) {}

@ApiTags('lobby queue')
@ApiBearerAuth()
@Controller()
export class PickupTicketController {
  constructor(private readonly pickupTickets: PickupTicketService) {}

  @Post('branches/:branchId/tickets/pickup')
  @Allow(...FRONTDESK, 'kiosk')
  // The same budget as the kiosk's ticket button; the five-wrong-codes lock guards each order on top of it.
  @UseGuards(DeviceOrIpThrottlerGuard)
  @Throttle({ default: { limit: () => envLimit('KIOSK_TICKETS_PER_MINUTE', 60), ttl: 60_000 } })
  @ApiOperation({
    summary: 'Kiosk fast lane: a pickup (B) ticket linked to the order, against the order number and pickup code of the pickup SMS',
    description:
      'A second scan while the order\'s ticket is still active answers that same ticket. A wrong code counts toward the order\'s five-attempt lock. ' +
      'An unknown order number, another branch\'s order and a wrong code all get the same 403.',
  })
  @ApiResponse({ status: 201, description: 'The ticket: number, position, estimate, tracking URL and repairOrderNo' })
  @ApiResponse({ status: 400, description: 'orderNo or pickupCode missing or malformed (details name the field)' })
  @ApiResponse({ status: 403, description: 'order number and pickup code do not match an order of this branch' })
  @ApiResponse({ status: 409, description: 'the order is not ready for pickup, or the branch has no open pickup service (B)' })
  @ApiResponse({ status: 423, description: 'pickup of this order is locked after five wrong codes (only told to the holder of the right code)' })
  issue(@CurrentPrincipal() p: Principal, @Param('branchId', UuidPipe) branchId: string, @Body() body: PickupTicketDto) {
    return this.pickupTickets.issue(p, branchId, body);
  }
}
