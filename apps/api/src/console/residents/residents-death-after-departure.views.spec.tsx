import { RETENTION_DEFAULTS, RETENTION_LABELS, RETENTION_SUBJECTS, RetentionPolicyView } from '@carepact/archive';
import type { ResidentView } from '@carepact/residents';
import { residentRetentionSection } from './resident-retention.views';
import { residentFileBody } from './residents.views';

/**
 * The death is not the end of the accompaniment by force (the sector lawyer's review of session 20,
 * migration 1764290000000): a person who left can have her death recorded later, her departure
 * kept (« Enregistrer son décès »); a death can come with the date of the état des lieux de sortie
 * (CASF R.314-149 I), the exit of an EHPAD; the file then says « Décédée le … » and « Sortie le … ».
 */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, '’')
    .replace(/\s+/g, ' ');
const policies: RetentionPolicyView[] = RETENTION_SUBJECTS.map((subject) => ({
  subject,
  label: RETENTION_LABELS[subject],
  years: 5,
  defaultYears: 5,
  basis: RETENTION_DEFAULTS[subject].basis,
  custom: false,
}));
const section = (departedOn: string | null, deceasedOn: string | null, values?: Record<string, string>) =>
  residentRetentionSection({ residentId: '00000000-0000-4000-8000-000000000001', departedOn, deceasedOn, civility: 'madame', policies, holds: [], names: new Map(), manage: true, csrf: 'c', values });
/** The form posted to `action` (its HTML). */
const form = (html: string, action: string) => new RegExp(`<form[^>]*action="[^"]*/${action}"[\\s\\S]*?</form>`).exec(html)?.[0] ?? null;
const resident = (departedOn: string | null, deceasedOn: string | null): ResidentView =>
  ({
    id: '00000000-0000-4000-8000-000000000001',
    establishmentId: 'e',
    firstName: 'Yvonne',
    lastName: 'Leroy',
    birthName: null,
    birthDate: '1934-02-11',
    admissionDate: '2021-09-01',
    stayType: 'permanent',
    plannedEndDate: null,
    departedOn,
    deceasedOn,
    civility: 'madame',
    room: null,
    preferences: { largePrint: false, easyToRead: false, language: 'fr' },
    email: null,
    phone: null,
    minor: false,
    parentalAuthority: null,
    soleAuthority: null,
    minorDecision: null,
    personneDeConfiance: null,
    contacts: [],
    protectionMeasures: [],
    createdAt: '2026-10-01T00:00:00.000Z',
    updatedAt: '2026-10-01T00:00:00.000Z',
  }) as ResidentView;

describe('a death recorded after a departure, or with the date of the état des lieux', () => {
  it('« Partie le … »: « Enregistrer son décès », a form that says her departure is kept; the departure form only corrects the departure', () => {
    const html = section('2024-06-10', null);
    const death = form(html, 'deces');
    expect(death).not.toBeNull();
    expect(death).toContain('name="deceasedOn"');
    expect(death).toContain('type="date"');
    expect(text(death!)).toContain('Enregistrer son décès');
    expect(text(death!)).toContain('Son départ du 10 juin 2024 est gardé : l’accompagnement a pris fin à cette date, et la durée de conservation court toujours à partir d’elle.');
    const departure = form(html, 'fin-accompagnement')!;
    expect(departure).toContain('<input type="hidden" name="endReason" value="departure"');
    expect(departure).not.toContain('type="radio"');
    expect(text(departure)).toContain('Corriger la date du départ');
    expect(departure).not.toContain('name="vacatedOn"');
    // Its error beside its own field, the date kept.
    const refused = residentRetentionSection({
      residentId: '00000000-0000-4000-8000-000000000001',
      departedOn: '2024-06-10',
      deceasedOn: null,
      policies,
      holds: [],
      names: new Map(),
      manage: true,
      csrf: 'c',
      values: { deceasedOn: '2099-01-01' },
      errors: [{ field: 'deceasedOn', code: 'DEATH_IN_FUTURE', message: 'La date du décès ne peut être dans le futur.' }],
    });
    expect(form(refused, 'deces')).toContain('<p class="field-error" id="deceasedOn-erreur">La date du décès ne peut être dans le futur.</p>');
    expect(form(refused, 'deces')).toContain('value="2099-01-01"');
  });

  it('a person still accompanied: under « Décès », the optional date of the état des lieux de sortie (CASF R.314-149); no « Enregistrer son décès »', () => {
    const html = section(null, null);
    const departure = form(html, 'fin-accompagnement')!;
    expect(departure).toContain('name="vacatedOn"');
    expect(text(departure)).toContain('Décès : date de l’état des lieux de sortie (facultatif)');
    expect(text(departure)).toContain('CASF art. R.314-149');
    expect(form(html, 'deces')).toBeNull();
  });

  it('after a death on another day than the exit: « Décédée le … » and « Sortie le … » in the section and the file; the form corrects the death, the kept departure said', () => {
    const later = section('2024-06-10', '2025-02-03');
    expect(text(later)).toContain('Fin de l’accompagnement Décédée le 3 février 2025. Sortie le 10 juin 2024 : fin de l’accompagnement.');
    expect(text(later)).toContain('jusqu’au 10 juin 2029 inclus');
    const f = form(later, 'fin-accompagnement')!;
    expect(f).toContain('value="2025-02-03"');
    expect(text(f)).toContain('Corriger la date du décès');
    expect(text(f)).toContain('Son départ du 10 juin 2024, enregistré avant le décès, reste la fin de l’accompagnement');
    expect(f).not.toContain('name="vacatedOn"');
    expect(text(later)).toContain('Seule la date du décès est effacée si un départ avait été enregistré avant elle');
    expect(form(later, 'deces')).toBeNull();
    // The room vacated after the death: the état des lieux shown in its field.
    const vacated = section('2026-11-30', '2026-11-25');
    expect(text(vacated)).toContain('Décédée le 25 novembre 2026. Sortie le 30 novembre 2026 : fin de l’accompagnement.');
    expect(form(vacated, 'fin-accompagnement')).toMatch(/name="vacatedOn" value="2026-11-30"/);
    // The same day: as session 20 showed it.
    expect(section('2026-11-30', '2026-11-30')).toMatch(/<dt>Fin de l’accompagnement<\/dt><dd>Décédée le 30 novembre 2026<\/dd>/);
    const file = text(residentFileBody({ resident: resident('2024-06-10', '2025-02-03'), establishment: 'EHPAD', documents: [], rights: { write: false, newDocument: false } }));
    expect(file).toContain('Fin de l’accompagnement Décédée le 3 février 2025. Sortie le 10 juin 2024.');
  });
});
