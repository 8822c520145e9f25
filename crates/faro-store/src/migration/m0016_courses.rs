//! The course finder: `course`, its runs (`course_run`), its multi-valued
//! fields and derived facet values (`course_value`: language, subject, topic,
//! target_group, cost, modality, certificate, workload, light), its
//! providers (`course_provider`, foreign keys to `institution`), and the
//! view `course_country` (the providers' countries) that the country facet
//! counts. Run dates are `YYYY-MM-DD` text (empty when not given), so the
//! availability facet compares them with the day in SQL on both backends.

use sea_orm::{ConnectionTrait, Statement};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn a(name: &str) -> Alias {
    Alias::new(name)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut course = Table::create();
        course
            .table(a("course"))
            .if_not_exists()
            .col(string_len(a("id"), 64).primary_key());
        for c in [
            "title_es",
            "title_en",
            "title_pt",
            "description_es",
            "description_en",
            "description_pt",
            "url",
            "notes",
        ] {
            course.col(text(a(c)));
        }
        course
            .col(string_len(a("original_language"), 8))
            .col(string_len(a("level"), 20))
            .col(boolean(a("mobile_friendly")))
            .col(boolean(a("downloadable")))
            .col(boolean(a("offline")))
            .col(boolean(a("broadcast")))
            .col(integer_null(a("data_mb")))
            .col(timestamp_with_time_zone(a("created_at")))
            .col(timestamp_with_time_zone(a("updated_at")))
            .col(timestamp_with_time_zone_null(a("deleted_at")));
        m.create_table(course.to_owned()).await?;

        let mut run = Table::create();
        run.table(a("course_run"))
            .if_not_exists()
            .col(string_len(a("course_id"), 64))
            .col(string_len(a("run_id"), 64))
            .col(integer(a("pos")));
        for c in ["run_start", "run_end", "enrolment_start", "enrolment_end"] {
            run.col(string_len(a(c), 10));
        }
        for c in ["pacing", "modality", "cost", "certificate"] {
            run.col(string_len(a(c), 20));
        }
        run.col(string_len(a("price"), 20))
            .col(string_len(a("currency"), 3))
            .col(integer_null(a("hours_total")))
            .col(integer_null(a("hours_week")))
            .col(integer_null(a("seats")))
            .primary_key(Index::create().col(a("course_id")).col(a("run_id")))
            .foreign_key(
                ForeignKey::create()
                    .from(a("course_run"), a("course_id"))
                    .to(a("course"), a("id")),
            );
        m.create_table(run.to_owned()).await?;

        m.create_table(
            Table::create()
                .table(a("course_value"))
                .if_not_exists()
                .col(string_len(a("course_id"), 64))
                .col(string_len(a("facet"), 32))
                .col(text(a("value")))
                .col(integer(a("pos")))
                .col(boolean(a("listed")).default(true))
                .primary_key(
                    Index::create()
                        .col(a("course_id"))
                        .col(a("facet"))
                        .col(a("value")),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(a("course_value"), a("course_id"))
                        .to(a("course"), a("id")),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(a("course_provider"))
                .if_not_exists()
                .col(string_len(a("course_id"), 64))
                .col(string_len(a("institution_id"), 64))
                .col(integer(a("pos")))
                .col(boolean(a("listed")).default(true))
                .primary_key(Index::create().col(a("course_id")).col(a("institution_id")))
                .foreign_key(
                    ForeignKey::create()
                        .from(a("course_provider"), a("course_id"))
                        .to(a("course"), a("id")),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(a("course_provider"), a("institution_id"))
                        .to(a("institution"), a("id")),
                )
                .to_owned(),
        )
        .await?;

        let db = m.get_connection();
        let backend = db.get_database_backend();
        let statements = [
            // The country facet: each course once per country of its providers.
            "CREATE VIEW course_country AS SELECT DISTINCT p.course_id AS course_id, \
             i.country AS country, p.listed AS listed FROM course_provider p \
             JOIN institution i ON i.id = p.institution_id WHERE i.country IS NOT NULL",
            "CREATE INDEX IF NOT EXISTS idx_course_list ON course (created_at DESC, id, deleted_at)",
            "CREATE INDEX IF NOT EXISTS idx_course_updated_id ON course (updated_at, id)",
            "CREATE INDEX IF NOT EXISTS idx_course_level ON course (level, deleted_at)",
            "CREATE INDEX IF NOT EXISTS idx_course_value_facet ON course_value (facet, listed, value, course_id)",
            "CREATE INDEX IF NOT EXISTS idx_course_provider_inst ON course_provider (institution_id, course_id)",
            "CREATE INDEX IF NOT EXISTS idx_course_provider_listed ON course_provider (listed, institution_id)",
            // Availability: runs by course with their dates (an index-only
            // probe per course), and runs by start (starting soon).
            "CREATE INDEX IF NOT EXISTS idx_course_run_dates ON course_run \
             (course_id, pacing, run_start, run_end, enrolment_start, enrolment_end)",
            "CREATE INDEX IF NOT EXISTS idx_course_run_start ON course_run (run_start, course_id)",
        ];
        for s in statements {
            db.execute_raw(Statement::from_string(backend, s)).await?;
        }
        Ok(())
    }
}
