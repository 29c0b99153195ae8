import { INestApplicationContext } from '@nestjs/common';
import { TransactionRunner } from '@carepact/database';
import { StaffRole, StaffService } from '@carepact/identity';

export const TEST_PASSWORD = 'correct-horse-battery-staple';

export interface SeededOrganisation {
  organisationId: string;
  establishmentId: string;
  users: Record<StaffRole, { id: string; email: string }>;
}

/**
 * An organisation with one establishment and one user per role (password TEST_PASSWORD).
 * `tag` keeps emails unique between organisations of one test.
 */
export async function seedOrganisation(ctx: INestApplicationContext, tag: string): Promise<SeededOrganisation> {
  const tx = ctx.get(TransactionRunner);
  const staff = ctx.get(StaffService);
  const system = { type: 'system' as const, id: 'test' };
  return tx.run(async (em) => {
    const org = await staff.createOrganisation(em, system, { name: `Organisation ${tag}` });
    const est = await staff.createEstablishment(em, system, org.id, {
      name: `EHPAD ${tag}`,
      category: 'EHPAD',
      finess: String(100000000 + Math.floor(Math.random() * 899999999)).slice(0, 9),
      address: '1 rue du Test, 00000 Testville',
      directorFirstName: 'Directrice',
      directorLastName: tag,
      tariffs: { effectiveFrom: '2026-01-01', hebergementPerDay: 72.5, dependanceGir12PerDay: 24.1, dependanceGir34PerDay: 15.3, dependanceGir56PerDay: 6.5, absenceRule: 'Au-delà de 72 heures d’absence, le tarif hébergement est minoré du forfait hospitalier.', ...ABSENCE_RULES, depositEuros: 0 },
      annexes: ['livret-accueil-2026', 'reglement-fonctionnement-2025', 'charte-droits-libertes'],
    });
    const users = {} as SeededOrganisation['users'];
    for (const role of ['admissions', 'coordinator', 'director', 'auditor', 'administrator'] as StaffRole[]) {
      const u = await staff.createUser(em, system, org.id, {
        email: `${role}.${tag}@example.test`,
        name: `${role} ${tag}`,
        password: TEST_PASSWORD,
        roles: [{ establishmentId: est.id, role }],
      });
      users[role] = { id: u.id, email: u.email };
    }
    return { organisationId: org.id, establishmentId: est.id, users };
  });
}

/** The demo resident under curatelle renforcée, as the API takes it. */
export function curatelleResident(establishmentId: string) {
  return {
    establishmentId,
    firstName: 'Marcel',
    lastName: 'Dupont',
    birthDate: '1947-07-02',
    admissionDate: '2026-10-15',
    stayType: 'permanent',
    room: '112',
    preferences: { largePrint: false, easyToRead: true, language: 'fr' },
    email: 'marcel.dupont@example.org',
    protectionMeasure: {
      type: 'curatelle_renforcee',
      mode: 'assistance',
      scope: ['personne', 'biens'],
      court: 'Tribunal judiciaire de Valville',
      judgmentReference: 'RG 25/00412',
      judgmentDate: '2025-05-20',
      endDate: '2030-05-20',
      holders: [
        {
          role: 'curateur',
          firstName: 'Karim',
          lastName: 'Benaïssa',
          organisationName: 'UDAF du Val',
          email: 'k.benaissa@udaf-val.example',
        },
      ],
    },
  };
}

export const ABSENCE_PERSONAL = 'au-delà de 72 heures d’absence, le tarif hébergement est minoré du forfait hospitalier ; le tarif dépendance n’est pas facturé.';
export const ABSENCE_HOSPITALISATION = 'au-delà de 72 heures d’hospitalisation, le tarif hébergement est minoré du forfait hospitalier ; le tarif dépendance n’est pas facturé.';
/** The two absence rules (CASF R.314-204) with their easy-to-read wordings (templates 1.2.0, issue 8 C). */
export const ABSENCE_RULES = {
  absencePersonal: ABSENCE_PERSONAL,
  absencePersonalFalc: 'après 3 jours, vous payez moins.',
  absenceHospitalisation: ABSENCE_HOSPITALISATION,
  absenceHospitalisationFalc: 'après 3 jours, vous payez moins.',
};

/**
 * A contrat de séjour's data that template 1.2.0 accepts (each free text printed in the
 * easy-to-read rendition with its easy-to-read wording, `<name>Falc`) for an adult without a measure, or under
 * curatelle, in an EHPAD (consent interview, état des lieux, GIR and own price) or another
 * category (its own termination terms): what the law requires, and nothing invented.
 */
export function contractData(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    objectives: ['Permettre à la personne de garder ses habitudes de promenade quotidienne.'],
    objectivesFalc: ['Vous gardez votre promenade chaque jour.'],
    services: ['Hébergement en chambre individuelle', 'Restauration', 'Animations'],
    servicesFalc: ['Une chambre pour vous seul', 'Les repas', 'Des activités'],
    duration: 'indéterminée',
    durationFalc: 'Ce contrat n’a pas de date de fin.',
    participation: {
      person: { presence: 'present' },
      others: [{ name: 'Nadia Haddad', capacity: 'professionnel', role: 'admissions', roleFalc: 'l’accueil des nouveaux habitants', presence: 'present' }],
    },
    annexesHandedOverOn: '2026-10-15',
    financialContribution: 'tarifs',
    pricing: { gir: 4, dependancePerDay: 6.5, totalPerDay: 79 },
    // Templates 1.5.0 and 1.6.0: the notice eight days at least before the interview and the attestation's date (CASF D.311-0-4);
    // 1.6.0 asks for the interview of every adult, whatever the category (L.311-4 al. 5), which this data gives.
    consentInterview: { on: '2026-10-20', outcome: 'consent', noticeGivenOn: '2026-10-09', attestationSignedOn: '2026-10-09' },
    entryInventoryOn: '2026-10-15',
    termination: {
      byPerson: 'Par écrit, à tout moment, avec un préavis de quinze jours.',
      byEstablishment: 'Pour les motifs prévus par la loi, avec un préavis d’un mois.',
      byPersonFalc: 'Vous pouvez partir quand vous voulez.',
      byEstablishmentFalc: 'Nous vous prévenons 1 mois avant.',
    },
    signing: { place: 'Testville', mode: 'electronic' },
    ...over,
  };
}

/** A person under tutelle (representation of the person and of her property) in a home for older people, as the API takes her. */
export function tutelleResident(establishmentId: string) {
  return {
    establishmentId,
    firstName: 'Yvonne',
    lastName: 'Marchal',
    birthDate: '1936-04-12',
    admissionDate: '2026-10-01',
    stayType: 'permanent',
    room: '204',
    preferences: { largePrint: true, easyToRead: true, language: 'fr' },
    email: null,
    protectionMeasure: {
      type: 'tutelle',
      mode: 'representation',
      scope: ['personne', 'biens'],
      court: 'Tribunal judiciaire de Valville',
      judgmentReference: 'RG 24/00981',
      judgmentDate: '2024-03-14',
      endDate: '2029-03-14',
      holders: [{ role: 'tuteur', firstName: 'Olivier', lastName: 'Marchal', email: 'olivier.marchal@example.org' }],
    },
  };
}

/**
 * A minor under tutelle (C. civ. 390: no parent exercises parental authority), as the API takes
 * him: the decision organising the tutelle and the tuteur, a contact with `minorRole: 'tuteur'`
 * (C. civ. 408: he represents the minor). `wardOfState`: a pupille de l'État (CASF L.224-1).
 */
export function minorUnderTutelleResident(establishmentId: string, over: { wardOfState?: boolean } = {}) {
  return {
    establishmentId,
    firstName: 'Enzo',
    lastName: 'Petit',
    birthDate: '2014-05-30',
    admissionDate: '2026-09-07',
    stayType: 'permanent',
    parentalAuthority: 'tutelle',
    minorDecision: over.wardOfState
      ? { authority: 'Préfet du Val', reference: 'Arrêté 2025-PUP-014', date: '2025-03-03', wardOfState: true }
      : { authority: 'Conseil de famille, TJ de Valville', reference: 'RG 25/00042', date: '2025-03-03' },
    contacts: [{ firstName: 'Hélène', lastName: 'Roux', relation: 'tante', email: 'helene.roux@example.org', minorRole: 'tuteur' }],
  };
}

/**
 * The annex to the contrat de séjour on the freedom to come and go (avenant template 1.4.0, purpose
 * « liberte-aller-venir », CASF L.311-4-1 I) that the template accepts, for a person under
 * representation: the examination, the collegial procedure and its team, her view and her
 * representative's apart, one measure with all the model asks for, the review six months after the
 * procedure. `on` is the day of the examination, the procedure and the annex; `contractSignedOn`
 * the contract's.
 */
export function libertyAnnexData(on: string, contractSignedOn: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  const [y, m, d] = on.split('-').map(Number);
  const last = new Date(Date.UTC(y, m - 1 + 7, 0)).getUTCDate();
  const review = new Date(Date.UTC(y, m - 1 + 6, Math.min(d, last))).toISOString().slice(0, 10);
  return {
    purpose: 'liberte-aller-venir',
    kind: 'annexe initiale',
    appliesTo: 'contrat-sejour',
    contractSignedOn,
    issuedOn: on,
    nextReview: review,
    participation: {
      person: { presence: 'present' },
      others: [{ name: 'Olivier Marchal', capacity: 'representant_legal', role: 'tuteur', roleFalc: 'votre tuteur', presence: 'present' }],
    },
    libertyAnnex: {
      examination: { on, by: 'Dr Sophie Lemaire', byCapacity: 'medecin_coordonnateur' },
      collegialProcedure: {
        on,
        initiatedBy: 'medecin_coordonnateur',
        initiatorName: 'Dr Sophie Lemaire',
        team: [
          { capacity: 'medecin_coordonnateur', name: 'Dr Sophie Lemaire' },
          { capacity: 'infirmier_coordonnateur', name: 'Nathalie Robert' },
          { capacity: 'aide_soignant', name: null },
        ],
      },
      residentOpinion: { expression: 'accord', recordedOn: on, words: 'Je veux bien, si je peux aller au jardin.', wordsFalc: 'Je veux bien, si je peux aller au jardin.' },
      representativeOpinion: { name: 'Olivier Marchal', expression: 'accord', words: null },
      measures: [
        {
          measure: 'Port d’un bracelet d’alerte qui prévient l’équipe quand la personne franchit le portail.',
          measureFalc: 'Vous portez un bracelet qui prévient l’équipe quand vous passez le portail.',
          risk: 'Désorientation hors de l’établissement, la nuit.',
          riskFalc: 'Vous vous êtes perdue dehors la nuit.',
          necessity: 'Deux sorties de nuit sans repère, le portail n’est pas visible depuis l’étage.',
          proportionality: 'Le bracelet n’empêche aucune sortie ; le jardin reste libre d’accès.',
          alternatives: 'Fermeture du portail la nuit (écartée : elle enfermerait tous les résidents).',
          duration: 'Jusqu’à la prochaine réévaluation.',
          durationFalc: 'Jusqu’au prochain rendez-vous.',
        },
      ],
    },
    ...over,
  };
}
