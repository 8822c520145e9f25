//! Accounts: users and their institution scopes, password hashes (Argon2id,
//! computed off the async runtime), sessions stored in the database (so they
//! work across several processes), API tokens, one-time links and the
//! failed-login records used for throttling. Secrets are stored only as
//! SHA-256 hashes; the clear values are returned once to the caller.

use crate::changes::{self, Actor, FieldChange};
use crate::entity::accounts::{
    api_token, app_user, login_failure, one_time_link, session, user_institution,
};
use crate::{Result, Store, StoreError};
use chrono::{DateTime, Duration, Utc};
use faro_domain::accounts::{Principal, Role};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ActiveValue::Set, ColumnTrait, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use sha2::{Digest, Sha256};

pub const RECORD_TYPE: &str = "user";

/// Session lifetime without activity, and in total.
pub const SESSION_IDLE: Duration = Duration::hours(8);
pub const SESSION_ABSOLUTE: Duration = Duration::days(7);
/// One-time links expire after this.
pub const LINK_TTL: Duration = Duration::hours(24);

/// 32 random bytes as 64 hex characters.
pub fn random_token() -> String {
    let mut buf = [0u8; 32];
    getrandom::fill(&mut buf).expect("operating system random source");
    hex(&buf)
}

/// Lower-case hex of a digest.
pub fn hex_digest(bytes: &[u8]) -> String {
    hex(bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn sha256_hex(s: &str) -> String {
    hex(&Sha256::digest(s.as_bytes()))
}

/// Argon2id hash in PHC format, computed on a blocking thread.
pub async fn hash_password(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || {
        use argon2::password_hash::PasswordHasher;
        argon2::Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| StoreError::Invalid(format!("cannot hash password: {e}")))
    })
    .await
    .map_err(|e| StoreError::Invalid(format!("hashing task failed: {e}")))?
}

/// Checks a password against a stored hash, on a blocking thread.
pub async fn verify_password(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        use argon2::password_hash::PasswordVerifier;
        argon2::Argon2::default()
            .verify_password(password.as_bytes(), hash.as_str())
            .is_ok()
    })
    .await
    .unwrap_or(false)
}

/// A hash to verify against when the account does not exist, so that a
/// wrong e-mail costs as much time as a wrong password.
pub async fn dummy_hash() -> &'static str {
    static DUMMY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DUMMY
        .get_or_init(|| async {
            hash_password("not a real password at all".into())
                .await
                .unwrap_or_default()
        })
        .await
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub role: Role,
    pub disabled: bool,
    pub has_password: bool,
    pub institutions: Vec<String>,
    /// The public name the person chose (see [`public_people`]).
    pub display_name: Option<String>,
}

async fn scopes<C: sea_orm::ConnectionTrait>(db: &C, user_id: i64) -> Result<Vec<String>> {
    let mut v: Vec<String> = user_institution::Entity::find()
        .filter(user_institution::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.institution_id)
        .collect();
    v.sort();
    Ok(v)
}

fn to_user(m: app_user::Model, institutions: Vec<String>) -> User {
    User {
        id: m.id,
        email: m.email,
        role: Role::from_code(&m.role).unwrap_or(Role::Editor),
        disabled: m.disabled,
        has_password: m.password_hash.is_some(),
        institutions,
        display_name: m.display_name,
    }
}

fn user_fields(u: &User) -> changes::Fields {
    vec![
        ("email", Some(u.email.clone())),
        ("role", Some(u.role.code().to_string())),
        ("disabled", Some(u.disabled.to_string())),
        ("institutions", Some(u.institutions.join(";"))),
    ]
}

pub async fn user_by_email(store: &Store, email: &str) -> Result<Option<(User, Option<String>)>> {
    let Some(m) = app_user::Entity::find()
        .filter(app_user::Column::Email.eq(email.to_lowercase()))
        .one(store.read())
        .await?
    else {
        return Ok(None);
    };
    let hash = m.password_hash.clone();
    let inst = scopes(store.read(), m.id).await?;
    Ok(Some((to_user(m, inst), hash)))
}

pub async fn user(store: &Store, id: i64) -> Result<User> {
    let m = app_user::Entity::find_by_id(id)
        .one(store.read())
        .await?
        .ok_or(StoreError::NotFound)?;
    let inst = scopes(store.read(), id).await?;
    Ok(to_user(m, inst))
}

pub async fn users(store: &Store) -> Result<Vec<User>> {
    let mut out = Vec::new();
    for m in app_user::Entity::find()
        .order_by_asc(app_user::Column::Email)
        .all(store.read())
        .await?
    {
        let inst = scopes(store.read(), m.id).await?;
        out.push(to_user(m, inst));
    }
    Ok(out)
}

pub fn principal(u: &User) -> Principal {
    Principal {
        user_id: u.id,
        email: u.email.clone(),
        role: u.role,
        institutions: if u.role == Role::Coordinator {
            vec![]
        } else {
            u.institutions.clone()
        },
    }
}

async fn check_institutions<C: sea_orm::ConnectionTrait>(db: &C, ids: &[String]) -> Result<()> {
    for id in ids {
        let found = crate::entity::institution::Entity::find_by_id(id.clone())
            .one(db)
            .await?
            .filter(|m| m.deleted_at.is_none());
        if found.is_none() {
            return Err(StoreError::Invalid(format!("unknown institution {id:?}")));
        }
    }
    Ok(())
}

/// Creates a user; the password hash may be absent (then a set-password
/// link is the way in).
pub async fn create_user(
    store: &Store,
    email: &str,
    role: Role,
    institutions: &[String],
    password_hash: Option<String>,
    actor: &Actor,
) -> Result<User> {
    let email = faro_domain::accounts::normalize_email(email)
        .map_err(|_| StoreError::Invalid(format!("{email:?} is not an e-mail address")))?;
    if role == Role::Editor && institutions.is_empty() {
        return Err(StoreError::Invalid(
            "an editor needs at least one institution".into(),
        ));
    }
    let txn = store.write().begin().await?;
    if app_user::Entity::find()
        .filter(app_user::Column::Email.eq(email.clone()))
        .count(&txn)
        .await?
        > 0
    {
        return Err(StoreError::Invalid(format!(
            "a user with e-mail {email} already exists"
        )));
    }
    check_institutions(&txn, institutions).await?;
    let now = Utc::now();
    let m = app_user::ActiveModel {
        id: NotSet,
        email: Set(email.clone()),
        password_hash: Set(password_hash),
        role: Set(role.code().into()),
        disabled: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        display_name: Set(None),
    }
    .insert(&txn)
    .await?;
    let mut inst: Vec<String> = institutions.to_vec();
    inst.sort();
    inst.dedup();
    for i in &inst {
        user_institution::ActiveModel {
            user_id: Set(m.id),
            institution_id: Set(i.clone()),
        }
        .insert(&txn)
        .await?;
    }
    let u = to_user(m, inst);
    let diff = changes::diff(None, &user_fields(&u));
    changes::record(
        &txn,
        actor,
        RECORD_TYPE,
        &u.id.to_string(),
        "created",
        &diff,
    )
    .await?;
    txn.commit().await?;
    Ok(u)
}

/// Changes role, scopes or the disabled flag. Disabling ends the user's
/// sessions and tokens stop working.
pub async fn update_user(
    store: &Store,
    id: i64,
    role: Role,
    institutions: &[String],
    disabled: bool,
    actor: &Actor,
) -> Result<Vec<FieldChange>> {
    if role == Role::Editor && institutions.is_empty() && !disabled {
        return Err(StoreError::Invalid(
            "an editor needs at least one institution".into(),
        ));
    }
    let txn = store.write().begin().await?;
    let m = app_user::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(StoreError::NotFound)?;
    check_institutions(&txn, institutions).await?;
    let before = to_user(m.clone(), scopes(&txn, id).await?);
    let mut inst: Vec<String> = institutions.to_vec();
    inst.sort();
    inst.dedup();
    let after = User {
        role,
        disabled,
        institutions: inst.clone(),
        ..before.clone()
    };
    let diff = changes::diff(Some(&user_fields(&before)), &user_fields(&after));
    if diff.is_empty() {
        return Ok(diff);
    }
    let mut am: app_user::ActiveModel = m.into();
    am.role = Set(role.code().into());
    am.disabled = Set(disabled);
    am.updated_at = Set(Utc::now());
    am.update(&txn).await?;
    user_institution::Entity::delete_many()
        .filter(user_institution::Column::UserId.eq(id))
        .exec(&txn)
        .await?;
    for i in &inst {
        user_institution::ActiveModel {
            user_id: Set(id),
            institution_id: Set(i.clone()),
        }
        .insert(&txn)
        .await?;
    }
    if disabled {
        session::Entity::delete_many()
            .filter(session::Column::UserId.eq(id))
            .exec(&txn)
            .await?;
    }
    changes::record(&txn, actor, RECORD_TYPE, &id.to_string(), "updated", &diff).await?;
    txn.commit().await?;
    Ok(diff)
}

/// Sets (or, with an empty text, clears) the public name of an account,
/// recorded in the history like any change; an invalid name is
/// [`StoreError::Rule`] with its code (`display_name_too_long`, …).
pub async fn set_display_name(store: &Store, id: i64, name: &str, actor: &Actor) -> Result<()> {
    let name = faro_domain::accounts::normalize_display_name(name).map_err(StoreError::Rule)?;
    let txn = store.write().begin().await?;
    let m = app_user::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let diff = changes::diff(
        Some(&vec![("display_name", m.display_name.clone())]),
        &vec![("display_name", name.clone())],
    );
    if diff.is_empty() {
        return Ok(());
    }
    let seen = m.updated_at;
    let mut am: app_user::ActiveModel = m.into();
    am.display_name = Set(name);
    am.updated_at = Set(Utc::now());
    changes::update_if_unchanged(
        &txn,
        app_user::Entity::update(am)
            .validate()?
            .filter(app_user::Column::UpdatedAt.eq(seen)),
    )
    .await?;
    changes::record(&txn, actor, RECORD_TYPE, &id.to_string(), "updated", &diff).await?;
    txn.commit().await?;
    Ok(())
}

/// How the accounts behind these actors appear to the public (display name
/// and role), in one query for the accounts of one page or one part of a
/// file, never the whole table. Accounts not found are absent.
pub async fn public_people(
    store: &Store,
    accounts: &[faro_domain::accounts::AccountRef],
) -> Result<std::collections::HashMap<faro_domain::accounts::AccountRef, PublicPerson>> {
    use faro_domain::accounts::AccountRef;
    use sea_orm::{Condition, QuerySelect};
    let mut emails: Vec<String> = Vec::new();
    let mut ids: Vec<i64> = Vec::new();
    for a in accounts {
        match a {
            AccountRef::Email(e) => emails.push(e.clone()),
            AccountRef::Id(i) => ids.push(*i),
        }
    }
    emails.sort();
    emails.dedup();
    ids.sort();
    ids.dedup();
    let mut out = std::collections::HashMap::new();
    let longest = emails.len().max(ids.len());
    for n in (0..longest).step_by(500) {
        let e: Vec<String> = emails.iter().skip(n).take(500).cloned().collect();
        let i: Vec<i64> = ids.iter().skip(n).take(500).copied().collect();
        let rows: Vec<(i64, String, String, Option<String>)> = app_user::Entity::find()
            .select_only()
            .column(app_user::Column::Id)
            .column(app_user::Column::Email)
            .column(app_user::Column::Role)
            .column(app_user::Column::DisplayName)
            .filter(
                Condition::any()
                    .add(app_user::Column::Email.is_in(e))
                    .add(app_user::Column::Id.is_in(i)),
            )
            .into_tuple()
            .all(store.read())
            .await?;
        for (id, email, role, display_name) in rows {
            let p = PublicPerson {
                display_name,
                role: Role::from_code(&role).unwrap_or(Role::Editor),
            };
            if ids.binary_search(&id).is_ok() {
                out.insert(AccountRef::Id(id), p.clone());
            }
            if emails.binary_search(&email).is_ok() {
                out.insert(AccountRef::Email(email), p);
            }
        }
    }
    Ok(out)
}

pub use faro_domain::accounts::PublicPerson;

/// The e-mail addresses of the active accounts with `role` (coordinators:
/// whom a submitted measure is announced to).
pub async fn active_emails_with_role(store: &Store, role: Role) -> Result<Vec<String>> {
    use sea_orm::QuerySelect;
    Ok(app_user::Entity::find()
        .select_only()
        .column(app_user::Column::Email)
        .filter(app_user::Column::Role.eq(role.code()))
        .filter(app_user::Column::Disabled.eq(false))
        .order_by_asc(app_user::Column::Email)
        .limit(200)
        .into_tuple()
        .all(store.read())
        .await?)
}

/// Sets a new password hash and ends every other session of the user.
pub async fn set_password(
    store: &Store,
    id: i64,
    hash: String,
    keep_session: Option<&str>,
    actor: &Actor,
) -> Result<()> {
    let txn = store.write().begin().await?;
    let m = app_user::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let mut am: app_user::ActiveModel = m.into();
    am.password_hash = Set(Some(hash));
    am.updated_at = Set(Utc::now());
    am.update(&txn).await?;
    let mut del = session::Entity::delete_many().filter(session::Column::UserId.eq(id));
    if let Some(keep) = keep_session {
        del = del.filter(session::Column::IdHash.ne(sha256_hex(keep)));
    }
    del.exec(&txn).await?;
    // The history notes that the password changed, never the value.
    let change = FieldChange {
        field: "password",
        old: None,
        new: Some("(changed)".into()),
    };
    changes::record(
        &txn,
        actor,
        RECORD_TYPE,
        &id.to_string(),
        "updated",
        &[change],
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

// ---- sessions ---------------------------------------------------------------

pub struct NewSession {
    /// The cookie value (shown once, stored hashed).
    pub token: String,
    pub csrf: String,
}

pub async fn create_session(store: &Store, user_id: i64) -> Result<NewSession> {
    let token = random_token();
    let csrf = random_token();
    let now = Utc::now();
    session::ActiveModel {
        id_hash: Set(sha256_hex(&token)),
        user_id: Set(user_id),
        csrf: Set(csrf.clone()),
        created_at: Set(now),
        last_seen_at: Set(now),
    }
    .insert(store.write())
    .await?;
    Ok(NewSession { token, csrf })
}

/// The principal and CSRF token of a live session. Expired sessions are
/// deleted; activity is recorded at most once a minute.
pub async fn session_principal(store: &Store, token: &str) -> Result<Option<(Principal, String)>> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let hash = sha256_hex(token);
    let Some(s) = session::Entity::find_by_id(hash.clone())
        .one(store.read())
        .await?
    else {
        return Ok(None);
    };
    let now = Utc::now();
    if now - s.last_seen_at > SESSION_IDLE || now - s.created_at > SESSION_ABSOLUTE {
        session::Entity::delete_by_id(hash)
            .exec(store.write())
            .await?;
        return Ok(None);
    }
    let u = user(store, s.user_id).await?;
    if u.disabled {
        return Ok(None);
    }
    if now - s.last_seen_at > Duration::minutes(1) {
        let mut am: session::ActiveModel = s.clone().into();
        am.last_seen_at = Set(now);
        am.update(store.write()).await?;
    }
    Ok(Some((principal(&u), s.csrf)))
}

/// How many sessions an account has (signed-in browsers), live or not.
pub async fn session_count(store: &Store, user_id: i64) -> Result<u64> {
    Ok(session::Entity::find()
        .filter(session::Column::UserId.eq(user_id))
        .count(store.read())
        .await?)
}

pub async fn end_session(store: &Store, token: &str) -> Result<()> {
    session::Entity::delete_by_id(sha256_hex(token))
        .exec(store.write())
        .await?;
    Ok(())
}

/// Test hook: pretend a session was last used `age` ago.
pub async fn age_session(
    store: &Store,
    token: &str,
    idle: Duration,
    total: Duration,
) -> Result<()> {
    let s = session::Entity::find_by_id(sha256_hex(token))
        .one(store.read())
        .await?
        .ok_or(StoreError::NotFound)?;
    let mut am: session::ActiveModel = s.into();
    am.last_seen_at = Set(Utc::now() - idle);
    am.created_at = Set(Utc::now() - total);
    am.update(store.write()).await?;
    Ok(())
}

// ---- API tokens -------------------------------------------------------------

#[derive(Debug, Clone, serde::Serialize)]
pub struct TokenInfo {
    pub id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Creates a bearer token; the returned string is shown once.
pub async fn create_token(store: &Store, user_id: i64, name: &str) -> Result<(TokenInfo, String)> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(StoreError::Invalid("token_name".into()));
    }
    let secret = format!("faro_{}", random_token());
    let m = api_token::ActiveModel {
        id: NotSet,
        user_id: Set(user_id),
        name: Set(name.to_string()),
        token_hash: Set(sha256_hex(&secret)),
        created_at: Set(Utc::now()),
        last_used_at: Set(None),
        revoked_at: Set(None),
    }
    .insert(store.write())
    .await?;
    Ok((token_info(m), secret))
}

fn token_info(m: api_token::Model) -> TokenInfo {
    TokenInfo {
        id: m.id,
        name: m.name,
        created_at: m.created_at,
        last_used_at: m.last_used_at,
        revoked_at: m.revoked_at,
    }
}

pub async fn tokens(store: &Store, user_id: i64) -> Result<Vec<TokenInfo>> {
    Ok(api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(user_id))
        .order_by_desc(api_token::Column::Id)
        .all(store.read())
        .await?
        .into_iter()
        .map(token_info)
        .collect())
}

/// Revokes one of the user's tokens (coordinators may revoke anyone's).
pub async fn revoke_token(store: &Store, token_id: i64, by: &Principal) -> Result<()> {
    let m = api_token::Entity::find_by_id(token_id)
        .one(store.read())
        .await?
        .ok_or(StoreError::NotFound)?;
    if m.user_id != by.user_id && !by.is_coordinator() {
        return Err(StoreError::NotFound);
    }
    if m.revoked_at.is_none() {
        let mut am: api_token::ActiveModel = m.into();
        am.revoked_at = Set(Some(Utc::now()));
        am.update(store.write()).await?;
    }
    Ok(())
}

/// Revokes every live API token of a user (in the caller's transaction
/// or not); returns how many were revoked.
pub async fn revoke_all_tokens<C: sea_orm::ConnectionTrait>(db: &C, user_id: i64) -> Result<u64> {
    let r = api_token::Entity::update_many()
        .col_expr(
            api_token::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .filter(api_token::Column::UserId.eq(user_id))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(r.rows_affected)
}

/// The principal behind a bearer token, if it is valid and not revoked.
pub async fn token_principal(store: &Store, secret: &str) -> Result<Option<Principal>> {
    if !secret.starts_with("faro_") || secret.len() != 69 {
        return Ok(None);
    }
    let Some(m) = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(sha256_hex(secret)))
        .one(store.read())
        .await?
    else {
        return Ok(None);
    };
    if m.revoked_at.is_some() {
        return Ok(None);
    }
    let u = user(store, m.user_id).await?;
    if u.disabled {
        return Ok(None);
    }
    let now = Utc::now();
    if m.last_used_at
        .is_none_or(|t| now - t > Duration::minutes(1))
    {
        let mut am: api_token::ActiveModel = m.into();
        am.last_used_at = Set(Some(now));
        am.update(store.write()).await?;
    }
    Ok(Some(principal(&u)))
}

// ---- one-time links ---------------------------------------------------------

pub const PURPOSE_SET: &str = "set_password";
pub const PURPOSE_RESET: &str = "reset_password";

/// A one-time token for setting a password; returned once, stored hashed.
pub async fn create_link(store: &Store, user_id: i64, purpose: &str) -> Result<String> {
    let token = random_token();
    let now = Utc::now();
    one_time_link::ActiveModel {
        token_hash: Set(sha256_hex(&token)),
        user_id: Set(user_id),
        purpose: Set(purpose.to_string()),
        created_at: Set(now),
        expires_at: Set(now + LINK_TTL),
        used_at: Set(None),
    }
    .insert(store.write())
    .await?;
    Ok(token)
}

/// How many links of `purpose` were made for a user since `since` (the
/// reset-request limit per account).
pub async fn links_since(
    store: &Store,
    user_id: i64,
    purpose: &str,
    since: DateTime<Utc>,
) -> Result<u64> {
    Ok(one_time_link::Entity::find()
        .filter(one_time_link::Column::UserId.eq(user_id))
        .filter(one_time_link::Column::Purpose.eq(purpose))
        .filter(one_time_link::Column::CreatedAt.gt(since))
        .count(store.read())
        .await?)
}

/// The user a link is for, if it is unused and unexpired (does not use it).
pub async fn link_user(store: &Store, token: &str) -> Result<Option<i64>> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let m = one_time_link::Entity::find_by_id(sha256_hex(token))
        .one(store.read())
        .await?;
    Ok(
        m.filter(|m| m.used_at.is_none() && m.expires_at > Utc::now())
            .map(|m| m.user_id),
    )
}

/// Uses a link: sets the password, marks the link used. One transaction, so
/// a link can never be used twice.
pub async fn use_link(store: &Store, token: &str, hash: String) -> Result<i64> {
    let Some(user_id) = link_user(store, token).await? else {
        return Err(StoreError::NotFound);
    };
    let txn = store.write().begin().await?;
    let m = one_time_link::Entity::find_by_id(sha256_hex(token))
        .one(&txn)
        .await?
        .filter(|m| m.used_at.is_none())
        .ok_or(StoreError::NotFound)?;
    let purpose = m.purpose.clone();
    let mut am: one_time_link::ActiveModel = m.into();
    am.used_at = Set(Some(Utc::now()));
    am.update(&txn).await?;
    // A reset by link means the password may be known to someone else:
    // the API tokens made with it stop working too.
    if purpose == PURPOSE_RESET {
        revoke_all_tokens(&txn, user_id).await?;
    }
    txn.commit().await?;
    set_password(
        store,
        user_id,
        hash,
        None,
        &Actor::new(
            format!("user-link:{user_id}"),
            Some("password set by one-time link".into()),
        ),
    )
    .await?;
    Ok(user_id)
}

// ---- login throttling ---------------------------------------------------------

pub async fn record_login_failure(store: &Store, account: &str, client: &str) -> Result<()> {
    login_failure::ActiveModel {
        id: NotSet,
        account: Set(account.chars().take(254).collect()),
        client: Set(client.chars().take(64).collect()),
        at: Set(Utc::now()),
    }
    .insert(store.write())
    .await?;
    Ok(())
}

/// Failures in the window for this account and for this client, and the
/// oldest of them (to tell when the window frees up).
pub async fn recent_failures(
    store: &Store,
    account: &str,
    client: &str,
    window: Duration,
) -> Result<(u64, u64, Option<DateTime<Utc>>)> {
    let since = Utc::now() - window;
    let by_account = login_failure::Entity::find()
        .filter(login_failure::Column::Account.eq(account))
        .filter(login_failure::Column::At.gt(since))
        .count(store.read())
        .await?;
    let by_client = login_failure::Entity::find()
        .filter(login_failure::Column::Client.eq(client))
        .filter(login_failure::Column::At.gt(since))
        .count(store.read())
        .await?;
    let oldest = login_failure::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(login_failure::Column::Account.eq(account))
                .add(login_failure::Column::Client.eq(client)),
        )
        .filter(login_failure::Column::At.gt(since))
        .order_by_asc(login_failure::Column::At)
        .one(store.read())
        .await?
        .map(|m| m.at);
    Ok((by_account, by_client, oldest))
}

/// Failures in the window for this account from this client.
pub async fn pair_failures(
    store: &Store,
    account: &str,
    client: &str,
    window: Duration,
) -> Result<u64> {
    Ok(login_failure::Entity::find()
        .filter(login_failure::Column::Account.eq(account))
        .filter(login_failure::Column::Client.eq(client))
        .filter(login_failure::Column::At.gt(Utc::now() - window))
        .count(store.read())
        .await?)
}

pub async fn clear_login_failures(store: &Store, account: &str) -> Result<()> {
    login_failure::Entity::delete_many()
        .filter(login_failure::Column::Account.eq(account))
        .exec(store.write())
        .await?;
    Ok(())
}
