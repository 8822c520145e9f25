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
    /// Availability dates (migration m0022, `courses::date_values`).
    pub av_open1_from: Option<String>,
    pub av_open1_until: Option<String>,
    pub av_open2_from: Option<String>,
    pub av_open2_until: Option<String>,
    pub av_open3_from: Option<String>,
    pub av_open3_until: Option<String>,
    pub av_soon1_from: Option<String>,
    pub av_soon1_until: Option<String>,
    pub av_soon2_from: Option<String>,
    pub av_soon2_until: Option<String>,
    pub av_soon3_from: Option<String>,
    pub av_soon3_until: Option<String>,
    pub av_self_paced_until: Option<String>,
    pub av_last_end: Option<String>,
    pub av_start1: Option<String>,
    pub av_start2: Option<String>,
    pub av_start3: Option<String>,
    pub av_open_more: bool,
    pub av_soon_more: bool,
    pub av_start_more: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
