use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// One changed field of one record: the history every area shares.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "change_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Groups the fields changed by one save or one import.
    pub change_set: String,
    pub record_type: String,
    pub record_id: String,
    /// `created`, `updated` or `deleted`.
    pub action: String,
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub actor: String,
    pub reason: Option<String>,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
