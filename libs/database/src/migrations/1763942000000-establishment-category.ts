import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The establishment's category becomes a closed list (issue 8 A, "financing by category"): it decides
 * the document (a DIPC for a service without accommodation, CASF D.311) and the financing section
 * of the contract and the DIPC (CASF L.314-2 and the articles of each category). The list is
 * ESTABLISHMENT_CATEGORIES (libs/identity/src/establishment-category.ts), written out here because a
 * migration never changes after it shipped.
 *
 * Free-text spellings found in earlier data are first mapped onto the list (same meaning, other
 * case or words); anything else stops the migration with the values to correct, rather than guess
 * how a home is financed.
 */
const CATEGORIES = ['EHPAD', 'PUV', 'EHPA', 'residence_autonomie', 'USLD', 'MAS', 'FAM', 'foyer_de_vie', 'foyer_hebergement', 'IME', 'CHRS', 'SAAD', 'SSIAD', 'SPASAD', 'SESSAD', 'SAVS', 'SAMSAH'];
const LIST = CATEGORIES.map((c) => `'${c}'`).join(', ');
const ACRONYMS = CATEGORIES.filter((c) => c === c.toUpperCase()).map((c) => `'${c}'`).join(', ');

export class EstablishmentCategory1763942000000 implements MigrationInterface {
  name = 'EstablishmentCategory1763942000000';

  async up(q: QueryRunner): Promise<void> {
    // Same category, other spelling: upper-case acronyms, and the words of the lower-case ones.
    await q.query(`UPDATE "establishments" SET "category" = upper(btrim("category"))
                     WHERE upper(btrim("category")) IN (${ACRONYMS}) AND "category" <> upper(btrim("category"))`);
    await q.query(`UPDATE "establishments" SET "category" = CASE
                       WHEN lower(btrim("category")) IN ('résidence autonomie', 'residence autonomie', 'residence_autonomie', 'foyer-logement', 'foyer logement') THEN 'residence_autonomie'
                       WHEN lower(btrim("category")) IN ('foyer de vie', 'foyer_de_vie', 'foyer occupationnel') THEN 'foyer_de_vie'
                       WHEN lower(btrim("category")) IN ('foyer d''hébergement', 'foyer d’hébergement', 'foyer_hebergement', 'foyer d''hebergement') THEN 'foyer_hebergement'
                       ELSE "category" END
                     WHERE "category" NOT IN (${LIST})`);
    const unknown = (await q.query(`SELECT DISTINCT "category" FROM "establishments" WHERE "category" NOT IN (${LIST}) ORDER BY 1`)) as { category: string }[];
    if (unknown.length)
      throw new Error(
        `Catégories d’établissement hors liste : ${unknown.map((u) => JSON.stringify(u.category)).join(', ')}. ` +
          `Corrigez-les (valeurs possibles : ${CATEGORIES.join(', ')}) puis relancez la migration.`,
      );
    await q.query(`ALTER TABLE "establishments" ADD CONSTRAINT "ck_establishments_category" CHECK (category IN (${LIST}))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "establishments" DROP CONSTRAINT "ck_establishments_category"`);
  }
}
