import { aContact, aMeasure, aResident } from './testing/resident-view.builder';
import { assistsThePerson } from './assistance-refusal';
import { consentSentence } from './consent-sentence';
import { withoutFileReferences } from './file-references';
import { decideSigners } from './signature-policy';
import { soleSignatureNotApplicable, soleSignatureSetAside } from './sole-signature';
import { eventFr } from '../requests/evidence';
import type { PolicyDocumentType, SoleSignatureAuthorisation } from './policy.types';

const ON = '2026-11-20';
const establishment = { name: 'EHPAD Les Tilleuls', directorFirstName: 'Claire', directorLastName: 'Morel', directorEmail: 'direction@les-tilleuls.example' };
const karim = aContact('karim', { firstName: 'Karim', lastName: 'Benaïssa', email: 'k.benaissa@udaf-val.example' });
const ORDONNANCE: SoleSignatureAuthorisation = { court: 'Juge des contentieux de la protection, tribunal judiciaire de Valville', date: '2026-11-10', reference: 'RG 26/00123 (ord.)' };

type MeasureOver = Parameters<typeof aMeasure>[2];
const resident = (type: Parameters<typeof aMeasure>[0], over: MeasureOver = {}) => aResident({ contacts: [karim], protectionMeasures: [aMeasure(type, [karim], over, ON)] }, ON);
const decide = (type: Parameters<typeof aMeasure>[0], documentType: PolicyDocumentType = 'contrat-sejour', over: MeasureOver = {}, sole: SoleSignatureAuthorisation | null = ORDONNANCE) =>
  decideSigners({ documentType, resident: resident(type, over), establishment, on: ON, soleSignatureAuthorisation: sole });

describe('the judge’s authorisation to sign alone after the curateur refused to assist (C. civ. 469 al. 3)', () => {
  it('curatelle and curatelle renforcée: the person signs alone, then the director; the curateur is no signer', () => {
    for (const type of ['curatelle', 'curatelle_renforcee'] as const)
      for (const doc of ['contrat-sejour', 'avenant'] as const) {
        const d = decide(type, doc);
        expect(d.signers.map((s) => `${s.key}:${s.order}${s.optional ? '?' : ''}`)).toEqual(['resident:1', 'director:2']);
        expect(d.signers.some((s) => s.role === 'curateur')).toBe(false);
        expect(d.views).toEqual([]);
        expect(d.soleSignatureAuthorisation).toEqual(ORDONNANCE);
        const person = d.signers[0];
        expect(person.capacity).toBe('en son nom propre, sur autorisation du juge (C. civ. 469), sans l’assistance de son curateur');
        // Her legal basis cites the ordonnance: court, date and reference (the evidence prints capacity and basis).
        expect(person.legalBasis).toMatch(/^C\. civ\. 469 al\. 3 \(ordonnance : Juge des contentieux de la protection, tribunal judiciaire de Valville, 10 novembre 2026, réf\. RG 26\/00123 \(ord\.\)\) ; CASF L\.311-4/);
        expect(person.measure).toMatchObject({ type, mode: 'assistance' });
        expect(d.explanation).toContain('le curateur a refusé son assistance et le juge a autorisé la personne à signer seule');
        expect(d.explanation).toContain('(C. civ. 469 al. 3)');
      }
  });

  it('the DIPC: the director signs, the person may countersign alone, without the curateur (CASF D.311)', () => {
    const d = decide('curatelle', 'dipc');
    expect(d.signers.map((s) => `${s.key}:${s.order}${s.optional ? '?' : ''}`)).toEqual(['resident:1?', 'director:2']);
  });

  it('habilitation familiale in assistance: the same outcome (C. civ. 494-1 al. 1 refers to 467); its refusal is one of assistance', () => {
    const before = decide('habilitation_familiale', 'contrat-sejour', { mode: 'assistance' }, null);
    expect(before.signers.map((s) => [s.key, assistsThePerson(before, s.key)])).toEqual([
      ['resident', false],
      ['habilite:karim', true],
      ['director', false],
    ]);
    const d = decide('habilitation_familiale', 'contrat-sejour', { mode: 'assistance' });
    expect(d.signers.map((s) => s.key)).toEqual(['resident', 'director']);
    expect(d.signers[0].capacity).toContain('sans l’assistance de la personne habilitée');
  });

  it('habilitation familiale: its own articles, not the curatelle’s 469 — the judge settles the difficulty (C. civ. 494-1 al. 1, 494-10)', () => {
    const d = decide('habilitation_familiale', 'contrat-sejour', { mode: 'assistance' });
    const person = d.signers[0];
    expect(person.capacity).toBe('en son nom propre, sur autorisation du juge (C. civ. 494-1, 494-10), sans l’assistance de la personne habilitée');
    expect(person.legalBasis).toMatch(/^C\. civ\. 494-1 al\. 1, 494-10 \(ordonnance : Juge des contentieux de la protection, tribunal judiciaire de Valville, 10 novembre 2026, réf\. RG 26\/00123 \(ord\.\)\) ; CASF L\.311-4/);
    expect(d.explanation).toContain('la personne habilitée a refusé son assistance et le juge a autorisé la personne à signer seule le contrat de séjour');
    expect(d.explanation).toContain('elle signe sans la personne habilitée, qui n’est pas signataire (C. civ. 494-1 al. 1, 494-10).');
    expect(JSON.stringify(d.signers) + d.explanation).not.toContain('469');
    expect(consentSentence(person, 'Marcel Dupont')).toBe('J’ai lu le document et je le signe en mon nom, avec l’autorisation du juge, sans l’assistance de la personne habilitée.');
    // The auditor's reading keeps the articles, court and date.
    expect(withoutFileReferences(person.legalBasis)).toBe('C. civ. 494-1 al. 1, 494-10 (ordonnance : Juge des contentieux de la protection, tribunal judiciaire de Valville, 10 novembre 2026) ; CASF L.311-4, D.311');
    // Where it does not apply, the message cites the habilitation's articles too.
    expect(soleSignatureNotApplicable(resident('habilitation_familiale'), 'contrat-sejour', ON)).toContain('après un refus d’assistance (C. civ. 494-1, 494-10)');
    // The evidence's line for the refusal cites the article of the measure the assistant refused under.
    const refused = { at: '2026-11-05T10:00:00.000Z', kind: 'refused', signerId: 's1', ip: null, userAgent: null, details: { withReason: true, optional: false, assistanceRefused: true } };
    expect(eventFr(refused, 'habilitation_familiale')).toBe('a refusé son assistance (C. civ. 494-1, 494-10)');
    expect(eventFr(refused, 'curatelle_renforcee')).toBe('a refusé son assistance (C. civ. 469)');
  });

  it('without it, or where it does not apply, nothing changes: the curateur co-signs; a tuteur represents; the projet is not the act authorised', () => {
    expect(decide('curatelle', 'contrat-sejour', {}, null).signers.map((s) => s.key)).toEqual(['resident', 'curateur:karim', 'director']);
    expect(decide('curatelle', 'contrat-sejour', {}, null).soleSignatureAuthorisation).toBeUndefined();
    expect(decide('tutelle').signers.map((s) => s.key)).toEqual(['tuteur:karim', 'director']);
    expect(decide('curatelle', 'projet-personnalise').signers.map((s) => s.key)).toEqual(['resident', 'curateur:karim', 'director']);
  });

  it('the person’s consent sentence says she signs with the judge’s authorisation, without her curateur', () => {
    const person = decide('curatelle_renforcee').signers[0];
    expect(consentSentence(person, 'Marcel Dupont')).toBe('J’ai lu le document et je le signe en mon nom, avec l’autorisation du juge, sans l’assistance de mon curateur.');
  });

  it('the auditor (no resident.read) reads the court and the date, not the reference; the rest of the sentences stays', () => {
    const d = decide('curatelle_renforcee');
    const basis = withoutFileReferences(d.signers[0].legalBasis);
    expect(basis).toBe(
      'C. civ. 469 al. 3 (ordonnance : Juge des contentieux de la protection, tribunal judiciaire de Valville, 10 novembre 2026) ; CASF L.311-4, D.311',
    );
    const explanation = withoutFileReferences(d.explanation);
    expect(explanation).not.toMatch(/RG|réf\.|25\/00001/);
    expect(explanation).toContain('ordonnance : Juge des contentieux de la protection, tribunal judiciaire de Valville, 10 novembre 2026)');
    expect(explanation).toContain('le juge a autorisé la personne à signer seule');
  });

  describe('when it may be recorded (soleSignatureNotApplicable)', () => {
    it('under a measure of assistance, for the contract, an avenant or the DIPC', () => {
      for (const doc of ['contrat-sejour', 'avenant', 'dipc'] as const) {
        expect(soleSignatureNotApplicable(resident('curatelle'), doc, ON)).toBeNull();
        expect(soleSignatureNotApplicable(resident('curatelle_renforcee'), doc, ON)).toBeNull();
        expect(soleSignatureNotApplicable(resident('habilitation_familiale', { mode: 'assistance' }), doc, ON)).toBeNull();
      }
    });

    it('not under representation, nor without a measure, nor when the judge authorised the curateur alone (C. civ. 472), nor for a projet', () => {
      expect(soleSignatureNotApplicable(resident('tutelle'), 'contrat-sejour', ON)).toContain('n’est pas une mesure d’assistance');
      expect(soleSignatureNotApplicable(resident('habilitation_familiale'), 'contrat-sejour', ON)).toContain('n’est pas une mesure d’assistance');
      expect(soleSignatureNotApplicable(aResident({}, ON), 'contrat-sejour', ON)).toContain('Aucune mesure de protection');
      expect(soleSignatureNotApplicable(resident('curatelle_renforcee', { judgeAuthorisesHolderAlone: true, authorisationReference: 'Ord. 26/0042' }), 'contrat-sejour', ON)).toContain(
        'C. civ. 472',
      );
      expect(soleSignatureNotApplicable(resident('curatelle'), 'projet-personnalise', ON)).toContain('pas sur le projet personnalisé');
    });
  });

  describe('whether a recorded one is relied on when signers are decided (soleSignatureSetAside)', () => {
    const recorded = { measureId: 'measure-curatelle_renforcee', versionId: 'v1', versionNumber: 1 };
    const now = (over: Partial<Parameters<typeof soleSignatureSetAside>[1]> = {}) => ({ resident: resident('curatelle_renforcee'), documentType: 'contrat-sejour' as const, on: ON, version: { id: 'v1', number: 1 }, ...over });

    it('the version refused, under the same measure: relied on', () => {
      expect(soleSignatureSetAside(recorded, now())).toBeNull();
    });

    it('another version (the content changed): not relied on, the curateur signs again, and why', () => {
      expect(soleSignatureSetAside(recorded, now({ version: { id: 'v2', number: 2 } }))).toEqual({
        code: 'SOLE_SIGNATURE_OTHER_VERSION',
        message:
          'L’autorisation du juge porte sur la version 1 du contrat de séjour, celle dont le curateur a refusé l’assistance ; pour une nouvelle version (ici la version 2), ' +
          'le curateur est de nouveau appelé à assister la personne et signe avec elle ; s’il refuse, la personne peut saisir de nouveau le juge (C. civ. 469 al. 3).',
      });
      // When recording it: the refusal answered is on version 1, the document is at version 2.
      expect(soleSignatureSetAside(recorded, now({ version: { id: 'v2', number: 2 } }), 'record')?.message).toContain(
        'Le curateur a refusé son assistance sur la version 1 du contrat de séjour ; le document en est à la version 2',
      );
      const avenant = soleSignatureSetAside(recorded, now({ documentType: 'avenant', version: { id: 'v3', number: 3 } }));
      expect(avenant?.message).toContain('porte sur la version 1 de l’avenant au contrat de séjour');
      const hf = soleSignatureSetAside({ ...recorded, measureId: 'measure-habilitation_familiale' }, now({ resident: resident('habilitation_familiale', { mode: 'assistance' }), version: { id: 'v2', number: 2 } }));
      expect(hf?.message).toBe(
        'L’autorisation du juge porte sur la version 1 du contrat de séjour, celle dont la personne habilitée a refusé l’assistance ; pour une nouvelle version (ici la version 2), ' +
          'la personne habilitée est de nouveau appelée à assister la personne et signe avec elle ; si elle refuse, la personne peut saisir de nouveau le juge (C. civ. 494-1 al. 1, 494-10).',
      );
    });

    it('a new judgment since: another measure, the curateur authorised alone (C. civ. 472), a measure of representation, the measure ended', () => {
      expect(soleSignatureSetAside({ ...recorded, measureId: 'an-earlier-measure' }, now())).toMatchObject({
        code: 'SOLE_SIGNATURE_MEASURE_CHANGED',
        message: expect.stringContaining('enregistrée sous une autre mesure de protection que celle en vigueur (curatelle renforcée) : elle n’est plus retenue'),
      });
      expect(soleSignatureSetAside(recorded, now({ resident: resident('curatelle_renforcee', { judgeAuthorisesHolderAlone: true, authorisationReference: 'Ord. 26/0042' }) }))).toMatchObject({
        code: 'SOLE_SIGNATURE_NOT_APPLICABLE',
        message: expect.stringMatching(/^L’autorisation du juge enregistrée n’est pas retenue : le juge a autorisé le curateur à signer seul ce document \(C\. civ\. 472\)/),
      });
      expect(soleSignatureSetAside(recorded, now({ resident: resident('tutelle') }))?.code).toBe('SOLE_SIGNATURE_NOT_APPLICABLE');
      expect(soleSignatureSetAside(recorded, now({ resident: resident('curatelle_renforcee', { endDate: '2026-11-01' }) }))).toMatchObject({ code: 'SOLE_SIGNATURE_NOT_APPLICABLE' });
    });

    it('the policy, told why it is set aside, has the curateur sign and says why; the auditor reads the sentence whole', () => {
      const why = soleSignatureSetAside(recorded, now({ version: { id: 'v2', number: 2 } }))!.message;
      const d = decideSigners({ documentType: 'contrat-sejour', resident: resident('curatelle_renforcee'), establishment, on: ON, soleSignatureAuthorisation: null, soleSignatureSetAside: why });
      expect(d.signers.map((s) => s.key)).toEqual(['resident', 'curateur:karim', 'director']);
      expect(d.explanation).toContain(why);
      expect(withoutFileReferences(d.explanation)).toContain(why);
    });
  });
});
