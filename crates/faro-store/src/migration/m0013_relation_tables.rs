//! Relations as tables. The `;`-joined columns of measures (categories,
//! target groups) and resources (institutions, countries, languages, topics,
//! audience, identifiers, related measures and sessions) become rows of
//! tables with foreign keys, in their original order (`pos`), and are then
//! dropped: the `;` lives only at the format edge (CSV, dumps). Every value
//! is kept; a duplicate within one list is kept once. Years used as facets
//! become columns (`measure.start_year`, `resource.year`) so lists can filter
//! and count them in SQL.

use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Measure {
    Table,
    Id,
    StartYear,
}

#[derive(DeriveIden)]
enum Resource {
    Table,
    Id,
    Year,
}

#[derive(DeriveIden)]
enum Institution {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum EventSession {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum MeasureValue {
    Table,
    MeasureId,
    Facet,
    Value,
    Pos,
    Listed,
}

#[derive(DeriveIden)]
enum ResourceValue {
    Table,
    ResourceId,
    Facet,
    Value,
    Pos,
    Listed,
}

#[derive(DeriveIden)]
enum ResourceInstitution {
    Table,
    ResourceId,
    InstitutionId,
    Pos,
    Listed,
}

#[derive(DeriveIden)]
enum ResourceMeasure {
    Table,
    ResourceId,
    MeasureId,
    Pos,
}

#[derive(DeriveIden)]
enum ResourceSession {
    Table,
    ResourceId,
    SessionId,
    Pos,
}

/// `(table, owner column, other column)` of a link table between records.
const LINKS: [(&str, &str, &str, &str); 3] = [
    (
        "resource_institution",
        "institutions",
        "institution_id",
        "institution",
    ),
    (
        "resource_measure",
        "related_measures",
        "measure_id",
        "measure",
    ),
    (
        "resource_session",
        "related_sessions",
        "session_id",
        "event_session",
    ),
];

const RESOURCE_VALUES: [(&str, &str); 5] = [
    ("countries", "country"),
    ("languages", "language"),
    ("topics", "topic"),
    ("audience", "audience"),
    ("identifiers", "identifier"),
];

const MEASURE_VALUES: [(&str, &str); 2] = [
    ("categories", "category"),
    ("target_groups", "target_group"),
];

fn split(v: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in v.split(';').filter(|s| !s.is_empty()) {
        if !out.iter().any(|x| x == s) {
            out.push(s.to_string());
        }
    }
    out
}

async fn insert_rows(
    db: &SchemaManagerConnection<'_>,
    table: &str,
    cols: &[&str],
    rows: Vec<Vec<Value>>,
) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    for chunk in rows.chunks(400) {
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", cols.join(", "));
        let mut values = Vec::new();
        for (i, row) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for (j, v) in row.iter().enumerate() {
                if j > 0 {
                    sql.push_str(", ");
                }
                values.push(v.clone());
                match backend {
                    DbBackend::Postgres => sql.push_str(&format!("${}", values.len())),
                    _ => sql.push('?'),
                }
            }
            sql.push(')');
        }
        db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?;
    }
    Ok(())
}

fn year_sql(backend: DbBackend, col: &str) -> String {
    match backend {
        DbBackend::Postgres => format!(
            "CASE WHEN substr({col}, 1, 4) ~ '^[0-9]{{4}}$' THEN CAST(substr({col}, 1, 4) AS INTEGER) END"
        ),
        _ => format!(
            "CASE WHEN substr({col}, 1, 4) GLOB '[0-9][0-9][0-9][0-9]' THEN CAST(substr({col}, 1, 4) AS INTEGER) END"
        ),
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Measure::Table)
                .add_column(integer_null(Measure::StartYear))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Resource::Table)
                .add_column(integer_null(Resource::Year))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(MeasureValue::Table)
                .if_not_exists()
                .col(string_len(MeasureValue::MeasureId, 64))
                .col(string_len(MeasureValue::Facet, 32))
                .col(text(MeasureValue::Value))
                .col(integer(MeasureValue::Pos))
                .col(boolean(MeasureValue::Listed).default(true))
                .primary_key(
                    Index::create()
                        .col(MeasureValue::MeasureId)
                        .col(MeasureValue::Facet)
                        .col(MeasureValue::Value),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(MeasureValue::Table, MeasureValue::MeasureId)
                        .to(Measure::Table, Measure::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ResourceValue::Table)
                .if_not_exists()
                .col(string_len(ResourceValue::ResourceId, 64))
                .col(string_len(ResourceValue::Facet, 32))
                .col(text(ResourceValue::Value))
                .col(integer(ResourceValue::Pos))
                .col(boolean(ResourceValue::Listed).default(true))
                .primary_key(
                    Index::create()
                        .col(ResourceValue::ResourceId)
                        .col(ResourceValue::Facet)
                        .col(ResourceValue::Value),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ResourceValue::Table, ResourceValue::ResourceId)
                        .to(Resource::Table, Resource::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ResourceInstitution::Table)
                .if_not_exists()
                .col(string_len(ResourceInstitution::ResourceId, 64))
                .col(string_len(ResourceInstitution::InstitutionId, 64))
                .col(integer(ResourceInstitution::Pos))
                .col(boolean(ResourceInstitution::Listed).default(true))
                .primary_key(
                    Index::create()
                        .col(ResourceInstitution::ResourceId)
                        .col(ResourceInstitution::InstitutionId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ResourceInstitution::Table, ResourceInstitution::ResourceId)
                        .to(Resource::Table, Resource::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(
                            ResourceInstitution::Table,
                            ResourceInstitution::InstitutionId,
                        )
                        .to(Institution::Table, Institution::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ResourceMeasure::Table)
                .if_not_exists()
                .col(string_len(ResourceMeasure::ResourceId, 64))
                .col(string_len(ResourceMeasure::MeasureId, 64))
                .col(integer(ResourceMeasure::Pos))
                .primary_key(
                    Index::create()
                        .col(ResourceMeasure::ResourceId)
                        .col(ResourceMeasure::MeasureId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ResourceMeasure::Table, ResourceMeasure::ResourceId)
                        .to(Resource::Table, Resource::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ResourceMeasure::Table, ResourceMeasure::MeasureId)
                        .to(Measure::Table, Measure::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ResourceSession::Table)
                .if_not_exists()
                .col(string_len(ResourceSession::ResourceId, 64))
                .col(string_len(ResourceSession::SessionId, 64))
                .col(integer(ResourceSession::Pos))
                .primary_key(
                    Index::create()
                        .col(ResourceSession::ResourceId)
                        .col(ResourceSession::SessionId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ResourceSession::Table, ResourceSession::ResourceId)
                        .to(Resource::Table, Resource::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ResourceSession::Table, ResourceSession::SessionId)
                        .to(EventSession::Table, EventSession::Id),
                )
                .to_owned(),
        )
        .await?;

        // Fill the tables from the `;` columns, keeping every value and its order.
        let db = m.get_connection();
        let backend = db.get_database_backend();
        let rows = db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT id, categories, target_groups FROM measure ORDER BY id",
            ))
            .await?;
        let mut values = Vec::new();
        for row in &rows {
            let id: String = row.try_get("", "id")?;
            for (col, facet) in MEASURE_VALUES {
                let v: String = row.try_get("", col)?;
                for (pos, value) in split(&v).into_iter().enumerate() {
                    values.push(vec![
                        id.clone().into(),
                        facet.into(),
                        value.into(),
                        (pos as i32).into(),
                    ]);
                }
            }
        }
        insert_rows(
            db,
            "measure_value",
            &["measure_id", "facet", "value", "pos"],
            values,
        )
        .await?;

        let rows = db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT id, institutions, countries, languages, topics, audience, identifiers, \
                 related_measures, related_sessions FROM resource ORDER BY id",
            ))
            .await?;
        let mut values = Vec::new();
        let mut links: Vec<Vec<Vec<Value>>> = vec![Vec::new(), Vec::new(), Vec::new()];
        for row in &rows {
            let id: String = row.try_get("", "id")?;
            for (col, facet) in RESOURCE_VALUES {
                let v: String = row.try_get("", col)?;
                for (pos, value) in split(&v).into_iter().enumerate() {
                    values.push(vec![
                        id.clone().into(),
                        facet.into(),
                        value.into(),
                        (pos as i32).into(),
                    ]);
                }
            }
            for (k, (_, col, _, _)) in LINKS.iter().enumerate() {
                let v: String = row.try_get("", col)?;
                for (pos, other) in split(&v).into_iter().enumerate() {
                    links[k].push(vec![id.clone().into(), other.into(), (pos as i32).into()]);
                }
            }
        }
        insert_rows(
            db,
            "resource_value",
            &["resource_id", "facet", "value", "pos"],
            values,
        )
        .await?;
        for (k, (table, _, other, _)) in LINKS.iter().enumerate() {
            insert_rows(
                db,
                table,
                &["resource_id", other, "pos"],
                std::mem::take(&mut links[k]),
            )
            .await?;
        }
        db.execute_raw(Statement::from_string(
            backend,
            format!(
                "UPDATE measure SET start_year = {}",
                year_sql(backend, "start_date")
            ),
        ))
        .await?;
        db.execute_raw(Statement::from_string(
            backend,
            format!(
                "UPDATE resource SET year = {}",
                year_sql(backend, "published")
            ),
        ))
        .await?;

        // `listed`: the owner passes its area's list condition (published
        // and not deleted), so facet counts without other filters read one
        // index and nothing else.
        for sql in [
            "UPDATE measure_value SET listed = FALSE WHERE measure_id IN \
             (SELECT id FROM measure WHERE status = 'draft' OR deleted_at IS NOT NULL)",
            "UPDATE resource_value SET listed = FALSE WHERE resource_id IN \
             (SELECT id FROM resource WHERE deleted_at IS NOT NULL)",
            "UPDATE resource_institution SET listed = FALSE WHERE resource_id IN \
             (SELECT id FROM resource WHERE deleted_at IS NOT NULL)",
        ] {
            db.execute_raw(Statement::from_string(backend, sql)).await?;
        }

        // The `;` columns go (SQLite drops one column per statement).
        for (col, _) in MEASURE_VALUES {
            m.alter_table(
                Table::alter()
                    .table(Measure::Table)
                    .drop_column(Alias::new(col))
                    .to_owned(),
            )
            .await?;
        }
        for col in RESOURCE_VALUES
            .iter()
            .map(|(c, _)| *c)
            .chain(LINKS.iter().map(|(_, c, _, _)| *c))
        {
            m.alter_table(
                Table::alter()
                    .table(Resource::Table)
                    .drop_column(Alias::new(col))
                    .to_owned(),
            )
            .await?;
        }

        // Indexes behind every list's filters, order and related lookups.
        // Covering indexes: each list's order and each facet's count is an
        // index-only scan (the list condition's columns are in the index).
        // For a one-value filter the index also gives the list's order (id
        // before status), so a page stops after its 50 rows.
        let idx = [
            (
                "idx_measure_value_facet",
                "measure_value",
                "facet, listed, value, measure_id",
            ),
            (
                "idx_resource_value_facet",
                "resource_value",
                "facet, listed, value, resource_id",
            ),
            (
                "idx_resource_institution_inst",
                "resource_institution",
                "institution_id, resource_id",
            ),
            (
                "idx_resource_institution_listed",
                "resource_institution",
                "listed, institution_id",
            ),
            (
                "idx_resource_measure_measure",
                "resource_measure",
                "measure_id, resource_id",
            ),
            (
                "idx_resource_session_session",
                "resource_session",
                "session_id, resource_id",
            ),
            ("idx_measure_list", "measure", "id, status, deleted_at"),
            ("idx_measure_status_id", "measure", "status, deleted_at, id"),
            (
                "idx_measure_country_id",
                "measure",
                "country, deleted_at, status, id",
            ),
            (
                "idx_measure_institution_list",
                "measure",
                "institution, deleted_at, status, id",
            ),
            (
                "idx_measure_year_id",
                "measure",
                "start_year, deleted_at, status, id",
            ),
            ("idx_resource_updated_id", "resource", "updated_at, id"),
            (
                "idx_resource_list",
                "resource",
                "updated_at DESC, id, deleted_at",
            ),
            (
                "idx_resource_type_id",
                "resource",
                "resource_type, deleted_at, updated_at DESC, id",
            ),
            ("idx_resource_year_id", "resource", "year, deleted_at"),
            ("idx_resource_license", "resource", "license, deleted_at"),
        ];
        for (name, table, cols) in idx {
            db.execute_raw(Statement::from_string(
                backend,
                format!("CREATE INDEX IF NOT EXISTS {name} ON {table} ({cols})"),
            ))
            .await?;
        }
        Ok(())
    }
}
