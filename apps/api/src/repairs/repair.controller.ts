import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Throttle, ThrottlerGuard } from '@nestjs/throttler';
import { createZodDto } from 'nestjs-zod';
import {
  CreateRepairSchema,
  ListRepairsQuerySchema,
  PickupSchema,
  QuoteDecisionSchema,
  RepairLookupQuerySchema,
  RepairTransitionSchema,
  SurveySchema,
  UpdateRepairSchema,
  type Principal,
} from '@frontdesk/contracts';
import { Allow, CurrentPrincipal, FRONTDESK, MANAGERS, Public, STAFF } from '../auth/auth.decorators';
import { UuidPipe } from '../common/uuid.pipe';
import { RepairIntakeService } from './repair-intake.service';
import { RepairQueryService } from './repair-query.service';
import { RepairService } from './repair.service';

class CreateRepairDto extends createZodDto(CreateRepairSchema) {}
class RepairTransitionDto extends createZodDto(RepairTransitionSchema) {}
class UpdateRepairDto extends createZodDto(UpdateRepairSchema) {}
class QuoteDecisionDto extends createZodDto(QuoteDecisionSchema) {}
class PickupDto extends createZodDto(PickupSchema) {}
class SurveyDto extends createZodDto(SurveySchema) {}
class ListRepairsQueryDto extends createZodDto(ListRepairsQuerySchema) {}
class RepairLookupQueryDto extends createZodDto(RepairLookupQuerySchema) {}

/** Technicians move repairs along the board; the front desk takes them in and hands them back. */
const REPAIR_WORKERS = [...FRONTDESK, 'technician'] as const;

@ApiTags('repairs')
@ApiBearerAuth()
@Controller()
export class RepairController {
  constructor(
    private readonly intake: RepairIntakeService,
    private readonly repairs: RepairService,
    private readonly query: RepairQueryService,
  ) {}

  @Post('branches/:branchId/repairs')
  @Allow(...FRONTDESK)
  @ApiOperation({ summary: 'Repair intake: order number, warranty, promised time, repeat detection; the pickup code is returned once' })
  create(@CurrentPrincipal() p: Principal, @Param('branchId', UuidPipe) branchId: string, @Body() body: CreateRepairDto) {
    return this.intake.create(p, branchId, body);
  }

  @Get('branches/:branchId/repairs/ready')
  @Allow(...STAFF, 'display', 'kiosk')
  @ApiOperation({ summary: "The wall display's ready-for-pickup board: order numbers and masked names only" })
  ready(@CurrentPrincipal() p: Principal, @Param('branchId', UuidPipe) branchId: string) {
    return this.query.readyForPickup(p, branchId);
  }

  @Get('branches/:branchId/technicians')
  @Allow(...STAFF)
  @ApiOperation({ summary: 'Who repairs of the branch can be assigned to (technicians, then managers)' })
  technicians(@CurrentPrincipal() p: Principal, @Param('branchId', UuidPipe) branchId: string) {
    return this.query.technicians(p, branchId);
  }

  @Get('branches/:branchId/repair-kpis')
  @Allow(...STAFF)
  @ApiOperation({ summary: 'Repair KPIs of DOMAIN.md: turnaround, overdue, repeat rate, uncollected, satisfaction' })
  kpis(@CurrentPrincipal() p: Principal, @Param('branchId', UuidPipe) branchId: string) {
    return this.query.kpis(p, branchId);
  }

  @Get('repairs')
  @Allow(...STAFF)
  @ApiOperation({ summary: 'Repairs of a branch, paged, by state, search (order number, phone, IMEI/serial, name) and overdue' })
  list(@CurrentPrincipal() p: Principal, @Query() q: ListRepairsQueryDto) {
    return this.query.list(p, q);
  }

  // Declared before repairs/:id so "lookup" is not taken for an id.
  @Get('repairs/lookup')
  @Public()
  @UseGuards(ThrottlerGuard)
  @Throttle({ default: { limit: 60, ttl: 60_000 } })
  @ApiOperation({ summary: 'Public status of a repair by order number and the last four phone digits; nothing personal' })
  lookup(@Query() q: RepairLookupQueryDto) {
    return this.query.lookup(q.orderNo, q.phoneLast4);
  }

  @Get('repairs/:id')
  @Allow(...STAFF)
  @ApiOperation({ summary: 'One repair with its append-only history' })
  get(@CurrentPrincipal() p: Principal, @Param('id', UuidPipe) id: string) {
    return this.query.get(p, id);
  }

  @Patch('repairs/:id')
  @Allow(...REPAIR_WORKERS)
  @ApiOperation({ summary: 'Assign a technician, write diagnosis or parts notes, change the promised time (with a reason) or the warranty (with a note)' })
  update(@CurrentPrincipal() p: Principal, @Param('id', UuidPipe) id: string, @Body() body: UpdateRepairDto) {
    return this.repairs.update(p, id, body);
  }

  @Post('repairs/:id/transition')
  @HttpCode(200)
  @Allow(...REPAIR_WORKERS)
  @ApiOperation({ summary: 'Move a repair to another state; 409 names the allowed ones' })
  transition(@CurrentPrincipal() p: Principal, @Param('id', UuidPipe) id: string, @Body() body: RepairTransitionDto) {
    return this.repairs.transition(p, id, body);
  }

  @Post('repairs/:id/quote-decision')
  @HttpCode(200)
  @Allow(...REPAIR_WORKERS)
  @ApiOperation({ summary: "Record the customer's approval (work goes on) or refusal (returned unrepaired) of the quote" })
  quoteDecision(@CurrentPrincipal() p: Principal, @Param('id', UuidPipe) id: string, @Body() body: QuoteDecisionDto) {
    return this.repairs.quoteDecision(p, id, body);
  }

  @Post('repairs/:id/pickup')
  @HttpCode(200)
  @Allow(...FRONTDESK)
  @ApiOperation({ summary: 'Hand the device over against the pickup code (403 wrong code, 423 locked after five); schedules the follow-up callback (回访) in the same commit' })
  pickup(@CurrentPrincipal() p: Principal, @Param('id', UuidPipe) id: string, @Body() body: PickupDto) {
    return this.repairs.pickup(p, id, body);
  }

  @Post('repairs/:id/unlock-pickup')
  @HttpCode(200)
  @Allow(...MANAGERS)
  @ApiOperation({ summary: 'Unlock pickup after five wrong codes (manager)' })
  unlock(@CurrentPrincipal() p: Principal, @Param('id', UuidPipe) id: string) {
    return this.repairs.unlockPickup(p, id);
  }

  @Post('repairs/:id/survey')
  @HttpCode(200)
  @Allow(...FRONTDESK, 'agent')
  @ApiOperation({ summary: 'The satisfaction card: score 1-5 and a comment' })
  survey(@CurrentPrincipal() p: Principal, @Param('id', UuidPipe) id: string, @Body() body: SurveyDto) {
    return this.repairs.survey(p, id, body);
  }
}
