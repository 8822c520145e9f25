//! The one migration set, for SQLite and PostgreSQL alike (sea-query DSL).
//! Never edit a released migration: add a new one.

use sea_orm_migration::prelude::*;

mod m0001_foundation;
mod m0002_accounts;
mod m0003_search_outbox;
mod m0004_measures;
mod m0005_releases;
mod m0006_corrections;
mod m0007_resources;
mod m0008_resource_files;
mod m0009_link_checks;
mod m0010_file_text;
mod m0011_sessions_and_relations;
mod m0012_file_removal;
mod m0013_relation_tables;
mod m0014_institution_search_text;
mod m0015_display_names;
mod m0016_courses;
mod m0017_event_series;
mod m0018_attendance;
mod m0019_surveys;
mod m0020_survey_tally;
mod m0021_reports;
mod m0022_course_availability;
mod m0023_series_audience;
mod m0024_survey_results;
mod m0025_course_harvest;
mod m0026_course_link_checks;
mod m0027_feed_indexes;
mod m0028_correction_status_index;
pub(crate) use m0022_course_availability::{
    FLAG_COLUMNS as M0022_FLAG_COLUMNS, day_columns as m0022_day_columns,
};

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_foundation::Migration),
            Box::new(m0002_accounts::Migration),
            Box::new(m0003_search_outbox::Migration),
            Box::new(m0004_measures::Migration),
            Box::new(m0005_releases::Migration),
            Box::new(m0006_corrections::Migration),
            Box::new(m0007_resources::Migration),
            Box::new(m0008_resource_files::Migration),
            Box::new(m0009_link_checks::Migration),
            Box::new(m0010_file_text::Migration),
            Box::new(m0011_sessions_and_relations::Migration),
            Box::new(m0012_file_removal::Migration),
            Box::new(m0013_relation_tables::Migration),
            Box::new(m0014_institution_search_text::Migration),
            Box::new(m0015_display_names::Migration),
            Box::new(m0016_courses::Migration),
            Box::new(m0017_event_series::Migration),
            Box::new(m0018_attendance::Migration),
            Box::new(m0019_surveys::Migration),
            Box::new(m0020_survey_tally::Migration),
            Box::new(m0021_reports::Migration),
            Box::new(m0022_course_availability::Migration),
            Box::new(m0023_series_audience::Migration),
            Box::new(m0024_survey_results::Migration),
            Box::new(m0025_course_harvest::Migration),
            Box::new(m0026_course_link_checks::Migration),
            Box::new(m0027_feed_indexes::Migration),
            Box::new(m0028_correction_status_index::Migration),
        ]
    }
}
