import { randomUUID } from 'node:crypto';
import { AbstractLogger, DataSource, LogLevel, LogMessage } from 'typeorm';
import { dataSourceOptions } from '@carepact/database';
import { IDENTITY_ENTITIES, IdentityRepository } from '@carepact/identity';
import { RESIDENTS_ENTITIES, ResidentViews, ResidentsRepository, type ResidentFileExtras } from '@carepact/residents';
import { createTestDatabase, TestDatabase } from '@carepact/testing';

/** Every statement the DataSource sends, in order. */
class StatementLog extends AbstractLogger {
  readonly statements: string[] = [];
  protected writeLog(level: LogLevel, message: LogMessage | LogMessage[]): void {
    if (level !== 'query') return;
    for (const m of Array.isArray(message) ? message : [message]) this.statements.push(String(m.message));
  }
}

/**
 * Issue 12: the resident's file (resident, contacts, measures, holders) read in ONE statement for
 * every document created (ResidentsService.getForOrganisation), where it was four TypeORM reads. The
 * rows and the view must be exactly those of the four reads, on residents that between them give
 * every column of the four tables a value (measures with several holders, subrogé, ad hoc, minors
 * under each kind of authority with their decisions, contacts with roles): a column the new read
 * dropped, or read with another type, fails here.
 */
describe('the resident’s file in one statement', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const log = new StatementLog(['query']);
  const repo = new ResidentsRepository();
  const views = new ResidentViews(repo);
  const organisationId = randomUUID();
  const otherOrganisationId = randomUUID();
  const establishmentId = randomUUID();
  const residents: string[] = [];
  /** `table.column` of the four tables: columns added by migrations of the same days are given a value when present. */
  const columns = new Set<string>();
  const sql = (text: string, params: unknown[] = []) => ds.query(text, params) as Promise<Record<string, unknown>[]>;

  const insertResident = async (over: Record<string, unknown>): Promise<string> => {
    const row: Record<string, unknown> = {
      id: randomUUID(),
      organisation_id: organisationId,
      establishment_id: establishmentId,
      first_name: 'Prénom',
      last_name: 'Nom',
      birth_date: '1940-02-29',
      admission_date: '2026-10-01',
      stay_type: 'permanent',
      created_at: '2026-10-01T08:00:00.123456Z',
      updated_at: '2026-11-02T09:30:00.999999Z',
      ...over,
    };
    const keys = Object.keys(row);
    await sql(`INSERT INTO residents (${keys.join(', ')}) VALUES (${keys.map((_, i) => `$${i + 1}`).join(', ')})`, Object.values(row));
    residents.push(row.id as string);
    return row.id as string;
  };
  let contactAt = 0;
  const insertContact = async (residentId: string, over: Record<string, unknown> = {}): Promise<string> => {
    const id = randomUUID();
    // Two contacts at the same instant: the order falls back on the id, as contactsOf's does.
    const at = new Date(Date.UTC(2026, 9, 1, 8, 0, 0) + Math.floor(contactAt++ / 2) * 1000).toISOString().replace('Z', '456Z');
    const row = { id, organisation_id: organisationId, resident_id: residentId, first_name: 'Contact', last_name: `N${contactAt}`, created_at: at, updated_at: at, ...over };
    const keys = Object.keys(row);
    await sql(`INSERT INTO contacts (${keys.join(', ')}) VALUES (${keys.map((_, i) => `$${i + 1}`).join(', ')})`, Object.values(row));
    return id;
  };
  const insertMeasure = async (residentId: string, over: Record<string, unknown>): Promise<string> => {
    const id = randomUUID();
    const row = {
      id,
      organisation_id: organisationId,
      resident_id: residentId,
      type: 'curatelle_renforcee',
      mode: 'assistance',
      scope: ['personne', 'biens'],
      acts: [],
      court: 'Tribunal judiciaire de Valville',
      judgment_reference: 'RG 25/00412',
      judgment_date: '2025-05-20',
      created_at: '2026-10-01T08:00:00.000001Z',
      updated_at: '2026-10-01T08:00:00.000001Z',
      ...over,
    };
    const keys = Object.keys(row);
    await sql(`INSERT INTO protection_measures (${keys.join(', ')}) VALUES (${keys.map((_, i) => `$${i + 1}`).join(', ')})`, Object.values(row));
    return id;
  };
  const insertHolder = async (measureId: string, contactId: string, over: Record<string, unknown>): Promise<void> => {
    // A holder's mission (C. civ. 447 al. 3, migration 1764120000000), NOT NULL, once the table has it.
    const mission = columns.has('measure_holders.mission') ? { mission: ['personne'] } : {};
    const row = { id: randomUUID(), measure_id: measureId, contact_id: contactId, role: 'curateur', ...mission, ...over };
    const keys = Object.keys(row);
    await sql(`INSERT INTO measure_holders (${keys.join(', ')}) VALUES (${keys.map((_, i) => `$${i + 1}`).join(', ')})`, Object.values(row));
  };
  /** The four reads the file was made of, before. */
  const fourReads = async (id: string) => {
    const resident = await repo.findInOrganisation(ds.manager, organisationId, id);
    if (!resident) return null;
    const contacts = await repo.contactsOf(ds.manager, id);
    const measures = await repo.measuresOf(ds.manager, id);
    return { resident, contacts, measures, holders: await repo.holdersOf(ds.manager, measures.map((m) => m.id)) };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource({ ...dataSourceOptions(db.config, { as: 'app', entities: [...IDENTITY_ENTITIES, ...RESIDENTS_ENTITIES] }), logging: ['query'], logger: log });
    await ds.initialize();
    for (const r of await sql(`SELECT table_name || '.' || column_name AS c FROM information_schema.columns WHERE table_schema = 'public'`)) columns.add(r.c as string);
    for (const org of [organisationId, otherOrganisationId]) await sql(`INSERT INTO organisations (id, name, created_at) VALUES ($1, 'Organisation', now())`, [org]);
    await sql(
      `INSERT INTO establishments (id, organisation_id, name, category, finess, address, director_first_name, director_last_name, created_at)
       VALUES ($1, $2, 'EHPAD', 'EHPAD', '123456789', '1 rue du Test', 'D', 'D', now())`,
      [establishmentId, organisationId],
    );

    // An adult under curatelle renforcée: a personne de confiance, contacts with every detail, two
    // holders (one the establishment's préposé), a subrogé, an ad hoc curateur, and an older measure.
    const adult = await insertResident({
      first_name: 'Marcel',
      last_name: 'Dupont',
      birth_name: 'Durand',
      planned_end_date: '2027-03-31',
      departed_on: '2026-11-30',
      room: '112',
      prefers_large_print: true,
      prefers_easy_to_read: true,
      language: 'oc',
      email: 'marcel@example.org',
      phone: '0601020304',
      stay_type: 'temporary',
      search_name: 'ignored',
      personne_de_confiance_designated_on: '2026-10-02',
      // « Madame » / « Monsieur » (migration 1764160000000), once the table has it.
      ...(columns.has('residents.civility') ? { civility: 'monsieur' } : {}),
      // The date of death, the end of the accompaniment's day (migration 1764250000000), once the table has it.
      ...(columns.has('residents.deceased_on') ? { deceased_on: '2026-11-30' } : {}),
    });
    const pdc = await insertContact(adult, { relation: 'fille', email: 'f@example.org', phone: '0102030405', address: '2 rue des Lilas', organisation_name: null });
    await sql(`UPDATE residents SET personne_de_confiance_id = $1 WHERE id = $2`, [pdc, adult]);
    const curateur = await insertContact(adult, {
      organisation_name: 'UDAF du Val',
      relation: 'curateur',
      email: 'k@udaf.example',
      ...(columns.has('contacts.civility') ? { civility: 'madame' } : {}),
    });
    const prepose = await insertContact(adult, { organisation_name: 'EHPAD', relation: 'préposé' });
    const subroge = await insertContact(adult, { relation: 'neveu' });
    const adHoc = await insertContact(adult, { relation: 'avocat' });
    const measure = await insertMeasure(adult, {
      general: false,
      acts: ['vente du logement', 'placement'],
      mission: 'Gestion des comptes',
      start_date: '2025-06-01',
      end_date: '2030-05-20',
      mandate_effective_date: '2025-06-02',
      judge_authorises_holder_alone: true,
      authorisation_reference: 'Ordonnance 25/77',
      proof_document_ref: 'scan-412.pdf',
      subroge_contact_id: subroge,
      ad_hoc_contact_id: adHoc,
      ad_hoc_judgment_reference: 'RG 26/00981',
      ad_hoc_judgment_date: '2026-01-15',
      created_at: '2026-10-03T10:00:00.5Z',
    });
    await insertHolder(measure, curateur, {});
    await insertHolder(measure, prepose, { establishment_employee: true });
    const older = await insertMeasure(adult, { type: 'sauvegarde_justice', mode: 'representation', scope: ['biens'], judgment_date: '2024-01-10', end_date: '2025-01-10' });
    await insertHolder(older, curateur, { role: 'mandataire_special' });
    // Two measures of the same day: the newer created first.
    await insertMeasure(adult, { type: 'habilitation_familiale', judgment_date: '2024-01-10', created_at: '2026-10-04T00:00:00Z' });

    // Minors under each kind of parental authority, with the decisions and the contacts' roles.
    const delegation = await insertResident({
      first_name: 'Enzo',
      birth_date: '2014-05-30',
      parental_authority: 'delegation',
      minor_decision_authority: 'JAF, TJ de Valville',
      minor_decision_reference: 'RG 25/00077',
      minor_decision_date: '2025-04-01',
      delegation_extent: 'partial',
      // What a partial délégation covers (migration 1764140000000), required with it once the table has it.
      ...(columns.has('residents.delegation_covers_stay') ? { delegation_covers_stay: true } : {}),
    });
    await insertContact(delegation, { relation: 'tante', minor_role: 'delegataire' });
    await insertContact(delegation, { relation: 'mère', holds_parental_authority: true });
    await insertContact(delegation, { organisation_name: 'ASE du Val', minor_role: 'service_gardien' });
    await insertResident({
      first_name: 'Léa',
      birth_date: '2012-01-01',
      parental_authority: 'sole',
      sole_authority_ground: 'other_parent_deceased',
      sole_authority_proof_reference: 'Acte de décès 2020-14',
      sole_authority_proof_date: '2020-03-04',
    });
    await insertResident({
      first_name: 'Noé',
      birth_date: '2011-07-14',
      parental_authority: 'court_measure',
      minor_decision_authority: 'Juge des enfants',
      minor_decision_reference: 'AE 24/12',
      minor_decision_date: '2024-09-01',
      act_authorisation_reference: 'Ordonnance 25/3',
      act_authorisation_date: '2025-02-02',
    });
    const ward = await insertResident({
      first_name: 'Sam',
      birth_date: '2013-03-03',
      parental_authority: 'tutelle',
      ward_of_state: true,
      minor_decision_authority: 'Préfet du Val',
      minor_decision_reference: 'Arrêté 2025-PUP-014',
      minor_decision_date: '2025-03-03',
    });
    await insertContact(ward, { relation: 'tuteur', minor_role: 'tuteur' });
    // Nothing but the resident.
    await insertResident({ first_name: 'Seule' });
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('gives the rows of the four reads, every column of every entity, with the same types and orders', async () => {
    const all = [];
    for (const id of residents) {
      const before = await fourReads(id);
      const after = await repo.residentFile(ds.manager, organisationId, id);
      expect(after).toStrictEqual(before);
      // Same classes, same Date instants (toStrictEqual compares both), and same own keys in the same set.
      for (const [a, b] of [[after!.resident, before!.resident], ...after!.contacts.map((c, i) => [c, before!.contacts[i]]), ...after!.measures.map((m, i) => [m, before!.measures[i]])] as [object, object][])
        expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
      all.push(after!);
    }
    // Every column the entities select has a value (neither null nor false nor empty) in some row read: the comparison covered them all.
    const uncovered: string[] = [];
    const rowsOf = { ResidentEntity: all.map((f) => f.resident), ContactEntity: all.flatMap((f) => f.contacts), ProtectionMeasureEntity: all.flatMap((f) => f.measures), MeasureHolderEntity: all.flatMap((f) => f.holders) };
    for (const [name, rows] of Object.entries(rowsOf)) {
      const meta = ds.getMetadata(name);
      for (const col of meta.columns.filter((c) => c.isSelect)) {
        const given = rows.some((r) => {
          const v = col.getEntityValue(r) as unknown;
          return v !== null && v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0);
        });
        if (!given) uncovered.push(`${name}.${col.propertyName}`);
      }
    }
    expect(uncovered).toEqual([]);
    // The column never selected stays out, as with find().
    expect(all[0].resident).not.toHaveProperty('searchName');
    expect(all[0].resident.createdAt).toEqual(new Date('2026-10-01T08:00:00.123Z'));
  });

  it('gives the same view as the four reads', async () => {
    for (const id of residents) {
      const r = (await repo.findInOrganisation(ds.manager, organisationId, id))!;
      expect(views.residentOf((await repo.residentFile(ds.manager, organisationId, id))!)).toStrictEqual(await views.resident(ds.manager, r));
    }
    const adult = views.residentOf((await repo.residentFile(ds.manager, organisationId, residents[0]))!);
    expect(adult.protectionMeasures.map((m) => [m.type, m.holders.length, !!m.subroge, !!m.adHoc])).toEqual([
      ['curatelle_renforcee', 2, true, true],
      ['habilitation_familiale', 0, false, false],
      ['sauvegarde_justice', 1, false, false],
    ]);
    expect(adult.personneDeConfiance).toMatchObject({ relation: 'fille', designatedOn: '2026-10-02' });
  });

  it('is one statement, and nothing for another organisation’s resident or an unknown id', async () => {
    log.statements.length = 0;
    await repo.residentFile(ds.manager, organisationId, residents[0]);
    expect(log.statements).toHaveLength(1);
    expect(await repo.residentFile(ds.manager, otherOrganisationId, residents[0])).toBeNull();
    expect(await repo.residentFile(ds.manager, organisationId, randomUUID())).toBeNull();
  });

  // Issue 12, session 18: a document created reads the resident's establishment and her archive state
  // in the same statement (DocumentsService.prepare, FILE_FOR_A_DOCUMENT).
  it('with its extras: the establishment as findEstablishment gives it, named columns over r and o, still one statement', async () => {
    const extras: ResidentFileExtras = { establishment: true, columns: { departedOn: 'r.departed_on::text', months: 'o.active_base_months', plus: "r.first_name || '!'" } };
    // Every column of the establishment given a value (jsonb arrays and objects, a timestamp with microseconds).
    await sql(
      `UPDATE establishments SET phone = '0102030405', director_email = 'd@example.org', tariffs = '{"hebergement": "71.20", "dependance": 5.5, "absence": null}',
              annexes = '["livret", "reglement"]', contacts = '[{"label": "Accueil", "phone": "0102030406"}]', legal_status = 'private', created_at = '2026-09-01T07:00:00.654321Z' WHERE id = $1`,
      [establishmentId],
    );
    const identity = new IdentityRepository();
    log.statements.length = 0;
    const read = await repo.residentFileWith(ds.manager, organisationId, residents[0], extras);
    expect(log.statements).toHaveLength(1);
    const found = await identity.findEstablishment(ds.manager, organisationId, establishmentId);
    expect(read!.establishment).toStrictEqual(found);
    const meta = ds.getMetadata('EstablishmentEntity');
    expect(meta.columns.filter((c) => c.isSelect && [null, undefined].includes(c.getEntityValue(read!.establishment!) as null))).toEqual([]);
    expect(read!.columns).toEqual({ departedOn: '2026-11-30', months: expect.any(Number), plus: 'Marcel!' });
    // The file itself is the one readResidentFile gives.
    expect(read!.file).toStrictEqual(await repo.residentFile(ds.manager, organisationId, residents[0]));
    // Another organisation's resident: nothing. Without columns, none read (and no join on organisations).
    expect(await repo.residentFileWith(ds.manager, otherOrganisationId, residents[0], extras)).toBeNull();
    expect((await repo.residentFileWith(ds.manager, organisationId, residents[1], { establishment: true }))!.columns).toEqual({});
    // A name that is not a plain identifier is refused.
    await expect(repo.residentFileWith(ds.manager, organisationId, residents[0], { columns: { 'a"; DROP': '1' } })).rejects.toThrow(/plain identifier/);
  });
});
