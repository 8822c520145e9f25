//! The dates that decide a course's availability, kept on `course` by the
//! write path (`faro_domain::courses::AvailabilityDates`): window slots for
//! "open now" and "starting soon" (`av_open1_from` … `av_soon3_until`, the
//! latest windows first, `*_more` when the last slot is the hull of older
//! ones), the last day of a self-paced run, the end of the last run when
//! every run has one, and the latest starts (the "by start" order). The
//! finder's availability filter and counts are range conditions on these
//! columns, evaluated at the request's day, instead of semi-joins over
//! `course_run`. Existing courses are filled from their runs here.

use faro_domain::courses::{Course, CourseRun, WINDOW_SLOTS};
use sea_orm::{ConnectionTrait, Statement, Value};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Day columns of `course` (nullable `YYYY-MM-DD` text).
pub(crate) fn day_columns() -> Vec<String> {
    let mut cols = Vec::new();
    for kind in ["open", "soon"] {
        for i in 1..=WINDOW_SLOTS {
            cols.push(format!("av_{kind}{i}_from"));
            cols.push(format!("av_{kind}{i}_until"));
        }
    }
    cols.push("av_self_paced_until".into());
    cols.push("av_last_end".into());
    for i in 1..=WINDOW_SLOTS {
        cols.push(format!("av_start{i}"));
    }
    cols
}

pub(crate) const FLAG_COLUMNS: [&str; 3] = ["av_open_more", "av_soon_more", "av_start_more"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for c in day_columns() {
            m.alter_table(
                Table::alter()
                    .table(Alias::new("course"))
                    .add_column(string_len_null(Alias::new(c.as_str()), 10))
                    .to_owned(),
            )
            .await?;
        }
        for c in FLAG_COLUMNS {
            m.alter_table(
                Table::alter()
                    .table(Alias::new("course"))
                    .add_column(boolean(Alias::new(c)).default(false))
                    .to_owned(),
            )
            .await?;
        }
        let db = m.get_connection();
        let backend = db.get_database_backend();
        for s in [
            // Archived and self-paced alone: a range on one column.
            "CREATE INDEX IF NOT EXISTS idx_course_av_last_end ON course (av_last_end)",
            "CREATE INDEX IF NOT EXISTS idx_course_av_self_paced ON course (av_self_paced_until)",
            // Starting soon alone: the latest window's end (a window ends
            // at its start, so few are later than today).
            "CREATE INDEX IF NOT EXISTS idx_course_av_soon1 ON course (av_soon1_until, av_soon1_from)",
        ] {
            db.execute_raw(Statement::from_string(backend, s)).await?;
        }
        // Fill the columns of courses stored before this migration.
        let mut after = String::new();
        loop {
            let mut sql = crate::list::Sql::new(backend);
            sql.push("SELECT id FROM course WHERE id > ")
                .bind(after.clone())
                .push(" ORDER BY id LIMIT 500");
            let ids: Vec<String> = db
                .query_all_raw(sql.statement())
                .await?
                .iter()
                .map(|r| r.try_get::<String>("", "id"))
                .collect::<Result<_, _>>()?;
            let Some(last) = ids.last() else { break };
            after = last.clone();
            let mut sql = crate::list::Sql::new(backend);
            sql.push(
                "SELECT course_id, run_start, run_end, enrolment_start, enrolment_end, pacing \
                 FROM course_run WHERE course_id IN ",
            )
            .bind_list(ids.iter().cloned())
            .push(" ORDER BY course_id, pos");
            let mut runs: std::collections::HashMap<String, Vec<CourseRun>> = Default::default();
            for r in db.query_all_raw(sql.statement()).await? {
                let id: String = r.try_get("", "course_id")?;
                runs.entry(id).or_default().push(CourseRun {
                    run_start: r.try_get("", "run_start")?,
                    run_end: r.try_get("", "run_end")?,
                    enrolment_start: r.try_get("", "enrolment_start")?,
                    enrolment_end: r.try_get("", "enrolment_end")?,
                    pacing: r.try_get("", "pacing")?,
                    ..Default::default()
                });
            }
            for id in ids {
                let c = Course {
                    runs: runs.remove(&id).unwrap_or_default(),
                    ..Default::default()
                };
                let (cols, vals) = crate::courses::date_values(&c);
                let mut sql = crate::list::Sql::new(backend);
                sql.push("UPDATE course SET ");
                for (i, (col, v)) in cols.iter().zip(vals).enumerate() {
                    if i > 0 {
                        sql.push(", ");
                    }
                    sql.push(col).push(" = ").bind(v);
                }
                sql.push(" WHERE id = ").bind(Value::from(id));
                db.execute_raw(sql.statement()).await?;
            }
        }
        Ok(())
    }
}
