import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '@carepact/common';
import { LoadedTemplate, TemplateContent, TemplateLoader, TemplateRenderError } from '@carepact/templates';
import type { Block, ContentVariant, DocumentTree } from '../tree';
import { FixtureInputError, templateInputFromFixture } from './fixture-input';
import { resolve } from './resolve';

const fixture = JSON.parse(readFileSync(join(__dirname, '../../../../templates/demo/establishment-les-tilleuls.json'), 'utf8'));
const loader = new TemplateLoader();
const TYPES = ['contrat-sejour', 'dipc', 'avenant', 'projet-personnalise', 'compte-rendu-synthese'];
const VARIANTS: ContentVariant[] = ['standard', 'falc'];

function allText(tree: DocumentTree): string {
  const parts: string[] = [tree.title];
  for (const b of tree.blocks) {
    if (b.kind === 'heading' || b.kind === 'paragraph') parts.push(b.text.map((r) => r.text).join(''));
    if (b.kind === 'list') b.items.forEach((i) => parts.push(i.map((r) => r.text).join('')));
    if (b.kind === 'table') parts.push(b.caption, ...b.header, ...b.rows.flat().map((c) => c.map((r) => r.text).join('')));
    if (b.kind === 'figure') parts.push(b.alt);
    if (b.kind === 'signatures') parts.push(b.heading, ...b.slots.flatMap((s) => [s.role, s.name, s.capacity]));
  }
  return parts.join('\n');
}

const signatures = (tree: DocumentTree) => tree.blocks.find((b): b is Extract<Block, { kind: 'signatures' }> => b.kind === 'signatures')!;

describe('resolve: every template × content variant with the demo fixture', () => {
  for (const type of TYPES)
    for (const variant of VARIANTS)
      it(`${type} / ${variant}`, () => {
        const template = loader.load(type);
        const input = templateInputFromFixture(fixture, type);
        const tree = resolve(template, input, variant);
        expect(tree.lang).toBe('fr-FR');
        expect(tree.contentVariant).toBe(variant);
        expect(tree.blocks[0]).toMatchObject({ kind: 'heading', level: 1 });
        expect(tree.meta).toMatchObject({ documentType: type, templateId: type, templateVersion: type === 'contrat-sejour' ? '1.14.0' : type === 'avenant' ? '1.14.0' : type === 'compte-rendu-synthese' ? '1.10.0' : type === 'projet-personnalise' ? '1.12.0' : '1.12.0', templateHash: template.sha256, establishmentName: 'EHPAD Les Tilleuls' });
        expect(tree.meta.inputHash).toMatch(/^[0-9a-f]{64}$/);
        expect(tree.meta.issuedAt).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00\.000Z$/);
        const text = allText(tree);
        // No template syntax survives: the fixture holds none, so any "{{" or "**" would be a leak.
        expect(text).not.toMatch(/\{\{|\}\}|\*\*/);
        // Pictograms only in the easy-to-read variant, and then one per level-2 section at least.
        const figures = tree.blocks.filter((b) => b.kind === 'figure').length;
        const h2 = tree.blocks.filter((b) => b.kind === 'heading' && b.level === 2).length;
        if (variant === 'falc') expect(figures).toBeGreaterThanOrEqual(h2);
        else expect(figures).toBe(0);
        // The data comes out byte-exact.
        const resident = input.resident as { firstName: string; lastName: string };
        expect(text).toContain(`${resident.firstName} ${resident.lastName}`);
        expect(resolve(template, input, variant)).toEqual(tree);
      });
});

describe('resolve: mandatory contents of the contrat de séjour (CASF L.311-4)', () => {
  const tree = resolve(loader.load('contrat-sejour'), templateInputFromFixture(fixture, 'contrat-sejour'), 'standard');
  const text = allText(tree);
  it.each([
    'Objectifs de l’accompagnement',
    'Permettre à M. Dupont de vivre en sécurité tout en gardant ses habitudes de promenade quotidienne.',
    'Prestations',
    'Conditions de séjour et d’accueil',
    'Participation financière et facturation',
    'Absences et hospitalisation',
    'Absence pour convenances personnelles : au-delà de 72 heures d’absence',
    'Hospitalisation : au-delà de 72 heures d’hospitalisation',
    'Durée du contrat',
    'pour une durée indéterminée',
    'Résiliation et fin du contrat',
    'Révision du contrat',
    'Jugement de curatelle renforcée du 20 mai 2025 (RG 25/00412)',
    'Droit de rétractation',
    'Personne de confiance',
    'curateur, UDAF du Val',
    'Un état des lieux contradictoire et écrit a été dressé à l’entrée le 15 octobre 2026',
    'En cas de décès, seules les prestations d’hébergement délivrées avant le décès',
    'Aucun dépôt de garantie n’est demandé.',
    'Le GIR de Marcel Dupont est le GIR 4. L’allocation personnalisée d’autonomie (APA) peut couvrir une partie du tarif dépendance ; la part qui reste à la charge de Marcel Dupont dépend de ses ressources (CASF L.232-8). Le cas échéant, après déduction de l’APA accordée par le département, Marcel Dupont paie 6,50',
    // Contrat 1.8.0: also to the holder of her measure, her curateur here (CASF D.311-0-4 « le cas échéant, son représentant légal », not limited to a representation of the person).
    'La notice d’information sur la personne de confiance a été remise à Marcel Dupont et à la personne chargée de sa mesure de protection (curateur) le 9 octobre 2026, au moins huit jours avant l’entretien de recherche du consentement ; l’attestation de sa délivrance, datée du 9 octobre 2026 et signée par le directeur ou son représentant, par Marcel Dupont et par la personne chargée de sa mesure de protection (curateur), est jointe au contrat.',
    'Marcel Dupont a exprimé son consentement à son entrée dans l’établissement',
    'Fait à Valville, signé électroniquement',
    'Livret d’accueil, édition 2026',
    'Annexe tarifaire en vigueur au 1er janvier 2026',
    'dans les quinze jours qui suivent l’admission',
  ])('contains « %s »', (s) => expect(text).toContain(s));

  it('formats the tariffs for fr-FR once, with the no-break spaces Intl writes', () => {
    const table = tree.blocks.find((b) => b.kind === 'table' && b.header[0] === 'Prestation');
    expect(table).toMatchObject({ kind: 'table', header: ['Prestation', 'Tarif par jour'], rowHeaders: true });
    expect(JSON.stringify(table)).toContain('72,50\u00a0€');
    expect(text).toContain('Tarifs journaliers applicables au 1er janvier 2026');
  });

  it('dates the document from the data, never from the clock', () => {
    expect(tree.meta.issuedAt).toBe('2026-10-15T00:00:00.000Z');
  });
});

describe('resolve: signers computed from the protection measure (DOMAIN table)', () => {
  const contract = loader.load('contrat-sejour');
  // Not Ahmed Benali (a DIPC), nor the person who left (no contract of hers is written in the fixture).
  const residents = (fixture.residents as { key: string; expectedSigners?: string[]; expectedBlock?: string; departedYearsAgo?: number }[]).filter(
    (r) => r.expectedSigners && r.key !== 'ahmed-benali' && r.departedYearsAgo === undefined,
  );
  it.each(residents.map((r) => [r.key, r.expectedSigners!]))('%s signs as %j', (key, expected) => {
    const tree = resolve(contract, templateInputFromFixture(fixture, 'contrat-sejour', key as string), 'standard');
    expect(signatures(tree).slots.map((s) => s.role)).toEqual(expected);
  });

  it('names the capacity in which each one signs', () => {
    const slots = signatures(resolve(contract, templateInputFromFixture(fixture, 'contrat-sejour'), 'standard')).slots;
    expect(slots).toEqual([
      { role: 'resident', name: 'Marcel Dupont', capacity: 'en son nom propre, avec l’assistance de son curateur' },
      { role: 'curateur', name: 'Karim Benaïssa', capacity: 'en qualité de curateur, qui assiste Marcel Dupont' },
      { role: 'director', name: 'Claire Morel', capacity: 'pour la direction de l’établissement EHPAD Les Tilleuls' },
    ]);
    const tutelle = signatures(resolve(contract, templateInputFromFixture(fixture, 'contrat-sejour', 'lucie-bernard'), 'standard')).slots;
    expect(tutelle[0]).toEqual({ role: 'tuteur', name: 'Alain Bernard', capacity: 'en qualité de tuteur, qui représente Lucie Bernard' });
  });

  it('DIPC: the director signs, the person may countersign (D.311)', () => {
    const slots = signatures(resolve(loader.load('dipc'), templateInputFromFixture(fixture, 'dipc'), 'standard')).slots;
    expect(slots.map((s) => s.role)).toEqual(['director', 'resident']);
    expect(slots[1].capacity).toBe('contresignature facultative, en son nom propre');
  });

  it('an explicit signers array overrides the computed list', () => {
    const input = { ...templateInputFromFixture(fixture, 'contrat-sejour'), signers: [{ role: 'curateur', name: 'Karim Benaïssa', capacity: 'seul, avec l’autorisation du juge' }] };
    expect(signatures(resolve(contract, input, 'standard')).slots).toEqual(input.signers);
  });

  it('DIPC variant when the contract was refused', () => {
    const input = templateInputFromFixture(fixture, 'dipc');
    input.document = { ...input.document, contractRefused: { refusedOn: '2026-11-20', refusedBy: 'Jeanne Martin' } };
    const text = allText(resolve(loader.load('dipc'), input, 'standard'));
    expect(text).toContain('Refus du contrat de séjour');
    expect(text).toContain('Le contrat de séjour proposé a été refusé le 20 novembre 2026 par Jeanne Martin.');
    expect(text).not.toContain('Motif\n');
  });
});

describe('resolve: user data is text', () => {
  const hostile = ['{{constructor}}', '<script>alert(1)</script>', '(\\) /JavaScript', '\u202Eevil\u202C', '**gras**', "{{ resident.lastName }}", '😀 & < > " \''];
  it.each(hostile)('%j comes out literally in every variant', (value) => {
    const input = templateInputFromFixture(fixture, 'contrat-sejour', 'jeanne-martin');
    input.resident = { ...input.resident, firstName: value, lastName: value };
    // The easy-to-read wording is checked against the FALC rules (no parenthesis, no acronym…):
    // the hostile value goes through the standard list and every variant's names.
    input.document = { ...input.document, objectives: [value], objectivesFalc: ['Vous gardez vos habitudes.'] };
    for (const variant of VARIANTS) {
      const tree = resolve(loader.load('contrat-sejour'), input, variant);
      const text = allText(tree);
      expect(text).toContain(`${value} ${value}`);
      const list = tree.blocks.find((b) => b.kind === 'list' && b.items.some((i) => i.map((r) => r.text).join('') === (variant === 'falc' ? 'Vous gardez vos habitudes.' : value)));
      expect(list).toBeDefined();
    }
  });

  it('prototype keys in data are refused, not followed', () => {
    const input = templateInputFromFixture(fixture, 'contrat-sejour', 'jeanne-martin');
    const resident = JSON.parse(JSON.stringify(input.resident).replace('{', '{"__proto__":{"firstName":"Pirate"},'));
    expect(() => resolve(loader.load('contrat-sejour'), { ...input, resident }, 'standard')).toThrow(ValidationError);
  });
});

describe('resolve: invalid data gives one precise error per field', () => {
  const base = () => templateInputFromFixture(fixture, 'contrat-sejour');
  const fieldsOf = (input: unknown): { field: string; code: string }[] => {
    try {
      resolve(loader.load('contrat-sejour'), input, 'standard');
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      return (e as ValidationError).details.map(({ field, code }) => ({ field, code }));
    }
    throw new Error('no error');
  };

  it('missing, mistyped, malformed and unknown fields', () => {
    const input = base();
    const doc = { ...input.document } as Record<string, unknown>;
    delete doc.objectives;
    doc.services = 'Restauration';
    doc.surprise = true;
    const resident = { ...input.resident, admissionDate: '2026-02-30', protectionMeasure: { ...(input.resident.protectionMeasure as object), mode: 'tutelle' } };
    expect(fieldsOf({ ...input, resident, document: doc })).toEqual(
      expect.arrayContaining([
        { field: 'document.objectives', code: 'REQUIRED' },
        { field: 'document.services', code: 'INVALID_TYPE' },
        { field: 'document.surprise', code: 'UNKNOWN_FIELD' },
        { field: 'resident.admissionDate', code: 'INVALID_DATE' },
        { field: 'resident.protectionMeasure.mode', code: 'NOT_ALLOWED_VALUE' },
      ]),
    );
  });

  it('array items are named by index, control characters are refused', () => {
    const input = base();
    const fields = fieldsOf({ ...input, document: { ...input.document, objectives: ['ok', 'nul\u0000', ''], objectivesFalc: ['a', 'b', 'c'] } });
    expect(fields).toEqual([
      { field: 'document.objectives[1]', code: 'CONTROL_CHARACTER' },
      { field: 'document.objectives[2]', code: 'TOO_SHORT' },
    ]);
  });

  it('a refused request needs its reason, an accepted one its deadline and responsible', () => {
    const input = templateInputFromFixture(fixture, 'compte-rendu-synthese');
    const requests = [
      { from: 'Julie Petit', request: 'Photos', requestFalc: 'Des photos', answer: 'accepted' },
      { from: 'Enzo Petit', request: 'Piscine', requestFalc: 'La piscine', answer: 'refused' },
    ];
    try {
      resolve(loader.load('compte-rendu-synthese'), { ...input, document: { ...input.document, requests } }, 'standard');
      throw new Error('no error');
    } catch (e) {
      expect((e as ValidationError).details.map((d) => d.field)).toEqual(['document.requests[0].deadline', 'document.requests[0].responsible', 'document.requests[1].reason']);
    }
  });

  it('fixture helper: unknown resident or type is a clear error', () => {
    expect(() => templateInputFromFixture(fixture, 'contrat-sejour', 'nobody')).toThrow(FixtureInputError);
    expect(() => templateInputFromFixture(fixture, 'facture')).toThrow(/facture/);
  });
});

describe('resolve: the outline never skips a heading level', () => {
  const tpl = (body: TemplateContent['body']): LoadedTemplate => ({
    sha256: '0'.repeat(64),
    published: null,
    content: {
      id: 'essai', version: '1.0.0', documentType: 'essai', title: 'Essai', issuedAt: "'2026-01-01'", falcReview: null, glossary: [],
      inputSchema: { type: 'object', properties: { x: { type: 'boolean' } } },
      body,
    },
  });
  it('refuses H1 then H3', () => {
    expect(() => resolve(tpl([{ heading: 1, text: 'Titre' }, { heading: 3, text: 'Sous-partie' }]), {}, 'standard')).toThrow(TemplateRenderError);
  });
  it('checks the outline after conditionals', () => {
    const body: TemplateContent['body'] = [{ heading: 1, text: 'Titre' }, { if: 'x', then: [{ heading: 2, text: 'Partie' }] }, { heading: 3, text: 'Détail' }];
    expect(() => resolve(tpl(body), { x: true }, 'standard')).not.toThrow();
    expect(() => resolve(tpl(body), { x: false }, 'standard')).toThrow(/niveau de titre sauté : 1 puis 3/);
  });
  it('falc variant, not yet reviewed: the person is told whom to ask, not a note meant for staff (issue 13 item 8)', () => {
    const tree = resolve(tpl([{ heading: 1, text: 'Titre' }]), {}, 'falc');
    expect(tree.blocks[tree.blocks.length - 1]).toEqual({ kind: 'paragraph', text: [{ text: 'Un mot ou une phrase n’est pas clair ? Demandez à l’établissement de vous l’expliquer. Une personne de votre choix peut aussi vous aider.' }] });
  });
});

describe('resolve: the glossary explains the words the document uses', () => {
  const glossaryOf = (tree: DocumentTree): { terms: string[]; before: Block | undefined; after: Block | undefined } => {
    const i = tree.blocks.findIndex((b) => b.kind === 'heading' && b.text.map((r) => r.text).join('') === 'Les mots difficiles');
    if (i < 0) return { terms: [], before: undefined, after: undefined };
    const list = tree.blocks.slice(i).find((b): b is Extract<Block, { kind: 'list' }> => b.kind === 'list');
    return { terms: list?.items.map((item) => item[0].text) ?? [], before: tree.blocks[i - 1], after: tree.blocks[i + 1] };
  };

  it('a person under tutelle gets tutelle and tuteur, not curatelle', () => {
    const tree = resolve(loader.load('projet-personnalise'), templateInputFromFixture(fixture, 'projet-personnalise'), 'falc');
    // 1.4.0: her own place to sign her projet is an optional one (« contresignature facultative », signature policy), explained too.
    expect(glossaryOf(tree).terms).toEqual(['tutelle', 'tuteur', 'référent', 'EHPAD', 'juge', 'contresignature']);
  });

  it('projet personnalisé 1.3.0: each participant with their capacity and presence (CASF L.311-3 7°); 1.2.0 versions still render their lines', () => {
    const input = templateInputFromFixture(fixture, 'projet-personnalise');
    const text = allText(resolve(loader.load('projet-personnalise'), input, 'standard'));
    expect(text).toContain('Alain Bernard, tuteur : présent.');
    expect(text).toContain('Léa Moreau, amie : excusée, a donné son avis par téléphone.');
    expect(allText(resolve(loader.load('projet-personnalise'), input, 'falc'))).toContain('Léa Moreau, amie, a donné son avis par téléphone.');
    const old = { ...input, document: { ...(input.document as Record<string, unknown>), participants: ['Alain Bernard (tuteur)'] } };
    expect(allText(resolve(loader.load('projet-personnalise', '1.2.0'), old, 'standard'))).toContain('Alain Bernard (tuteur)');
  });

  it('a person under curatelle gets curatelle and curateur, not tutelle', () => {
    const tree = resolve(loader.load('contrat-sejour'), templateInputFromFixture(fixture, 'contrat-sejour'), 'falc');
    expect(glossaryOf(tree).terms).toEqual(['avenant', 'curatelle', 'curateur', 'DIPC', 'GIR', 'APA', 'EHPAD', 'juge']);
  });

  it('the glossary’s pictogram comes after its heading, in its own section', () => {
    const tree = resolve(loader.load('contrat-sejour'), templateInputFromFixture(fixture, 'contrat-sejour'), 'falc');
    const g = glossaryOf(tree);
    expect(g.before?.kind).not.toBe('figure');
    // Templates 1.2.0: the glossary has its own pictogram (a book), one meaning per picture (issue 8 C).
    expect(g.after).toMatchObject({ kind: 'figure', asset: 'book' });
  });

  it('a glossary with no term used is left out, with its heading and pictogram', () => {
    const tpl: LoadedTemplate = {
      sha256: '0'.repeat(64),
      published: null,
      content: {
        id: 'essai', version: '1.0.0', documentType: 'essai', title: 'Essai', issuedAt: "'2026-01-01'", falcReview: null,
        glossary: [{ term: 'curateur', definition: 'Le curateur vous aide.' }, { term: 'curatelle', definition: 'Une protection. Le curateur vous aide.' }],
        inputSchema: { type: 'object', properties: { x: { type: 'string' } } },
        body: [
          { heading: 1, text: 'Titre' },
          { paragraph: '{{ x }}' },
          { figure: { asset: 'question', alt: 'Les mots difficiles' } },
          { glossary: { heading: 'Les mots difficiles', level: 2 } },
        ],
      },
    };
    expect(glossaryOf(resolve(tpl, { x: 'Rien à expliquer.' }, 'falc')).terms).toEqual([]);
    expect(resolve(tpl, { x: 'Rien à expliquer.' }, 'falc').blocks.map((b) => b.kind)).toEqual(['heading', 'paragraph', 'paragraph']);
    // "curatelles" (plural) is the term; its definition brings in "curateur".
    expect(glossaryOf(resolve(tpl, { x: 'Les curatelles.' }, 'falc')).terms).toEqual(['curateur', 'curatelle']);
    expect(glossaryOf(resolve(tpl, { x: 'Votre curatrice.' }, 'falc')).terms).toEqual(['curateur']);
  });
});

describe('issue 8 A/B: documents right in law (templates 1.1.0 and 1.2.0)', () => {
  const contract = loader.load('contrat-sejour');
  // A deep copy: the cases below change the data, never the shared fixture.
  const fresh = (type: string, key?: string) => structuredClone(templateInputFromFixture(fixture, type, key));
  const textOf = (type: string, key: string | undefined, variant: ContentVariant = 'standard', patch?: (i: ReturnType<typeof templateInputFromFixture>) => void) => {
    const input = fresh(type, key);
    patch?.(input);
    return allText(resolve(loader.load(type), input, variant));
  };
  const fieldsOf = (type: string, input: unknown): string[] => {
    try {
      resolve(loader.load(type), input, 'standard');
    } catch (e) {
      if (e instanceof ValidationError) return e.details.map((d) => d.field);
      throw e;
    }
    return [];
  };

  it('no template says the person’s view « ne bloque pas » or cites 459-2 for it', () => {
    for (const type of TYPES)
      for (const variant of VARIANTS) {
        const key = type === 'contrat-sejour' ? 'lucie-bernard' : undefined;
        expect(textOf(type, key, variant)).not.toContain('ne bloque pas');
      }
  });

  it('tutelle: the person’s agreement to live there is printed (C. civ. 459-2), and required', () => {
    // « elle » with her civility on file, « la personne » without (contrat 1.11.0: no gendered pronoun then).
    expect(textOf('contrat-sejour', 'lucie-bernard')).toMatch(/Le 25 août 2026, (elle|la personne) a exprimé son accord pour vivre dans l’établissement EHPAD Les Tilleuls\./);
    const input = fresh('contrat-sejour', 'lucie-bernard');
    delete (input.document as Record<string, unknown>).residenceChoice;
    expect(fieldsOf('contrat-sejour', input)).toEqual(['document.residenceChoice']);
  });

  it('habilitation familiale: a disagreement prints the judge’s decision and its reference; without it, the document says it cannot be signed', () => {
    expect(textOf('contrat-sejour', 'helene-roux')).toContain('le désaccord a été tranché par décision du 6 novembre 2026 (juge des contentieux de la protection, tribunal judiciaire de Valville, référence RG 26/00311)');
    const pending = textOf('contrat-sejour', 'helene-roux', 'standard', (i) => {
      (i.document as { residenceChoice: Record<string, unknown> }).residenceChoice.judgeDecision = null;
    });
    expect(pending).toContain('le présent document ne peut pas être signé avant sa décision');
  });

  it('résiliation: the notice is a clause of the contract (one month in an EHPAD, eight days in a résidence autonomie) and L.311-4-1 protections appear', () => {
    const ehpad = textOf('contrat-sejour', undefined);
    expect(ehpad).toContain('Le délai de préavis applicable à la résiliation par la personne est fixé par le présent contrat à un mois.');
    expect(ehpad).toContain('sauf lorsqu’un avis médical constate que cette inexécution ou ce manquement résulte de l’altération de ses facultés');
    expect(ehpad).toContain('après que le gestionnaire s’est assuré qu’elle dispose d’une solution d’accueil adaptée');
    expect(ehpad).not.toContain('prévu par le règlement de fonctionnement');
    const ra = textOf('contrat-sejour', undefined, 'standard', (i) => {
      i.establishment = { ...i.establishment, category: 'residence_autonomie' };
    });
    expect(ra).toContain('fixé par le présent contrat à huit jours');
    // Outside homes for older people, the contract carries its own terms, required.
    const mas = fresh('contrat-sejour');
    mas.establishment = { ...mas.establishment, category: 'MAS' };
    expect(fieldsOf('contrat-sejour', mas)).toEqual(['document.termination']);
    mas.document = { ...mas.document, termination: { byPerson: 'Par lettre, avec un préavis de quinze jours.', byEstablishment: 'Pour les motifs et avec le préavis fixés au règlement de fonctionnement de la MAS, après concertation.', byPersonFalc: 'Vous pouvez partir.', byEstablishmentFalc: 'Nous vous prévenons avant.' } };
    const text = allText(resolve(contract, mas, 'standard'));
    expect(text).toContain('Résiliation par la personne accueillie ou son représentant légal : Par lettre, avec un préavis de quinze jours.');
    // Financing follows the category: no GIR tariff in a MAS.
    expect(text).not.toContain('GIR');
    expect(text).toContain('Le forfait journalier reste à la charge de la personne');
  });

  it('personne de confiance: not proposed to a minor; under representation of the person, the judge authorises', () => {
    const enzo = textOf('contrat-sejour', 'enzo-petit');
    expect(enzo).not.toContain('désigner une personne de confiance');
    expect(enzo).not.toContain('\nPersonne de confiance\n');
    expect(textOf('contrat-sejour', 'helene-roux')).toContain('cette désignation doit être autorisée par le juge ou le conseil de famille (CASF L.311-5-1)');
    expect(textOf('dipc', undefined)).toContain('Il est proposé à Ahmed Benali de désigner une personne de confiance.');
  });

  it('no invented facts: hand-over date, consent interview and the minor’s view are required, never defaulted, all reported at once', () => {
    const input = fresh('contrat-sejour');
    const doc = input.document as Record<string, unknown>;
    delete doc.annexesHandedOverOn;
    delete doc.consentInterview;
    // Both in one refusal: the schema's field and the template's rule (the console lists everything missing at once).
    expect(fieldsOf('contrat-sejour', input)).toEqual(['document.annexesHandedOverOn', 'document.consentInterview']);
    doc.annexesHandedOverOn = '2026-10-15';
    expect(fieldsOf('contrat-sejour', input)).toEqual(['document.consentInterview']);
    const enzo = fresh('contrat-sejour', 'enzo-petit');
    delete (enzo.document as Record<string, unknown>).minorView;
    expect(fieldsOf('contrat-sejour', enzo)).toEqual(['document.minorView']);
    // A DIPC without tariffs says « aucune participation » only when the data says so.
    const dipc = fresh('dipc');
    dipc.establishment = { ...dipc.establishment, tariffs: null };
    expect(fieldsOf('dipc', dipc)).toEqual(['establishment.tariffs']);
    dipc.document = { ...dipc.document, financialContribution: 'aucune' };
    expect(allText(resolve(loader.load('dipc'), dipc, 'standard'))).toContain('Aucune participation financière n’est demandée');
  });

  it('the DIPC and the projet personnalisé are not contracts', () => {
    expect(textOf('dipc', undefined)).not.toContain('conclu entre');
    expect(textOf('dipc', undefined)).toContain('établi par la direction de l’établissement (CASF D.311)');
    expect(textOf('projet-personnalise', undefined)).not.toContain('conclu entre');
  });

  it('absences: personal absence and hospitalisation are two rules in the contract and the DIPC (R.314-204)', () => {
    for (const type of ['contrat-sejour', 'dipc']) {
      const text = textOf(type, undefined);
      expect(text).toContain('Absence pour convenances personnelles : au-delà de 72 heures d’absence');
      expect(text).toContain('Hospitalisation : au-delà de 72 heures d’hospitalisation');
    }
  });

  it('B: participation is structured and the person or their representative takes part (L.311-4)', () => {
    const input = fresh('avenant');
    input.document = { ...input.document, participation: { person: { presence: 'excuse', note: 'hospitalisé' }, others: [] } };
    expect(fieldsOf('avenant', input)).toEqual(['document.participation.others']);
  });

  it('B: a deposit states its cap and its refund within thirty days (R.314-149 I)', () => {
    const text = textOf('contrat-sejour', undefined, 'standard', (i) => {
      i.establishment = { ...i.establishment, tariffs: { ...(i.establishment.tariffs as object), depositEuros: 1500 } };
    });
    expect(text).toContain('ne peut pas dépasser trente fois le tarif journalier d’hébergement ; il est restitué dans les trente jours');
  });

  it('B: an avenant to a DIPC, with the person’s own comments', () => {
    const text = textOf('avenant', undefined, 'standard', (i) => {
      i.document = { ...i.document, appliesTo: 'dipc' };
    });
    expect(text).toContain('Avenant au document individuel de prise en charge');
    expect(text).toContain('Commentaires de Marcel Dupont : Je veux que le bénévole vienne aussi le dimanche.');
  });

  it('B: projet personnalisé answers each disagreement with its reasons; the minutes date a postponed request and say who told the person', () => {
    const pp = textOf('projet-personnalise', undefined);
    expect(pp).toContain('Le créneau adapté n’a qu’une place par semaine jusqu’en janvier.');
    expect(pp).toContain('Réponse de l’établissement : Une deuxième séance par semaine');
    const cr = textOf('compte-rendu-synthese', undefined);
    expect(cr).toContain('Réexamen prévu le 18 mars 2027');
    expect(cr).not.toContain('au bilan des 6 mois');
    expect(cr).toContain('avec le tableau de pictogrammes');
    const input = fresh('compte-rendu-synthese');
    input.document = { ...input.document, requests: [{ from: 'Julie Petit', request: 'Changer de groupe', requestFalc: 'Changer de groupe', answer: 'postponed' }] };
    expect(fieldsOf('compte-rendu-synthese', input)).toEqual(['document.requests[0].reason', 'document.requests[0].reviewOn']);
  });
});

describe('issue 8 C: a FALC review recorded beside a published version', () => {
  it('keeps the hash and is cited by the rendition; until then the person reads whom to ask, and the "not reviewed" fact stays in the metadata for staff', () => {
    const t = loader.load('dipc');
    const input = templateInputFromFixture(fixture, 'dipc');
    const last = (tree: DocumentTree) => allText({ ...tree, blocks: tree.blocks.slice(-1) });
    const unreviewed = resolve(t, input, 'falc');
    expect(last(unreviewed)).toContain('Demandez à l’établissement de vous l’expliquer.');
    expect(last(unreviewed)).not.toContain('relu');
    expect(unreviewed.meta.falcReview).toBeNull();
    const reviewed: LoadedTemplate = { ...t, published: { ...t.published!, falcReviews: [{ by: 'le groupe d’autoreprésentants de Valville', on: '2026-12-10', readers: '4 lecteurs' }] } };
    const tree = resolve(reviewed, input, 'falc');
    expect(last(tree)).toContain('Ce texte facile à lire a été relu par le groupe d’autoreprésentants de Valville le 10 décembre 2026.');
    expect(tree.meta.templateHash).toBe(t.sha256);
    expect(tree.meta.falcReview).toEqual({ by: 'le groupe d’autoreprésentants de Valville', on: '2026-12-10' });
  });
});
