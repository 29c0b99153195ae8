/** Something that runs SQL: a pg Client/Pool or a TypeORM DataSource/EntityManager. */
export interface SqlRunner {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

const rowsOf = <T>(res: unknown): T[] => (Array.isArray(res) ? (res as T[]) : ((res as { rows: T[] }).rows ?? []));

/** The prices a fixture contract prints (the demo establishment's): hébergement, dépendance GIR 5-6, total per day. */
export const FIXTURE_CONTRACT_PRICES = { hebergementPerDay: 72.5, dependanceGir56PerDay: 6.5, totalPerDay: 79 };

/**
 * `count` residents of an establishment in one statement, named « Résident <tag>-00001 », « … -00002 »…
 * (no contacts, measures nor audit events: quantity, not the services' trail). Returns their ids,
 * in the order of their names.
 */
export async function insertResidents(db: SqlRunner, o: { organisationId: string; establishmentId: string; count: number; tag: string }): Promise<string[]> {
  const residents = rowsOf<{ id: string }>(
    await db.query(
      `INSERT INTO residents (organisation_id, establishment_id, first_name, last_name, birth_date, admission_date, stay_type, room, created_at, updated_at)
       SELECT $1, $2, 'Résident', $3 || '-' || lpad(i::text, 5, '0'), date '1940-01-01' + (i % 3000), date '2024-01-01' + (i % 300), 'permanent', (i % 300)::text, now(), now()
         FROM generate_series(1, $4::int) i
       RETURNING id`,
      [o.organisationId, o.establishmentId, o.tag, o.count],
    ),
  );
  return residents.map((r) => r.id);
}

/**
 * Residents of an establishment (insertResidents), each with a signed contrat de séjour, by direct inserts (set-based,
 * a few statements whatever the count): what bulk runs and their bench need in quantity, without
 * generating and signing thousands of contracts. The contract's version input holds only what a
 * tariff avenant reads from it (the establishment tariffs then, the pricing; none with
 * `withoutPrices`, a contract whose avenant cannot be computed from a percentage); it has no renditions.
 * Returns the residents' ids, in the order of their names.
 */
export async function insertResidentsWithSignedContracts(
  db: SqlRunner,
  o: { organisationId: string; establishmentId: string; count: number; tag: string; signedOn?: string; withoutPrices?: boolean },
): Promise<string[]> {
  const p = FIXTURE_CONTRACT_PRICES;
  const input = o.withoutPrices
    ? { establishment: {}, document: {} }
    : {
    establishment: { tariffs: { hebergementPerDay: p.hebergementPerDay, dependanceGir56PerDay: p.dependanceGir56PerDay } },
    document: { pricing: { gir: 5, dependancePerDay: p.dependanceGir56PerDay, totalPerDay: p.totalPerDay } },
  };
  const ids = await insertResidents(db, o);
  await db.query(
    `WITH d AS (
       INSERT INTO documents (organisation_id, establishment_id, resident_id, type, status, created_at, updated_at)
       SELECT $1, $2, r, 'contrat-sejour', 'signed', $4::date, $4::date FROM unnest($3::uuid[]) r
       RETURNING id, resident_id
     ), v AS (
       INSERT INTO document_versions (organisation_id, document_id, number, reason, status, template_id, template_version, template_hash, renderer_version, input, input_hash, created_at, generated_at)
       SELECT $1, d.id, 1, 'Création du document', 'ready', 'contrat-sejour', '1.2.0', repeat('0', 64), 'fixture', $5::jsonb, repeat('0', 64), $4::date, $4::date FROM d
       RETURNING id
     )
     SELECT count(*) FROM v`,
    [o.organisationId, o.establishmentId, ids, o.signedOn ?? '2024-02-01', JSON.stringify(input)],
  );
  // A statement does not see the rows its own CTEs insert: the link to the version is a second one.
  await db.query(
    `UPDATE documents d SET current_version_id = v.id FROM document_versions v
      WHERE v.document_id = d.id AND d.resident_id = ANY($1::uuid[]) AND d.current_version_id IS NULL`,
    [ids],
  );
  return ids;
}
