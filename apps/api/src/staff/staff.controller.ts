import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ParseIdPipe } from '../http/parse-id.pipe';
import { IsCalendarDate } from '../http/validators';
import { ApiCookieAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsEmail, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { AccountsService, ESTABLISHMENT_CATEGORIES, ESTABLISHMENT_LEGAL_STATUSES, STAFF_ROLES, StaffActor, StaffRole, StaffService } from '@carepact/identity';
import { Actor } from '../http/auth.guard';
import { IsAmount, NoControlChars, SafeText } from '../http/validators';

export class RoleAssignmentDto {
  @ApiProperty() @IsDefined() @IsUUID()
  establishmentId: string;
  @ApiProperty({ enum: STAFF_ROLES }) @IsDefined() @IsIn(STAFF_ROLES as unknown as string[])
  role: StaffRole;
}

export class CreateUserDto {
  @ApiProperty() @IsDefined() @IsEmail() @MaxLength(254)
  email: string;
  @ApiProperty() @IsDefined() @IsString() @MinLength(1) @MaxLength(200) @SafeText('name')
  name: string;
  @ApiProperty({ minLength: 10 }) @IsDefined() @IsString() @MinLength(10) @MaxLength(200)
  password: string;
  @ApiProperty({ type: [RoleAssignmentDto] })
  @IsDefined() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => RoleAssignmentDto)
  roles: RoleAssignmentDto[];
}

export class TariffsDto {
  @ApiProperty({ example: '2026-01-01' }) @IsDefined() @IsCalendarDate()
  effectiveFrom: string;
  @ApiProperty({ example: 72.5 }) @IsDefined() @IsAmount()
  hebergementPerDay: number;
  @ApiProperty({ required: false, example: 24.1 }) @IsOptional() @IsAmount()
  dependanceGir12PerDay?: number;
  @ApiProperty({ required: false, example: 15.3 }) @IsOptional() @IsAmount()
  dependanceGir34PerDay?: number;
  @ApiProperty({ required: false, example: 6.5 }) @IsOptional() @IsAmount()
  dependanceGir56PerDay?: number;
  @ApiProperty({ example: 'Au-delà de 72 heures d’absence, le tarif hébergement est minoré du forfait hospitalier.' })
  @IsDefined() @IsString() @MinLength(1) @MaxLength(2000) @SafeText('printed')
  absenceRule: string;
  @ApiProperty({ required: false, description: 'Absence pour convenances personnelles : effet sur les tarifs hébergement et dépendance (CASF R.314-204).' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(2000) @SafeText('printed')
  absencePersonal?: string;
  @ApiProperty({ required: false, description: 'Version facile à lire de la règle de l’absence pour convenances personnelles, imprimée dans la version facile à lire des documents (obligatoire avec la règle, modèles 1.2.0).' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(500) @SafeText('printed')
  absencePersonalFalc?: string;
  @ApiProperty({ required: false, description: 'Hospitalisation : effet sur les tarifs hébergement et dépendance (CASF R.314-204).' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(2000) @SafeText('printed')
  absenceHospitalisation?: string;
  @ApiProperty({ required: false, description: 'Version facile à lire de la règle de l’hospitalisation, imprimée dans la version facile à lire des documents (obligatoire avec la règle, modèles 1.2.0).' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(500) @SafeText('printed')
  absenceHospitalisationFalc?: string;
  @ApiProperty({ required: false, example: 0 }) @IsOptional() @IsAmount()
  depositEuros?: number;
}

export class EstablishmentContactDto {
  @ApiProperty({ example: 'Accueil' }) @IsDefined() @IsString() @MinLength(1) @MaxLength(100) @SafeText('printed')
  label: string;
  @ApiProperty({ required: false, example: '01 23 45 67 80' }) @IsOptional() @IsString() @MaxLength(40) @NoControlChars()
  phone?: string;
  @ApiProperty({ required: false }) @IsOptional() @IsEmail() @MaxLength(254)
  email?: string;
}

export class CreateEstablishmentDto {
  @ApiProperty() @IsDefined() @IsString() @MinLength(1) @MaxLength(200) @SafeText('name')
  name: string;
  @ApiProperty({ enum: ESTABLISHMENT_CATEGORIES }) @IsDefined() @IsIn(ESTABLISHMENT_CATEGORIES as unknown as string[])
  category: string;
  @ApiProperty({ example: '750000001', description: 'Numéro FINESS (9 caractères).' }) @IsDefined() @IsString() @MaxLength(9)
  finess: string;
  @ApiProperty() @IsDefined() @IsString() @MinLength(1) @MaxLength(500) @SafeText('printed')
  address: string;
  @ApiProperty({ required: false }) @IsOptional() @IsString() @MaxLength(40) @NoControlChars()
  phone?: string;
  @ApiProperty() @IsDefined() @IsString() @MinLength(1) @MaxLength(100) @SafeText('name')
  directorFirstName: string;
  @ApiProperty() @IsDefined() @IsString() @MinLength(1) @MaxLength(100) @SafeText('name')
  directorLastName: string;
  @ApiProperty({ required: false }) @IsOptional() @IsEmail() @MaxLength(254)
  directorEmail?: string;
}

export class InviteUserDto {
  @ApiProperty() @IsDefined() @IsEmail() @MaxLength(254)
  email: string;
  @ApiProperty() @IsDefined() @IsString() @MinLength(1) @MaxLength(200) @SafeText('name')
  name: string;
  @ApiProperty({ type: [RoleAssignmentDto] })
  @IsDefined() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => RoleAssignmentDto)
  roles: RoleAssignmentDto[];
}

export class UpdateEstablishmentDto {
  @ApiProperty({
    enum: ESTABLISHMENT_CATEGORIES,
    required: false,
    description: 'Catégorie de l’établissement ou du service (CASF L.312-1 I) : elle fixe le document (DIPC pour un service sans hébergement, D.311) et la partie « participation financière » des documents suivants.',
  })
  @IsOptional() @IsIn(ESTABLISHMENT_CATEGORIES as unknown as string[])
  category?: string;
  @ApiProperty({ type: TariffsDto, required: false, description: 'Annexe tarifaire du contrat de séjour (CASF L.311-4).' })
  @IsOptional() @ValidateNested() @Type(() => TariffsDto)
  tariffs?: TariffsDto;
  @ApiProperty({ type: [String], required: false, example: ['livret-accueil-2026', 'reglement-fonctionnement-2025', 'charte-droits-libertes'] })
  @IsOptional() @IsArray() @ArrayMaxSize(30) @IsString({ each: true }) @MaxLength(200, { each: true }) @NoControlChars({ each: true })
  annexes?: string[];
  @ApiProperty({ required: false }) @IsOptional() @IsString() @MaxLength(40) @NoControlChars()
  phone?: string;
  @ApiProperty({ type: [EstablishmentContactDto], required: false, description: 'Personnes à joindre à l’établissement (accueil, secrétariat, cadre de santé…).' })
  @IsOptional() @IsArray() @ArrayMaxSize(10) @ValidateNested({ each: true }) @Type(() => EstablishmentContactDto)
  contacts?: EstablishmentContactDto[];
  @ApiProperty({
    enum: ESTABLISHMENT_LEGAL_STATUSES,
    required: false,
    nullable: true,
    description: 'Statut juridique : « public » ou « private » ; null l’efface. Il fixe les voies de recours indiquées dans la lettre de refus d’accès (public, ou archives publiques de l’organisation : CADA, CRPA L.342-1 ; privé : tribunal judiciaire).',
  })
  @IsOptional() @IsIn(ESTABLISHMENT_LEGAL_STATUSES as unknown as string[])
  legalStatus?: string | null;
}

@ApiTags('Personnel')
@ApiCookieAuth()
@Controller('api')
export class StaffController {
  constructor(
    private readonly staff: StaffService,
    private readonly accounts: AccountsService,
  ) {}

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
      legalStatus: e.legalStatus ?? null,
      director: { firstName: e.directorFirstName, lastName: e.directorLastName },
    }));
  }

  @Patch('establishments/:id')
  @ApiOperation({ summary: 'Catégorie, statut juridique, tarifs et annexes remises avec le contrat (direction, administrateur ; chaque changement est journalisé)' })
  async updateEstablishment(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string, @Body() dto: UpdateEstablishmentDto) {
    const e = await this.staff.updateEstablishment(actor, id, dto as never);
    return { id: e.id, name: e.name, category: e.category, tariffs: e.tariffs, annexes: e.annexes, phone: e.phone, contacts: e.contacts, legalStatus: e.legalStatus ?? null };
  }

  @Post('establishments')
  @ApiOperation({ summary: 'Créer un établissement dans son organisation (administrateur ; il en devient administrateur)' })
  async createEstablishment(@Actor() actor: StaffActor, @Body() dto: CreateEstablishmentDto) {
    const e = await this.staff.createEstablishmentAs(actor, dto);
    return { id: e.id, name: e.name, category: e.category, finess: e.finess };
  }

  @Post('users/invite')
  @ApiOperation({ summary: 'Inviter un membre du personnel par e-mail : il choisit son mot de passe depuis un lien à usage unique (administrateur)' })
  invite(@Actor() actor: StaffActor, @Body() dto: InviteUserDto) {
    return this.accounts.inviteAs(actor, dto);
  }

  @Get('users')
  @ApiOperation({ summary: 'Comptes du personnel de l’organisation (administrateur)' })
  users(@Actor() actor: StaffActor) {
    return this.staff.listUsers(actor);
  }

  @Post('users')
  @ApiOperation({ summary: 'Créer un compte du personnel avec ses rôles, dans les établissements que l’on administre (administrateur)' })
  createUser(@Actor() actor: StaffActor, @Body() dto: CreateUserDto) {
    return this.staff.createUserAs(actor, dto);
  }

  @Post('users/:id/disable')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Désactiver un compte : ses sessions prennent fin aussitôt (administrateur de chaque établissement où il a un rôle)',
  })
  disableUser(@Actor() actor: StaffActor, @Param('id', ParseIdPipe) id: string) {
    return this.staff.disableUserAs(actor, id);
  }
}
