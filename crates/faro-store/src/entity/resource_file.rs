use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "resource_file")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub resource_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub sha256: String,
    pub name: String,
    pub media_type: String,
    pub size: i64,
    pub created_at: DateTimeUtc,
    /// Text extracted from a PDF (for search); `None` for other files.
    pub text: Option<String>,
    /// When an editor detached the file (kept, no longer listed or served).
    /// Added in migration 12: absent from older dumps.
    #[serde(default)]
    pub removed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
