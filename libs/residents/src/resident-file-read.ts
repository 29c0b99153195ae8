import { types as pgTypes } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { EntityMetadata } from 'typeorm/metadata/EntityMetadata';
import { EstablishmentEntity } from '@carepact/identity';
import { ContactEntity, MeasureHolderEntity, ProtectionMeasureEntity, ResidentEntity } from './residents.entities';

/** A resident's file as its rows: the resident, contacts, measures and their holders, as TypeORM's reads give them. */
export interface ResidentFileRows {
  resident: ResidentEntity;
  contacts: ContactEntity[];
  measures: ProtectionMeasureEntity[];
  holders: MeasureHolderEntity[];
}

/**
 * The resident's file in ONE statement (issue 12: the four TypeORM reads — resident, contacts,
 * measures, holders — were 4 of the api's 15 statements per document created and 5.6 % of its CPU
 * in TypeORM's query builders). Each row comes as JSON (`to_jsonb(r)`, `json_agg(c)`): every column
 * of the table, by its database name; it is mapped onto the entity through TypeORM's own metadata
 * (the entity's selected columns, `prepareHydratedValue`, `setEntityValue`), so the entities are
 * those `em.find` gives, in the same orders (ResidentsRepository.findInOrganisation, contactsOf,
 * measuresOf, holdersOf; test/integration/residents/resident-file-read.spec.ts compares them).
 *
 * A column added to one of the four tables reaches this read with nothing to change here: the JSON
 * of the row carries it, and the column declared on the entity (as every migration must) maps it.
 * A column the entity declares but the table lacks, or of a type this mapping does not know, is
 * refused loudly (never read as undefined).
 */
export async function readResidentFile(em: EntityManager, organisationId: string, id: string): Promise<ResidentFileRows | null> {
  return (await readResidentFileWith(em, organisationId, id, NOTHING_MORE))?.file ?? null;
}

/**
 * What a caller reads in the same statement as the resident's file (issue 12: each statement spared
 * on the path of a document created is a round trip and its CPU on both sides).
 * - `establishment`: the resident's establishment (`establishments`, the same organisation), mapped
 *   onto its entity as `em.findOne` gives it (null when the row is missing, as findOne).
 * - `columns`: named SQL expressions over the resident `r` and its organisation `o` (joined), each
 *   read as it comes (e.g. libs/documents intermediate-archive.ts ARCHIVED_SINCE_SQL). Constant
 *   text only, never built from input: the statement is built once per DataSource and extras object.
 */
export interface ResidentFileExtras {
  establishment?: boolean;
  columns?: Readonly<Record<string, string>>;
}

export interface ResidentFileWith<C extends string> {
  file: ResidentFileRows;
  /** The resident's establishment, when asked (`establishment: true`); else undefined. */
  establishment?: EstablishmentEntity | null;
  /** The value of each column asked, by its name. */
  columns: Record<C, unknown>;
}

const NOTHING_MORE: ResidentFileExtras = {};

/** readResidentFile with what `extras` asks for, still one statement. Hold `extras` in a constant: the statement is kept per object. */
export async function readResidentFileWith<E extends ResidentFileExtras>(
  em: EntityManager,
  organisationId: string,
  id: string,
  extras: E,
): Promise<ResidentFileWith<keyof NonNullable<E['columns']> & string> | null> {
  const reader = readerOf(em.connection, extras);
  const rows = (await em.query(reader.sql, [id, organisationId])) as ({ resident: JsonRow; contacts: JsonRow[]; measures: JsonRow[]; holders: JsonRow[]; establishment?: JsonRow | null } & JsonRow)[];
  if (rows.length === 0) return null;
  const [row] = rows;
  const columns: Record<string, unknown> = {};
  for (const name of reader.columns) columns[name] = row[`x_${name}`];
  return {
    file: {
      resident: reader.resident(row.resident),
      contacts: row.contacts.map(reader.contact),
      measures: row.measures.map(reader.measure),
      holders: row.holders.map(reader.holder),
    },
    ...(reader.establishment ? { establishment: row.establishment ? reader.establishment(row.establishment) : null } : {}),
    columns,
  };
}

type JsonRow = Record<string, unknown>;

interface Reader {
  sql: string;
  resident: (row: JsonRow) => ResidentEntity;
  contact: (row: JsonRow) => ContactEntity;
  measure: (row: JsonRow) => ProtectionMeasureEntity;
  holder: (row: JsonRow) => MeasureHolderEntity;
  establishment: ((row: JsonRow) => EstablishmentEntity) | null;
  /** The names of the extra columns, read as `x_<name>`. */
  columns: string[];
}

/** Built once per DataSource (its metadata does not change while it lives) and extras object. */
const readers = new WeakMap<DataSource, WeakMap<ResidentFileExtras, Reader>>();

function readerOf(ds: DataSource, extras: ResidentFileExtras): Reader {
  let byExtras = readers.get(ds);
  if (!byExtras) readers.set(ds, (byExtras = new WeakMap()));
  let reader = byExtras.get(extras);
  if (reader) return reader;
  const [r, c, m, h] = [ResidentEntity, ContactEntity, ProtectionMeasureEntity, MeasureHolderEntity].map((e) => ds.getMetadata(e));
  const e = extras.establishment ? ds.getMetadata(EstablishmentEntity) : null;
  const columns = Object.entries(extras.columns ?? {});
  for (const [name] of columns) if (!/^[a-z][a-z0-9_]*$/i.test(name)) throw new Error(`readResidentFileWith: a column name must be a plain identifier, got « ${name} »`);
  // The orders of contactsOf, measuresOf and holdersOf.
  const sql = `SELECT ${rowJson('r', r)} AS resident,
      (SELECT coalesce(json_agg(${rowJson('c', c)} ORDER BY c.created_at ASC, c.id ASC), '[]'::json) FROM ${c.tablePath} c WHERE c.resident_id = r.id) AS contacts,
      (SELECT coalesce(json_agg(${rowJson('m', m)} ORDER BY m.judgment_date DESC, m.created_at DESC), '[]'::json) FROM ${m.tablePath} m WHERE m.resident_id = r.id) AS measures,
      (SELECT coalesce(json_agg(${rowJson('h', h)} ORDER BY h.id ASC), '[]'::json) FROM ${h.tablePath} h WHERE h.measure_id IN (SELECT pm.id FROM ${m.tablePath} pm WHERE pm.resident_id = r.id)) AS holders${
        e ? `,
      (SELECT ${rowJson('e', e)} FROM ${e.tablePath} e WHERE e.id = r.establishment_id AND e.organisation_id = r.organisation_id) AS establishment` : ''
      }${columns.map(([name, expr]) => `,
      (${expr}) AS "x_${name}"`).join('')}
    FROM ${r.tablePath} r${columns.length ? ' JOIN organisations o ON o.id = r.organisation_id' : ''} WHERE r.id = $1 AND r.organisation_id = $2`;
  reader = {
    sql,
    resident: mapperOf(ds, r),
    contact: mapperOf(ds, c),
    measure: mapperOf(ds, m),
    holder: mapperOf(ds, h),
    establishment: e ? mapperOf(ds, e) : null,
    columns: columns.map(([name]) => name),
  };
  byExtras.set(extras, reader);
  return reader;
}

/** The row as JSON, without the columns the entity never selects (`select: false`, e.g. residents.search_name). */
function rowJson(alias: string, meta: EntityMetadata): string {
  const hidden = meta.columns.filter((col) => !col.isSelect).map((col) => col.databaseName);
  return hidden.length ? `(to_jsonb(${alias}) - ARRAY[${hidden.map((n) => `'${n}'`).join(', ')}]::text[])` : `to_json(${alias})`;
}

/** What node-postgres gives for the column's text, from the column's value in the row's JSON. */
type FromJson = (v: unknown) => unknown;
const AS_IS: FromJson = (v) => v;
// timestamptz: JSON writes the ISO form with a « T » (2026-12-03T09:15:00.123456+00:00) where the text protocol writes a space; the same parser then gives the same Date (microseconds cut as it cuts them).
const TIMESTAMPTZ = pgTypes.getTypeParser(1184, 'text') as (s: string) => unknown;
const TIMESTAMP = pgTypes.getTypeParser(1114, 'text') as (s: string) => unknown;
const fromTimestamp =
  (parse: (s: string) => unknown): FromJson =>
  (v) =>
    typeof v === 'string' ? parse(v.replace('T', ' ')) : v;

/**
 * The types of the four tables' columns. The JSON value of these is what node-postgres gives for
 * them (`date` stays its text 'YYYY-MM-DD', as the DataSource reads it: libs/database data-source.ts).
 * Another type (numeric, bigint, an array of dates…) would need its own conversion: refused.
 */
function fromJsonFor(col: ColumnMetadata, entity: string): FromJson {
  const type = typeof col.type === 'string' ? col.type : col.type.name.toLowerCase();
  if (['uuid', 'text', 'varchar', 'character varying', 'string', 'boolean', 'jsonb', 'json', 'int', 'integer', 'int4', 'smallint', 'int2'].includes(type)) return AS_IS;
  if (type === 'date' && !col.isArray) return AS_IS;
  if ((type === 'timestamptz' || type === 'timestamp with time zone') && !col.isArray) return fromTimestamp(TIMESTAMPTZ);
  if ((type === 'timestamp' || type === 'timestamp without time zone') && !col.isArray) return fromTimestamp(TIMESTAMP);
  throw new Error(`readResidentFile: the column ${entity}.${col.propertyPath} (${type}${col.isArray ? '[]' : ''}) has no JSON mapping; add one in resident-file-read.ts`);
}

/** Maps a row's JSON onto the entity as TypeORM's RawSqlResultsToEntityTransformer does (transformColumns). */
function mapperOf<T>(ds: DataSource, meta: EntityMetadata): (row: JsonRow) => T {
  const columns = meta.columns
    .filter((col) => !col.isVirtual && col.isSelect)
    .map((col) => ({ col, key: col.databaseName, fromJson: fromJsonFor(col, meta.name) }));
  const driver = ds.driver;
  return (row) => {
    const entity = meta.create(undefined, { fromDeserializer: true }) as T & object;
    for (const { col, key, fromJson } of columns) {
      const v = row[key];
      if (v === undefined) throw new Error(`readResidentFile: ${meta.tablePath} has no column ${key} (${meta.name}.${col.propertyPath}); is the migration applied?`);
      col.setEntityValue(entity, driver.prepareHydratedValue(v === null ? null : fromJson(v), col));
    }
    return entity;
  };
}
