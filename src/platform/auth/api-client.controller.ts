import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequireScopes } from './guards.js';
import type { Actor } from './roles.js';

export class ApiClientIdentity {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty()
  name: string;
  @ApiProperty({ format: 'uuid' })
  agencyId: string;
  @ApiProperty({ type: [String] })
  scopes: string[];
}

@ApiTags('e-services')
@Controller('v1/me')
export class ApiClientController {
  /** Lets an e-service check its key and see its scopes. */
  @Get()
  @RequireScopes()
  @ApiOperation({ summary: 'The API client the presented key belongs to' })
  @ApiOkResponse({ type: ApiClientIdentity })
  me(@CurrentActor() actor: Actor): ApiClientIdentity {
    if (actor.type !== 'api_client') throw new Error('unreachable: guarded');
    return { id: actor.id, name: actor.label, agencyId: actor.agencyId, scopes: [...actor.scopes] };
  }
}
