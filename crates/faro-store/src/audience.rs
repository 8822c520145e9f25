//! Audience figures: Facebook Live totals per session (with history) and
//! the analytics of a session and of a series, each a handful of SQL
//! aggregates over indexed columns (`attendance (session_id, attended,
//! minutes)`, `attendance (registrant_id)`, `event_session (series, …)`),
//! never rows loaded to be counted here.
//!
//! A person across sessions is their registrant when matched, else their
//! key (e-mail, or normalised name for guests without one; an erased row
//! keeps a hash of it), so unique people are deduplicated by e-mail.

use crate::list::Sql;
use crate::{Result, Store, StoreError};
use chrono::{DateTime, Utc};
use faro_domain::attendance::Facebook;
use sea_orm::{ConnectionTrait, TransactionTrait};

/// Facebook figures with the time they were saved (their version).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FacebookRow {
    pub figures: Facebook,
    pub updated_at: DateTime<Utc>,
}

pub async fn facebook(store: &Store, session: &str) -> Result<Option<FacebookRow>> {
    let mut sql = Sql::new(store.backend());
    sql.push(
        "SELECT peak_live, total_views, unique_viewers, minutes_viewed, read_on, source, \
         updated_at FROM session_facebook WHERE session_id = ",
    )
    .bind(session.to_string());
    store
        .read()
        .query_one_raw(sql.statement())
        .await?
        .map(|r| {
            let n = |c: &str| -> Result<Option<i64>> {
                Ok(r.try_get::<Option<i64>>("", c)
                    .or_else(|_| r.try_get::<Option<i32>>("", c).map(|v| v.map(i64::from)))?)
            };
            Ok(FacebookRow {
                figures: Facebook {
                    peak_live: n("peak_live")?,
                    total_views: n("total_views")?,
                    unique_viewers: n("unique_viewers")?,
                    minutes_viewed: n("minutes_viewed")?,
                    read_on: r.try_get("", "read_on")?,
                    source: r.try_get("", "source")?,
                },
                updated_at: r.try_get("", "updated_at")?,
            })
        })
        .transpose()
}

fn fields(f: &Facebook) -> crate::changes::Fields {
    let s = |v: Option<i64>| v.map(|n| n.to_string());
    vec![
        ("peak_live", s(f.peak_live)),
        ("total_views", s(f.total_views)),
        ("unique_viewers", s(f.unique_viewers)),
        ("minutes_viewed", s(f.minutes_viewed)),
        ("read_on", Some(f.read_on.clone())),
        ("source", Some(f.source.clone())),
    ]
}

/// Saves a session's Facebook figures: validated, compare-and-set on the
/// version the form was opened at (`None`: none existed), history per
/// changed field (record `session_facebook`, id the session).
pub async fn save_facebook(
    store: &Store,
    session: &str,
    f: &Facebook,
    version: Option<DateTime<Utc>>,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let errs = f.validate();
    if !errs.is_empty() {
        let m: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        return Err(StoreError::Invalid(format!("{session}: {}", m.join("; "))));
    }
    let txn = store.write().begin().await?;
    let mut sql = Sql::new(store.backend());
    sql.push("SELECT id FROM event_session WHERE id = ")
        .bind(session.to_string());
    txn.query_one_raw(sql.statement())
        .await?
        .ok_or(StoreError::NotFound)?;
    let old = facebook(store, session).await?;
    if old.as_ref().map(|o| o.updated_at) != version {
        return Err(StoreError::Conflict);
    }
    let changes = crate::changes::diff(
        old.as_ref().map(|o| fields(&o.figures)).as_ref(),
        &fields(f),
    );
    if changes.is_empty() {
        return Ok(());
    }
    let mut sql = Sql::new(store.backend());
    sql.push("DELETE FROM session_facebook WHERE session_id = ")
        .bind(session.to_string());
    if let Some(v) = version {
        sql.push(" AND updated_at = ").bind(v);
    }
    let deleted = txn.execute_raw(sql.statement()).await?.rows_affected();
    if deleted != u64::from(version.is_some()) {
        return Err(StoreError::Conflict);
    }
    crate::list::insert_rows(
        &txn,
        "session_facebook",
        &[
            "session_id",
            "peak_live",
            "total_views",
            "unique_viewers",
            "minutes_viewed",
            "read_on",
            "source",
            "updated_at",
        ],
        &[vec![
            session.to_string().into(),
            f.peak_live.into(),
            f.total_views.into(),
            f.unique_viewers.into(),
            f.minutes_viewed.into(),
            f.read_on.clone().into(),
            f.source.trim().to_string().into(),
            now.into(),
        ]],
    )
    .await?;
    for c in changes {
        crate::changes::insert_row(
            &txn,
            "session_facebook",
            session,
            if old.is_some() { "updated" } else { "created" },
            c.field,
            c.old,
            c.new,
            actor,
            now,
        )
        .await?;
    }
    touch_sessions_in(&txn, &[session.to_string()]).await?;
    txn.commit().await?;
    Ok(())
}

/// The history of a session's Facebook figures, newest first.
pub async fn facebook_history(
    store: &Store,
    session: &str,
) -> Result<Vec<crate::entity::change_log::Model>> {
    let mut h = crate::changes::history(store, "session_facebook", session).await?;
    h.reverse();
    Ok(h)
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct SessionStats {
    pub registered: i64,
    pub confirmed: i64,
    /// Zoom people who attended (not no-shows).
    pub attended: i64,
    pub no_shows: i64,
    pub guests: i64,
    /// Confirmed registrants with no attendance.
    pub confirmed_absent: i64,
    /// `confirmed_absent / confirmed`, when anyone confirmed.
    pub no_show_rate: Option<f64>,
    pub minutes_median: Option<i64>,
    pub minutes_total: i64,
    /// (lower bound in minutes, people), 15-minute bins; the last is open.
    pub distribution: Vec<(i64, i64)>,
    pub facebook: Option<Facebook>,
    /// Zoom people + Facebook unique viewers: an upper bound (the same
    /// person may have watched on both).
    pub reach_upper_bound: i64,
    pub imported: bool,
}

async fn one(store: &Store, sql: Sql) -> Result<i64> {
    Ok(store
        .read()
        .query_one_raw(sql.statement())
        .await?
        .map(|r| int(&r, "n"))
        .transpose()?
        .unwrap_or(0))
}

/// An integer column of either width (PostgreSQL types `INTEGER`, `BIGINT`
/// and `SUM`s apart; SQLite does not), NULL as 0.
fn int(r: &sea_orm::QueryResult, c: &str) -> Result<i64> {
    if let Ok(v) = r.try_get::<Option<i64>>("", c) {
        return Ok(v.unwrap_or(0));
    }
    Ok(r.try_get::<Option<i32>>("", c)?.map(i64::from).unwrap_or(0))
}

pub const BIN_MINUTES: i64 = 15;
pub const BINS: i64 = 8;

pub async fn session_stats(store: &Store, session: &str) -> Result<SessionStats> {
    let b = store.backend();
    let counts = crate::registrations::counts(store, session).await?;
    let mut s = SessionStats {
        registered: counts.pending + counts.confirmed + counts.waiting + counts.cancelled,
        confirmed: counts.confirmed,
        ..Default::default()
    };
    let mut sql = Sql::new(b);
    sql.push(
        "SELECT COUNT(*) AS n, COALESCE(SUM(attended), 0) AS a, \
         COALESCE(SUM(CASE WHEN registrant_id IS NULL AND attended = 1 THEN 1 ELSE 0 END), 0) AS g, \
         COALESCE(SUM(minutes), 0) AS m FROM attendance WHERE session_id = ",
    )
    .bind(session.to_string());
    if let Some(r) = store.read().query_one_raw(sql.statement()).await? {
        let get = |c: &str| -> Result<i64> { Ok(r.try_get::<i64>("", c)?) };
        let total = get("n")?;
        s.imported = total > 0;
        s.attended = get("a")?;
        s.no_shows = total - s.attended;
        s.guests = get("g")?;
        s.minutes_total = get("m")?;
    }
    let mut sql = Sql::new(b);
    sql.push(
        "SELECT COUNT(*) AS n FROM registration g WHERE g.state = 'confirmed' AND g.session_id = ",
    )
    .bind(session.to_string())
    .push(
        " AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.session_id = g.session_id \
         AND a.registrant_id = g.registrant_id AND a.attended = 1)",
    );
    s.confirmed_absent = one(store, sql).await?;
    if s.confirmed > 0 && s.imported {
        s.no_show_rate = Some(s.confirmed_absent as f64 / s.confirmed as f64);
    }
    if s.attended > 0 {
        let mut sql = Sql::new(b);
        sql.push("SELECT minutes AS n FROM attendance WHERE attended = 1 AND session_id = ")
            .bind(session.to_string())
            .push(" ORDER BY minutes LIMIT 1 OFFSET ")
            .bind((s.attended - 1) / 2);
        let lower = one(store, sql).await?;
        s.minutes_median = Some(if s.attended % 2 == 0 {
            let mut sql = Sql::new(b);
            sql.push("SELECT minutes AS n FROM attendance WHERE attended = 1 AND session_id = ")
                .bind(session.to_string())
                .push(" ORDER BY minutes LIMIT 1 OFFSET ")
                .bind(s.attended / 2);
            (lower + one(store, sql).await?) / 2
        } else {
            lower
        });
    }
    let mut sql = Sql::new(b);
    sql.push("SELECT CASE WHEN minutes / ")
        .push(&BIN_MINUTES.to_string())
        .push(" >= ")
        .push(&(BINS - 1).to_string())
        .push(" THEN ")
        .push(&(BINS - 1).to_string())
        .push(" ELSE minutes / ")
        .push(&BIN_MINUTES.to_string())
        .push(" END AS bin, COUNT(*) AS n FROM attendance WHERE attended = 1 AND session_id = ")
        .bind(session.to_string())
        .push(" GROUP BY 1 ORDER BY 1");
    let mut dist = vec![0i64; BINS as usize];
    for r in store.read().query_all_raw(sql.statement()).await? {
        let bin = r
            .try_get::<i64>("", "bin")
            .or_else(|_| r.try_get::<i32>("", "bin").map(i64::from))?;
        dist[bin.clamp(0, BINS - 1) as usize] = r.try_get("", "n")?;
    }
    if s.imported {
        s.distribution = dist
            .into_iter()
            .enumerate()
            .map(|(i, n)| (i as i64 * BIN_MINUTES, n))
            .collect();
    }
    s.facebook = facebook(store, session).await?.map(|f| f.figures);
    s.reach_upper_bound = s.attended
        + s.facebook
            .as_ref()
            .and_then(|f| f.unique_viewers)
            .unwrap_or(0);
    Ok(s)
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SeriesStats {
    /// (session id, number, attended) of the series' sessions with attendance.
    pub sessions: Vec<(String, i64, i64)>,
    pub unique_people: i64,
    /// People who attended two sessions or more.
    pub returning: i64,
    /// (sessions attended, people).
    pub by_sessions_attended: Vec<(i64, i64)>,
    /// Directory institutions of the matched registrants who attended.
    pub institutions: i64,
    /// Countries of the matched registrants who attended.
    pub countries: i64,
    /// (country code, people); "" when the registrant gave none.
    pub by_country: Vec<(String, i64)>,
    /// (role, people).
    pub by_role: Vec<(String, i64)>,
    /// Sum of the sessions' Facebook unique viewers.
    pub facebook_unique: i64,
}

const WHO: &str = "CASE WHEN a.registrant_id IS NOT NULL THEN 'r:' || CAST(a.registrant_id AS VARCHAR(20)) ELSE a.person_key END";

/// A series' figures as kept in `series_audience` (migration m0023):
/// used while no write changed them since (`stamp = rev`); otherwise
/// computed ([`compute_series_stats`]) and kept with the `rev` read
/// before computing, so a write in between leaves them stale for the next
/// reader rather than wrong.
pub async fn series_stats(store: &Store, series: &str) -> Result<SeriesStats> {
    let mut sql = Sql::new(store.backend());
    sql.push("SELECT rev, stamp, stats FROM series_audience WHERE series = ")
        .bind(series.to_string());
    let kept = store.read().query_one_raw(sql.statement()).await?;
    let rev = match &kept {
        Some(r) => {
            let rev = int(r, "rev")?;
            let stamp: Option<i64> = r.try_get("", "stamp")?;
            let stats: Option<String> = r.try_get("", "stats")?;
            if stamp == Some(rev)
                && let Some(st) = stats.and_then(|j| serde_json::from_str(&j).ok())
            {
                return Ok(st);
            }
            Some(rev)
        }
        None => None,
    };
    let st = compute_series_stats(store, series).await?;
    let json = serde_json::to_string(&st).map_err(|e| StoreError::Invalid(e.to_string()))?;
    let now = Utc::now().to_rfc3339();
    let mut sql = Sql::new(store.backend());
    match rev {
        Some(rev) => {
            sql.push("UPDATE series_audience SET stamp = ")
                .bind(rev)
                .push(", stats = ")
                .bind(json)
                .push(", computed_at = ")
                .bind(now)
                .push(" WHERE series = ")
                .bind(series.to_string())
                .push(" AND rev = ")
                .bind(rev);
        }
        None => {
            // Only a series that exists (the key references it).
            sql.push(
                "INSERT INTO series_audience (series, rev, stamp, stats, computed_at) \
                 SELECT id, 0, 0, ",
            )
            .bind(json)
            .push(", ")
            .bind(now)
            .push(" FROM event_series WHERE id = ")
            .bind(series.to_string())
            .push(" ON CONFLICT (series) DO NOTHING");
        }
    }
    store.write().execute_raw(sql.statement()).await?;
    Ok(st)
}

/// Marks the kept figures of the series of `sessions` stale, in the
/// caller's write transaction.
pub async fn touch_sessions_in<C: ConnectionTrait>(db: &C, sessions: &[String]) -> Result<()> {
    for chunk in sessions.chunks(500) {
        let mut sql = Sql::new(db.get_database_backend());
        sql.push(
            "INSERT INTO series_audience (series, rev) SELECT DISTINCT series, 1 FROM \
             event_session WHERE id IN ",
        )
        .bind_list(chunk.iter().cloned())
        .push(" ON CONFLICT (series) DO UPDATE SET rev = series_audience.rev + 1");
        db.execute_raw(sql.statement()).await?;
    }
    Ok(())
}

/// Marks stale the kept figures of every series a registrant attended, in
/// the caller's write transaction (their country, role or institution is
/// about to change, or they are erased).
pub async fn touch_registrant_in<C: ConnectionTrait>(db: &C, registrant: i64) -> Result<()> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push(
        "INSERT INTO series_audience (series, rev) SELECT DISTINCT s.series, 1 FROM attendance a \
         JOIN event_session s ON s.id = a.session_id WHERE a.registrant_id = ",
    )
    .bind(registrant)
    .push(" ON CONFLICT (series) DO UPDATE SET rev = series_audience.rev + 1");
    db.execute_raw(sql.statement()).await?;
    Ok(())
}

/// A series' figures computed from the attendance rows (five grouped
/// queries over the series' rows): [`series_stats`] keeps them.
pub async fn compute_series_stats(store: &Store, series: &str) -> Result<SeriesStats> {
    let b = store.backend();
    let from = |sql: &mut Sql| {
        sql.push(
            " FROM attendance a JOIN event_session s ON s.id = a.session_id \
             WHERE a.attended = 1 AND s.series = ",
        )
        .bind(series.to_string());
    };
    let mut out = SeriesStats::default();
    let mut sql = Sql::new(b);
    sql.push("SELECT a.session_id, MAX(s.number) AS num, COUNT(*) AS n");
    from(&mut sql);
    sql.push(" GROUP BY a.session_id ORDER BY 2");
    for r in store.read().query_all_raw(sql.statement()).await? {
        let num = r
            .try_get::<i32>("", "num")
            .map(i64::from)
            .or_else(|_| r.try_get::<i64>("", "num"))?;
        out.sessions
            .push((r.try_get("", "session_id")?, num, r.try_get("", "n")?));
    }
    let mut sql = Sql::new(b);
    sql.push("SELECT t.k AS k, COUNT(*) AS n FROM (SELECT ")
        .push(WHO)
        .push(" AS who, COUNT(DISTINCT a.session_id) AS k");
    from(&mut sql);
    sql.push(" GROUP BY 1) t GROUP BY t.k ORDER BY t.k");
    for r in store.read().query_all_raw(sql.statement()).await? {
        let k: i64 = r.try_get("", "k")?;
        let n: i64 = r.try_get("", "n")?;
        out.unique_people += n;
        if k >= 2 {
            out.returning += n;
        }
        out.by_sessions_attended.push((k, n));
    }
    let people = |group: &str| {
        let mut sql = Sql::new(b);
        sql.push("SELECT ")
            .push(group)
            .push(" AS g, COUNT(DISTINCT p.id) AS n");
        sql.push(
            " FROM attendance a JOIN event_session s ON s.id = a.session_id \
             JOIN registrant p ON p.id = a.registrant_id WHERE a.attended = 1 AND s.series = ",
        )
        .bind(series.to_string())
        .push(" GROUP BY 1 ORDER BY 2 DESC, 1");
        sql
    };
    for r in store
        .read()
        .query_all_raw(people("p.country").statement())
        .await?
    {
        let c: String = r.try_get("", "g")?;
        if !c.is_empty() {
            out.countries += 1;
        }
        out.by_country.push((c, r.try_get("", "n")?));
    }
    for r in store
        .read()
        .query_all_raw(people("p.role").statement())
        .await?
    {
        out.by_role.push((r.try_get("", "g")?, r.try_get("", "n")?));
    }
    let mut sql = Sql::new(b);
    sql.push(
        "SELECT COUNT(DISTINCT p.institution_id) AS n FROM attendance a JOIN event_session s \
         ON s.id = a.session_id JOIN registrant p ON p.id = a.registrant_id \
         WHERE a.attended = 1 AND s.series = ",
    )
    .bind(series.to_string());
    out.institutions = one(store, sql).await?;
    let mut sql = Sql::new(b);
    sql.push(
        "SELECT COALESCE(SUM(f.unique_viewers), 0) AS n FROM session_facebook f JOIN \
         event_session s ON s.id = f.session_id WHERE s.series = ",
    )
    .bind(series.to_string());
    out.facebook_unique = one(store, sql).await?;
    Ok(out)
}

/// How many people of an institution (matched registrants) attended any
/// session: for its public profile, with the small-count rule applied by
/// the page.
pub async fn institution_attendees(store: &Store, institution: &str) -> Result<i64> {
    let mut sql = Sql::new(store.backend());
    sql.push(
        "SELECT COUNT(DISTINCT p.id) AS n FROM registrant p JOIN attendance a ON \
         a.registrant_id = p.id WHERE a.attended = 1 AND p.institution_id = ",
    )
    .bind(institution.to_string());
    one(store, sql).await
}

/// A session's public figure: how many attended on Zoom (None when no
/// report was imported).
pub async fn session_attended(store: &Store, session: &str) -> Result<Option<i64>> {
    let mut sql = Sql::new(store.backend());
    sql.push(
        "SELECT COUNT(*) AS n, COALESCE(SUM(attended), 0) AS a FROM attendance WHERE session_id = ",
    )
    .bind(session.to_string());
    let Some(r) = store.read().query_one_raw(sql.statement()).await? else {
        return Ok(None);
    };
    let n: i64 = r.try_get("", "n")?;
    Ok((n > 0).then(|| r.try_get::<i64>("", "a")).transpose()?)
}
