import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { CompleteCallbackSchema, CreateCallbackSchema, ListCallbacksQuerySchema, type Principal } from '@frontdesk/contracts';
import { Allow, CurrentPrincipal, STAFF } from '../auth/auth.decorators';
import { UuidPipe } from '../common/uuid.pipe';
import { CallbackService } from './callback.service';

class CreateCallbackDto extends createZodDto(CreateCallbackSchema) {}
class ListCallbacksQueryDto extends createZodDto(ListCallbacksQuerySchema) {}
class CompleteCallbackDto extends createZodDto(CompleteCallbackSchema) {}

@ApiTags('callbacks')
@ApiBearerAuth()
@Controller('callbacks')
export class CallbackController {
  constructor(private readonly callbacks: CallbackService) {}

  @Post()
  @Allow(...STAFF)
  @ApiOperation({ summary: 'Schedule a callback; it becomes due at dueAt (reason abandoned is made by the hotline itself); audited as a change of customer data' })
  create(@CurrentPrincipal() p: Principal, @Body() body: CreateCallbackDto) {
    return this.callbacks.create(p, body);
  }

  @Get()
  @Allow(...STAFF)
  @ApiOperation({ summary: 'The call list: scheduled, due, overdue (past due + 15 min) or done; a non-empty list leaves a customer audit entry' })
  list(@CurrentPrincipal() p: Principal, @Query() q: ListCallbacksQueryDto) {
    return this.callbacks.list(p, q.branchId, q.status);
  }

  @Post(':id/complete')
  @HttpCode(200)
  @Allow(...STAFF)
  @ApiOperation({ summary: 'Record the outcome; unreachable is retried the next working day at the branch callback hour, up to 3 tries; reached_unsatisfied raises a manager alert (callback.unsatisfied); audited as a change of customer data' })
  complete(@CurrentPrincipal() p: Principal, @Param('id', UuidPipe) id: string, @Body() body: CompleteCallbackDto) {
    return this.callbacks.complete(p, id, body);
  }
}
