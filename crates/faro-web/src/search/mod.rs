//! Keeps this process's search index in step with the database, and turns
//! records into search documents. The database is the source of truth: on
//! start a missing, corrupt or stale index is rebuilt; afterwards a follower
//! applies the search outbox (written in each change's transaction) every
//! `interval`, so a committed write is searchable within about a second,
//! also when several processes share one PostgreSQL database.

pub mod docs;

use faro_search::{Opened, SearchIndex};
use faro_store::Store;
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, thiserror::Error)]
pub enum IndexerError {
    #[error(transparent)]
    Search(#[from] faro_search::SearchError),
    #[error(transparent)]
    Store(#[from] faro_store::StoreError),
}

/// Why the index was rebuilt at start (for logs and tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartState {
    UpToDate,
    Rebuilt,
}

/// Documents per batch while rebuilding (one query per area and batch).
const BATCH: u64 = 1000;

/// Every document of every area, from the database, in batches sent to
/// `tx` as they are read: a rebuild holds one batch in memory, not the site.
async fn send_docs(
    store: &Store,
    tx: &std::sync::mpsc::SyncSender<Result<Vec<faro_search::SearchDoc>, IndexerError>>,
) -> Result<(), IndexerError> {
    let send = |batch: Vec<faro_search::SearchDoc>| {
        let tx = tx.clone();
        async move {
            tokio::task::spawn_blocking(move || tx.send(Ok(batch)).is_ok())
                .await
                .unwrap_or(false)
        }
    };
    let mut batch = Vec::new();
    for i in faro_store::institutions::all(store).await? {
        batch.push(docs::institution(&i));
    }
    for s in faro_store::events::all(store).await? {
        batch.push(docs::session(&s));
    }
    for x in faro_store::events::list_series(store).await? {
        batch.push(docs::series(&x));
    }
    if !send(batch).await {
        return Ok(());
    }
    let mut after: Option<String> = None;
    loop {
        let ms = faro_store::observatory::walk(store, after.as_deref(), BATCH).await?;
        let Some(last) = ms.last() else { break };
        after = Some(last.id.clone());
        if !send(ms.iter().map(docs::measure).collect()).await {
            return Ok(());
        }
    }
    let mut after: Option<String> = None;
    loop {
        let rs = faro_store::knowledge::walk(store, after.as_deref(), BATCH).await?;
        let Some(last) = rs.last() else { break };
        after = Some(last.resource.id.clone());
        let mut batch = Vec::with_capacity(rs.len());
        for r in &rs {
            let texts = faro_store::files::texts_for(store, &r.resource.id).await?;
            batch.push(docs::resource(
                &r.resource,
                r.updated_at.timestamp(),
                &texts,
            ));
        }
        if !send(batch).await {
            return Ok(());
        }
    }
    let mut after: Option<String> = None;
    loop {
        let cs = faro_store::courses::walk(store, after.as_deref(), BATCH).await?;
        let Some(last) = cs.last() else { break };
        after = Some(last.course.id.clone());
        let providers: Vec<String> = cs
            .iter()
            .flat_map(|c| c.course.providers.iter().cloned())
            .collect();
        let countries = faro_store::courses::provider_countries(store, &providers).await?;
        let batch = cs.iter().map(|c| docs::course(c, &countries)).collect();
        if !send(batch).await {
            return Ok(());
        }
    }
    Ok(())
}

/// Rebuilds the whole index from the database.
pub async fn rebuild(
    store: &Store,
    index: &Arc<SearchIndex>,
    progress: impl FnMut(u64) + Send + 'static,
) -> Result<u64, IndexerError> {
    let site = faro_store::meta::site_id(store).await?;
    // Read the cursor first: anything written meanwhile is replayed after.
    let cursor = faro_store::outbox::max_id(store).await?;
    let (tx, rx) = std::sync::mpsc::sync_channel(2);
    let store2 = store.clone();
    let producer = tokio::spawn(async move {
        if let Err(e) = send_docs(&store2, &tx).await {
            let _ = tx.send(Err(e));
        }
    });
    let index = index.clone();
    // A read error panics inside the blocking task, before the rebuild
    // commits: the index on disk stays as it was and the error is returned.
    let built = tokio::task::spawn_blocking(move || {
        let docs = rx.into_iter().flat_map(|b| match b {
            Ok(v) => v,
            Err(e) => panic!("rebuild aborted: {e}"),
        });
        index.rebuild(docs, &site, cursor, progress)
    })
    .await;
    let _ = producer.await;
    let n =
        built.map_err(|e| faro_search::SearchError::Io(std::io::Error::other(e.to_string())))??;
    Ok(n)
}

/// Opens the index under `dir` and brings it up to date with the database.
pub async fn open(
    store: &Store,
    dir: &Path,
) -> Result<(Arc<SearchIndex>, StartState), IndexerError> {
    let (index, opened) = SearchIndex::open(dir, 50_000_000)?;
    let index = Arc::new(index);
    let site = faro_store::meta::site_id(store).await?;
    let max = faro_store::outbox::max_id(store).await?;
    let stale = match index.checkpoint() {
        None => true,
        Some((s, cursor)) => s != site || cursor > max,
    };
    if opened == Opened::Fresh || stale {
        let n = rebuild(store, &index, |_| {}).await?;
        tracing::info!(documents = n, dir = %dir.display(), "search index rebuilt");
        return Ok((index, StartState::Rebuilt));
    }
    Ok((index, StartState::UpToDate))
}

/// Applies outbox rows after the index's cursor. Ids from concurrent
/// PostgreSQL transactions can commit out of order, so the cursor only
/// advances over a contiguous run; a gap older than `gap_timeout` (a
/// rolled-back transaction) is skipped. Re-applying a row is harmless.
pub struct Follower {
    store: Store,
    index: Arc<SearchIndex>,
    gap_since: Option<(i64, Instant)>,
    gap_timeout: Duration,
}

impl Follower {
    pub fn new(store: Store, index: Arc<SearchIndex>) -> Self {
        Follower {
            store,
            index,
            gap_since: None,
            gap_timeout: Duration::from_secs(10),
        }
    }

    /// One round; returns how many records were re-indexed.
    pub async fn sync_once(&mut self) -> Result<usize, IndexerError> {
        let cursor = self.index.cursor();
        let rows = faro_store::outbox::since(&self.store, cursor, 1000).await?;
        if rows.is_empty() {
            return Ok(0);
        }
        let mut next = cursor;
        for r in &rows {
            if r.id == next + 1 {
                next = r.id;
                continue;
            }
            // A gap before r.id: wait for it, but not forever.
            match self.gap_since {
                Some((at, since)) if at == next + 1 && since.elapsed() > self.gap_timeout => {
                    next = r.id;
                    self.gap_since = None;
                }
                Some((at, _)) if at == next + 1 => break,
                _ => {
                    self.gap_since = Some((next + 1, Instant::now()));
                    break;
                }
            }
        }
        let keys: BTreeSet<(String, String)> = rows
            .iter()
            .map(|r| (r.record_type.clone(), r.record_id.clone()))
            .collect();
        let mut upserts = Vec::new();
        let mut deletes = Vec::new();
        for (record_type, id) in &keys {
            match docs::load(&self.store, record_type, id).await? {
                docs::Loaded::Doc(d) => upserts.push(*d),
                docs::Loaded::Gone => deletes.push(format!("{record_type}:{id}")),
                docs::Loaded::NotSearchable => {}
            }
        }
        let site = faro_store::meta::site_id(&self.store).await?;
        let index = self.index.clone();
        let n = upserts.len() + deletes.len();
        tokio::task::spawn_blocking(move || {
            index.apply(&upserts, &deletes, &site, next.max(cursor))
        })
        .await
        .map_err(|e| faro_search::SearchError::Io(std::io::Error::other(e)))??;
        Ok(n)
    }

    /// Runs forever, every `interval`.
    pub fn spawn(mut self, interval: Duration) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(interval);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(e) = self.sync_once().await {
                    tracing::warn!(error = %e, "search index update failed; will retry");
                }
            }
        })
    }
}
