import { DOCUMENT_TYPE_LABELS, calendarDayIn, documentPhrase, documentSubtypeOf, documentTitle, documentTypeLabel, endOfDayIn, startOfDayIn, formatDateFr, isoFromFrenchDate, formatDateTimeFr, formatTimeFr, ofName } from './fr-fr';

describe('French labels and dates (one place)', () => {
  it('elides before a vowel, including accented capitals and a bidi-isolated name', () => {
    expect(ofName('Émile Durand')).toBe('d’Émile Durand');
    expect(ofName('Marcel Dupont')).toBe('de Marcel Dupont');
    expect(ofName('\u2068Ali\u2069')).toBe('d’\u2068Ali\u2069');
  });

  it('elides before every vowel, accented or not, in either case — establishments and people alike', () => {
    expect(ofName('Ahmed Benali')).toBe('d’Ahmed Benali');
    expect(ofName('EHPAD Les Tilleuls')).toBe('d’EHPAD Les Tilleuls');
    expect(ofName('Âge d’or')).toBe('d’Âge d’or');
    expect(ofName('Ève Martin')).toBe('d’Ève Martin');
    expect(ofName('Œuvre Falret')).toBe('d’Œuvre Falret');
    expect(ofName('Inès Roux')).toBe('d’Inès Roux');
    expect(ofName('Ursule Noël')).toBe('d’Ursule Noël');
    expect(ofName('Octave Petit')).toBe('d’Octave Petit');
    expect(ofName('Yvonne Leroy')).toBe('d’Yvonne Leroy');
    expect(ofName('établissement Les Pins')).toBe('d’établissement Les Pins');
  });

  it('never elides before h (aspirated or mute: a name does not say which) nor before a consonant', () => {
    // « de Hugo », « de Hélène »: « d’Hélène » would be right, « d’Hugues » would not; we cannot
    // tell them apart, and « de » before h is never shocking, while a wrong elision is.
    expect(ofName('Hélène Garnier')).toBe('de Hélène Garnier');
    expect(ofName('Hugues Martin')).toBe('de Hugues Martin');
    expect(ofName('Résidence Les Pins')).toBe('de Résidence Les Pins');
    expect(ofName('Marcel Dupont')).toBe('de Marcel Dupont');
    expect(ofName('')).toBe('de ');
  });

  it('builds the document phrase with the article of the type (« l’avenant », never « le avenant »)', () => {
    expect(documentPhrase(DOCUMENT_TYPE_LABELS.avenant, 'Émile Durand')).toBe('l’avenant au contrat de séjour d’Émile Durand');
    expect(documentPhrase(DOCUMENT_TYPE_LABELS['contrat-sejour'], null)).toBe('votre contrat de séjour');
  });

  it('knows the five document types and nothing else', () => {
    expect(Object.keys(DOCUMENT_TYPE_LABELS).sort()).toEqual(['avenant', 'compte-rendu-synthese', 'contrat-sejour', 'dipc', 'projet-personnalise']);
    expect(documentTypeLabel('toString', null)).toBeUndefined();
    expect(documentTypeLabel(3, null)).toBeUndefined();
  });

  it('writes calendar dates in full, the first of the month as « 1er »', () => {
    expect(formatDateFr('2026-03-14')).toBe('14 mars 2026');
    expect(formatDateFr('2026-03-01')).toBe('1er mars 2026');
    expect(() => formatDateFr('2026-02-30')).toThrow(RangeError);
    expect(() => formatDateFr('14/03/2026')).toThrow(RangeError);
  });

  it('shows an instant on its day in the given zone, with the weekday when asked', () => {
    // 23:30 UTC on 30 November is already 1 December in Paris.
    const d = new Date('2026-11-30T23:30:00Z');
    expect(formatDateFr(d)).toBe('1er décembre 2026');
    expect(formatDateFr(d, { timeZone: 'UTC' })).toBe('30 novembre 2026');
    expect(formatDateFr(d, { timeZone: 'Europe/Paris', weekday: true })).toBe('mardi 1er décembre 2026');
    expect(formatTimeFr(d)).toBe('0 h 30');
  });

  it('titles a document by its type and its resident, with elision', () => {
    expect(documentTitle('contrat-sejour', null, 'Marcel Dupont')).toBe('Contrat de séjour de Marcel Dupont');
    expect(documentTitle('avenant', null, 'Émile Durand')).toBe('Avenant au contrat de séjour d’Émile Durand');
    expect(documentTitle('inconnu', null, 'Anne Martin')).toBe('Document d’Anne Martin');
  });

  it('names an avenant by what it amends: the DIPC (CASF D.311 VII), the annex on the freedom to come and go (L.311-4-1 I), else the contract', () => {
    expect(documentTitle('avenant', 'avenant-dipc', 'Émile Durand')).toBe('Avenant au document individuel de prise en charge (DIPC) d’Émile Durand');
    expect(documentTitle('avenant', 'annexe-liberte-aller-venir', 'Marcel Dupont')).toBe('Annexe au contrat de séjour sur la liberté d’aller et venir de Marcel Dupont');
    expect(documentPhrase(documentTypeLabel('avenant', 'avenant-dipc')!, null)).toBe('votre avenant au document individuel de prise en charge (DIPC)');
    expect(documentPhrase(documentTypeLabel('avenant', 'annexe-liberte-aller-venir')!, 'Émile Durand')).toBe('l’annexe au contrat de séjour sur la liberté d’aller et venir d’Émile Durand');
    // A subtype names an avenant only; an unknown one is the type's name.
    expect(documentTypeLabel('dipc', 'avenant-dipc')).toBe(DOCUMENT_TYPE_LABELS.dipc);
    expect(documentTypeLabel('avenant', 'toString')).toBe(DOCUMENT_TYPE_LABELS.avenant);
  });

  it('reads the subtype from a version’s data as the avenant template’s title does (liberty first, then the tariff avenant, then appliesTo)', () => {
    expect(documentSubtypeOf('avenant', { appliesTo: 'dipc', purpose: 'accompagnement' })).toBe('avenant-dipc');
    expect(documentSubtypeOf('avenant', { appliesTo: 'contrat-sejour', purpose: 'liberte-aller-venir' })).toBe('annexe-liberte-aller-venir');
    // The tariff avenant (CASF L.342-3, L.314-1) apart from the accompaniment avenant (CASF L.311-4, D.311).
    expect(documentSubtypeOf('avenant', { appliesTo: 'contrat-sejour', purpose: 'tarifs' })).toBe('avenant-tarifaire');
    expect(documentSubtypeOf('avenant', { appliesTo: 'dipc', purpose: 'tarifs' })).toBe('avenant-tarifaire-dipc');
    expect(documentSubtypeOf('avenant', { appliesTo: 'contrat-sejour', purpose: 'accompagnement' })).toBeNull();
    expect(documentTitle('avenant', 'avenant-tarifaire', 'Enzo Petit')).toBe('Avenant tarifaire au contrat de séjour d’Enzo Petit');
    expect(documentTitle('avenant', null, 'Enzo Petit')).toBe('Avenant au contrat de séjour d’Enzo Petit');
    expect(documentPhrase(documentTypeLabel('avenant', 'avenant-tarifaire-dipc')!, 'Marcel Dupont')).toBe(
      'l’avenant tarifaire au document individuel de prise en charge (DIPC) de Marcel Dupont',
    );
    expect(documentSubtypeOf('avenant', {})).toBeNull();
    expect(documentSubtypeOf('dipc', { appliesTo: 'dipc' })).toBeNull();
  });

  it('writes an instant with its time, « le … à … », from a Date or a database ISO string', () => {
    const d = new Date('2026-11-30T23:30:00Z');
    expect(formatDateTimeFr(d)).toBe('1er décembre 2026 à 0 h 30');
    expect(formatDateTimeFr('2026-11-30T23:30:00.000Z')).toBe('1er décembre 2026 à 0 h 30');
    expect(formatDateTimeFr(d, { timeZone: 'America/Cayenne', weekday: true })).toBe('lundi 30 novembre 2026 à 20 h 30');
    expect(() => formatDateTimeFr('pas une date')).toThrow(RangeError);
  });

  it('writes every calendar day as Intl fr-FR does (1900–2100), and every instant as its day in the zone', () => {
    const intl = (weekday: boolean, timeZone: string) =>
      new Intl.DateTimeFormat('fr-FR', { ...(weekday ? { weekday: 'long' as const } : {}), day: 'numeric', month: 'long', year: 'numeric', timeZone });
    const byIntl = (f: Intl.DateTimeFormat, at: Date) => f.formatToParts(at).map((p) => (p.type === 'day' && p.value === '1' ? '1er' : p.value)).join('');
    const differences: string[] = [];
    const check = (ours: string, theirs: string) => {
      if (ours !== theirs) differences.push(`${ours} ≠ ${theirs}`);
    };
    const [plain, long] = [intl(false, 'UTC'), intl(true, 'UTC')];
    for (let t = Date.UTC(1900, 0, 1); t <= Date.UTC(2100, 11, 31); t += 86_400_000) {
      const at = new Date(t);
      const day = at.toISOString().slice(0, 10);
      check(formatDateFr(day), byIntl(plain, at));
      if (at.getUTCDate() <= 7) check(formatDateFr(day, { weekday: true }), byIntl(long, at));
    }
    // Instants every 7 h 13 min over 2020–2031 (daylight saving changes included), in four zones.
    for (const timeZone of ['Europe/Paris', 'UTC', 'America/New_York', 'Asia/Kolkata']) {
      const f = intl(false, timeZone);
      for (let t = Date.UTC(2020, 0, 1); t <= Date.UTC(2031, 0, 1); t += 26_000_000) check(formatDateFr(new Date(t), { timeZone }), byIntl(f, new Date(t)));
    }
    // Around Paris' change to summer time (2026-03-29 01:00 UTC), minute by minute.
    const paris = intl(false, 'Europe/Paris');
    for (let t = Date.UTC(2026, 2, 28, 22, 0); t <= Date.UTC(2026, 2, 29, 2, 0); t += 60_000) check(formatDateFr(new Date(t)), byIntl(paris, new Date(t)));
    expect(differences).toEqual([]);
  });
});

describe('end of a calendar day in the establishment’s zone (issue 13: one date everywhere)', () => {
  it('is 23:59:59 in Paris, winter and summer time, and reads back as the same day', () => {
    expect(endOfDayIn('2026-11-15').toISOString()).toBe('2026-11-15T22:59:59.000Z');
    expect(endOfDayIn('2026-07-14').toISOString()).toBe('2026-07-14T21:59:59.000Z');
    // The nights the clocks change.
    expect(endOfDayIn('2026-03-29').toISOString()).toBe('2026-03-29T21:59:59.000Z');
    expect(endOfDayIn('2026-10-25').toISOString()).toBe('2026-10-25T22:59:59.000Z');
    for (const d of ['2026-11-15', '2026-07-14', '2026-03-29', '2026-10-25', '2026-12-31'])
      expect([calendarDayIn(endOfDayIn(d)), formatDateFr(endOfDayIn(d))]).toEqual([d, formatDateFr(d)]);
    expect(endOfDayIn('2026-11-15', 'America/Cayenne').toISOString()).toBe('2026-11-16T02:59:59.000Z');
    expect(() => endOfDayIn('15/11/2026')).toThrow(RangeError);
  });
});

describe('start of a calendar day in the establishment’s zone (archive periods, the CSP 48 hours)', () => {
  it('is midnight in Paris at the offset of that moment, on the nights the clocks change too', () => {
    expect(startOfDayIn('2026-01-15').toISOString()).toBe('2026-01-14T23:00:00.000Z');
    expect(startOfDayIn('2026-07-15').toISOString()).toBe('2026-07-14T22:00:00.000Z');
    // Last Sunday of March: the day starts in winter time (the change is at 2:00), the next one in summer time.
    expect(startOfDayIn('2026-03-29').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfDayIn('2026-03-30').toISOString()).toBe('2026-03-29T22:00:00.000Z');
    // Last Sunday of October: the day starts in summer time (the change is at 3:00), the next one in winter time.
    expect(startOfDayIn('2026-10-25').toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(startOfDayIn('2026-10-26').toISOString()).toBe('2026-10-25T23:00:00.000Z');
    for (const d of ['2026-03-29', '2026-03-30', '2026-10-25', '2026-10-26', '2026-12-31']) expect(calendarDayIn(startOfDayIn(d))).toBe(d);
    expect(startOfDayIn('2026-11-15', 'America/Cayenne').toISOString()).toBe('2026-11-15T03:00:00.000Z');
    expect(() => startOfDayIn('2026-3-29')).toThrow(RangeError);
  });
});

describe('a date typed JJ/MM/AAAA (the console’s date fields)', () => {
  it('is written AAAA-MM-JJ, day and month of one or two digits; any other text is kept for the validation', () => {
    expect(isoFromFrenchDate('03/12/2026')).toBe('2026-12-03');
    expect(isoFromFrenchDate('3/2/2026')).toBe('2026-02-03');
    expect(isoFromFrenchDate('31/02/2026')).toBe('2026-02-31');
    for (const kept of ['2026-12-03', '', '03/12/26', '003/12/2026', '03-12-2026', ' 03/12/2026', 'hier']) expect(isoFromFrenchDate(kept)).toBe(kept);
  });
});
