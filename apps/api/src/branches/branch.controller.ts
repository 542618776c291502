import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { UpdateQueueSettingsSchema, type Principal } from '@frontdesk/contracts';
import { Allow, CurrentPrincipal, MANAGERS, STAFF } from '../auth/auth.decorators';
import { UuidPipe } from '../common/uuid.pipe';
import { BranchService } from './branch.service';

class UpdateQueueSettingsDto extends createZodDto(UpdateQueueSettingsSchema) {}

@ApiTags('branches')
@ApiBearerAuth()
@Controller('branches')
export class BranchController {
  constructor(private readonly branches: BranchService) {}

  @Get()
  @Allow(...STAFF, 'kiosk', 'display')
  @ApiOperation({ summary: 'Branches visible to the caller' })
  list(@CurrentPrincipal() p: Principal) {
    return this.branches.list(p);
  }

  @Get('by-code/:code')
  @Allow(...STAFF, 'kiosk', 'display')
  @ApiOperation({ summary: 'A branch by its short code (kiosk and display URLs use the code)' })
  byCode(@CurrentPrincipal() p: Principal, @Param('code') code: string) {
    return this.branches.getByCode(p, code);
  }

  @Get(':branchId')
  @Allow(...STAFF, 'kiosk', 'display')
  @ApiOperation({ summary: 'A branch with its queue settings' })
  get(@CurrentPrincipal() p: Principal, @Param('branchId', UuidPipe) id: string) {
    return this.branches.get(p, id);
  }

  @Get(':branchId/services')
  @Allow(...STAFF, 'kiosk', 'display')
  @ApiOperation({ summary: 'Services of the lobby queue (A repair intake, B pickup, ...)' })
  services(@CurrentPrincipal() p: Principal, @Param('branchId', UuidPipe) id: string) {
    return this.branches.services(p, id);
  }

  @Patch(':branchId/settings')
  @Allow(...MANAGERS)
  @ApiOperation({ summary: 'Change queue rules: aging limit, recalls before no-show, cooldown, estimate sample, announcement languages' })
  updateSettings(@CurrentPrincipal() p: Principal, @Param('branchId', UuidPipe) id: string, @Body() body: UpdateQueueSettingsDto) {
    return this.branches.updateSettings(p, id, body);
  }
}
