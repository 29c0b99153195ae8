import { ACCESS_REQUEST_FROM_LABELS, HEIR_PURPOSE_LABELS, PARENT_REQUEST_EMANCIPATION_MESSAGE, accessRequestStatementOf, answerDueOf, notBeforeOf, withCspDeadlines } from './access-request-statement';
import { minorOn } from './heir-request';

describe('an access request’s statement (RGPD art. 15, 12(3))', () => {
  it('the answer is due one month after receipt, on the month’s last day when the day does not exist (Reg. 1182/71 art. 3.2.c)', () => {
    expect(answerDueOf('2026-10-31')).toBe('2026-11-30');
    expect(answerDueOf('2027-01-31')).toBe('2027-02-28');
    expect(answerDueOf('2028-01-30')).toBe('2028-02-29');
    expect(answerDueOf('2026-12-15')).toBe('2027-01-15');
  });

  it('nothing given is no statement; one given is checked whole', () => {
    expect(accessRequestStatementOf(undefined, '2026-12-03')).toBeNull();
    expect(accessRequestStatementOf({ from: '', receivedOn: '', statement: '  ' }, '2026-12-03')).toBeNull();
    expect(accessRequestStatementOf({ from: 'person', receivedOn: '2026-12-03', statement: ' Courrier du 1er décembre ' }, '2026-12-03')).toEqual({
      from: 'person',
      receivedOn: '2026-12-03',
      answerDue: '2027-01-03',
      statement: 'Courrier du 1er décembre',
    });
    expect(() => accessRequestStatementOf({ from: 'person', receivedOn: '2026-12-04', statement: 'Courrier' }, '2026-12-03')).toThrow(
      expect.objectContaining({ details: [expect.objectContaining({ field: 'request.receivedOn', code: 'ACCESS_REQUEST_DATE_IN_FUTURE' })] }),
    );
    expect(() => accessRequestStatementOf('courrier', '2026-12-03')).toThrow(expect.objectContaining({ details: expect.arrayContaining([expect.objectContaining({ code: 'ACCESS_REQUEST_FROM_INVALID' })]) }));
  });

  it('an ayant droit, concubin or partenaire de PACS of a deceased person (CSP L.1110-4 V): purpose, day of the death and no objection', () => {
    expect(ACCESS_REQUEST_FROM_LABELS.ayant_droit).toBe('Ayant droit, concubin ou partenaire de PACS d’une personne décédée');
    expect(Object.values(HEIR_PURPOSE_LABELS)).toEqual(['Connaître les causes de la mort', 'Défendre la mémoire du défunt', 'Faire valoir ses droits']);
    const standingProof = { type: 'acte_notoriete', reference: 'Me Durand, réf. 2026/1187', issuedOn: '2026-10-20' };
    const heir = { from: 'ayant_droit', receivedOn: '2026-11-20', statement: 'Courrier de son fils', purpose: 'causes_of_death', deceasedOn: '2026-10-02', deceasedObjection: 'none', standingProof };
    expect(accessRequestStatementOf(heir, '2026-12-03')).toEqual({
      from: 'ayant_droit',
      receivedOn: '2026-11-20',
      answerDue: '2026-12-20',
      statement: 'Courrier de son fils',
      heir: { purpose: 'causes_of_death', deceasedOn: '2026-10-02', deceasedObjection: 'none', standingProof, communication: 'direct' },
    });
    const codes = (input: Record<string, unknown>) => {
      try {
        accessRequestStatementOf(input, '2026-12-03');
        return [];
      } catch (e) {
        return (e as { code: string; details: { field: string; code: string }[] }).details.map((d) => `${d.field} ${d.code}`);
      }
    };
    expect(codes({ ...heir, purpose: 'curiosite', deceasedOn: '', deceasedObjection: '' })).toEqual([
      'request.purpose HEIR_REQUEST_PURPOSE_INVALID',
      'request.deceasedOn HEIR_REQUEST_DEATH_DATE_INVALID',
      'request.deceasedObjection HEIR_REQUEST_OBJECTION_REQUIRED',
    ]);
    expect(codes({ ...heir, deceasedOn: '2026-11-21' })).toEqual(['request.deceasedOn HEIR_REQUEST_DEATH_AFTER_REQUEST']);
    // The person's own request needs none of it.
    expect(codes({ from: 'person', receivedOn: '2026-11-20', statement: 'Courrier' })).toEqual([]);
  });

  it('the deceased objected during her life: refused, HEIR_ACCESS_OBJECTED_BY_DECEASED with its French message', () => {
    const refused = (() => {
      try {
        accessRequestStatementOf({ from: 'ayant_droit', receivedOn: '2026-11-20', statement: 'Courrier de sa nièce', purpose: 'assert_rights', deceasedOn: '2026-10-02', deceasedObjection: 'recorded' }, '2026-12-03');
      } catch (e) {
        return e as { code: string; messageFr: string; details: { field: string; code: string }[] };
      }
    })();
    expect(refused?.code).toBe('HEIR_ACCESS_OBJECTED_BY_DECEASED');
    expect(refused?.details.map((d) => d.field)).toEqual(['request.deceasedObjection']);
    expect(refused?.messageFr).toMatch(/opposée, de son vivant.*art\. L\.1110-4 V/);
  });

  it('an ayant droit is answered within eight days, two months for information more than five years old (CSP L.1111-7 al. 2, R.1111-1)', () => {
    const r = accessRequestStatementOf(
      { from: 'ayant_droit', receivedOn: '2026-11-25', statement: 'Courrier', purpose: 'defend_memory', deceasedOn: '2026-10-02', deceasedObjection: 'none', standingProof: { type: 'acte_pacs', reference: 'PACS n° 12', issuedOn: '2019-05-04' } },
      '2026-12-03',
    )!;
    // All recent: eight days.
    expect(withCspDeadlines(r, '2023-01-10', '2026-09-30')).toMatchObject({ answerDue: '2026-12-03' });
    expect(withCspDeadlines(r, '2023-01-10', '2026-09-30').answerDueOlderInformation).toBeUndefined();
    // Some more than five years old: eight days for the rest, two months for it.
    expect(withCspDeadlines(r, '2014-03-01', '2026-09-30')).toMatchObject({ answerDue: '2026-12-03', answerDueOlderInformation: '2027-01-25' });
    // All more than five years old: two months.
    expect(withCspDeadlines(r, '2014-03-01', '2019-06-30')).toMatchObject({ answerDue: '2027-01-25' });
    // The person's own request keeps RGPD art. 12(3)'s month.
    const own = accessRequestStatementOf({ from: 'person', receivedOn: '2026-11-25', statement: 'Courrier' }, '2026-12-03')!;
    expect(withCspDeadlines(own, '2014-03-01', '2019-06-30').answerDue).toBe('2026-12-25');
  });
});

describe('a request after the death: a deceased minor’s parents, the proof of standing, the 48 hours (CSP L.1110-4 V, L.1111-7)', () => {
  const proof = { type: 'livret_famille', reference: 'Livret de famille, mairie de Lyon 3e', issuedOn: '2007-06-01' };
  const codes = (input: Record<string, unknown>) => {
    try {
      accessRequestStatementOf(input, '2026-12-03');
      return [];
    } catch (e) {
      return (e as { details: { field: string; code: string }[] }).details.map((d) => `${d.field} ${d.code}`);
    }
  };

  it('the parents’ confirmation that she was not emancipated is kept when given; the statement alone does not require it — only heirRequestChecked knows her age at the death (C. civ. 413-2: not before 16); not asked of an ayant droit', () => {
    const parent = { from: 'parental_authority', receivedOn: '2026-11-25', statement: 'Courrier de sa mère', deceasedOn: '2026-10-02', standingProof: proof };
    expect(codes(parent)).toEqual([]);
    expect(accessRequestStatementOf(parent, '2026-12-03')!.heir!.notEmancipated).toBeUndefined();
    expect(accessRequestStatementOf({ ...parent, notEmancipated: false }, '2026-12-03')!.heir!.notEmancipated).toBeUndefined();
    expect(PARENT_REQUEST_EMANCIPATION_MESSAGE).toMatch(/seize ans ou plus.*413-2.*n’était pas émancipée.*413-7.*ayant droit/);
    // The console's checkbox sends « oui ».
    expect(accessRequestStatementOf({ ...parent, notEmancipated: 'oui' }, '2026-12-03')!.heir!.notEmancipated).toBe(true);
    const heir = accessRequestStatementOf({ from: 'ayant_droit', receivedOn: '2026-11-25', statement: 'Courrier de son fils', purpose: 'causes_of_death', deceasedOn: '2026-10-02', deceasedObjection: 'none', standingProof: proof }, '2026-12-03')!;
    expect(heir.heir!.notEmancipated).toBeUndefined();
  });

  it('the parents of a deceased minor: their own kind, no purpose nor objection asked (L.1110-4 V al. 2), the CSP deadlines', () => {
    expect(ACCESS_REQUEST_FROM_LABELS.parental_authority).toBe('Titulaire de l’autorité parentale d’un mineur décédé');
    const r = accessRequestStatementOf({ from: 'parental_authority', receivedOn: '2026-11-25', statement: 'Courrier de sa mère', deceasedOn: '2026-10-02', standingProof: proof, notEmancipated: true }, '2026-12-03')!;
    expect(r).toEqual({
      from: 'parental_authority',
      receivedOn: '2026-11-25',
      answerDue: '2026-12-25',
      statement: 'Courrier de sa mère',
      heir: { notEmancipated: true, deceasedOn: '2026-10-02', standingProof: proof, communication: 'direct' },
    });
    expect(withCspDeadlines(r, '2023-01-10', '2026-09-30').answerDue).toBe('2026-12-03');
  });

  it('the proof of standing is required after the death, each field with its code; not for the person’s own request', () => {
    const heir = { from: 'ayant_droit', receivedOn: '2026-11-20', statement: 'Courrier de son fils', purpose: 'causes_of_death', deceasedOn: '2026-10-02', deceasedObjection: 'none' };
    expect(codes(heir)).toEqual([
      'request.standingProof.type HEIR_STANDING_PROOF_REQUIRED',
      'request.standingProof.reference HEIR_STANDING_PROOF_REFERENCE_INVALID',
      'request.standingProof.issuedOn HEIR_STANDING_PROOF_DATE_INVALID',
    ]);
    expect(codes({ ...heir, standingProof: { ...proof, type: 'temoignage', issuedOn: '2026-12-04' } })).toEqual([
      'request.standingProof.type HEIR_STANDING_PROOF_REQUIRED',
      'request.standingProof.issuedOn HEIR_STANDING_PROOF_DATE_IN_FUTURE',
    ]);
    expect(codes({ from: 'parental_authority', receivedOn: '2026-11-20', statement: 'Courrier', deceasedOn: '2026-10-02', notEmancipated: 'oui' })).toHaveLength(3);
    expect(codes({ ...heir, standingProof: proof })).toEqual([]);
    // Through a doctor (CSP L.1111-7 (accès direct ou par l’intermédiaire d’un médecin)): the doctor named.
    expect(codes({ ...heir, standingProof: proof, communication: 'physician' })).toEqual(['request.physician ACCESS_REQUEST_PHYSICIAN_REQUIRED']);
    expect(codes({ ...heir, standingProof: proof, communication: 'courrier' })).toEqual(['request.communication ACCESS_REQUEST_COMMUNICATION_INVALID']);
    expect(codes({ from: 'person', receivedOn: '2026-11-20', statement: 'Courrier' })).toEqual([]);
  });

  it('an objection recorded refuses the request whatever else is missing', () => {
    expect(() => accessRequestStatementOf({ from: 'ayant_droit', receivedOn: '2026-11-20', statement: 'Courrier', purpose: 'causes_of_death', deceasedOn: '2026-10-02', deceasedObjection: 'recorded' }, '2026-12-03')).toThrow(
      expect.objectContaining({ code: 'HEIR_ACCESS_OBJECTED_BY_DECEASED' }),
    );
  });

  it('not before 48 hours after the latest the request can have been received: the end of its day in Paris, or when staff record it', () => {
    // Received on 25 November (winter: UTC+1), recorded days later: 48 hours after midnight ending the 25th.
    expect(notBeforeOf('2026-11-25', new Date('2026-12-01T10:00:00Z'))).toBe('2026-11-27T23:00:00.000Z');
    // Summer time (UTC+2).
    expect(notBeforeOf('2026-07-10', new Date('2026-07-20T10:00:00Z'))).toBe('2026-07-12T22:00:00.000Z');
    // Received today and recorded now: from now.
    expect(notBeforeOf('2026-12-03', new Date('2026-12-03T09:30:00Z'))).toBe('2026-12-05T09:30:00.000Z');
  });

  it('a minor at death: under 18 on the day of the death, adult from the 18th birthday', () => {
    expect(minorOn('2008-10-03', '2026-10-02')).toBe(true);
    expect(minorOn('2008-10-03', '2026-10-03')).toBe(false);
    expect(minorOn('1941-03-02', '2026-10-02')).toBe(false);
  });
});

describe('a living person’s request about her health information (CSP L.1111-7 al. 2, R.1111-1)', () => {
  const codes = (input: Record<string, unknown>) => {
    try {
      accessRequestStatementOf(input, '2026-12-03');
      return [];
    } catch (e) {
      return (e as { details: { field: string; code: string }[] }).details.map((d) => `${d.field} ${d.code}`);
    }
  };
  const own = { from: 'person', receivedOn: '2026-11-25', statement: 'Courrier de Mme Martin : copie de son dossier de soins' };

  it('states whether it concerns her health information: true or false (the console sends « oui »), absent is false; anything else 400 ACCESS_REQUEST_HEALTH_INFORMATION_INVALID', () => {
    expect(accessRequestStatementOf({ ...own, healthInformation: true }, '2026-12-03')!.healthInformation).toBe(true);
    expect(accessRequestStatementOf({ ...own, from: 'representative', healthInformation: 'oui' }, '2026-12-03')!.healthInformation).toBe(true);
    expect(accessRequestStatementOf({ ...own, healthInformation: false }, '2026-12-03')).not.toHaveProperty('healthInformation');
    expect(accessRequestStatementOf(own, '2026-12-03')).not.toHaveProperty('healthInformation');
    expect(codes({ ...own, healthInformation: 'peut-être' })).toEqual(['request.healthInformation ACCESS_REQUEST_HEALTH_INFORMATION_INVALID']);
    expect(codes({ ...own, healthInformation: 1 })).toEqual(['request.healthInformation ACCESS_REQUEST_HEALTH_INFORMATION_INVALID']);
    // After the death all of it is health information: the field is not read.
    const heir = { from: 'ayant_droit', receivedOn: '2026-11-20', statement: 'Courrier', purpose: 'causes_of_death', deceasedOn: '2026-10-02', deceasedObjection: 'none', standingProof: { type: 'acte_pacs', reference: 'PACS n° 12', issuedOn: '2019-05-04' } };
    expect(accessRequestStatementOf({ ...heir, healthInformation: true }, '2026-12-03')).not.toHaveProperty('healthInformation');
  });

  it('eight days for her health information, two months for what is more than five years old, and RGPD art. 12(3)’s month for her other data', () => {
    const r = accessRequestStatementOf({ ...own, healthInformation: true }, '2026-12-03')!;
    expect(withCspDeadlines(r, '2023-01-10', '2026-09-30')).toMatchObject({ answerDue: '2026-12-03', answerDueOtherData: '2026-12-25' });
    expect(withCspDeadlines(r, '2023-01-10', '2026-09-30').answerDueOlderInformation).toBeUndefined();
    expect(withCspDeadlines(r, '2014-03-01', '2026-09-30')).toMatchObject({ answerDue: '2026-12-03', answerDueOlderInformation: '2027-01-25', answerDueOtherData: '2026-12-25' });
    expect(withCspDeadlines(r, '2014-03-01', '2019-06-30')).toMatchObject({ answerDue: '2027-01-25', answerDueOtherData: '2026-12-25' });
    // Her representative's: the same.
    const rep = accessRequestStatementOf({ ...own, from: 'representative', healthInformation: true }, '2026-12-03')!;
    expect(withCspDeadlines(rep, null, null)).toMatchObject({ answerDue: '2026-12-03', answerDueOtherData: '2026-12-25' });
    // Not about health information: the month, nothing else.
    expect(withCspDeadlines(accessRequestStatementOf(own, '2026-12-03')!, '2023-01-10', '2026-09-30')).toEqual(accessRequestStatementOf(own, '2026-12-03'));
  });
});
