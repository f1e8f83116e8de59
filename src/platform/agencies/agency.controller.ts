import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AgencyNodeResponse } from './agency.dto.js';
import { AgencyService } from './agency.service.js';

@ApiTags('public')
@Controller('v1/agencies')
export class AgencyController {
  constructor(private readonly agencies: AgencyService) {}

  @Get()
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: 'The government agencies, as a tree of ministries and their units' })
  @ApiOkResponse({ type: [AgencyNodeResponse] })
  list(): Promise<AgencyNodeResponse[]> {
    return this.agencies.tree();
  }
}
