//! The observatory's open-data files: fixed, documented layouts that tests
//! read back with outside parsers. Changing a layout is a breaking change:
//! add columns at the end and say so in `datapackage.json`.

use faro_domain::observatory::Codebook;
use faro_formats::measures_csv::COLUMNS;
use serde_json::json;

pub const LICENSE: &str = "CC-BY-4.0";

pub const CODEBOOK_COLUMNS: [&str; 9] = [
    "version",
    "code",
    "parent",
    "label_es",
    "label_en",
    "label_pt",
    "description_es",
    "description_en",
    "description_pt",
];

pub fn codebook_csv(cb: &Codebook) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let _ = w.write_record(CODEBOOK_COLUMNS);
    for c in &cb.codes {
        let _ = w.write_record([
            cb.version.to_string().as_str(),
            &c.code,
            c.parent.as_deref().unwrap_or(""),
            &c.label_es,
            &c.label_en,
            &c.label_pt,
            &c.description_es,
            &c.description_en,
            &c.description_pt,
        ]);
    }
    w.into_inner().unwrap_or_default()
}

pub const CHANGES_COLUMNS: [&str; 8] = [
    "measure_id",
    "field",
    "old_value",
    "new_value",
    "timestamp",
    "reason",
    "action",
    "actor",
];

/// One row per change to any field of any measure, oldest first.
pub async fn measures_changes_csv(
    store: &faro_store::Store,
) -> Result<Vec<u8>, faro_store::StoreError> {
    let rows =
        faro_store::changes::all_of_type(store, faro_store::observatory::RECORD_TYPE).await?;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let _ = w.write_record(CHANGES_COLUMNS);
    for c in rows {
        let _ = w.write_record([
            c.record_id.as_str(),
            &c.field,
            c.old_value.as_deref().unwrap_or(""),
            c.new_value.as_deref().unwrap_or(""),
            &c.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            c.reason.as_deref().unwrap_or(""),
            &c.action,
            &c.actor,
        ]);
    }
    Ok(w.into_inner().unwrap_or_default())
}

fn string_fields(names: &[&str], descriptions: &[(&str, &str)]) -> Vec<serde_json::Value> {
    names
        .iter()
        .map(|n| {
            let mut f = json!({"name": n, "type": "string"});
            if let Some((_, d)) = descriptions.iter().find(|(k, _)| k == n) {
                f["description"] = json!(d);
            }
            f
        })
        .collect()
}

/// A Frictionless Data Package describing the three files.
pub fn datapackage(public_url: &str) -> serde_json::Value {
    let base = public_url.trim_end_matches('/');
    let measure_notes: &[(&str, &str)] = &[
        ("id", "Stable identifier of the measure."),
        ("institution", "Institution id (see /api/v1/institutions)."),
        (
            "country",
            "ISO 3166-1 alpha-2; empty for international bodies.",
        ),
        ("categories", "Codebook codes, separated by ';'."),
        ("target_groups", "Target groups, separated by ';'."),
        (
            "announced_date",
            "YYYY, YYYY-MM or YYYY-MM-DD; 'none' when there is none; empty when unknown.",
        ),
        (
            "start_date",
            "YYYY, YYYY-MM or YYYY-MM-DD; 'none' when there is none; empty when unknown.",
        ),
        (
            "end_date",
            "YYYY, YYYY-MM or YYYY-MM-DD; 'none' when there is none; empty when unknown.",
        ),
    ];
    let mut measure_fields = string_fields(&COLUMNS, measure_notes);
    for f in measure_fields.iter_mut() {
        match f["name"].as_str() {
            Some("log_type") => {
                f["constraints"] = json!({"enum": faro_domain::observatory::LOG_TYPES})
            }
            Some("status") => {
                f["constraints"] = json!({"enum": faro_domain::observatory::STATUSES})
            }
            Some("id") => f["constraints"] = json!({"required": true, "unique": true}),
            _ => {}
        }
    }
    json!({
        "profile": "tabular-data-package",
        "name": "faro-observatory",
        "title": "Faro observatory of vocational training measures",
        "homepage": format!("{base}/en/observatory"),
        "licenses": [{"name": LICENSE, "path": "https://creativecommons.org/licenses/by/4.0/", "title": "Creative Commons Attribution 4.0"}],
        "resources": [
            {
                "name": "measures", "path": "measures.csv", "profile": "tabular-data-resource",
                "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": "\"", "doubleQuote": true, "header": true},
                "schema": {"fields": measure_fields, "primaryKey": "id"}
            },
            {
                "name": "measures-changes", "path": "measures-changes.csv", "profile": "tabular-data-resource",
                "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                "schema": {"fields": string_fields(&CHANGES_COLUMNS, &[("timestamp", "RFC 3339, UTC."), ("field", "Column of measures.csv that changed.")])}
            },
            {
                "name": "codebook", "path": "codebook.csv", "profile": "tabular-data-resource",
                "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                "schema": {"fields": string_fields(&CODEBOOK_COLUMNS, &[])}
            }
        ]
    })
}

pub const FILES: [&str; 6] = [
    "measures.csv",
    "measures.json",
    "measures-changes.csv",
    "codebook.csv",
    "codebook.json",
    "datapackage.json",
];

/// The current bytes of one open-data file, or `None` for an unknown name.
pub async fn file(
    store: &faro_store::Store,
    public_url: &str,
    name: &str,
) -> Result<Option<Vec<u8>>, faro_store::StoreError> {
    let cb = faro_domain::observatory::current();
    let pretty = |v: serde_json::Value| serde_json::to_vec_pretty(&v).unwrap_or_default();
    Ok(Some(match name {
        "codebook.csv" => codebook_csv(cb),
        "codebook.json" => pretty(serde_json::to_value(cb).unwrap_or_default()),
        "measures.csv" => {
            let all = faro_store::observatory::all(store).await?;
            let mut buf = Vec::new();
            faro_formats::measures_csv::write(&mut buf, &all)
                .map_err(|e| faro_store::StoreError::Invalid(e.to_string()))?;
            buf
        }
        "measures.json" => pretty(
            serde_json::to_value(faro_store::observatory::all(store).await?).unwrap_or_default(),
        ),
        "measures-changes.csv" => measures_changes_csv(store).await?,
        // The knowledge base's metadata, in the layout `faro import resources`
        // reads (not part of the observatory's data package and releases).
        "resources.csv" => {
            let mut all: Vec<_> = faro_store::knowledge::all(store)
                .await?
                .into_iter()
                .map(|s| s.resource)
                .collect();
            all.sort_by(|a, b| a.id.cmp(&b.id));
            let mut buf = Vec::new();
            faro_formats::resources_csv::write(&mut buf, &all)
                .map_err(|e| faro_store::StoreError::Invalid(e.to_string()))?;
            buf
        }
        "datapackage.json" => pretty(datapackage(public_url)),
        _ => return Ok(None),
    }))
}

/// Every open-data file as text, for `faro release`.
pub async fn snapshot(
    store: &faro_store::Store,
    public_url: &str,
) -> Result<Vec<(String, String)>, faro_store::StoreError> {
    let mut out = Vec::new();
    for name in FILES {
        if let Some(bytes) = file(store, public_url, name).await? {
            out.push((
                name.to_string(),
                String::from_utf8_lossy(&bytes).into_owned(),
            ));
        }
    }
    Ok(out)
}
