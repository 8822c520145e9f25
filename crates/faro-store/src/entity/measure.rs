use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "measure")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub institution: String,
    pub country: Option<String>,
    pub crisis: String,
    pub log_type: String,
    pub announced_date: String,
    pub start_date: String,
    pub end_date: String,
    pub scope_level: String,
    pub scope_targeting: String,
    pub original_language: String,
    pub title_es: String,
    pub title_en: String,
    pub title_pt: String,
    pub description_es: String,
    pub description_en: String,
    pub description_pt: String,
    pub source_url: String,
    pub source_type: String,
    pub source_title: String,
    pub source_accessed: String,
    pub status: String,
    pub notes: String,
    pub entered_by: String,
    pub reviewed_by: String,
    pub last_reviewed: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
    /// The start year (facet), derived from `start_date` on every write.
    #[serde(default)]
    pub start_year: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
