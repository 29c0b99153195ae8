import { INestApplicationContext } from '@nestjs/common';
import { AnnexFilesRepository } from '@carepact/documents';
import { IdentityRepository, type StaffActor } from '@carepact/identity';
import { type Block, type DocumentTree, renderPdf } from '@carepact/rendering';
import { AnnexFilesService, annexLabel } from '@carepact/signing';
import { EntityManager } from 'typeorm';

/** What the demo's documents say, beside the notice that they are demonstration documents. */
const CONTENT: Record<string, string[]> = {
  'livret-accueil': [
    'Bienvenue à l’EHPAD. Ce livret présente l’établissement, son équipe, les prestations proposées et la vie quotidienne.',
    'Les repas sont servis en salle à manger à 8 h, 12 h et 19 h. Les visites sont libres de 10 h à 20 h.',
    'Pour toute question, adressez-vous à l’accueil ou au cadre de santé.',
  ],
  'reglement-fonctionnement': [
    'Le règlement de fonctionnement définit les droits de la personne accueillie et ses obligations nécessaires au respect des règles de vie collective (CASF L.311-7).',
    'Il précise l’organisation des locaux, les mesures en cas d’urgence, les règles d’hygiène et de sécurité.',
  ],
  'charte-droits-libertes': [
    'Charte des droits et libertés de la personne accueillie (arrêté du 8 septembre 2003) : principe de non-discrimination, droit à une prise en charge adaptée, droit à l’information, principe du libre choix, du consentement éclairé et de la participation de la personne…',
  ],
  'notice-personne-de-confiance': [
    'Toute personne majeure accueillie peut désigner une personne de confiance (CASF L.311-5-1). Elle l’accompagne dans ses démarches et l’aide dans ses décisions.',
    'La désignation se fait par écrit ; elle est révisable et révocable à tout moment.',
  ],
};

/** « Édition 2026 » for a key that ends with a year, « Édition de démonstration » otherwise. */
function versionLabelOf(key: string): string {
  const year = /-(\d{4})$/.exec(key)?.[1];
  return year ? `Édition ${year}` : 'Édition de démonstration';
}

/** A small real PDF for one annex key, rendered by the repository's own PDF renderer, saying in French that it is a demonstration document. */
export async function demoAnnexPdf(key: string, establishment: string): Promise<Buffer> {
  const label = annexLabel(key);
  const base = key.replace(/-\d{4}$/, '');
  const p = (text: string): Block => ({ kind: 'paragraph', text: [{ text }] });
  const tree: DocumentTree = {
    lang: 'fr-FR',
    title: `${label} — document de démonstration`,
    contentVariant: 'standard',
    meta: {
      documentType: 'annexe',
      templateId: 'demo-annexe',
      templateVersion: '1',
      templateHash: '-',
      inputHash: '-',
      issuedAt: '2026-01-01T00:00:00.000Z',
      falcReview: null,
      establishmentName: establishment,
      versionId: `${versionLabelOf(key)} (démonstration)`,
    },
    blocks: [
      { kind: 'heading', level: 1, text: [{ text: label }] },
      { kind: 'paragraph', text: [{ text: 'Document de démonstration', strong: true }, { text: ` : ce fichier illustre le document que ${establishment} remet avec le contrat de séjour (CASF L.311-4). Il ne remplace pas le document réel de l’établissement.` }] },
      ...(CONTENT[base] ?? []).map(p),
    ],
  };
  return renderPdf(tree, 'standard');
}

/**
 * The day the demo's annex files are in force from: the demo's documents say their annexes were
 * handed over in 2026 (templates/demo, `annexesHandedOverOn`), and each version records the files
 * in force on that day. A first file may be dated back; the evidence shows its publication day too.
 */
export const DEMO_ANNEXES_IN_FORCE_SINCE = '2026-01-01';

/**
 * The demo's annexes as files: a PDF for each annex key of the establishment (as it is in the
 * database: staff may have changed the list since the first seed) that has none yet, published in
 * the seed's transaction (all or nothing, audited as the seed), in force since
 * DEMO_ANNEXES_IN_FORCE_SINCE. A key that already has a file is left as it is (a second seed adds
 * nothing).
 */
export async function publishDemoAnnexes(ctx: INestApplicationContext, em: EntityManager, actor: StaffActor, establishmentId: string): Promise<{ created: number; existing: number }> {
  const annexes = ctx.get(AnnexFilesService);
  const establishment = await ctx.get(IdentityRepository).findEstablishment(em, actor.organisationId, establishmentId);
  if (!establishment) throw new Error(`establishment ${establishmentId} not found`);
  const keys = establishment.annexes ?? [];
  const published = new Set((await ctx.get(AnnexFilesRepository).all(em, actor.organisationId, establishment.id)).map((f) => f.kind));
  const out = { created: 0, existing: 0 };
  for (const key of keys) {
    if (published.has(key)) {
      out.existing++;
      continue;
    }
    await annexes.publishIn(em, actor, establishment.id, { kind: key, versionLabel: versionLabelOf(key), effectiveOn: DEMO_ANNEXES_IN_FORCE_SINCE }, await demoAnnexPdf(key, establishment.name));
    out.created++;
  }
  return out;
}
