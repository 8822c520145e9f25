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
fn change_row(c: &faro_store::entity::change_log::Model) -> [String; 8] {
    [
        c.record_id.clone(),
        c.field.clone(),
        c.old_value.clone().unwrap_or_default(),
        c.new_value.clone().unwrap_or_default(),
        c.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        c.reason.clone().unwrap_or_default(),
        c.action.clone(),
        c.actor.clone(),
    ]
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

/// How the CSV files guard spreadsheets, said in the data package.
pub const SPREADSHEET_NOTE: &str = "Open data of Faro's observatory and course finder. Spreadsheet safety: in the CSV files (measures.csv, measures-changes.csv, courses.csv, and resources.csv of the knowledge base) a cell whose text starts with =, +, -, @, a tab or a carriage return (possibly after apostrophes) is written with one more apostrophe (') in front, as OWASP recommends against CSV injection, so that a spreadsheet shows it as text instead of running it as a formula. To get the original value, remove one leading apostrophe from such cells; Faro's own imports (faro import measures / resources / courses) do this, so a downloaded file imports back unchanged. The JSON files carry the values as they are.";

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
        (
            "entered_by",
            "Who entered the measure: the name the person chose, or their role (Editor, Coordinator, Staff); never an e-mail address.",
        ),
        (
            "reviewed_by",
            "Who last reviewed it: the name the person chose, or their role; never an e-mail address.",
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
        "description": SPREADSHEET_NOTE,
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
                "schema": {"fields": string_fields(&CHANGES_COLUMNS, &[("timestamp", "RFC 3339, UTC."), ("field", "Column of measures.csv that changed."), ("actor", "Who made the change: the name the person chose, their role, or a system process (demo, cli:…); never an e-mail address.")])}
            },
            {
                "name": "courses", "path": "courses.csv", "profile": "tabular-data-resource",
                "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": "\"", "doubleQuote": true, "header": true},
                "schema": {"fields": string_fields(&faro_formats::courses_csv::COLUMNS, &[
                    ("id", "Course id; a course has one row per run (or one row with empty run columns when it has none)."),
                    ("providers", "Institution ids, separated by ';'."),
                    ("subjects", "ISCED-F 2013 field codes, separated by ';'."),
                    ("languages", "BCP 47 tags, separated by ';'."),
                    ("run_start", "YYYY-MM-DD; empty when not given."),
                    ("run_end", "YYYY-MM-DD; empty when not given."),
                    ("currency", "ISO 4217."),
                ])}
            },
            {
                "name": "codebook", "path": "codebook.csv", "profile": "tabular-data-resource",
                "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                "schema": {"fields": string_fields(&CODEBOOK_COLUMNS, &[])}
            }
        ]
    })
}

pub const FILES: [&str; 7] = [
    "measures.csv",
    "courses.csv",
    "measures.json",
    "measures-changes.csv",
    "codebook.csv",
    "codebook.json",
    "datapackage.json",
];

/// The files [`stream`] produces (`/data/{name}`).
pub const STREAMED: [&str; 8] = [
    "courses.csv",
    "codebook.csv",
    "codebook.json",
    "measures.csv",
    "measures.json",
    "measures-changes.csv",
    "resources.csv",
    "datapackage.json",
];

/// Rows per part of a streamed file (each part is one query).
const PART: u64 = 1000;

/// The parts of one open-data file, produced while they are sent: a
/// download of any size holds one part of 1,000 rows in memory at a time.
/// `None` for an unknown name.
pub fn stream(
    store: &faro_store::Store,
    public_url: &str,
    name: &str,
) -> Option<tokio::sync::mpsc::Receiver<Result<Vec<u8>, faro_store::StoreError>>> {
    if !STREAMED.contains(&name) {
        return None;
    }
    let (tx, rx) = tokio::sync::mpsc::channel(2);
    let store = store.clone();
    let public_url = public_url.to_string();
    let name = name.to_string();
    tokio::spawn(async move {
        if let Err(e) = produce(&store, &public_url, &name, &tx).await {
            let _ = tx.send(Err(e)).await;
        }
    });
    Some(rx)
}

type Parts = tokio::sync::mpsc::Sender<Result<Vec<u8>, faro_store::StoreError>>;

/// Sends one part; `false` when the client has gone (stop producing).
async fn send(tx: &Parts, part: Vec<u8>) -> bool {
    tx.send(Ok(part)).await.is_ok()
}

fn csv_err(e: csv::Error) -> faro_store::StoreError {
    faro_store::StoreError::Invalid(e.to_string())
}

/// `items` as the elements of a pretty-printed JSON array (the same bytes
/// `serde_json::to_vec_pretty` gives for the whole array).
fn json_part<T: serde::Serialize>(items: &[T], first: bool) -> Vec<u8> {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        out.push_str(if first && i == 0 { "[\n" } else { ",\n" });
        let text = serde_json::to_string_pretty(item).unwrap_or_default();
        for (j, line) in text.lines().enumerate() {
            if j > 0 {
                out.push('\n');
            }
            out.push_str("  ");
            out.push_str(line);
        }
    }
    out.into_bytes()
}

async fn produce(
    store: &faro_store::Store,
    public_url: &str,
    name: &str,
    tx: &Parts,
) -> Result<(), faro_store::StoreError> {
    let cb = faro_domain::observatory::current();
    let pretty = |v: serde_json::Value| serde_json::to_vec_pretty(&v).unwrap_or_default();
    match name {
        "codebook.csv" => {
            send(tx, codebook_csv(cb)).await;
        }
        "codebook.json" => {
            send(tx, pretty(serde_json::to_value(cb).unwrap_or_default())).await;
        }
        "datapackage.json" => {
            send(tx, pretty(datapackage(public_url))).await;
        }
        "measures.csv" | "measures.json" => {
            let json = name.ends_with(".json");
            let mut after: Option<String> = None;
            let mut first = true;
            loop {
                let batch = faro_store::observatory::walk(store, after.as_deref(), PART).await?;
                // People by public name (English role words), never an e-mail.
                let batch =
                    crate::people::public_measures(store, faro_domain::Lang::En, batch).await?;
                if batch.is_empty() && !first {
                    break;
                }
                let mut part = Vec::new();
                if json {
                    part = if batch.is_empty() {
                        b"[]".to_vec()
                    } else {
                        json_part(&batch, first)
                    };
                } else {
                    faro_formats::measures_csv::write_part(&mut part, &batch, first)
                        .map_err(csv_err)?;
                }
                let done = batch.is_empty();
                after = batch.last().map(|m| m.id.clone());
                first = false;
                if !send(tx, part).await || done {
                    return Ok(());
                }
            }
            if json {
                send(tx, b"\n]".to_vec()).await;
            }
        }
        "resources.csv" => {
            let mut after: Option<String> = None;
            let mut first = true;
            loop {
                let batch = faro_store::knowledge::walk(store, after.as_deref(), PART).await?;
                if batch.is_empty() && !first {
                    break;
                }
                let items: Vec<_> = batch.iter().map(|s| s.resource.clone()).collect();
                let mut part = Vec::new();
                faro_formats::resources_csv::write_part(&mut part, &items, first)
                    .map_err(csv_err)?;
                first = false;
                after = items.last().map(|r| r.id.clone());
                if !send(tx, part).await || items.is_empty() {
                    return Ok(());
                }
            }
        }
        "courses.csv" => {
            let mut after: Option<String> = None;
            let mut first = true;
            loop {
                let batch = faro_store::courses::walk(store, after.as_deref(), PART).await?;
                if batch.is_empty() && !first {
                    break;
                }
                let items: Vec<_> = batch.into_iter().map(|s| s.course).collect();
                let mut part = Vec::new();
                faro_formats::courses_csv::write_part(&mut part, &items, first).map_err(csv_err)?;
                first = false;
                after = items.last().map(|c| c.id.clone());
                if !send(tx, part).await || items.is_empty() {
                    return Ok(());
                }
            }
        }
        "measures-changes.csv" => {
            let mut after = 0i64;
            let mut first = true;
            loop {
                let mut w = csv::WriterBuilder::new()
                    .terminator(csv::Terminator::CRLF)
                    .from_writer(Vec::new());
                if first {
                    w.write_record(CHANGES_COLUMNS).map_err(csv_err)?;
                    first = false;
                }
                let rows = faro_store::changes::of_type_after(
                    store,
                    faro_store::observatory::RECORD_TYPE,
                    after,
                    PART,
                )
                .await?;
                let people = crate::people::People::of_changes(store, &rows).await?;
                for c in &rows {
                    let c = people.change(faro_domain::Lang::En, c.clone());
                    w.write_record(faro_formats::table::neutralised(change_row(&c)))
                        .map_err(csv_err)?;
                }
                let part = w
                    .into_inner()
                    .map_err(|e| faro_store::StoreError::Invalid(e.to_string()))?;
                if !send(tx, part).await {
                    return Ok(());
                }
                match rows.last() {
                    Some(c) => after = c.id,
                    None => break,
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// The whole of one open-data file, or `None` for an unknown name
/// (releases freeze these bytes; requests stream them with [`stream`]).
pub async fn file(
    store: &faro_store::Store,
    public_url: &str,
    name: &str,
) -> Result<Option<Vec<u8>>, faro_store::StoreError> {
    let Some(mut rx) = stream(store, public_url, name) else {
        return Ok(None);
    };
    let mut out = Vec::new();
    while let Some(part) = rx.recv().await {
        out.extend(part?);
    }
    Ok(Some(out))
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
