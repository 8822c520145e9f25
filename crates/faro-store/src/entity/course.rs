use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "course")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub title_es: String,
    pub title_en: String,
    pub title_pt: String,
    pub description_es: String,
    pub description_en: String,
    pub description_pt: String,
    pub url: String,
    pub notes: String,
    pub original_language: String,
    pub level: String,
    pub mobile_friendly: bool,
    pub downloadable: bool,
    pub offline: bool,
    pub broadcast: bool,
    pub data_mb: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
