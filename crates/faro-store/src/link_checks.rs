//! Results of `faro check-links`: the latest check per resource.

use crate::entity::link_check::{self, Entity};
use crate::{Result, Store};
use sea_orm::{ActiveValue::Set, EntityTrait, sea_query::OnConflict};

pub async fn record(
    store: &Store,
    resource_id: &str,
    url: &str,
    outcome: &str,
    status: Option<u16>,
    detail: &str,
) -> Result<()> {
    Entity::insert(link_check::ActiveModel {
        resource_id: Set(resource_id.to_string()),
        url: Set(url.to_string()),
        outcome: Set(outcome.to_string()),
        status_code: Set(status.map(i32::from)),
        detail: Set(detail.chars().take(500).collect()),
        checked_at: Set(chrono::Utc::now()),
    })
    .on_conflict(
        OnConflict::column(link_check::Column::ResourceId)
            .update_columns([
                link_check::Column::Url,
                link_check::Column::Outcome,
                link_check::Column::StatusCode,
                link_check::Column::Detail,
                link_check::Column::CheckedAt,
            ])
            .to_owned(),
    )
    .exec(store.write())
    .await?;
    Ok(())
}

pub async fn get(store: &Store, resource_id: &str) -> Result<Option<link_check::Model>> {
    Ok(Entity::find_by_id(resource_id.to_string())
        .one(store.read())
        .await?)
}
