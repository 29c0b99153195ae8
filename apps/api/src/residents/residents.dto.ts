import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { Type } from 'class-transformer';
import { CIVILITIES, type Civility } from '@carepact/common';
import {
  HOLDER_ROLES,
  HolderRole,
  MEASURE_MODES,
  MEASURE_SCOPES,
  MEASURE_TYPES,
  MeasureMode,
  MeasureScope,
  MeasureType,
  PARENTAL_AUTHORITY,
  ParentalAuthority,
  SOLE_AUTHORITY_GROUNDS,
  SoleAuthorityGround,
  MINOR_ROLES,
  MinorRole,
  DELEGATION_EXTENTS,
  DelegationExtent,
  STAY_TYPES,
  StayType,
} from '@carepact/residents';
import { IsCalendarDate, IsLanguageCode, NoControlChars, SafeText } from '../http/validators';

export class ContactDto {
  @ApiPropertyOptional({ enum: CIVILITIES, nullable: true, description: 'Civilité (facultative) : les titres imprimés s’accordent avec elle (tutrice, curatrice…).' })
  @IsOptional() @IsIn(CIVILITIES as unknown as string[])
  civility?: Civility | null;
  @ApiProperty({ example: 'Sylvie' }) @IsDefined() @IsString() @MinLength(1) @MaxLength(100) @SafeText('name')
  firstName: string;
  @ApiProperty({ example: 'Martin' }) @IsDefined() @IsString() @MinLength(1) @MaxLength(100) @SafeText('name')
  lastName: string;
  @ApiPropertyOptional({ example: 'fille' }) @IsOptional() @IsString() @MaxLength(100) @SafeText('name')
  relation?: string | null;
  @ApiPropertyOptional({ example: 'UDAF du Val' }) @IsOptional() @IsString() @MaxLength(200) @SafeText('name')
  organisationName?: string | null;
  @ApiPropertyOptional({ example: 'sylvie.martin@example.org' }) @IsOptional() @IsEmail() @MaxLength(254)
  email?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) @SafeText('name')
  phone?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(300) @SafeText('name')
  address?: string | null;
  @ApiPropertyOptional({ description: 'Parent titulaire de l’autorité parentale (mineurs).' }) @IsOptional() @IsBoolean()
  holdsParentalAuthority?: boolean;
  @ApiPropertyOptional({ enum: MINOR_ROLES, nullable: true, description: 'Mineurs : tuteur (C. civ. 408), délégataire de l’autorité parentale (C. civ. 377) ou service à qui l’enfant est confié (C. civ. 375-7).' })
  @IsOptional() @IsIn(MINOR_ROLES as unknown as string[])
  minorRole?: MinorRole | null;
}

export class UpdateContactDto {
  @ApiPropertyOptional({ enum: CIVILITIES, nullable: true, description: 'Civilité (facultative) : les titres imprimés s’accordent avec elle (tutrice, curatrice…).' })
  @IsOptional() @IsIn(CIVILITIES as unknown as string[])
  civility?: Civility | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(100) @SafeText('name')
  firstName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(100) @SafeText('name')
  lastName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) @SafeText('name')
  relation?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) @SafeText('name')
  organisationName?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsEmail() @MaxLength(254)
  email?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) @SafeText('name')
  phone?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(300) @SafeText('name')
  address?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsBoolean()
  holdsParentalAuthority?: boolean;
  @ApiPropertyOptional({ enum: MINOR_ROLES, nullable: true }) @IsOptional() @IsIn(MINOR_ROLES as unknown as string[])
  minorRole?: MinorRole | null;
}

export class HolderDto {
  @ApiPropertyOptional({ enum: CIVILITIES, nullable: true, description: 'Civilité (facultative) : les titres imprimés s’accordent avec elle (tutrice, curatrice…).' })
  @IsOptional() @IsIn(CIVILITIES as unknown as string[])
  civility?: Civility | null;
  @ApiProperty({ enum: HOLDER_ROLES, example: 'curateur' }) @IsDefined() @IsIn(HOLDER_ROLES as unknown as string[])
  role: HolderRole;
  @ApiPropertyOptional({ description: 'Contact existant du résident ; sinon, un contact est créé.' }) @IsOptional() @IsUUID()
  contactId?: string;
  @ApiPropertyOptional({ example: 'Karim' }) @IsOptional() @IsString() @MaxLength(100) @SafeText('name')
  firstName?: string;
  @ApiPropertyOptional({ example: 'Benaïssa' }) @IsOptional() @IsString() @MaxLength(100) @SafeText('name')
  lastName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) @SafeText('name')
  relation?: string | null;
  @ApiPropertyOptional({ example: 'UDAF du Val' }) @IsOptional() @IsString() @MaxLength(200) @SafeText('name')
  organisationName?: string | null;
  @ApiPropertyOptional({ example: 'k.benaissa@udaf-val.example' }) @IsOptional() @IsEmail() @MaxLength(254)
  email?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) @SafeText('name')
  phone?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(300) @SafeText('name')
  address?: string | null;
  @ApiPropertyOptional({
    description:
      'Ce titulaire est préposé de l’établissement (C. civ. 451 al. 2), ou salarié de l’établissement ou de son organisme gestionnaire : ses intérêts sont opposés à ceux de la personne pour le contrat de séjour, ses avenants et le DIPC (C. civ. 454 al. 5, 455). Un cotitulaire qui ne l’est pas agit seul pour ces actes (C. civ. 447 al. 2 et 3).',
  })
  @IsOptional() @IsBoolean()
  establishmentEmployee?: boolean;
  @ApiPropertyOptional({
    enum: MEASURE_SCOPES,
    isArray: true,
    example: ['personne'],
    description:
      'Mission de ce titulaire (C. civ. 447 al. 3) : le juge peut diviser la mesure entre un titulaire chargé de la protection de la personne et un titulaire chargé de la gestion patrimoniale. Dans le domaine de la mesure ; absente, toute la mesure.',
  })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(2) @IsIn(MEASURE_SCOPES as unknown as string[], { each: true })
  mission?: MeasureScope[];
}

/** A holder's mission (C. civ. 447 al. 3), by contact id, in a measure's change. */
export class HolderMissionDto {
  @ApiProperty({ description: 'Un titulaire de la mesure (identifiant de contact).' }) @IsDefined() @IsUUID()
  contactId: string;
  @ApiProperty({ enum: MEASURE_SCOPES, isArray: true, example: ['biens'] })
  @IsDefined() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(2) @IsIn(MEASURE_SCOPES as unknown as string[], { each: true })
  mission: MeasureScope[];
}

class MeasureFieldsDto {
  @ApiPropertyOptional({ description: 'Mesure générale, ou limitée aux actes listés.' }) @IsOptional() @IsBoolean()
  general?: boolean;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(200, { each: true }) @NoControlChars({ each: true })
  acts?: string[];
  @ApiPropertyOptional({ description: 'Sauvegarde de justice : mission du mandataire spécial.' }) @IsOptional() @IsString() @MaxLength(1000) @SafeText('printed')
  mission?: string | null;
  @ApiPropertyOptional({ example: '2025-05-20' }) @IsOptional() @IsCalendarDate()
  startDate?: string | null;
  @ApiPropertyOptional({ example: '2030-05-20' }) @IsOptional() @IsCalendarDate()
  endDate?: string | null;
  @ApiPropertyOptional({ description: 'Mandat de protection future : date de prise d’effet (visa du greffe).' }) @IsOptional() @IsCalendarDate()
  mandateEffectiveDate?: string | null;
  @ApiPropertyOptional({ description: 'Curatelle renforcée : le juge autorise le curateur à signer seul (C. civ. 472).' }) @IsOptional() @IsBoolean()
  judgeAuthorisesHolderAlone?: boolean;
  // Printed in the legal basis (« autorisation du juge … ») and the evidence: no bidi control, as the other references.
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) @SafeText('name')
  authorisationReference?: string | null;
  @ApiPropertyOptional({ description: 'Référence de la pièce justificative (copie du jugement…).' }) @IsOptional() @IsString() @MaxLength(200) @SafeText('name')
  proofDocumentRef?: string | null;
  @ApiPropertyOptional({ description: 'Subrogé curateur ou subrogé tuteur (C. civ. 454) : un contact du résident ; null pour l’effacer.' }) @IsOptional() @IsUUID()
  subrogeContactId?: string | null;
  @ApiPropertyOptional({ description: 'Curateur ou tuteur ad hoc désigné par le juge (C. civ. 455) : un contact du résident ; avec la référence et la date de la décision.' })
  @IsOptional() @IsUUID()
  adHocContactId?: string | null;
  // Printed in the documents and the signature's sentences (« décision … du … »): no bidi control either (SafeText 'name', BIDI_CONTROL).
  @ApiPropertyOptional({ example: 'RG 26/00981', description: 'Référence de la décision désignant le curateur ou tuteur ad hoc.' }) @IsOptional() @IsString() @MaxLength(100) @SafeText('name')
  adHocJudgmentReference?: string | null;
  @ApiPropertyOptional({ example: '2026-09-14', description: 'Date de la décision désignant le curateur ou tuteur ad hoc.' }) @IsOptional() @IsCalendarDate()
  adHocJudgmentDate?: string | null;
}

export class MeasureDto extends MeasureFieldsDto {
  @ApiProperty({ enum: MEASURE_TYPES, example: 'curatelle_renforcee' }) @IsDefined() @IsIn(MEASURE_TYPES as unknown as string[])
  type: MeasureType;
  @ApiProperty({ enum: MEASURE_MODES, example: 'assistance' }) @IsDefined() @IsIn(MEASURE_MODES as unknown as string[])
  mode: MeasureMode;
  @ApiProperty({ enum: MEASURE_SCOPES, isArray: true, example: ['personne', 'biens'] })
  @IsDefined() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(2) @IsIn(MEASURE_SCOPES as unknown as string[], { each: true })
  scope: MeasureScope[];
  // The judgment is printed in the documents, the signature's sentences and evidence: one line, no bidi control (SafeText 'name', BIDI_CONTROL).
  @ApiProperty({ example: 'Tribunal judiciaire de Valville' }) @IsDefined() @IsString() @MinLength(1) @MaxLength(200) @SafeText('name')
  court: string;
  @ApiProperty({ example: 'RG 25/00412' }) @IsDefined() @IsString() @MinLength(1) @MaxLength(100) @SafeText('name')
  judgmentReference: string;
  @ApiProperty({ example: '2025-05-20' }) @IsDefined() @IsCalendarDate()
  judgmentDate: string;
  @ApiProperty({ type: [HolderDto] }) @IsDefined() @IsArray() @ArrayMaxSize(5) @ValidateNested({ each: true }) @Type(() => HolderDto)
  holders: HolderDto[];
}

export class UpdateMeasureDto extends MeasureFieldsDto {
  @ApiPropertyOptional({ enum: MEASURE_TYPES }) @IsOptional() @IsIn(MEASURE_TYPES as unknown as string[])
  type?: MeasureType;
  @ApiPropertyOptional({ enum: MEASURE_MODES }) @IsOptional() @IsIn(MEASURE_MODES as unknown as string[])
  mode?: MeasureMode;
  @ApiPropertyOptional({ enum: MEASURE_SCOPES, isArray: true }) @IsOptional() @IsArray() @ArrayMinSize(1) @IsIn(MEASURE_SCOPES as unknown as string[], { each: true })
  scope?: MeasureScope[];
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) @SafeText('name')
  court?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(100) @SafeText('name')
  judgmentReference?: string;
  @ApiPropertyOptional() @IsOptional() @IsCalendarDate()
  judgmentDate?: string;
  @ApiPropertyOptional({
    type: [String],
    description:
      'Les titulaires de la mesure (identifiants de contact) préposés de l’établissement ou salariés de celui-ci ou de son organisme gestionnaire (C. civ. 451 al. 2) : la liste entière, vide pour aucun ; absente, inchangée.',
  })
  @IsOptional() @IsArray() @ArrayMaxSize(5) @IsUUID(undefined, { each: true })
  establishmentEmployeeContactIds?: string[];
  @ApiPropertyOptional({
    type: [HolderMissionDto],
    description: 'La mission de titulaires de la mesure (C. civ. 447 al. 3) : ceux listés changent, les autres gardent la leur ; absente, inchangée.',
  })
  @IsOptional() @IsArray() @ArrayMaxSize(5) @ValidateNested({ each: true }) @Type(() => HolderMissionDto)
  holderMissions?: HolderMissionDto[];
}

export class PreferencesDto {
  @ApiPropertyOptional({ description: 'Gros caractères par défaut.' }) @IsOptional() @IsBoolean()
  largePrint?: boolean;
  @ApiPropertyOptional({ description: 'Facile à lire et à comprendre (FALC) par défaut.' }) @IsOptional() @IsBoolean()
  easyToRead?: boolean;
  @ApiPropertyOptional({ example: 'fr', description: 'Code de langue à deux lettres (ISO 639-1), en minuscules.' }) @IsOptional() @IsString() @IsLanguageCode()
  language?: string;
}

export class PersonneDeConfianceDto {
  @ApiPropertyOptional({ enum: CIVILITIES, nullable: true, description: 'Civilité (facultative) : les titres imprimés s’accordent avec elle (tutrice, curatrice…).' })
  @IsOptional() @IsIn(CIVILITIES as unknown as string[])
  civility?: Civility | null;
  @ApiPropertyOptional({ description: 'Contact existant ; sinon, indiquer la personne.' }) @IsOptional() @IsUUID()
  contactId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) @SafeText('name')
  firstName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) @SafeText('name')
  lastName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) @SafeText('name')
  relation?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsEmail() @MaxLength(254)
  email?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) @SafeText('name')
  phone?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(300) @SafeText('name')
  address?: string | null;
  @ApiPropertyOptional({ example: '2026-10-20' }) @IsOptional() @IsCalendarDate()
  designatedOn?: string | null;
}

/** C. civ. 372 al. 2, 373, 373-1, 373-2-1: why one parent alone exercises parental authority, and its proof. */
export class SoleAuthorityDto {
  @ApiProperty({ enum: SOLE_AUTHORITY_GROUNDS, example: 'judgment' }) @IsDefined() @IsIn(SOLE_AUTHORITY_GROUNDS as unknown as string[])
  ground: SoleAuthorityGround;
  // Printed in the signature's sentences and the evidence: the rule for text that identifies (no bidi control, U+202A–U+202E, U+2066–U+2069, BIDI_CONTROL), as the decision's reference.
  @ApiProperty({ example: 'Jugement JAF, TJ de Valville, RG 24/01234' }) @IsDefined() @IsString() @MinLength(1) @MaxLength(200) @SafeText('name')
  proofReference: string;
  @ApiProperty({ example: '2024-03-12' }) @IsDefined() @IsCalendarDate()
  proofDate: string;
}

/** C. civ. 375-7: the juge des enfants' authorisation for the service the child is entrusted to to perform the act. */
export class ActAuthorisationDto {
  @ApiProperty({ example: 'Ordonnance JE 26/0012' }) @IsDefined() @IsString() @MinLength(1) @MaxLength(200) @SafeText('name')
  reference: string;
  @ApiProperty({ example: '2026-10-02' }) @IsDefined() @IsCalendarDate()
  date: string;
}

/** C. civ. 390 s. (tutelle), 377 s. (délégation), 375-7 (placement): the decision a minor's representative holds his power from. */
export class MinorDecisionDto {
  // Printed in the documents and the signature's sentences beside the reference: the same rule (no bidi control, BIDI_CONTROL).
  @ApiProperty({ example: 'Conseil de famille, TJ de Valville' }) @IsDefined() @IsString() @MinLength(1) @MaxLength(200) @SafeText('name')
  authority: string;
  @ApiProperty({ example: 'RG 25/00042' }) @IsDefined() @IsString() @MinLength(1) @MaxLength(200) @SafeText('name')
  reference: string;
  @ApiProperty({ example: '2025-03-03' }) @IsDefined() @IsCalendarDate()
  date: string;
  @ApiPropertyOptional({
    enum: DELEGATION_EXTENTS,
    nullable: true,
    description:
      'Délégation : totale (C. civ. 377, 377-1 al. 1) ; partielle — une partie seulement est déléguée, les parents gardent le reste (C. civ. 377, 377-1 al. 1) ; partagée — les parents partagent l’exercice avec le délégataire (C. civ. 377-1 al. 2).',
  })
  @IsOptional() @IsIn(DELEGATION_EXTENTS as unknown as string[])
  delegationExtent?: DelegationExtent | null;
  @ApiPropertyOptional({
    nullable: true,
    description:
      'Délégation partielle seulement (obligatoire dans ce cas) : la délégation porte sur l’accueil et l’accompagnement de l’enfant dans l’établissement — oui, le délégataire signe seul ; non, les parents signent (C. civ. 377, 377-1 al. 1).',
  })
  @IsOptional() @IsBoolean()
  delegationCoversStay?: boolean | null;
  @ApiPropertyOptional({ description: 'Tutelle : le mineur est pupille de l’État (CASF L.224-1).' }) @IsOptional() @IsBoolean()
  wardOfState?: boolean;
  @ApiPropertyOptional({ type: ActAuthorisationDto, description: 'Placement : autorisation du juge des enfants pour le service gardien (C. civ. 375-7).' })
  @IsOptional() @ValidateNested() @Type(() => ActAuthorisationDto)
  actAuthorisation?: ActAuthorisationDto | null;
}

class ResidentFieldsDto {
  @ApiPropertyOptional({ enum: CIVILITIES, nullable: true, description: 'Civilité (facultative) : les titres imprimés s’accordent avec elle (tutrice, curatrice…).' })
  @IsOptional() @IsIn(CIVILITIES as unknown as string[])
  civility?: Civility | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) @SafeText('name')
  birthName?: string | null;
  @ApiPropertyOptional({ example: '2026-12-10', description: 'Obligatoire pour un séjour temporaire.' }) @IsOptional() @IsCalendarDate()
  plannedEndDate?: string | null;
  @ApiPropertyOptional({ example: '112' }) @IsOptional() @IsString() @MaxLength(40) @SafeText('name')
  room?: string | null;
  @ApiPropertyOptional({ type: PreferencesDto }) @IsOptional() @ValidateNested() @Type(() => PreferencesDto)
  preferences?: PreferencesDto;
  @ApiPropertyOptional() @IsOptional() @IsEmail() @MaxLength(254)
  email?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) @SafeText('name')
  phone?: string | null;
  @ApiPropertyOptional({ enum: PARENTAL_AUTHORITY, description: 'Mineurs : qui exerce l’autorité parentale.' })
  @IsOptional() @IsIn(PARENTAL_AUTHORITY as unknown as string[])
  parentalAuthority?: ParentalAuthority | null;
  @ApiPropertyOptional({ type: SoleAuthorityDto, description: 'Mineurs, autorité parentale exercée par un seul parent : son motif et sa preuve (obligatoires dans ce cas).' })
  @IsOptional() @ValidateNested() @Type(() => SoleAuthorityDto)
  soleAuthority?: SoleAuthorityDto | null;
  @ApiPropertyOptional({ type: MinorDecisionDto, description: 'Mineurs sous tutelle, délégation ou placement : la décision (obligatoire pour la tutelle et la délégation).' })
  @IsOptional() @ValidateNested() @Type(() => MinorDecisionDto)
  minorDecision?: MinorDecisionDto | null;
}

export class CreateResidentDto extends ResidentFieldsDto {
  @ApiProperty() @IsDefined() @IsUUID()
  establishmentId: string;
  @ApiProperty({ example: 'Marcel' }) @IsDefined() @IsString() @MinLength(1) @MaxLength(100) @SafeText('name')
  firstName: string;
  @ApiProperty({ example: 'Dupont' }) @IsDefined() @IsString() @MinLength(1) @MaxLength(100) @SafeText('name')
  lastName: string;
  @ApiProperty({ example: '1947-07-02' }) @IsDefined() @IsCalendarDate()
  birthDate: string;
  @ApiProperty({ example: '2026-10-15' }) @IsDefined() @IsCalendarDate()
  admissionDate: string;
  @ApiProperty({ enum: STAY_TYPES, example: 'permanent' }) @IsDefined() @IsIn(STAY_TYPES as unknown as string[])
  stayType: StayType;
  @ApiPropertyOptional({ type: [ContactDto] }) @IsOptional() @IsArray() @ArrayMaxSize(30) @ValidateNested({ each: true }) @Type(() => ContactDto)
  contacts?: ContactDto[];
  @ApiPropertyOptional({ type: [ContactDto], description: 'Mineurs : parents titulaires de l’autorité parentale.' })
  @IsOptional() @IsArray() @ArrayMaxSize(2) @ValidateNested({ each: true }) @Type(() => ContactDto)
  parents?: ContactDto[];
  @ApiPropertyOptional({ type: PersonneDeConfianceDto }) @IsOptional() @ValidateNested() @Type(() => PersonneDeConfianceDto)
  personneDeConfiance?: PersonneDeConfianceDto | null;
  @ApiPropertyOptional({ type: MeasureDto }) @IsOptional() @ValidateNested() @Type(() => MeasureDto)
  protectionMeasure?: MeasureDto | null;
}

export class UpdateResidentDto extends ResidentFieldsDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(100) @SafeText('name')
  firstName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(100) @SafeText('name')
  lastName?: string;
  @ApiPropertyOptional() @IsOptional() @IsCalendarDate()
  birthDate?: string;
  @ApiPropertyOptional() @IsOptional() @IsCalendarDate()
  admissionDate?: string;
  @ApiPropertyOptional({ enum: STAY_TYPES }) @IsOptional() @IsIn(STAY_TYPES as unknown as string[])
  stayType?: StayType;
}
