import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiCookieAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsEmail, IsIn, IsString, IsUUID, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { STAFF_ROLES, StaffActor, StaffRole, StaffService } from '@carepact/identity';
import { Actor } from '../http/auth.guard';
import { NoControlChars } from '../http/validators';

export class RoleAssignmentDto {
  @ApiProperty() @IsDefined() @IsUUID()
  establishmentId: string;
  @ApiProperty({ enum: STAFF_ROLES }) @IsDefined() @IsIn(STAFF_ROLES as unknown as string[])
  role: StaffRole;
}

export class CreateUserDto {
  @ApiProperty() @IsDefined() @IsEmail() @MaxLength(254)
  email: string;
  @ApiProperty() @IsDefined() @IsString() @MinLength(1) @MaxLength(200) @NoControlChars()
  name: string;
  @ApiProperty({ minLength: 10 }) @IsDefined() @IsString() @MinLength(10) @MaxLength(200)
  password: string;
  @ApiProperty({ type: [RoleAssignmentDto] })
  @IsDefined() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => RoleAssignmentDto)
  roles: RoleAssignmentDto[];
}

@ApiTags('Personnel')
@ApiCookieAuth()
@Controller('api')
export class StaffController {
  constructor(private readonly staff: StaffService) {}

  @Get('establishments')
  @ApiOperation({ summary: 'Établissements où l’utilisateur a un rôle' })
  async establishments(@Actor() actor: StaffActor) {
    return (await this.staff.listEstablishments(actor)).map((e) => ({
      id: e.id,
      name: e.name,
      category: e.category,
      finess: e.finess,
      address: e.address,
      phone: e.phone,
      director: { firstName: e.directorFirstName, lastName: e.directorLastName },
    }));
  }

  @Get('users')
  @ApiOperation({ summary: 'Comptes du personnel de l’organisation (administrateur)' })
  users(@Actor() actor: StaffActor) {
    return this.staff.listUsers(actor);
  }

  @Post('users')
  @ApiOperation({ summary: 'Créer un compte du personnel avec ses rôles par établissement (administrateur)' })
  createUser(@Actor() actor: StaffActor, @Body() dto: CreateUserDto) {
    return this.staff.createUserAs(actor, dto);
  }
}
