import type { EstablishmentEntity } from '@carepact/identity';
import type { ContactView, ResidentView } from '@carepact/residents';
import type { DocumentTree } from '../../tree';

/**
 * Test builders shared by the resolve specs (tests only: nothing in the library imports this file):
 * the parties of a document as the API reads them (an establishment, a resident's file, its
 * contacts) for templateInputOf, and the lines of a resolved document the specs compare. Each spec
 * used to write its own copy of them.
 */

const flat = (runs: { text: string }[]) => runs.map((r) => r.text).join('');

/** Every line a reader sees: headings, paragraphs, list items, tables (caption, header, cells) and signature slots (« name — capacity »). */
export function treeLines(tree: DocumentTree): string[] {
  const out: string[] = [];
  for (const b of tree.blocks) {
    if (b.kind === 'heading' || b.kind === 'paragraph') out.push(flat(b.text));
    if (b.kind === 'list') b.items.forEach((i) => out.push(flat(i)));
    if (b.kind === 'table') out.push(b.caption, ...b.header, ...b.rows.flat().map(flat));
    if (b.kind === 'signatures') out.push(b.heading, ...b.slots.map((s) => `${s.name} — ${s.capacity}`));
  }
  return out;
}

/** Headings and paragraphs only, one line each. */
export const paragraphLines = (tree: DocumentTree): string[] => tree.blocks.flatMap((b) => (b.kind === 'heading' || b.kind === 'paragraph' ? [flat(b.text)] : []));

/** Headings, paragraphs and list items, one line each. */
export const proseLines = (tree: DocumentTree): string[] =>
  tree.blocks.flatMap((b) => (b.kind === 'heading' || b.kind === 'paragraph' ? [flat(b.text)] : b.kind === 'list' ? b.items.map(flat) : []));

/** Headings, paragraphs, list items and tables (caption, then each row's cells joined with « | »), as one text. */
export const blockText = (tree: DocumentTree): string =>
  tree.blocks
    .flatMap((b) =>
      b.kind === 'heading' || b.kind === 'paragraph'
        ? [flat(b.text)]
        : b.kind === 'list'
          ? b.items.map(flat)
          : b.kind === 'table'
            ? [b.caption, ...b.rows.map((row) => row.map(flat).join(' | '))]
            : [],
    )
    .join('\n');

/** The establishment of a demo fixture (templates/demo/*.json) as the database holds it; `withAnnexes`: with the keys of the documents handed over with the contract. */
export function establishmentOf(
  fixture: {
    establishment: {
      name: string;
      category: string;
      finess: string;
      address: string;
      phone?: string;
      director: { firstName: string; lastName: string; email?: string };
      annexes?: string[];
    };
  },
  opts: { withAnnexes?: boolean } = {},
): EstablishmentEntity {
  const e = fixture.establishment;
  return {
    name: e.name,
    category: e.category,
    finess: e.finess,
    address: e.address,
    phone: e.phone,
    directorFirstName: e.director.firstName,
    directorLastName: e.director.lastName,
    directorEmail: e.director.email,
    ...(opts.withAnnexes ? { annexes: e.annexes } : {}),
  } as unknown as EstablishmentEntity;
}

/** A contact of a resident's file (ContactView): no relation, organisation, address nor parental authority unless `over` says so. */
export const contactView = (id: string, firstName: string, lastName: string, over: Partial<ContactView> = {}): ContactView => ({
  id,
  firstName,
  lastName,
  relation: null,
  organisationName: null,
  email: null,
  phone: null,
  address: null,
  holdsParentalAuthority: false,
  ...over,
});

/** A minor's file at the IME, as the API reads it (ResidentView): Léa Martin, born 2 April 2014, both parents' authority unless `over` says otherwise. */
export function minorFile(over: Partial<ResidentView>): ResidentView {
  return {
    id: 'r',
    establishmentId: 'e',
    firstName: 'Léa',
    lastName: 'Martin',
    birthName: null,
    birthDate: '2014-04-02',
    admissionDate: '2026-09-01',
    stayType: 'permanent',
    plannedEndDate: null,
    departedOn: null,
    room: 'C05',
    preferences: { largePrint: false, easyToRead: true, language: 'fr' },
    email: null,
    phone: null,
    minor: true,
    parentalAuthority: 'shared',
    soleAuthority: null,
    minorDecision: null,
    personneDeConfiance: null,
    contacts: [],
    protectionMeasures: [],
    createdAt: '2026-09-01T00:00:00.000Z',
    updatedAt: '2026-09-01T00:00:00.000Z',
    ...over,
  } as ResidentView;
}

/** Léa, one parent alone exercising parental authority (C. civ. 373-2-1: the JAF entrusted it to her), Claire Martin, the file's `relation` to her. */
export const soleParentMinor = (relation: string | null): ResidentView =>
  minorFile({
    parentalAuthority: 'sole',
    soleAuthority: { ground: 'judgment', proofReference: 'Jugement JAF, TJ de Valville, RG 24/01234', proofDate: '2024-03-12' },
    contacts: [contactView('claire', 'Claire', 'Martin', { relation, holdsParentalAuthority: true })],
  });

/** Léa, both parents exercising parental authority (C. civ. 372 al. 1). */
export const sharedParentsMinor = (): ResidentView =>
  minorFile({ contacts: [contactView('julie', 'Julie', 'Martin', { holdsParentalAuthority: true }), contactView('thomas', 'Thomas', 'Martin', { holdsParentalAuthority: true })] });

/** Inès Moreau (the IME demo: a girl under tutelle, C. civ. 390, 408), her aunt her tuteur; `wardOfState`: a pupille de l'État. */
export const inesUnderTutelle = (wardOfState = false): ResidentView =>
  minorFile({
    firstName: 'Inès',
    lastName: 'Moreau',
    parentalAuthority: 'tutelle',
    minorDecision: { authority: 'Conseil de famille, tribunal judiciaire de Valville', reference: 'RG 24/00735', date: '2024-06-18', wardOfState },
    contacts: [contactView('catherine', 'Catherine', 'Moreau', { relation: 'tante', minorRole: 'tuteur' })],
  });
