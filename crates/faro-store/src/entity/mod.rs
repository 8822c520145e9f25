//! SeaORM entities, one module per table.
pub mod accounts;
pub mod change_log;
pub mod correction;
pub mod course;
pub mod course_run;
pub mod data_release_file;
pub mod event_session;
pub mod institution;
pub mod link_check;
pub mod measure;
pub mod meta;
pub mod resource;
pub mod resource_file;
pub mod search_outbox;
