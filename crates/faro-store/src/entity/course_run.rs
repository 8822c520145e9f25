use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "course_run")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub course_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub run_id: String,
    pub pos: i32,
    pub run_start: String,
    pub run_end: String,
    pub enrolment_start: String,
    pub enrolment_end: String,
    pub pacing: String,
    pub modality: String,
    pub cost: String,
    pub certificate: String,
    pub price: String,
    pub currency: String,
    pub hours_total: Option<i32>,
    pub hours_week: Option<i32>,
    pub seats: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
