import {
  ACCESS_REFUSAL_REASON_LABELS,
  REFUSAL_RECOURSE_PRIVATE,
  REFUSAL_RECOURSE_PUBLIC,
  accessRefusalLetter,
  accessRefusalOf,
  accessSelectionOf,
  answerClosed,
  healthAccessReflectionPeriodMessage,
  refusalReasonsFor,
  selectionApplied,
  signatoryRoleLabel,
} from './access-answer';
import { accessRequestReadme } from './access-request.exporter';
import { AccessRequestStatement } from './access-request-statement';

const items = [
  { key: 'dossier' as const, label: 'Le dossier' },
  { key: 'document:00000000-0000-4000-8000-00000000000a' as const, label: 'Contrat de séjour' },
  { key: 'journal' as const, label: 'Le journal' },
];
const claire = { name: 'Claire Morel', role: 'direction de l’établissement' };
const recourse = (legalStatus: 'public' | 'private' | null, publicLaw = false) => ({ legalStatus, publicLaw });
const detailsOf = (f: () => unknown) => {
  try {
    f();
    return [];
  } catch (e) {
    return (e as { details: { field: string; code: string }[] }).details.map((d) => `${d.field} ${d.code}`);
  }
};
const heir: AccessRequestStatement = {
  from: 'ayant_droit',
  receivedOn: '2026-11-25',
  answerDue: '2026-12-03',
  statement: 'Courrier de son fils',
  heir: { purpose: 'causes_of_death', deceasedOn: '2026-10-02', deceasedObjection: 'none', standingProof: { type: 'acte_notoriete', reference: 'Me Durand', issuedOn: '2026-10-20' }, communication: 'direct' },
  notBefore: '2026-11-27T23:00:00.000Z',
};

describe('the answer to a request after the death (CSP L.1110-4 V, L.1111-7)', () => {
  it('the selection: items among the zip’s, in its order; a justification; French codes', () => {
    expect(accessSelectionOf({ items: ['journal', 'dossier'], justification: ' Le dossier suffit au motif. ' }, items)).toEqual({ items: ['dossier', 'journal'], justification: 'Le dossier suffit au motif.' });
    expect(detailsOf(() => accessSelectionOf({ items: [], justification: '' }, items))).toEqual(['items ACCESS_SELECTION_ITEMS_REQUIRED', 'justification ACCESS_SELECTION_JUSTIFICATION_INVALID']);
    expect(detailsOf(() => accessSelectionOf({ items: ['document:autre'], justification: 'Le dossier suffit au motif.' }, items))).toEqual(['items ACCESS_SELECTION_ITEM_UNKNOWN']);
    // Several lines are fine; a bidirectional override is not.
    expect(accessSelectionOf({ items: ['dossier'], justification: 'Ligne un.\nLigne deux.' }, items).justification).toBe('Ligne un.\nLigne deux.');
    expect(detailsOf(() => accessSelectionOf({ items: ['dossier'], justification: 'Le dossier \u202esuffit' }, items))).toEqual(['justification BIDI_CONTROL']);
  });

  it('a refusal is reasoned: its reason and an explanation; its letter names the request, the reason, the article and the explanation', () => {
    expect(detailsOf(() => accessRefusalOf({ reason: 'humeur', explanation: 'non' }, 'ayant_droit'))).toEqual(['reason ACCESS_REFUSAL_REASON_INVALID', 'explanation ACCESS_REFUSAL_EXPLANATION_INVALID']);
    const letter = accessRefusalLetter(heir, 'deceased_objected', 'Son opposition figure dans son dossier depuis 2019.', '2026-12-03', recourse('private'), claire);
    expect(letter).toMatch(/^Le 3 décembre 2026\n/);
    expect(letter).toContain('le 25 novembre 2026, une demande de communication des informations concernant une personne décédée (motif indiqué : connaître les causes de la mort)');
    expect(letter).toContain('La personne s’est opposée, de son vivant, à la communication de ses informations après son décès.');
    expect(letter).toContain('Son opposition figure dans son dossier depuis 2019.');
    expect(letter).toContain('« sauf volonté contraire exprimée par la personne avant son décès »');
  });

  it('the letter’s legal basis reads as French for every reason: « sur l’article … » or « sur les articles … » (the code review of session 18: « sur les article »)', () => {
    const basis = (reason: Parameters<typeof accessRefusalLetter>[1]) => /Ce refus se fonde sur (.*?) du Code/.exec(accessRefusalLetter(heir, reason, 'Les raisons données.', '2026-12-03', recourse(null), claire))![1];
    expect(basis('deceased_objected')).toBe('l’article L.1110-4 V');
    expect(basis('purpose_not_established')).toBe('l’article L.1110-4 V');
    expect(basis('standing_not_proven')).toBe('les articles L.1110-4 V et L.1111-7');
    expect(basis('minor_secret')).toBe('les articles L.1110-4 V, L.1111-5 et L.1111-5-1');
    expect(basis('other')).toBe('les articles L.1110-4 V et L.1111-7');
  });

  it('the recourse follows the establishment’s legal status: public, the CADA first; private, the judicial court and a personne qualifiée; not recorded, both, each said for whom (the sector lawyer’s review of session 19)', () => {
    const letter = (status: 'public' | 'private' | null, reason: Parameters<typeof accessRefusalLetter>[1] = 'deceased_objected') =>
      accessRefusalLetter(heir, reason, 'Les raisons données.', '2026-12-03', recourse(status), claire);
    const pub = letter('public');
    expect(pub).toContain(
      'Vous pouvez saisir la Commission d’accès aux documents administratifs (CADA, 20 avenue de Ségur, TSA 50730, 75334 Paris Cedex 07, www.cada.fr) dans les deux mois suivant la réception de ce courrier ; cette saisine est obligatoire avant tout recours devant le tribunal administratif (CRPA L.342-1, R.343-1).',
    );
    expect(pub).not.toContain('tribunal judiciaire');
    expect(pub).not.toMatch(/Si l’établissement relève|sinon/);
    const priv = letter('private');
    expect(priv).toContain('Ce refus peut être contesté devant le tribunal judiciaire.');
    expect(priv).not.toContain('CADA');
    const unknown = letter(null);
    expect(unknown).toContain(`Les voies de recours dépendent du statut de l’établissement :\n- si l’établissement est public : vous pouvez saisir la Commission d’accès aux documents administratifs`);
    expect(unknown).toContain('- si l’établissement est privé (association, fondation, société) : ce refus peut être contesté devant le tribunal judiciaire.');
    for (const l of [pub, priv, unknown]) expect(l).toContain('Ce refus ne fait pas obstacle à la délivrance d’un certificat médical ne comportant pas d’informations couvertes par le secret (article R.1111-7 du Code de la santé publique).');
    expect([REFUSAL_RECOURSE_PUBLIC, REFUSAL_RECOURSE_PRIVATE].every((t) => !t.includes('nouvelle demande'))).toBe(true);
  });

  it('no personne qualifiée (CASF L.311-5 serves the person taken in charge or a minor’s legal representative, not heirs or a deceased minor’s parents): in no letter (the sector lawyer’s review of session 20)', () => {
    const parent: AccessRequestStatement = { ...heir, from: 'parental_authority', heir: { deceasedOn: '2026-10-02', standingProof: { type: 'livret_famille', reference: 'Livret n° 7', issuedOn: '2007-06-01' }, communication: 'direct' } };
    for (const r of [heir, parent])
      for (const status of ['public', 'private', null] as const) {
        const l = accessRefusalLetter(r, 'standing_not_proven', 'Les raisons données.', '2026-12-03', recourse(status), claire);
        expect(l).not.toMatch(/personne qualifiée|L\.311-5/);
      }
  });

  it('public archives (Code du patrimoine L.211-4; CRPA L.300-2): the CADA wording for a private establishment and for an unknown status; the status decides otherwise', () => {
    const letter = (status: 'public' | 'private' | null, publicLaw: boolean) => accessRefusalLetter(heir, 'deceased_objected', 'Les raisons données.', '2026-12-03', recourse(status, publicLaw), claire);
    for (const status of ['private', null] as const) {
      const l = letter(status, true);
      expect(l).toContain(REFUSAL_RECOURSE_PUBLIC);
      expect(l).not.toContain('tribunal judiciaire');
      expect(l).not.toContain('Les voies de recours dépendent');
    }
    expect(letter('private', false)).not.toContain('CADA');
    expect(letter(null, false)).toContain('Les voies de recours dépendent du statut de l’établissement');
    expect(letter('public', false)).toContain(REFUSAL_RECOURSE_PUBLIC);
  });

  it('the letter bears its author’s first name, surname and function (CRPA L.212-1), not an anonymous « La direction de l’établissement »', () => {
    const l = accessRefusalLetter(heir, 'deceased_objected', 'Les raisons données.', '2026-12-03', recourse('private'), claire);
    expect(l).toMatch(/salutations distinguées\.\n\nClaire Morel, direction de l’établissement$/);
    const est = '00000000-0000-4000-8000-0000000000e1';
    expect(signatoryRoleLabel([{ establishmentId: est, role: 'coordinator' }, { establishmentId: est, role: 'director' }], est)).toBe('direction de l’établissement');
    expect(signatoryRoleLabel([{ establishmentId: est, role: 'coordinator' }, { establishmentId: 'autre', role: 'director' }], est)).toBe('coordination');
    expect(signatoryRoleLabel([{ establishmentId: est, role: 'admissions' }], est)).toBe('service des admissions');
  });

  it('the minor_secret reason is L.1110-4 V al. 2’s own words (the decisions the minor kept from her parents’ consent), not « ce qu’il a gardé secret »', () => {
    expect(ACCESS_REFUSAL_REASON_LABELS.minor_secret).toContain('décisions médicales pour lesquelles le mineur s’est opposé à l’obtention du consentement des titulaires de l’autorité parentale');
    expect(ACCESS_REFUSAL_REASON_LABELS.minor_secret).not.toMatch(/secr[eè]t/);
    expect(accessRefusalLetter(heir, 'minor_secret', 'Les raisons données.', '2026-12-03', recourse('public'), claire)).toContain('s’est opposé à l’obtention du consentement');
    try {
      accessRefusalOf({ reason: 'deceased_objected', explanation: 'Les raisons données.' }, 'parental_authority');
      throw new Error('not refused');
    } catch (e) {
      expect((e as { details: { message: string }[] }).details[0].message).toContain('décisions médicales pour lesquelles le mineur s’est opposé à l’obtention de leur consentement');
    }
  });

  it('a new request is offered only when what was missing can be brought (standing, purpose), never after the deceased’s objection; « Autre motif (précisé ci-dessous) » is not a letter’s line', () => {
    const letter = (reason: Parameters<typeof accessRefusalLetter>[1]) => accessRefusalLetter(heir, reason, 'Les raisons données.', '2026-12-03', recourse('private'), claire);
    expect(letter('deceased_objected')).not.toContain('nouvelle demande');
    expect(letter('minor_secret')).not.toContain('nouvelle demande');
    expect(letter('other')).not.toContain('nouvelle demande');
    expect(letter('standing_not_proven')).toContain('Vous pouvez nous adresser une nouvelle demande accompagnée des pièces qui établissent votre qualité.');
    expect(letter('purpose_not_established')).toContain('Vous pouvez nous adresser une nouvelle demande précisant pour lequel de ces motifs');
    expect(letter('other')).not.toContain('précisé ci-dessous');
    expect(letter('other')).toContain('Nous ne pouvons pas y donner suite, pour le motif exposé ci-après.\n\nLes raisons données.');
  });

  it('a deceased minor’s parents are not refused for a purpose or the deceased’s objection (L.1110-4 V al. 2): 400 ACCESS_REFUSAL_REASON_NOT_FOR_PARENTS in French', () => {
    expect(refusalReasonsFor('parental_authority')).toEqual(['standing_not_proven', 'minor_secret', 'other']);
    expect(refusalReasonsFor('ayant_droit')).toContain('deceased_objected');
    for (const reason of ['deceased_objected', 'purpose_not_established']) {
      expect(detailsOf(() => accessRefusalOf({ reason, explanation: 'Les raisons données.' }, 'parental_authority'))).toEqual(['reason ACCESS_REFUSAL_REASON_NOT_FOR_PARENTS']);
      expect(accessRefusalOf({ reason, explanation: 'Les raisons données.' }, 'ayant_droit').reason).toBe(reason);
    }
    try {
      accessRefusalOf({ reason: 'deceased_objected', explanation: 'Les raisons données.' }, 'parental_authority');
    } catch (e) {
      expect((e as { details: { message: string }[] }).details[0].message).toMatch(/totalité des informations.*L\.1110-4 V/);
    }
    expect(accessRefusalOf({ reason: 'minor_secret', explanation: 'Les raisons données.' }, 'parental_authority').reason).toBe('minor_secret');
  });

  it('the LISEZMOI: the working copy says it is not to be handed over; the sorted one lists what it holds; the 48 hours, the standing, art. 85 of the loi Informatique et Libertés', () => {
    const working = accessRequestReadme(heir);
    expect(working).toContain('POUR L’ÉTABLISSEMENT, À NE PAS REMETTRE AU DEMANDEUR');
    expect(working).not.toContain('l’établissement fait ce tri avant tout envoi');
    expect(working).toContain('- communication pas avant le 28 novembre 2026 à 0 h');
    expect(working).toContain('qualité du demandeur établie par : acte de notoriété (notaire), référence « Me Durand », du 20 octobre 2026');
    expect(working).toContain('article 85 de la loi Informatique et Libertés');
    // Art. 85 II, both cases, as the law words them (the sector lawyer's review of session 20).
    expect(working).toContain('en l’absence de directives ou de mention contraire dans ces directives, ses héritiers peuvent exercer ces droits dans la mesure nécessaire');
    expect(working).toContain('des biens numériques ou des données s’apparentant à des souvenirs de famille, transmissibles aux héritiers (article 85, II, 1°)');
    expect(working).toContain('à la prise en compte de son décès par l’établissement — ils peuvent alors faire clôturer ses comptes, s’opposer à la poursuite des traitements de ses données ou les faire mettre à jour (article 85, II, 2°)');
    const sorted = accessRequestReadme(heir, ['Contrat de séjour créé le 2 mars 2024']);
    expect(sorted).toContain('ne contient que les éléments que l’établissement a retenus comme nécessaires au motif indiqué (article L.1110-4 V) :\n  - Contrat de séjour créé le 2 mars 2024 ;');
    expect(sorted).not.toContain('Ce paquet contient toutes les données');
    const parent = accessRequestReadme({ ...heir, from: 'parental_authority', heir: { deceasedOn: '2026-10-02', standingProof: { type: 'livret_famille', reference: 'Livret n° 7', issuedOn: '2007-06-01' } } });
    expect(parent).toMatch(/^Demande d’accès des titulaires de l’autorité parentale d’un mineur décédé/);
    expect(parent).toContain('sans motif à indiquer');
    expect(parent).toContain('articles L.1111-5 et L.1111-5-1');
    expect(parent).not.toContain('motif indiqué :');
    // The person's own request: RGPD art. 15, none of it.
    const own = accessRequestReadme({ from: 'person', receivedOn: '2026-11-25', answerDue: '2026-12-25', statement: 'Courrier' });
    expect(own).toMatch(/^Demande d’accès — article 15 du RGPD/);
    expect(own).not.toContain('pas avant');
  });
});

describe('answerClosed, selectionApplied: the answer’s state as the list, the answer page and the service read it', () => {
  const selection = { items: ['dossier' as const], justification: 'Le dossier suffit.', recordedAt: '2026-12-02T19:00:00.000Z', recordedBy: 'staff', sha256: 'a'.repeat(64) };
  it('closed once delivered or refused; open without an answer or with a selection only', () => {
    expect([answerClosed(null), answerClosed(undefined), answerClosed({ state: 'selection_recorded' }), answerClosed({ state: 'delivered' }), answerClosed({ state: 'refused' })]).toEqual([false, false, false, true, true]);
  });
  it('the zip is the sorted one when the report carries the selection’s SHA-256', () => {
    expect(selectionApplied({ report: { selectionSha256: selection.sha256 }, answer: { selection } })).toBe(true);
    expect(selectionApplied({ report: { selectionSha256: 'b'.repeat(64) }, answer: { selection } })).toBe(false);
    expect(selectionApplied({ report: {}, answer: { selection } })).toBe(false);
    expect(selectionApplied({ report: null, answer: { selection } })).toBe(false);
    expect(selectionApplied({ report: { selectionSha256: selection.sha256 }, answer: null })).toBe(false);
  });
});

describe('the LISEZMOI of a living person’s request about her health information', () => {
  it('the CSP’s dates and 48 hours for her health information, the month for her other data', () => {
    const r: AccessRequestStatement = { from: 'person', receivedOn: '2026-11-25', answerDue: '2026-12-03', answerDueOlderInformation: '2027-01-25', healthInformation: true, answerDueOtherData: '2026-12-25', statement: 'Courrier', notBefore: '2026-11-27T23:00:00.000Z' };
    const text = accessRequestReadme(r);
    expect(text).toContain('- informations de santé : communication au plus tard le 3 décembre 2026 (huit jours), et le 25 janvier 2027 pour celles de plus de cinq ans (deux mois), article L.1111-7 du Code de la santé publique ;');
    expect(text).toContain('- informations de santé : communication pas avant le 28 novembre 2026 à 0 h 00');
    expect(text).toContain('- autres données : réponse due au plus tard le 25 décembre 2026 (un mois après sa réception, RGPD article 12.3');
    expect(text).not.toContain('réponse due au plus tard le 3 décembre 2026 (un mois');
  });
});

describe('a living person’s health information: the 48 hours (CSP L.1111-7 al. 2)', () => {
  it('the refusal says from when, Paris: the day and hour, the day alone at midnight', () => {
    expect(healthAccessReflectionPeriodMessage('2026-12-05T13:30:00.000Z')).toBe(
      'Les informations de santé de la personne ne lui sont communiquées qu’après un délai de réflexion de quarante-huit heures suivant sa demande (Code de la santé publique, art. L.1111-7, deuxième alinéa) : le zip, qui les contient, peut être téléchargé et remis à partir du 5 décembre 2026 à 14 h 30 (heure de Paris).',
    );
    expect(healthAccessReflectionPeriodMessage('2026-11-27T23:00:00.000Z')).toContain('à partir du 28 novembre 2026 (heure de Paris).');
  });
});
