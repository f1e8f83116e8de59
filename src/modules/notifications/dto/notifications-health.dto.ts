import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class SmscHealth {
  @ApiProperty({ example: 'a' })
  id: string;
  @ApiProperty({ enum: ['connecting', 'bound', 'disconnected', 'closed'] })
  state: string;
  @ApiPropertyOptional({ format: 'date-time' })
  throttledUntil?: string;
  @ApiPropertyOptional()
  lastError?: string;
}

export class ChannelHealth {
  @ApiProperty({
    enum: ['up', 'degraded', 'down', 'not-configured', 'not-in-this-process'],
    description:
      '`not-configured`: notifications are accepted and stay queued until a provider is set.',
  })
  status: 'up' | 'degraded' | 'down' | 'not-configured' | 'not-in-this-process';
  @ApiProperty({ description: 'Jobs waiting in the queue (including delayed retries).' })
  waiting: number;
  @ApiProperty({ type: [SmscHealth] })
  smscs: SmscHealth[];
}

export class NotificationsHealthReport {
  @ApiProperty({ type: ChannelHealth })
  sms: ChannelHealth;
  @ApiProperty({ type: ChannelHealth })
  email: ChannelHealth;
}
