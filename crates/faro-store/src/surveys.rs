//! Member surveys: questionnaires read from XLSForm, their versions,
//! invitations with one access code per institution, and the responses
//! institutions fill in together (migration `m0019_surveys`).
//!
//! - A survey's id is the XLSForm's `form_id`. Uploading a form whose
//!   reading differs from the current version's adds a version; the same
//!   form again changes nothing (imports are idempotent). Each response
//!   keeps the version it was started on.
//! - An access code is 128 random bits written as 26 Crockford base-32
//!   characters in groups of four; only its SHA-256 is stored. It is shown
//!   once (to the coordinator who invites, and in the invitation e-mail,
//!   whose job payload is dropped once sent).
//! - One response per survey and institution (`UNIQUE`), shared by its
//!   staff. Every page save is a compare-and-set on `revision`: a save based
//!   on an older revision is [`StoreError::Conflict`], so two colleagues
//!   saving at once lose nothing. A submitted response refuses saves
//!   (`Rule("survey_submitted")`) until a coordinator reopens it. State
//!   changes and the names of changed questions go into the history (the
//!   values do not: answers are not public).
//! - Answers are rows (`survey_answer`: question, instance, value); a
//!   repeat's number of instances is the row `(repeat, 0, n)`, its
//!   questions' answers are instances 1..=n.

use crate::list::Sql;
use crate::{Result, Store, StoreError, jobs};
use chrono::{DateTime, Utc};
use faro_formats::xlsform::Form;
use faro_formats::xlsform_run::Answers;
use sea_orm::{ConnectionTrait, TransactionTrait, Value};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

pub const STATES: &[&str] = &["draft", "open", "closed"];

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Survey {
    pub id: String,
    pub title: String,
    pub state: String,
    pub deadline: Option<DateTime<Utc>>,
    pub results_public: bool,
    pub answers_public: bool,
    pub reminder_days: i32,
    pub current_version: i32,
    pub revision: i64,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub id: i64,
    pub uuid: String,
    pub survey_id: String,
    pub institution_id: String,
    pub version: i32,
    pub state: String,
    pub revision: i64,
    pub answered: i32,
    pub total: i32,
    pub opened_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub answers: Answers,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uploaded {
    pub survey: String,
    pub version: i32,
    /// `created`, `new_version` or `unchanged`.
    pub outcome: &'static str,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A new access code: 128 random bits, printed as 26 base-32 characters
/// in groups of four (`7K2Q-…`).
pub fn new_code() -> String {
    let mut buf = [0u8; 16];
    getrandom::fill(&mut buf).expect("operating system random source");
    let mut n = u128::from_be_bytes(buf);
    let mut chars = Vec::with_capacity(26);
    for _ in 0..26 {
        chars.push(CROCKFORD[(n & 31) as usize] as char);
        n >>= 5;
    }
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// The stored form of a code: SHA-256 of its characters, upper-cased,
/// without separators, with the letters people confuse read as digits.
pub fn code_hash(code: &str) -> String {
    let norm: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect();
    hex(&Sha256::digest(norm.as_bytes()))
}

fn new_uuid() -> String {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).expect("operating system random source");
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex(&b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

#[allow(clippy::too_many_arguments)]
async fn history<C: ConnectionTrait>(
    db: &C,
    record_type: &str,
    id: &str,
    action: &str,
    field: &str,
    old: Option<String>,
    new: Option<String>,
    actor: &str,
) -> Result<()> {
    crate::changes::insert_row(
        db,
        record_type,
        id,
        action,
        field,
        old,
        new,
        actor,
        Utc::now(),
    )
    .await
}

fn survey_from(row: &sea_orm::QueryResult) -> Result<Survey> {
    Ok(Survey {
        id: row.try_get("", "id")?,
        title: row.try_get("", "title")?,
        state: row.try_get("", "state")?,
        deadline: row.try_get("", "deadline")?,
        results_public: row.try_get("", "results_public")?,
        answers_public: row.try_get("", "answers_public")?,
        reminder_days: row.try_get("", "reminder_days")?,
        current_version: row.try_get("", "current_version")?,
        revision: i64::from(row.try_get::<i32>("", "revision")?),
        updated_at: row.try_get("", "updated_at")?,
    })
}

const SURVEY_COLS: &str = "id, title, state, deadline, results_public, answers_public, \
     reminder_days, current_version, revision, updated_at";

pub async fn get<C: ConnectionTrait>(db: &C, id: &str) -> Result<Survey> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push(&format!("SELECT {SURVEY_COLS} FROM survey WHERE id = "))
        .bind(id.to_string());
    let row = db
        .query_one_raw(sql.statement())
        .await?
        .ok_or(StoreError::NotFound)?;
    survey_from(&row)
}

/// Surveys, newest change first (a page of at most `limit`).
pub async fn list(store: &Store, offset: u64, limit: u64) -> Result<Vec<Survey>> {
    let mut sql = Sql::new(store.backend());
    sql.push(&format!(
        "SELECT {SURVEY_COLS} FROM survey ORDER BY updated_at DESC, id LIMIT "
    ))
    .bind(limit.min(crate::list::MAX_PER_PAGE) as i64)
    .push(" OFFSET ")
    .bind(offset as i64);
    store
        .read()
        .query_all_raw(sql.statement())
        .await?
        .iter()
        .map(survey_from)
        .collect()
}

/// Stores an uploaded questionnaire (already read by
/// [`faro_formats::xlsform::read`]): a new survey, a new version of it, or
/// nothing when its reading equals the current version's.
pub async fn upload(
    store: &Store,
    form: &Form,
    bytes: &[u8],
    file_name: &str,
    actor: &str,
) -> Result<Uploaded> {
    if !faro_formats::xlsform_expr::is_name(&form.form_id) || form.form_id.len() > 64 {
        return Err(StoreError::Invalid(format!(
            "form_id {:?} must be a name of at most 64 characters",
            form.form_id
        )));
    }
    let json = serde_json::to_string(form).map_err(|e| StoreError::Invalid(e.to_string()))?;
    let sha = hex(&Sha256::digest(bytes));
    let now = Utc::now();
    let txn = store.write().begin().await?;
    let existing = match get(&txn, &form.form_id).await {
        Ok(s) => Some(s),
        Err(StoreError::NotFound) => None,
        Err(e) => return Err(e),
    };
    let backend = txn.get_database_backend();
    let (version, outcome) = match &existing {
        None => {
            let mut sql = Sql::new(backend);
            sql.push(
                "INSERT INTO survey (id, title, state, current_version, created_at, updated_at) VALUES (",
            )
            .bind(form.form_id.clone())
            .push(", ")
            .bind(form.title.clone())
            .push(", 'draft', 1, ")
            .bind(now)
            .push(", ")
            .bind(now)
            .push(")");
            txn.execute_raw(sql.statement()).await?;
            (1, "created")
        }
        Some(s) => {
            let mut sql = Sql::new(backend);
            sql.push("SELECT form_json FROM survey_version WHERE survey_id = ")
                .bind(s.id.clone())
                .push(" AND version = ")
                .bind(s.current_version);
            let current: Option<String> = match txn.query_one_raw(sql.statement()).await? {
                Some(r) => Some(r.try_get("", "form_json")?),
                None => None,
            };
            if current.as_deref() == Some(json.as_str()) {
                txn.rollback().await?;
                return Ok(Uploaded {
                    survey: s.id.clone(),
                    version: s.current_version,
                    outcome: "unchanged",
                });
            }
            let v = s.current_version + 1;
            let mut sql = Sql::new(backend);
            sql.push("UPDATE survey SET current_version = ")
                .bind(v)
                .push(", title = ")
                .bind(form.title.clone())
                .push(", revision = revision + 1, updated_at = ")
                .bind(now)
                .push(" WHERE id = ")
                .bind(s.id.clone());
            txn.execute_raw(sql.statement()).await?;
            (v, "new_version")
        }
    };
    let mut sql = Sql::new(backend);
    sql.push(
        "INSERT INTO survey_version (survey_id, version, form_version, sha256, file_name, xlsform, form_json, created_at) VALUES (",
    )
    .bind(form.form_id.clone())
    .push(", ")
    .bind(version)
    .push(", ")
    .bind(form.version.clone())
    .push(", ")
    .bind(sha)
    .push(", ")
    .bind(file_name.to_string())
    .push(", ")
    .bind(Value::Bytes(Some(bytes.to_vec())))
    .push(", ")
    .bind(json)
    .push(", ")
    .bind(now)
    .push(")");
    txn.execute_raw(sql.statement()).await?;
    history(
        &txn,
        "survey",
        &form.form_id,
        if version == 1 { "created" } else { "updated" },
        "version",
        existing.map(|s| s.current_version.to_string()),
        Some(version.to_string()),
        actor,
    )
    .await?;
    txn.commit().await?;
    Ok(Uploaded {
        survey: form.form_id.clone(),
        version,
        outcome,
    })
}

/// Versions of a survey: (version, form_version, file name, created).
pub async fn versions(
    store: &Store,
    id: &str,
) -> Result<Vec<(i32, String, String, DateTime<Utc>)>> {
    let mut sql = Sql::new(store.backend());
    sql.push("SELECT version, form_version, file_name, created_at FROM survey_version WHERE survey_id = ")
        .bind(id.to_string())
        .push(" ORDER BY version DESC LIMIT 100");
    store
        .read()
        .query_all_raw(sql.statement())
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.try_get("", "version")?,
                r.try_get("", "form_version")?,
                r.try_get("", "file_name")?,
                r.try_get("", "created_at")?,
            ))
        })
        .collect()
}

/// The XLSForm file of a version, as uploaded.
pub async fn xlsform(store: &Store, id: &str, version: i32) -> Result<(String, Vec<u8>)> {
    let mut sql = Sql::new(store.backend());
    sql.push("SELECT file_name, xlsform FROM survey_version WHERE survey_id = ")
        .bind(id.to_string())
        .push(" AND version = ")
        .bind(version);
    let row = store
        .read()
        .query_one_raw(sql.statement())
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok((row.try_get("", "file_name")?, row.try_get("", "xlsform")?))
}

type FormCache = Mutex<HashMap<(String, i32), Arc<Form>>>;
fn cache() -> &'static FormCache {
    static C: std::sync::OnceLock<FormCache> = std::sync::OnceLock::new();
    C.get_or_init(|| Mutex::new(HashMap::new()))
}

/// A version's questionnaire, read from its XLSForm once per process
/// (versions never change, so the cache is right on every process).
pub async fn form(store: &Store, id: &str, version: i32) -> Result<Arc<Form>> {
    let key = (id.to_string(), version);
    if let Some(f) = cache().lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return Ok(f.clone());
    }
    let (name, bytes) = xlsform(store, id, version).await?;
    let stem = name
        .rsplit_once('.')
        .map(|(s, _)| s)
        .unwrap_or(&name)
        .to_string();
    let f = faro_formats::xlsform::read(&bytes, &stem).map_err(|p| {
        StoreError::Invalid(format!(
            "stored form {id} v{version} no longer reads: {}",
            p[0]
        ))
    })?;
    let f = Arc::new(f);
    let mut c = cache().lock().unwrap_or_else(|e| e.into_inner());
    if c.len() > 200 {
        c.clear();
    }
    c.insert(key, f.clone());
    Ok(f)
}

/// Opens, closes or publishes a survey (compare-and-set on `revision`).
#[allow(clippy::too_many_arguments)]
pub async fn set_settings(
    store: &Store,
    id: &str,
    expected_revision: i64,
    state: &str,
    deadline: Option<DateTime<Utc>>,
    reminder_days: i32,
    results_public: bool,
    answers_public: bool,
    actor: &str,
) -> Result<()> {
    if !STATES.contains(&state) {
        return Err(StoreError::Invalid(format!("unknown state {state}")));
    }
    let txn = store.write().begin().await?;
    let old = get(&txn, id).await?;
    let mut sql = Sql::new(txn.get_database_backend());
    sql.push("UPDATE survey SET state = ")
        .bind(state.to_string())
        .push(", deadline = ")
        .bind(deadline)
        .push(", reminder_days = ")
        .bind(reminder_days)
        .push(", results_public = ")
        .bind(results_public)
        .push(", answers_public = ")
        .bind(answers_public)
        .push(", revision = revision + 1, updated_at = ")
        .bind(Utc::now())
        .push(" WHERE id = ")
        .bind(id.to_string())
        .push(" AND revision = ")
        .bind(expected_revision as i32);
    if txn.execute_raw(sql.statement()).await?.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    let fields = [
        ("state", old.state.clone(), state.to_string()),
        (
            "deadline",
            old.deadline.map(|d| d.to_rfc3339()).unwrap_or_default(),
            deadline.map(|d| d.to_rfc3339()).unwrap_or_default(),
        ),
        (
            "reminder_days",
            old.reminder_days.to_string(),
            reminder_days.to_string(),
        ),
        (
            "results_public",
            old.results_public.to_string(),
            results_public.to_string(),
        ),
        (
            "answers_public",
            old.answers_public.to_string(),
            answers_public.to_string(),
        ),
    ];
    for (f, o, n) in fields {
        if o != n {
            history(&txn, "survey", id, "updated", f, Some(o), Some(n), actor).await?;
        }
    }
    // Scheduled reminders: one job per deadline and lead time (deduplicated).
    if let Some(d) = deadline
        && reminder_days > 0
        && state == "open"
    {
        let at = d - chrono::Duration::days(i64::from(reminder_days));
        jobs::enqueue_in(
            &txn,
            "survey_reminders",
            &serde_json::json!({"survey": id}),
            at,
            // To the second: PostgreSQL keeps microseconds, so a deadline
            // read back and saved again must give the same key.
            Some(format!(
                "survey-reminders:{id}:{}",
                at.format("%Y-%m-%dT%H:%M:%SZ")
            )),
            None,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Invites institutions: each one not yet invited gets a code (returned
/// once, here) and an invitation e-mail job to its contact. Unknown or
/// deleted institutions refuse the whole call.
pub async fn invite(
    store: &Store,
    id: &str,
    institutions: &[String],
    lang: &str,
    actor: &str,
) -> Result<Vec<(String, String)>> {
    let txn = store.write().begin().await?;
    let s = get(&txn, id).await?;
    let live = crate::list::live_ids(&txn, "institution", true, institutions).await?;
    if let Some(bad) = institutions.iter().find(|i| !live.contains(*i)) {
        return Err(StoreError::Reference {
            record: format!("survey {id}"),
            field: "institution",
            target: bad.clone(),
        });
    }
    let mut sql = Sql::new(txn.get_database_backend());
    sql.push("SELECT institution_id FROM survey_invitation WHERE survey_id = ")
        .bind(id.to_string())
        .push(" AND institution_id IN ")
        .bind_list(institutions.iter().cloned());
    let already: std::collections::HashSet<String> = txn
        .query_all_raw(sql.statement())
        .await?
        .iter()
        .map(|r| r.try_get::<String>("", "institution_id"))
        .collect::<std::result::Result<_, _>>()?;
    let now = Utc::now();
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for inst in institutions {
        if already.contains(inst) || !seen.insert(inst.clone()) {
            continue;
        }
        let code = new_code();
        let mut sql = Sql::new(txn.get_database_backend());
        sql.push("INSERT INTO survey_invitation (survey_id, institution_id, code_hash, invited_at) VALUES (")
            .bind(id.to_string())
            .push(", ")
            .bind(inst.clone())
            .push(", ")
            .bind(code_hash(&code))
            .push(", ")
            .bind(now)
            .push(")");
        txn.execute_raw(sql.statement()).await?;
        jobs::enqueue_in(
            &txn,
            "survey_mail",
            &serde_json::json!({"mail": "invitation", "survey": id, "institution": inst,
                                "code": code, "lang": lang}),
            now,
            None,
            None,
        )
        .await?;
        history(
            &txn,
            "survey_invitation",
            &format!("{id}/{inst}"),
            "created",
            "invited",
            None,
            Some(now.to_rfc3339()),
            actor,
        )
        .await?;
        out.push((inst.clone(), code));
    }
    if s.state == "draft" && !out.is_empty() {
        let mut sql = Sql::new(txn.get_database_backend());
        sql.push("UPDATE survey SET state = 'open', revision = revision + 1, updated_at = ")
            .bind(now)
            .push(" WHERE id = ")
            .bind(id.to_string());
        txn.execute_raw(sql.statement()).await?;
        history(
            &txn,
            "survey",
            id,
            "updated",
            "state",
            Some(s.state),
            Some("open".into()),
            actor,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(out)
}

/// Replaces an institution's code (the old one stops working); the new
/// one is returned once and e-mailed.
pub async fn renew_code(
    store: &Store,
    id: &str,
    inst: &str,
    lang: &str,
    actor: &str,
) -> Result<String> {
    let txn = store.write().begin().await?;
    let code = new_code();
    let mut sql = Sql::new(txn.get_database_backend());
    sql.push("UPDATE survey_invitation SET code_hash = ")
        .bind(code_hash(&code))
        .push(" WHERE survey_id = ")
        .bind(id.to_string())
        .push(" AND institution_id = ")
        .bind(inst.to_string());
    if txn.execute_raw(sql.statement()).await?.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    jobs::enqueue_in(
        &txn,
        "survey_mail",
        &serde_json::json!({"mail": "invitation", "survey": id, "institution": inst, "code": code, "lang": lang}),
        Utc::now(),
        None,
        None,
    )
    .await?;
    history(
        &txn,
        "survey_invitation",
        &format!("{id}/{inst}"),
        "updated",
        "code",
        None,
        Some("renewed".into()),
        actor,
    )
    .await?;
    txn.commit().await?;
    Ok(code)
}

/// The institution a code opens in this survey, if any.
pub async fn institution_for_code(store: &Store, id: &str, code: &str) -> Result<Option<String>> {
    let mut sql = Sql::new(store.backend());
    sql.push("SELECT institution_id FROM survey_invitation WHERE survey_id = ")
        .bind(id.to_string())
        .push(" AND code_hash = ")
        .bind(code_hash(code));
    Ok(match store.read().query_one_raw(sql.statement()).await? {
        Some(r) => Some(r.try_get("", "institution_id")?),
        None => None,
    })
}

pub async fn is_invited(store: &Store, id: &str, inst: &str) -> Result<bool> {
    let mut sql = Sql::new(store.backend());
    sql.push("SELECT 1 AS x FROM survey_invitation WHERE survey_id = ")
        .bind(id.to_string())
        .push(" AND institution_id = ")
        .bind(inst.to_string());
    Ok(store.read().query_one_raw(sql.statement()).await?.is_some())
}

/// Surveys an institution's editors may answer or has taken part in:
/// (survey, title, response state or "" when not started).
pub async fn for_institution(store: &Store, inst: &str) -> Result<Vec<(String, String, String)>> {
    let mut sql = Sql::new(store.backend());
    sql.push(
        "SELECT s.id, s.title, COALESCE(r.state, '') AS rstate FROM survey_invitation i \
         JOIN survey s ON s.id = i.survey_id \
         LEFT JOIN survey_response r ON r.survey_id = i.survey_id AND r.institution_id = i.institution_id \
         WHERE i.institution_id = ",
    )
    .bind(inst.to_string())
    .push(" ORDER BY s.updated_at DESC LIMIT 100");
    store
        .read()
        .query_all_raw(sql.statement())
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.try_get("", "id")?,
                r.try_get("", "title")?,
                r.try_get("", "rstate")?,
            ))
        })
        .collect()
}

fn response_from(row: &sea_orm::QueryResult) -> Result<Response> {
    Ok(Response {
        id: row.try_get("", "id")?,
        uuid: row.try_get("", "uuid")?,
        survey_id: row.try_get("", "survey_id")?,
        institution_id: row.try_get("", "institution_id")?,
        version: row.try_get("", "version")?,
        state: row.try_get("", "state")?,
        revision: i64::from(row.try_get::<i32>("", "revision")?),
        answered: row.try_get("", "answered")?,
        total: row.try_get("", "total")?,
        opened_at: row.try_get("", "opened_at")?,
        updated_at: row.try_get("", "updated_at")?,
        submitted_at: row.try_get("", "submitted_at")?,
        answers: Answers::default(),
    })
}

const RESPONSE_COLS: &str = "id, uuid, survey_id, institution_id, version, state, revision, \
     answered, total, opened_at, updated_at, submitted_at";

async fn answers_of<C: ConnectionTrait>(db: &C, response: i64) -> Result<Answers> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT question, instance, value FROM survey_answer WHERE response_id = ")
        .bind(response);
    let rows = db.query_all_raw(sql.statement()).await?;
    let mut flat: Vec<(String, i32, String)> = Vec::with_capacity(rows.len());
    for r in &rows {
        flat.push((
            r.try_get("", "question")?,
            r.try_get("", "instance")?,
            r.try_get("", "value")?,
        ));
    }
    Ok(rows_to_answers(flat))
}

/// Answer rows → answers (the inverse of [`answers_to_rows`]).
fn rows_to_answers(rows: Vec<(String, i32, String)>) -> Answers {
    let mut a = Answers::default();
    let mut inst: Vec<(String, usize, String, String)> = Vec::new();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for (q, i, v) in rows {
        if let Some(rep) = q.strip_prefix('#') {
            counts.insert(rep.to_string(), v.parse().unwrap_or(0));
        } else if i == 0 {
            a.values.insert(q, v);
        } else if let Some((rep, name)) = q.split_once('/') {
            inst.push((rep.to_string(), (i - 1) as usize, name.to_string(), v));
        }
    }
    for (rep, n) in counts {
        a.repeats.insert(rep, vec![BTreeMap::new(); n]);
    }
    for (rep, i, name, v) in inst {
        let rows = a.repeats.entry(rep).or_default();
        while rows.len() <= i {
            rows.push(BTreeMap::new());
        }
        rows[i].insert(name, v);
    }
    a
}

/// Answers → rows: `(question, 0, value)`, `(#repeat, 0, count)` and
/// `(repeat/question, instance 1…, value)`.
pub fn answers_to_rows(a: &Answers) -> BTreeMap<(String, i32), String> {
    let mut out = BTreeMap::new();
    for (q, v) in &a.values {
        out.insert((q.clone(), 0), v.clone());
    }
    for (rep, rows) in &a.repeats {
        out.insert((format!("#{rep}"), 0), rows.len().to_string());
        for (i, row) in rows.iter().enumerate() {
            for (q, v) in row {
                out.insert((format!("{rep}/{q}"), i as i32 + 1), v.clone());
            }
        }
    }
    out
}

/// The institution's response, with its answers, if it was started.
pub async fn response(store: &Store, id: &str, inst: &str) -> Result<Option<Response>> {
    let mut sql = Sql::new(store.backend());
    sql.push(&format!(
        "SELECT {RESPONSE_COLS} FROM survey_response WHERE survey_id = "
    ))
    .bind(id.to_string())
    .push(" AND institution_id = ")
    .bind(inst.to_string());
    let Some(row) = store.read().query_one_raw(sql.statement()).await? else {
        return Ok(None);
    };
    let mut r = response_from(&row)?;
    r.answers = answers_of(store.read(), r.id).await?;
    Ok(Some(r))
}

/// The institution's response, started now (on the current version) if
/// it was not. Only invited institutions have one.
pub async fn open_response(store: &Store, id: &str, inst: &str, actor: &str) -> Result<Response> {
    if let Some(r) = response(store, id, inst).await? {
        return Ok(r);
    }
    let s = get(store.read(), id).await?;
    if !is_invited(store, id, inst).await? {
        return Err(StoreError::Rule("survey_not_invited"));
    }
    let now = Utc::now();
    let txn = store.write().begin().await?;
    let mut sql = Sql::new(txn.get_database_backend());
    sql.push(
        "INSERT INTO survey_response (uuid, survey_id, institution_id, version, state, opened_at, updated_at) VALUES (",
    )
    .bind(new_uuid())
    .push(", ")
    .bind(id.to_string())
    .push(", ")
    .bind(inst.to_string())
    .push(", ")
    .bind(s.current_version)
    .push(", 'open', ")
    .bind(now)
    .push(", ")
    .bind(now)
    .push(") ON CONFLICT (survey_id, institution_id) DO NOTHING");
    txn.execute_raw(sql.statement()).await?;
    history(
        &txn,
        "survey_response",
        &format!("{id}/{inst}"),
        "created",
        "state",
        None,
        Some("open".into()),
        actor,
    )
    .await?;
    txn.commit().await?;
    response(store, id, inst).await?.ok_or(StoreError::NotFound)
}

/// Saves a response's answers (all of them: the page's and what the form
/// cleared or calculated elsewhere) if its revision is still
/// `expected_revision`; returns the new revision.
pub async fn save(
    store: &Store,
    response_id: i64,
    expected_revision: i64,
    answers: &Answers,
    answered: i32,
    total: i32,
    actor: &str,
) -> Result<i64> {
    let txn = store.write().begin().await?;
    let backend = txn.get_database_backend();
    let mut sql = Sql::new(backend);
    sql.push("SELECT state, revision, survey_id, institution_id FROM survey_response WHERE id = ")
        .bind(response_id);
    if backend == sea_orm::DbBackend::Postgres {
        sql.push(" FOR UPDATE");
    }
    let row = txn
        .query_one_raw(sql.statement())
        .await?
        .ok_or(StoreError::NotFound)?;
    let state: String = row.try_get("", "state")?;
    let revision = i64::from(row.try_get::<i32>("", "revision")?);
    let record = format!(
        "{}/{}",
        row.try_get::<String>("", "survey_id")?,
        row.try_get::<String>("", "institution_id")?
    );
    if state == "submitted" {
        return Err(StoreError::Rule("survey_submitted"));
    }
    if revision != expected_revision {
        return Err(StoreError::Conflict);
    }
    let old = answers_to_rows(&answers_of(&txn, response_id).await?);
    let new = answers_to_rows(answers);
    let mut changed: Vec<String> = Vec::new();
    let gone: Vec<&(String, i32)> = old.keys().filter(|k| !new.contains_key(*k)).collect();
    for (q, i) in &gone {
        let mut sql = Sql::new(backend);
        sql.push("DELETE FROM survey_answer WHERE response_id = ")
            .bind(response_id)
            .push(" AND question = ")
            .bind(q.clone())
            .push(" AND instance = ")
            .bind(*i);
        txn.execute_raw(sql.statement()).await?;
        changed.push(q.clone());
    }
    let mut rows = Vec::new();
    for ((q, i), v) in &new {
        match old.get(&(q.clone(), *i)) {
            Some(o) if o == v => {}
            Some(_) => {
                let mut sql = Sql::new(backend);
                sql.push("UPDATE survey_answer SET value = ")
                    .bind(v.clone())
                    .push(" WHERE response_id = ")
                    .bind(response_id)
                    .push(" AND question = ")
                    .bind(q.clone())
                    .push(" AND instance = ")
                    .bind(*i);
                txn.execute_raw(sql.statement()).await?;
                changed.push(q.clone());
            }
            None => {
                rows.push(vec![
                    response_id.into(),
                    q.clone().into(),
                    (*i).into(),
                    v.clone().into(),
                ]);
                changed.push(q.clone());
            }
        }
    }
    crate::list::insert_rows(
        &txn,
        "survey_answer",
        &["response_id", "question", "instance", "value"],
        &rows,
    )
    .await?;
    let mut sql = Sql::new(backend);
    sql.push("UPDATE survey_response SET revision = revision + 1, answered = ")
        .bind(answered)
        .push(", total = ")
        .bind(total)
        .push(", updated_at = ")
        .bind(Utc::now())
        .push(" WHERE id = ")
        .bind(response_id)
        .push(" AND revision = ")
        .bind(expected_revision as i32);
    if txn.execute_raw(sql.statement()).await?.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    if !changed.is_empty() {
        changed.sort();
        changed.dedup();
        // The names of the questions that changed, never the answers.
        history(
            &txn,
            "survey_response",
            &record,
            "updated",
            "answers",
            None,
            Some(changed.join(" ")),
            actor,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(expected_revision + 1)
}

async fn set_state(
    store: &Store,
    response_id: i64,
    expected_revision: Option<i64>,
    from: &str,
    to: &str,
    actor: &str,
) -> Result<()> {
    let txn = store.write().begin().await?;
    let backend = txn.get_database_backend();
    let mut sql = Sql::new(backend);
    sql.push("SELECT state, revision, survey_id, institution_id FROM survey_response WHERE id = ")
        .bind(response_id);
    let row = txn
        .query_one_raw(sql.statement())
        .await?
        .ok_or(StoreError::NotFound)?;
    let state: String = row.try_get("", "state")?;
    let revision = i64::from(row.try_get::<i32>("", "revision")?);
    let record = format!(
        "{}/{}",
        row.try_get::<String>("", "survey_id")?,
        row.try_get::<String>("", "institution_id")?
    );
    if state != from {
        return Err(StoreError::Rule(if from == "open" {
            "survey_submitted"
        } else {
            "survey_not_submitted"
        }));
    }
    if expected_revision.is_some_and(|r| r != revision) {
        return Err(StoreError::Conflict);
    }
    let now = Utc::now();
    let mut sql = Sql::new(backend);
    sql.push("UPDATE survey_response SET state = ")
        .bind(to.to_string())
        .push(", revision = revision + 1, updated_at = ")
        .bind(now)
        .push(", submitted_at = ")
        .bind(if to == "submitted" { Some(now) } else { None })
        .push(" WHERE id = ")
        .bind(response_id)
        .push(" AND revision = ")
        .bind(revision as i32);
    if txn.execute_raw(sql.statement()).await?.rows_affected() == 0 {
        return Err(StoreError::Conflict);
    }
    if to == "submitted" {
        tally_add(&txn, response_id).await?;
        touch_results_in(&txn, response_id).await?;
    } else if from == "submitted" {
        tally_remove(&txn, response_id).await?;
        touch_results_in(&txn, response_id).await?;
    }
    history(
        &txn,
        "survey_response",
        &record,
        "updated",
        "state",
        Some(state),
        Some(to.into()),
        actor,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Submits (locks) a response.
pub async fn submit(
    store: &Store,
    response_id: i64,
    expected_revision: i64,
    actor: &str,
) -> Result<()> {
    set_state(
        store,
        response_id,
        Some(expected_revision),
        "open",
        "submitted",
        actor,
    )
    .await
}

/// A coordinator reopens a submitted response (the history keeps both).
pub async fn reopen(store: &Store, response_id: i64, actor: &str) -> Result<()> {
    set_state(store, response_id, None, "submitted", "open", actor).await
}

/// One invited institution as the coordinator's tracking shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Tracked {
    pub institution: String,
    pub acronym: String,
    pub country: String,
    /// `invited`, `opened` (started, nothing answered), `in_progress`, `submitted`.
    pub status: String,
    pub answered: i32,
    pub total: i32,
    pub last_activity: Option<DateTime<Utc>>,
    pub emailed: bool,
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Counts {
    pub invited: i64,
    pub opened: i64,
    pub in_progress: i64,
    pub submitted: i64,
}

impl Counts {
    pub fn not_started(&self) -> i64 {
        self.invited - self.opened - self.in_progress - self.submitted
    }
}

const STATUS_SQL: &str = "CASE WHEN r.id IS NULL THEN 'invited' WHEN r.state = 'submitted' THEN 'submitted' \
     WHEN r.answered > 0 THEN 'in_progress' ELSE 'opened' END";

/// The tracking table: a page of invited institutions (optionally one
/// status), with the total, the counts per status, and per country.
pub async fn tracking(
    store: &Store,
    id: &str,
    status: Option<&str>,
    offset: u64,
    limit: u64,
) -> Result<(Vec<Tracked>, i64, Counts, Vec<(String, Counts)>)> {
    let base = |sql: &mut Sql| {
        sql.push(
            " FROM survey_invitation i JOIN institution n ON n.id = i.institution_id \
             LEFT JOIN survey_response r ON r.survey_id = i.survey_id AND r.institution_id = i.institution_id \
             WHERE i.survey_id = ",
        )
        .bind(id.to_string());
    };
    let mut sql = Sql::new(store.backend());
    sql.push(&format!(
        "SELECT i.institution_id, n.acronym, COALESCE(n.country, '') AS country, {STATUS_SQL} AS status, \
         COALESCE(r.answered, 0) AS answered, COALESCE(r.total, 0) AS total, r.updated_at AS last, \
         i.emailed_at"
    ));
    base(&mut sql);
    if let Some(s) = status {
        sql.push(&format!(" AND {STATUS_SQL} = "))
            .bind(s.to_string());
    }
    sql.push(" ORDER BY n.acronym, i.institution_id LIMIT ")
        .bind(limit.min(crate::list::MAX_PER_PAGE) as i64)
        .push(" OFFSET ")
        .bind(offset as i64);
    let rows = store
        .read()
        .query_all_raw(sql.statement())
        .await?
        .iter()
        .map(|r| {
            Ok(Tracked {
                institution: r.try_get("", "institution_id")?,
                acronym: r.try_get("", "acronym")?,
                country: r.try_get("", "country")?,
                status: r.try_get("", "status")?,
                answered: r.try_get("", "answered")?,
                total: r.try_get("", "total")?,
                last_activity: r.try_get("", "last")?,
                emailed: r
                    .try_get::<Option<DateTime<Utc>>>("", "emailed_at")?
                    .is_some(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let mut sql = Sql::new(store.backend());
    sql.push(&format!(
        "SELECT COALESCE(n.country, '') AS country, {STATUS_SQL} AS status, COUNT(*) AS c"
    ));
    base(&mut sql);
    sql.push(&format!(" GROUP BY COALESCE(n.country, ''), {STATUS_SQL}"));
    let mut total = Counts::default();
    let mut per: BTreeMap<String, Counts> = BTreeMap::new();
    for r in store.read().query_all_raw(sql.statement()).await? {
        let country: String = r.try_get("", "country")?;
        let st: String = r.try_get("", "status")?;
        let c: i64 = r.try_get("", "c")?;
        for counts in [&mut total, per.entry(country).or_default()] {
            counts.invited += c;
            match st.as_str() {
                "opened" => counts.opened += c,
                "in_progress" => counts.in_progress += c,
                "submitted" => counts.submitted += c,
                _ => {}
            }
        }
    }
    let filtered = match status {
        None => total.invited,
        Some("submitted") => total.submitted,
        Some("in_progress") => total.in_progress,
        Some("opened") => total.opened,
        Some(_) => total.not_started(),
    };
    Ok((rows, filtered, total, per.into_iter().collect()))
}

/// Queues a reminder e-mail to every invited institution that has not
/// submitted; returns how many.
pub async fn remind(store: &Store, id: &str, lang: &str, actor: &str) -> Result<usize> {
    let txn = store.write().begin().await?;
    get(&txn, id).await?;
    let mut sql = Sql::new(txn.get_database_backend());
    sql.push(
        "SELECT i.institution_id FROM survey_invitation i LEFT JOIN survey_response r \
         ON r.survey_id = i.survey_id AND r.institution_id = i.institution_id \
         WHERE i.survey_id = ",
    )
    .bind(id.to_string())
    .push(" AND (r.id IS NULL OR r.state <> 'submitted')");
    let insts: Vec<String> = txn
        .query_all_raw(sql.statement())
        .await?
        .iter()
        .map(|r| r.try_get::<String>("", "institution_id"))
        .collect::<std::result::Result<_, _>>()?;
    let now = Utc::now();
    for inst in &insts {
        jobs::enqueue_in(
            &txn,
            "survey_mail",
            &serde_json::json!({"mail": "reminder", "survey": id, "institution": inst, "lang": lang}),
            now,
            None,
            None,
        )
        .await?;
    }
    let mut sql = Sql::new(txn.get_database_backend());
    sql.push("UPDATE survey_invitation SET reminded_at = ")
        .bind(now)
        .push(" WHERE survey_id = ")
        .bind(id.to_string())
        .push(" AND institution_id IN ")
        .bind_list(insts.iter().cloned());
    if !insts.is_empty() {
        txn.execute_raw(sql.statement()).await?;
    }
    history(
        &txn,
        "survey",
        id,
        "updated",
        "reminded",
        None,
        Some(insts.len().to_string()),
        actor,
    )
    .await?;
    txn.commit().await?;
    Ok(insts.len())
}

/// Marks an invitation as e-mailed (by the job runner).
pub async fn mark_emailed(store: &Store, id: &str, inst: &str) -> Result<()> {
    let mut sql = Sql::new(store.backend());
    sql.push("UPDATE survey_invitation SET emailed_at = ")
        .bind(Utc::now())
        .push(" WHERE survey_id = ")
        .bind(id.to_string())
        .push(" AND institution_id = ")
        .bind(inst.to_string());
    store.write().execute_raw(sql.statement()).await?;
    Ok(())
}

/// Counts of one question's answers among submitted responses (all
/// versions, joined by question name), optionally only responses whose
/// answer to `filter.0` contains the choice `filter.1` and whose
/// institution is in `country` / of `kind`. Values of `select_multiple`
/// are split into choices by the caller's `split`.
pub async fn value_counts(
    store: &Store,
    id: &str,
    question: &str,
    filters: &Filters,
    limit: u64,
) -> Result<Vec<(String, i64)>> {
    let mut sql = Sql::new(store.backend());
    sql.push("SELECT a.value, COUNT(*) AS c FROM survey_answer a JOIN survey_response r ON r.id = a.response_id");
    filters.join(&mut sql, id);
    sql.push(" AND a.question = ")
        .bind(question.to_string())
        .push(" GROUP BY a.value ORDER BY c DESC, a.value LIMIT ")
        .bind(limit as i64);
    store
        .read()
        .query_all_raw(sql.statement())
        .await?
        .iter()
        .map(|r| Ok((r.try_get("", "value")?, r.try_get("", "c")?)))
        .collect()
}

/// Counts a newly submitted response's answers in `survey_tally`.
async fn tally_add<C: ConnectionTrait>(db: &C, response_id: i64) -> Result<()> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push(
        "INSERT INTO survey_tally (survey_id, question, value, n) \
         SELECT r.survey_id, a.question, a.value, COUNT(*) FROM survey_answer a \
         JOIN survey_response r ON r.id = a.response_id \
         WHERE a.response_id = ",
    )
    .bind(response_id)
    .push(
        " AND a.question NOT LIKE '#%' GROUP BY r.survey_id, a.question, a.value \
         ON CONFLICT (survey_id, question, value) DO UPDATE SET n = survey_tally.n + excluded.n",
    );
    db.execute_raw(sql.statement()).await?;
    Ok(())
}

/// Takes a reopened response's answers out of `survey_tally` (a value
/// given in several repeat instances counts once per instance).
async fn tally_remove<C: ConnectionTrait>(db: &C, response_id: i64) -> Result<()> {
    let backend = db.get_database_backend();
    let mut sql = Sql::new(backend);
    sql.push(
        "UPDATE survey_tally SET n = n - (SELECT COUNT(*) FROM survey_answer a \
         WHERE a.question = survey_tally.question AND a.value = survey_tally.value \
         AND a.response_id = ",
    )
    .bind(response_id)
    .push(") WHERE survey_id = (SELECT survey_id FROM survey_response WHERE id = ")
    .bind(response_id)
    .push(
        ") AND (question, value) IN \
         (SELECT question, value FROM survey_answer WHERE question NOT LIKE '#%' AND response_id = ",
    )
    .bind(response_id)
    .push(")");
    db.execute_raw(sql.statement()).await?;
    db.execute_unprepared("DELETE FROM survey_tally WHERE n <= 0")
        .await?;
    Ok(())
}

/// Recounts `survey_tally` from the answers (after a dump is loaded, or
/// after answers were written in bulk, as the benchmark does).
pub async fn rebuild_tally<C: ConnectionTrait>(db: &C) -> Result<()> {
    // The reduced results are derived from the counts: reduced again.
    db.execute_unprepared("DELETE FROM survey_results").await?;
    db.execute_unprepared("DELETE FROM survey_tally").await?;
    db.execute_unprepared(
        "INSERT INTO survey_tally (survey_id, question, value, n) \
         SELECT r.survey_id, a.question, a.value, COUNT(*) FROM survey_answer a \
         JOIN survey_response r ON r.id = a.response_id \
         WHERE r.state = 'submitted' AND a.question NOT LIKE '#%' \
         GROUP BY r.survey_id, a.question, a.value",
    )
    .await?;
    Ok(())
}

/// The counts source every results query reads: rows of (question, value,
/// c). Without filters the kept counts (`survey_tally`, one index range);
/// with filters, the kept responses' answers grouped.
fn push_counts(sql: &mut Sql, id: &str, filters: &Filters) {
    if filters.is_empty() {
        sql.push("SELECT question, value, n AS c FROM survey_tally WHERE survey_id = ")
            .bind(id.to_string());
    } else {
        sql.push("SELECT a.question, a.value, COUNT(*) AS c FROM survey_answer a JOIN survey_response r ON r.id = a.response_id");
        filters.join(sql, id);
        sql.push(" AND a.question NOT LIKE '#%' GROUP BY a.question, a.value");
    }
}

/// [`value_counts`] of every question at once: the results page's query.
/// Without filters it reads the kept counts (`survey_tally`, one index
/// range); with filters, one grouped scan of the kept responses' answers.
pub async fn all_value_counts(
    store: &Store,
    id: &str,
    filters: &Filters,
) -> Result<HashMap<String, Vec<(String, i64)>>> {
    let mut sql = Sql::new(store.backend());
    push_counts(&mut sql, id, filters);
    let mut out: HashMap<String, Vec<(String, i64)>> = HashMap::new();
    for r in store.read().query_all_raw(sql.statement()).await? {
        out.entry(r.try_get("", "question")?)
            .or_default()
            .push((r.try_get("", "value")?, r.try_get("", "c")?));
    }
    for v in out.values_mut() {
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    }
    Ok(out)
}

/// How many texts of a text question the results keep (the most given first).
pub const TEXTS_KEPT: usize = 100;

/// A survey's results reduced for the results page and reports: what is
/// shown per question, not every value. Language-free (labels come from
/// the form when shown) and before the small-count rule (applied when
/// shown, as the viewer decides).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Reduced {
    /// Submitted responses the filters keep.
    pub total: i64,
    /// By answer key (`name`, or `repeat/name` in a repeat).
    pub questions: BTreeMap<String, Reduction>,
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Reduction {
    /// Answers given (in a repeat: instances answered).
    pub answered: i64,
    /// A select: the count per choice (`other` included); a date: per
    /// month (`YYYY-MM`); a text: the first [`TEXTS_KEPT`] values, the
    /// most given first. Empty for numbers.
    pub counts: Vec<(String, i64)>,
    /// A number (or a calculation whose values are numbers).
    pub numbers: Option<Numbers>,
}

/// The statistics and ten-bin histogram of a number question.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Numbers {
    pub n: i64,
    pub min: f64,
    pub median: f64,
    pub mean: f64,
    pub max: f64,
    /// (from, to, count), ten bins between min and max.
    pub bins: Vec<(f64, f64, i64)>,
}

/// Reduces value counts (as [`all_value_counts`] gives them) by what
/// each question of `form` is.
pub fn reduce(form: &Form, total: i64, all: HashMap<String, Vec<(String, i64)>>) -> Reduced {
    reduce_with(form, total, all, &HashMap::new())
}

/// [`reduce`], where the counts of some questions were cut to their first
/// values in SQL and `answered` gives those questions' whole totals.
fn reduce_with(
    form: &Form,
    total: i64,
    mut all: HashMap<String, Vec<(String, i64)>>,
    answered_of: &HashMap<String, i64>,
) -> Reduced {
    use faro_formats::xlsform::Kind;
    let mut out = Reduced {
        total,
        questions: BTreeMap::new(),
    };
    for (q, rep) in form.questions() {
        if !(q.kind.is_input() || q.kind == Kind::Calculate) {
            continue;
        }
        let key = match rep {
            Some(r) => format!("{}/{}", r.name, q.name),
            None => q.name.clone(),
        };
        let counts = all.remove(&key).unwrap_or_default();
        let answered: i64 = answered_of
            .get(&key)
            .copied()
            .unwrap_or_else(|| counts.iter().map(|(_, c)| c).sum());
        let mut r = Reduction {
            answered,
            ..Default::default()
        };
        match q.kind {
            Kind::SelectOne | Kind::SelectMultiple => {
                let mut per: BTreeMap<String, i64> = BTreeMap::new();
                for (v, c) in &counts {
                    for choice in v.split_whitespace() {
                        *per.entry(choice.to_string()).or_default() += c;
                    }
                }
                r.counts = per.into_iter().collect();
            }
            Kind::Integer | Kind::Decimal | Kind::Calculate => {
                let mut xs: Vec<(f64, i64)> = counts
                    .iter()
                    .filter_map(|(v, c)| v.trim().parse::<f64>().ok().map(|x| (x, *c)))
                    .filter(|(x, _)| x.is_finite())
                    .collect();
                xs.sort_by(|a, b| a.0.total_cmp(&b.0));
                r.numbers = numbers(&xs);
                if r.numbers.is_none() && q.kind == Kind::Calculate {
                    // A calculation giving texts is shown as texts.
                    r.counts = counts.into_iter().take(TEXTS_KEPT).collect();
                }
            }
            Kind::Date => {
                let mut months: BTreeMap<String, i64> = BTreeMap::new();
                for (v, c) in &counts {
                    *months.entry(v.chars().take(7).collect()).or_default() += c;
                }
                r.counts = months.into_iter().collect();
            }
            _ => r.counts = counts.into_iter().take(TEXTS_KEPT).collect(),
        }
        out.questions.insert(key, r);
    }
    out
}

/// Statistics of sorted (value, count) pairs; `None` when there are none.
fn numbers(xs: &[(f64, i64)]) -> Option<Numbers> {
    let n: i64 = xs.iter().map(|x| x.1).sum();
    if n <= 0 {
        return None;
    }
    let sum: f64 = xs.iter().map(|(x, c)| x * *c as f64).sum();
    let mut median = xs[0].0;
    let mut seen = 0;
    for (x, c) in xs {
        seen += c;
        if seen * 2 >= n {
            median = *x;
            break;
        }
    }
    let (lo, hi) = (xs[0].0, xs[xs.len() - 1].0);
    let bins = 10usize;
    let width = if hi > lo {
        (hi - lo) / bins as f64
    } else {
        1.0
    };
    let mut h = vec![0i64; bins];
    for (x, c) in xs {
        let b = (((x - lo) / width) as usize).min(bins - 1);
        h[b] += c;
    }
    Some(Numbers {
        n,
        min: lo,
        median,
        mean: sum / n as f64,
        max: hi,
        bins: h
            .into_iter()
            .enumerate()
            .map(|(i, c)| (lo + width * i as f64, lo + width * (i + 1) as f64, c))
            .collect(),
    })
}

/// A survey's results, reduced by its current version's questions. With
/// filters they are reduced from a grouped scan; without, they are read
/// as kept in `survey_results` (migration m0024) while no submit or
/// reopen changed them since (`stamp = rev`) and the version is the same,
/// otherwise reduced from `survey_tally` and kept with the `rev` read
/// before, so a submit in between leaves them stale rather than wrong.
pub async fn results(
    store: &Store,
    id: &str,
    form: &Form,
    version: i32,
    filters: &Filters,
) -> Result<Reduced> {
    if !filters.is_empty() {
        return reduce_trimmed(store, id, form, filters).await;
    }
    let mut sql = Sql::new(store.backend());
    sql.push("SELECT rev, stamp, version, data FROM survey_results WHERE survey_id = ")
        .bind(id.to_string());
    let kept = store.read().query_one_raw(sql.statement()).await?;
    let rev = match &kept {
        Some(r) => {
            let rev: i64 = r.try_get("", "rev")?;
            let stamp: Option<i64> = r.try_get("", "stamp")?;
            let kept_version: Option<i32> = r.try_get("", "version")?;
            let data: Option<String> = r.try_get("", "data")?;
            if stamp == Some(rev)
                && kept_version == Some(version)
                && let Some(d) = data.and_then(|j| serde_json::from_str(&j).ok())
            {
                return Ok(d);
            }
            Some(rev)
        }
        None => None,
    };
    let reduced = reduce_trimmed(store, id, form, filters).await?;
    let json = serde_json::to_string(&reduced).map_err(|e| StoreError::Invalid(e.to_string()))?;
    let now = Utc::now().to_rfc3339();
    let mut sql = Sql::new(store.backend());
    match rev {
        Some(rev) => {
            sql.push("UPDATE survey_results SET stamp = ")
                .bind(rev)
                .push(", version = ")
                .bind(version)
                .push(", data = ")
                .bind(json)
                .push(", computed_at = ")
                .bind(now)
                .push(" WHERE survey_id = ")
                .bind(id.to_string())
                .push(" AND rev = ")
                .bind(rev);
        }
        None => {
            sql.push(
                "INSERT INTO survey_results (survey_id, rev, stamp, version, data, computed_at) \
                 SELECT id, 0, 0, ",
            )
            .bind(version)
            .push(", ")
            .bind(json)
            .push(", ")
            .bind(now)
            .push(" FROM survey WHERE id = ")
            .bind(id.to_string())
            .push(" ON CONFLICT (survey_id) DO NOTHING");
        }
    }
    store.write().execute_raw(sql.statement()).await?;
    Ok(reduced)
}

/// Reduces the results from counts whose text questions were cut in SQL
/// to their first [`TEXTS_KEPT`] values (a window over the grouped
/// counts), so only what is shown crosses from the database: a survey of
/// 40 free-text questions answered 5,000 times sends 4,000 texts, not
/// 200,000.
async fn reduce_trimmed(
    store: &Store,
    id: &str,
    form: &Form,
    filters: &Filters,
) -> Result<Reduced> {
    use faro_formats::xlsform::Kind;
    let texts: Vec<String> = form
        .questions()
        .into_iter()
        .filter(|(q, _)| {
            q.kind.is_input()
                && !q.kind.is_select()
                && !matches!(q.kind, Kind::Integer | Kind::Decimal | Kind::Date)
        })
        .map(|(q, rep)| match rep {
            Some(r) => format!("{}/{}", r.name, q.name),
            None => q.name.clone(),
        })
        .collect();
    let total = submitted_count(store, id, filters).await?;
    let mut sql = Sql::new(store.backend());
    sql.push("SELECT question, value, c, tot FROM (SELECT question, value, c, ROW_NUMBER() OVER (PARTITION BY question ORDER BY c DESC, value) AS rn, CAST(SUM(c) OVER (PARTITION BY question) AS BIGINT) AS tot FROM (");
    push_counts(&mut sql, id, filters);
    sql.push(") g) w WHERE rn <= ")
        .bind(TEXTS_KEPT as i64)
        .push(" OR question NOT IN ")
        .bind_list(texts.iter().cloned());
    let mut all: HashMap<String, Vec<(String, i64)>> = HashMap::new();
    let mut answered: HashMap<String, i64> = HashMap::new();
    for r in store.read().query_all_raw(sql.statement()).await? {
        let q: String = r.try_get("", "question")?;
        let tot: i64 = r.try_get("", "tot")?;
        answered.insert(q.clone(), tot);
        all.entry(q)
            .or_default()
            .push((r.try_get("", "value")?, r.try_get("", "c")?));
    }
    for v in all.values_mut() {
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    }
    Ok(reduce_with(form, total, all, &answered))
}

/// Marks a response's survey's kept results stale, in the caller's
/// write transaction (it is being submitted or reopened).
async fn touch_results_in<C: ConnectionTrait>(db: &C, response_id: i64) -> Result<()> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("INSERT INTO survey_results (survey_id, rev) SELECT survey_id, 1 FROM survey_response WHERE id = ")
        .bind(response_id)
        .push(" ON CONFLICT (survey_id) DO UPDATE SET rev = survey_results.rev + 1");
    db.execute_raw(sql.statement()).await?;
    Ok(())
}

/// Filters of the results: institutions' country and kind, and one
/// select question's choice (cross-tabulation), the question at the top
/// level (`name`) or in a repeat (`repeat/name`: any instance).
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub country: Option<String>,
    pub kind: Option<String>,
    pub question: Option<(String, String)>,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        self.country.is_none() && self.kind.is_none() && self.question.is_none()
    }

    fn join(&self, sql: &mut Sql, id: &str) {
        if self.country.is_some() || self.kind.is_some() {
            sql.push(" JOIN institution n ON n.id = r.institution_id");
        }
        sql.push(" WHERE r.survey_id = ")
            .bind(id.to_string())
            .push(" AND r.state = 'submitted'");
        if let Some(c) = &self.country {
            sql.push(" AND n.country = ").bind(c.clone());
        }
        if let Some(k) = &self.kind {
            sql.push(" AND n.kind = ").bind(k.clone());
        }
        if let Some((q, v)) = &self.question {
            // A choice among space-separated choices. `q` is a question's
            // name or, in a repeat, `repeat/question`: then a response is
            // kept when any of its instances has the choice. EXISTS, not a
            // join, so a response with two such instances counts once.
            sql.push(
                " AND EXISTS (SELECT 1 FROM survey_answer f WHERE f.response_id = r.id AND f.question = ",
            )
            .bind(q.clone())
            .push(" AND (' ' || f.value || ' ') LIKE ")
            .bind(format!("% {v} %"))
            .push(")");
        }
    }
}

/// How many submitted responses the filters keep.
pub async fn submitted_count(store: &Store, id: &str, filters: &Filters) -> Result<i64> {
    let mut sql = Sql::new(store.backend());
    sql.push("SELECT COUNT(DISTINCT r.id) AS c FROM survey_response r");
    filters.join(&mut sql, id);
    Ok(store
        .read()
        .query_one_raw(sql.statement())
        .await?
        .map(|r| r.try_get::<i64>("", "c"))
        .transpose()?
        .unwrap_or(0))
}

/// A walk over submitted responses in id order (`after` = last id seen),
/// with their answers: the streamed exports read it page by page.
pub async fn walk_submitted(
    store: &Store,
    id: &str,
    after: i64,
    limit: u64,
) -> Result<Vec<Response>> {
    let mut sql = Sql::new(store.backend());
    sql.push(&format!(
        "SELECT {RESPONSE_COLS} FROM survey_response WHERE survey_id = "
    ))
    .bind(id.to_string())
    .push(" AND state = 'submitted' AND id > ")
    .bind(after)
    .push(" ORDER BY id LIMIT ")
    .bind(limit as i64);
    let mut out: Vec<Response> = store
        .read()
        .query_all_raw(sql.statement())
        .await?
        .iter()
        .map(response_from)
        .collect::<Result<_>>()?;
    if out.is_empty() {
        return Ok(out);
    }
    let mut sql = Sql::new(store.backend());
    sql.push(
        "SELECT response_id, question, instance, value FROM survey_answer WHERE response_id IN ",
    )
    .bind_list(out.iter().map(|r| r.id));
    let mut by: HashMap<i64, Vec<(String, i32, String)>> = HashMap::new();
    for r in store.read().query_all_raw(sql.statement()).await? {
        by.entry(r.try_get("", "response_id")?).or_default().push((
            r.try_get("", "question")?,
            r.try_get("", "instance")?,
            r.try_get("", "value")?,
        ));
    }
    for r in &mut out {
        r.answers = rows_to_answers(by.remove(&r.id).unwrap_or_default());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_128_bits_and_normalise() {
        let c = new_code();
        assert_eq!(c.chars().filter(|c| *c != '-').count(), 26);
        assert_ne!(c, new_code());
        assert_eq!(
            code_hash(&c),
            code_hash(&c.to_lowercase().replace('-', " "))
        );
        assert_eq!(code_hash("O1IL"), code_hash("0111"));
        assert_eq!(code_hash(&c).len(), 64);
    }

    #[test]
    fn answers_round_trip_through_rows() {
        let mut a = Answers::default();
        a.values.insert("q".into(), "x y".into());
        a.repeats.insert(
            "m".into(),
            vec![
                BTreeMap::from([("t".into(), "one".into())]),
                BTreeMap::new(),
            ],
        );
        let rows = answers_to_rows(&a);
        let back = rows_to_answers(rows.into_iter().map(|((q, i), v)| (q, i, v)).collect());
        assert_eq!(back, a);
    }
}
