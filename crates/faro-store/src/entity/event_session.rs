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
    #[serde(default)]
    pub start_time: String,
    #[serde(default)]
    pub time_zone: String,
    #[serde(default)]
    pub start_at: Option<DateTimeUtc>,
    #[serde(default)]
    pub duration_minutes: i32,
    #[serde(default)]
    pub description_es: String,
    #[serde(default)]
    pub description_en: String,
    #[serde(default)]
    pub description_pt: String,
    #[serde(default)]
    pub capacity: Option<i32>,
    #[serde(default = "scheduled")]
    pub status: String,
    #[serde(default)]
    pub facebook_url: String,
    #[serde(default)]
    pub sequence: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

fn scheduled() -> String {
    "scheduled".into()
}
