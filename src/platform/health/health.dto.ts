import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class LiveReport {
  @ApiProperty({ example: 'ok' })
  status: 'ok';
}

export class DependencyCheck {
  @ApiProperty({ enum: ['up', 'down'] })
  status: 'up' | 'down';
  @ApiProperty()
  latencyMs: number;
  @ApiProperty({
    description: 'embedded | postgresql | redis | not-configured | bull | in-process',
  })
  mode: string;
  @ApiPropertyOptional()
  error?: string;
}

export class HealthChecks {
  @ApiProperty({ type: DependencyCheck })
  database: DependencyCheck;
  @ApiProperty({ type: DependencyCheck })
  redis: DependencyCheck;
  @ApiProperty({ type: DependencyCheck })
  queues: DependencyCheck;
}

export class HealthReport {
  @ApiProperty({ enum: ['ok', 'unavailable'] })
  status: 'ok' | 'unavailable';
  @ApiProperty({ type: HealthChecks })
  checks: HealthChecks;
}
