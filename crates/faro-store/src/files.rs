//! Files attached to resources. The bytes are written under the data folder
//! by content hash (`files/ab/abcdef…`), atomically, before the database row
//! that points to them; a file already stored is not written again.

use crate::changes::{self, Actor, FieldChange};
use crate::entity::resource_file::{self, Column, Entity};
use crate::{Result, Store, StoreError};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The formats accepted, recognised by their content (never by the name).
/// Returns (media type, extension).
pub fn sniff(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    if bytes.starts_with(b"%PDF-") {
        return Some(("application/pdf", "pdf"));
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(("image/png", "png"));
    }
    if bytes.starts_with(b"\xFF\xD8\xFF") {
        return Some(("image/jpeg", "jpg"));
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return Some(("image/gif", "gif"));
    }
    if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Some(("image/webp", "webp"));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        // Office Open XML and OpenDocument are ZIP archives; their entry
        // names are stored as plain text.
        if has(b"mimetypeapplication/vnd.oasis.opendocument.text") {
            return Some(("application/vnd.oasis.opendocument.text", "odt"));
        }
        if has(b"word/document.xml") {
            return Some((
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "docx",
            ));
        }
        if has(b"ppt/presentation.xml") {
            return Some((
                "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                "pptx",
            ));
        }
        if has(b"xl/workbook.xml") {
            return Some((
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "xlsx",
            ));
        }
    }
    None
}

/// A safe file name with the extension of the sniffed type.
pub fn file_name(original: &str, ext: &str) -> String {
    let stem = original
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .rsplit_once('.')
        .map(|(s, _)| s)
        .unwrap_or(original);
    let clean: String = stem
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | ' ') {
                c
            } else {
                '_'
            }
        })
        .take(100)
        .collect();
    let clean = clean.trim();
    format!("{}.{ext}", if clean.is_empty() { "file" } else { clean })
}

pub fn path_for(dir: &Path, sha: &str) -> PathBuf {
    dir.join(&sha[..2]).join(sha)
}

/// Stores the bytes and attaches them to the resource, recording the change.
pub async fn attach(
    store: &Store,
    dir: &Path,
    resource_id: &str,
    original_name: &str,
    bytes: &[u8],
    actor: &Actor,
) -> Result<resource_file::Model> {
    let Some((media_type, ext)) = sniff(bytes) else {
        return Err(StoreError::Invalid("unsupported_file_type".into()));
    };
    crate::knowledge::get(store, resource_id).await?;
    let sha = crate::accounts::hex_digest(&Sha256::digest(bytes));
    let path = path_for(dir, &sha);
    if !path.exists() {
        let parent = path
            .parent()
            .ok_or_else(|| StoreError::Invalid("bad path".into()))?;
        std::fs::create_dir_all(parent)?;
        let tmp = parent.join(format!(".{sha}.{}.tmp", std::process::id()));
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(&tmp, &path)?;
    }
    let name = file_name(original_name, ext);
    let text = if media_type == "application/pdf" {
        let owned = bytes.to_vec();
        tokio::task::spawn_blocking(move || faro_formats::pdf::text(&owned))
            .await
            .ok()
            .flatten()
    } else {
        None
    };
    let row = resource_file::Model {
        resource_id: resource_id.to_string(),
        sha256: sha.clone(),
        name: name.clone(),
        media_type: media_type.to_string(),
        size: bytes.len() as i64,
        created_at: chrono::Utc::now(),
        text,
        removed_at: None,
    };
    let txn = store.write().begin().await?;
    let found = Entity::find_by_id((resource_id.to_string(), sha.clone()))
        .one(&txn)
        .await?;
    // Uploading a removed file again attaches it again.
    if let Some(old) = found.as_ref().filter(|f| f.removed_at.is_some()) {
        let mut am: resource_file::ActiveModel = old.clone().into();
        am.removed_at = Set(None);
        Entity::update(am).exec(&txn).await?;
        let change = FieldChange {
            field: "files",
            old: None,
            new: Some(format!("{} (attached again, sha256 {sha})", old.name)),
        };
        changes::record(
            &txn,
            actor,
            crate::knowledge::RECORD_TYPE,
            resource_id,
            "updated",
            &[change],
        )
        .await?;
    }
    if found.is_none() {
        Entity::insert(resource_file::ActiveModel {
            resource_id: Set(row.resource_id.clone()),
            sha256: Set(row.sha256.clone()),
            name: Set(row.name.clone()),
            media_type: Set(row.media_type.clone()),
            size: Set(row.size),
            created_at: Set(row.created_at),
            text: Set(row.text.clone()),
            removed_at: Set(None),
        })
        .exec(&txn)
        .await?;
        let change = FieldChange {
            field: "files",
            old: None,
            new: Some(format!(
                "{name} ({media_type}, {} bytes, sha256 {sha})",
                bytes.len()
            )),
        };
        changes::record(
            &txn,
            actor,
            crate::knowledge::RECORD_TYPE,
            resource_id,
            "updated",
            &[change],
        )
        .await?;
    }
    txn.commit().await?;
    Ok(row)
}

/// Detaches a file from a resource. Nothing is deleted: the bytes and the
/// row stay (marked removed), the history says who removed what and why,
/// and uploading the same file again attaches it again. The file is no
/// longer listed, served or searched.
pub async fn remove(store: &Store, resource_id: &str, sha: &str, actor: &Actor) -> Result<()> {
    let txn = store.write().begin().await?;
    let f = Entity::find_by_id((resource_id.to_string(), sha.to_string()))
        .one(&txn)
        .await?
        .filter(|f| f.removed_at.is_none())
        .ok_or(StoreError::NotFound)?;
    let change = FieldChange {
        field: "files",
        old: Some(format!(
            "{} ({}, {} bytes, sha256 {})",
            f.name, f.media_type, f.size, f.sha256
        )),
        new: None,
    };
    let mut am: resource_file::ActiveModel = f.into();
    am.removed_at = Set(Some(chrono::Utc::now()));
    Entity::update(am).exec(&txn).await?;
    changes::record(
        &txn,
        actor,
        crate::knowledge::RECORD_TYPE,
        resource_id,
        "updated",
        &[change],
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The files attached to a resource (not removed), oldest first.
pub async fn for_resource(store: &Store, resource_id: &str) -> Result<Vec<resource_file::Model>> {
    Ok(Entity::find()
        .filter(Column::ResourceId.eq(resource_id))
        .filter(Column::RemovedAt.is_null())
        .order_by_asc(Column::CreatedAt)
        .all(store.read())
        .await?)
}

/// The metadata of a stored file (any resource it is attached to).
pub async fn by_hash(store: &Store, sha: &str) -> Result<resource_file::Model> {
    Entity::find()
        .filter(Column::Sha256.eq(sha))
        .filter(Column::RemovedAt.is_null())
        .one(store.read())
        .await?
        .ok_or(StoreError::NotFound)
}

/// The texts extracted from a resource's files (for search).
pub async fn texts_for(store: &Store, resource_id: &str) -> Result<Vec<String>> {
    Ok(for_resource(store, resource_id)
        .await?
        .into_iter()
        .filter_map(|f| f.text)
        .collect())
}
