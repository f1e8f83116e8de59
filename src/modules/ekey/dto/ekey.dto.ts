import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsISO8601,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

export class RegisterEkeyDto {
  @ApiProperty({ example: '850112345', description: '9 digits; Arabic-Indic digits accepted' })
  @IsString()
  @MaxLength(32)
  cpr: string;

  @ApiProperty({ example: 'محمد أحمد' })
  @IsString()
  @Length(2, 200)
  nameAr: string;

  @ApiProperty({ example: 'Mohamed Ahmed' })
  @IsString()
  @Length(2, 200)
  nameEn: string;

  @ApiProperty({ example: 'BH', description: 'ISO 3166-1 alpha-2' })
  @Matches(/^[A-Za-z]{2}$/)
  nationality: string;

  @ApiProperty({ enum: ['citizen', 'resident'] })
  @IsIn(['citizen', 'resident'])
  residency: 'citizen' | 'resident';

  @ApiProperty({ example: '1985-01-12' })
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  dateOfBirth: string;

  @ApiProperty({ example: '+97336001234' })
  @IsString()
  @MaxLength(64)
  mobile: string;

  @ApiPropertyOptional({ example: 'person@example.bh' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiProperty({ description: 'At least 15 characters (8 once a second factor is set up)' })
  @IsString()
  @MaxLength(1024)
  password: string;

  @ApiPropertyOptional({ enum: ['ar', 'en'], default: 'ar' })
  @IsOptional()
  @IsIn(['ar', 'en'])
  lang?: 'ar' | 'en';
}

export class RegistrationResponse {
  @ApiProperty({ format: 'uuid' })
  accountId: string;
  @ApiProperty({ enum: ['pending'] })
  status: 'pending';
  @ApiProperty({ example: '+973*****234' })
  mobileMasked: string;
}

export class CodeDto {
  @ApiProperty({ example: '123456' })
  @IsString()
  @MaxLength(32)
  code: string;
}

export class EmailDto {
  @ApiProperty({ example: 'person@example.bh' })
  @IsEmail()
  @MaxLength(254)
  email: string;
}

export class PasskeyRegistrationDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The RegistrationResponseJSON of navigator.credentials.create()',
  })
  @IsObject()
  response: Record<string, unknown>;

  @ApiPropertyOptional({ example: 'My phone' })
  @IsOptional()
  @IsString()
  @MaxLength(80)
  name?: string;
}

export class PasskeyAssertionDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The AuthenticationResponseJSON of navigator.credentials.get()',
  })
  @IsObject()
  response: Record<string, unknown>;
}

export class PasskeyResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty()
  name: string;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastUsedAt: string | null;
  @ApiProperty({ type: [String] })
  transports: string[];
}

export class WebAuthnOptionsResponse {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'PublicKeyCredentialCreationOptionsJSON or PublicKeyCredentialRequestOptionsJSON',
  })
  publicKey: Record<string, unknown>;
}

export class StatusResponse {
  @ApiProperty({ example: 'active' })
  status: string;
}

export class SignInDto {
  @ApiProperty({ example: '850112345' })
  @IsString()
  @MaxLength(32)
  cpr: string;

  @ApiProperty()
  @IsString()
  @MaxLength(1024)
  password: string;

  @ApiPropertyOptional({ description: 'The e-service asks for two factors' })
  @IsOptional()
  @IsBoolean()
  requireSecondFactor?: boolean;
}

export class SignInResponse {
  @ApiProperty({ enum: ['active', 'second_factor'] })
  stage: 'active' | 'second_factor';
  @ApiProperty({ enum: ['passkey', 'totp', 'backup_code', 'sms'], isArray: true })
  methods: string[];
}

export class SecondFactorDto {
  @ApiProperty({ enum: ['totp', 'backup_code', 'sms'] })
  @IsIn(['totp', 'backup_code', 'sms'])
  method: 'totp' | 'backup_code' | 'sms';

  @ApiProperty()
  @IsString()
  @MaxLength(32)
  code: string;
}

export class AccountResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ example: '******345' })
  cprMasked: string;
  @ApiProperty()
  nameAr: string;
  @ApiProperty()
  nameEn: string;
  @ApiProperty({ enum: ['standard', 'advanced'] })
  level: string;
  @ApiProperty({ enum: ['citizen', 'resident'] })
  residency: string;
  @ApiProperty({ type: String, nullable: true, example: 'p***@example.bh' })
  emailMasked: string | null;
  @ApiProperty({ description: 'The e-mail address was confirmed with the code sent to it' })
  emailVerified: boolean;
  @ApiProperty()
  totpEnabled: boolean;
  @ApiProperty()
  backupCodesLeft: number;
  @ApiProperty({ type: [String], description: 'Authentication methods of this session (RFC 8176)' })
  amr: string[];
}

export class ActivityResponse {
  @ApiProperty()
  kind: string;
  @ApiProperty({ format: 'date-time' })
  occurredAt: string;
  @ApiProperty({ type: String, nullable: true })
  ip: string | null;
  @ApiProperty({ type: String, nullable: true })
  userAgent: string | null;
}

export class SessionResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty()
  current: boolean;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  @ApiProperty({ format: 'date-time' })
  lastSeenAt: string;
  @ApiProperty({ type: String, nullable: true })
  ip: string | null;
  @ApiProperty({ type: String, nullable: true })
  userAgent: string | null;
}

export class TotpStartResponse {
  @ApiProperty({ description: 'Base32 secret, shown once' })
  secret: string;
  @ApiProperty({ description: 'otpauth:// URI for a QR code' })
  uri: string;
}

export class BackupCodesResponse {
  @ApiProperty({ type: [String], description: 'Ten single-use codes, shown once' })
  backupCodes: string[];
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @MaxLength(1024)
  currentPassword: string;

  @ApiProperty()
  @IsString()
  @MaxLength(1024)
  newPassword: string;
}

export class StartPasswordResetDto {
  @ApiProperty({ example: '850112345' })
  @IsString()
  @MaxLength(32)
  cpr: string;

  @ApiProperty({ example: '+97336001234', description: 'The verified mobile of the eKey' })
  @IsString()
  @MaxLength(64)
  mobile: string;
}

export class ResetSecondFactorDto {
  @ApiProperty({ enum: ['totp', 'backup_code', 'passkey'] })
  @IsIn(['totp', 'backup_code', 'passkey'])
  method: 'totp' | 'backup_code' | 'passkey';

  @ApiPropertyOptional({ description: 'The app or backup code (methods totp and backup_code)' })
  @ValidateIf((o: ResetSecondFactorDto) => o.method !== 'passkey')
  @IsString()
  @MaxLength(32)
  code?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      'Method passkey: the AuthenticationResponseJSON of navigator.credentials.get() with the options of POST password-reset/passkey/options',
  })
  @ValidateIf((o: ResetSecondFactorDto) => o.method === 'passkey')
  @IsObject()
  response?: Record<string, unknown>;
}

export class PasswordResetPasskeyOptionsDto {
  @ApiProperty({ example: '850112345' })
  @IsString()
  @MaxLength(32)
  cpr: string;
}

export class CompletePasswordResetDto {
  @ApiProperty({ example: '850112345' })
  @IsString()
  @MaxLength(32)
  cpr: string;

  @ApiProperty({ description: 'The SMS code' })
  @IsString()
  @MaxLength(32)
  code: string;

  @ApiPropertyOptional({
    type: ResetSecondFactorDto,
    description: 'Required when the eKey has a second factor (authenticator app or passkey)',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => ResetSecondFactorDto)
  secondFactor?: ResetSecondFactorDto;

  @ApiProperty()
  @IsString()
  @MaxLength(1024)
  newPassword: string;
}
