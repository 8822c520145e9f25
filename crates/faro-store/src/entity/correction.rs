use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "correction")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub measure_id: String,
    /// What is wrong, in the suggester's words.
    pub what: String,
    pub source_url: String,
    /// Optional, private: never shown on public pages or in exports.
    pub contact: String,
    /// Client address, for abuse limits only.
    pub client: String,
    /// `pending`, `accepted` or `rejected`.
    pub status: String,
    /// The coordinator's reason or note.
    pub decision: String,
    pub decided_by: String,
    pub created_at: DateTimeUtc,
    pub decided_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
