//! The demonstration data: plain files under `data/demo/`, drawn from the
//! report, compiled into the binary so a fresh start needs no other files.

use crate::changes::Actor;
use crate::{Result, Store, StoreError, institutions, meta};

/// The reason the history gives for every change the demonstration data
/// makes (pages translate it).
pub const REASON: &str = "demonstration data from the 2020 series report";

pub const INSTITUTIONS_CSV: &str = include_str!("../../../data/demo/institutions.csv");
pub const MEASURES_CSV: &str = include_str!("../../../data/demo/measures.csv");
pub const RESOURCES_CSV: &str = include_str!("../../../data/demo/resources.csv");
pub const SESSIONS_CSV: &str = include_str!("../../../data/demo/sessions.csv");
/// The series with its reported figures and presenters (JSON: a series
/// has lists of both).
pub const SERIES_JSON: &str = include_str!("../../../data/demo/series.json");

#[derive(serde::Deserialize)]
struct DemoSeries {
    #[serde(flatten)]
    series: faro_domain::events::Series,
    presenters: Vec<faro_domain::events::Presenter>,
}

#[derive(serde::Deserialize)]
struct DemoSeriesFile {
    series: Vec<DemoSeries>,
}
pub const COURSES_CSV: &str = include_str!("../../../data/demo/courses.csv");
/// Bump when the demo files change, so `faro demo load` can tell.
pub const VERSION: &str = "4";
const KEY: &str = "demo_loaded";

/// Whether the demonstration data was ever loaded into this database.
pub async fn loaded(store: &Store) -> Result<bool> {
    Ok(meta::get(store, KEY).await?.is_some())
}

/// Loads (or refreshes) the demonstration data. Idempotent: records that
/// already match are left untouched and no history is written for them.
pub async fn load(store: &Store) -> Result<institutions::ImportReport> {
    let items =
        faro_formats::institutions_csv::read(INSTITUTIONS_CSV.as_bytes()).map_err(|errs| {
            let lines: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
            StoreError::Invalid(format!("demo data is invalid: {}", lines.join("; ")))
        })?;
    let actor = Actor::new("demo", Some(REASON.into()));
    let report = institutions::upsert_all(store, &items, &actor).await?;
    let codebook = faro_domain::observatory::current();
    let measures =
        faro_formats::measures_csv::read(MEASURES_CSV.as_bytes(), codebook).map_err(|errs| {
            let lines: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
            StoreError::Invalid(format!("demo measures are invalid: {}", lines.join("; ")))
        })?;
    crate::observatory::upsert_all(store, &measures, &actor).await?;
    let sessions = faro_formats::sessions_csv::read(SESSIONS_CSV.as_bytes()).map_err(|errs| {
        let lines: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        StoreError::Invalid(format!("demo sessions are invalid: {}", lines.join("; ")))
    })?;
    let series: DemoSeriesFile = serde_json::from_str(SERIES_JSON)
        .map_err(|e| StoreError::Invalid(format!("demo series are invalid: {e}")))?;
    // A series first without its presenters (they name its sessions), then
    // the sessions, then the series with its presenters.
    for d in &series.series {
        let stored = crate::events::series_version(store, &d.series.id).await?;
        if stored.is_none() {
            crate::events::save_series(store, &d.series, &[], &actor, None).await?;
        }
    }
    crate::events::upsert_all(store, &sessions, &actor).await?;
    for d in &series.series {
        crate::events::save_series(store, &d.series, &d.presenters, &actor, None).await?;
    }
    let resources =
        faro_formats::resources_csv::read(RESOURCES_CSV.as_bytes(), codebook).map_err(|errs| {
            let lines: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
            StoreError::Invalid(format!("demo resources are invalid: {}", lines.join("; ")))
        })?;
    crate::knowledge::upsert_all(store, &resources, &actor).await?;
    let courses =
        faro_formats::courses_csv::read(COURSES_CSV.as_bytes(), codebook).map_err(|errs| {
            let lines: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
            StoreError::Invalid(format!("demo courses are invalid: {}", lines.join("; ")))
        })?;
    crate::courses::upsert_all(store, &courses, &actor).await?;
    meta::set(store.write(), KEY, VERSION).await?;
    Ok(report)
}

/// Loads the demonstration data unless it was loaded before.
pub async fn load_if_first_start(store: &Store) -> Result<Option<institutions::ImportReport>> {
    if loaded(store).await? {
        return Ok(None);
    }
    load(store).await.map(Some)
}
