use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "event_session")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub series: String,
    pub number: i32,
    pub date: String,
    pub title_es: String,
    pub title_en: String,
    pub title_pt: String,
    pub original_language: String,
    pub channels: String,
    pub notes: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub start_time: String,
    pub time_zone: String,
    pub start_at: Option<DateTimeUtc>,
    pub duration_minutes: i32,
    pub description_es: String,
    pub description_en: String,
    pub description_pt: String,
    pub capacity: Option<i32>,
    pub status: String,
    pub facebook_url: String,
    pub sequence: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
