use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "institution")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub acronym: String,
    pub name_es: String,
    pub name_en: String,
    pub name_pt: String,
    pub country: Option<String>,
    pub kind: String,
    pub member: bool,
    pub presenter: bool,
    pub website: Option<String>,
    pub note: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub description_es: Option<String>,
    pub description_en: Option<String>,
    pub description_pt: Option<String>,
    pub contact_email: Option<String>,
    /// Soft delete: set by a coordinator, cleared by a restore.
    pub deleted_at: Option<DateTimeUtc>,
    /// Folded id, acronym and names for the directory's text filter
    /// (derived on every write; recomputed when a dump is loaded).
    #[serde(default)]
    pub search_text: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
