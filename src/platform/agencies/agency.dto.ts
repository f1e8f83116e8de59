import { ApiProperty } from '@nestjs/swagger';

export class AgencyNodeResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ example: 'NPRA' })
  code: string;
  @ApiProperty({ example: 'شؤون الجنسية والجوازات والإقامة' })
  nameAr: string;
  @ApiProperty({ example: 'Nationality, Passports and Residence Affairs' })
  nameEn: string;
  @ApiProperty({ type: String, nullable: true })
  website: string | null;
  @ApiProperty({ type: () => [AgencyNodeResponse] })
  children: AgencyNodeResponse[];
}
