//! Survey e-mails from the job queue: the invitation with the access code
//! (the job's payload, dropped once sent) and reminders, to the invited
//! institution's contact address, in the language the coordinator used;
//! and the scheduled reminder run (`survey_reminders`), which queues a
//! reminder to every institution that has not submitted.

use crate::AppState;
use crate::i18n::{self, FluentArg};
use crate::mail::{Email, Sent};
use faro_domain::Lang;
use faro_store::{StoreError, jobs, surveys};

pub async fn run(state: &AppState, job: &jobs::Job) -> Result<(String, bool), String> {
    let p = &job.payload;
    let survey = p["survey"].as_str().unwrap_or_default();
    let lang = Lang::from_code(p["lang"].as_str().unwrap_or("es")).unwrap_or(Lang::Es);
    if job.kind == "survey_reminders" {
        let s = match surveys::get(state.store.read(), survey).await {
            Ok(s) => s,
            Err(StoreError::NotFound) => return Ok(("survey gone".into(), false)),
            Err(e) => return Err(e.to_string()),
        };
        if s.state != "open" {
            return Ok(("survey not open: no reminders".into(), false));
        }
        let n = surveys::remind(
            &state.store,
            survey,
            lang.code(),
            "system:scheduled-reminder",
        )
        .await
        .map_err(|e| e.to_string())?;
        return Ok((format!("{n} reminders queued"), false));
    }
    let inst_id = p["institution"].as_str().unwrap_or_default();
    let (s, inst) = match (
        surveys::get(state.store.read(), survey).await,
        faro_store::institutions::get(&state.store, inst_id).await,
    ) {
        (Ok(s), Ok(i)) => (s, i),
        (Err(StoreError::NotFound), _) | (_, Err(StoreError::NotFound)) => {
            return Ok(("survey or institution gone".into(), true));
        }
        (Err(e), _) | (_, Err(e)) => return Err(e.to_string()),
    };
    let Some(to) = inst.contact_email.clone().filter(|e| !e.is_empty()) else {
        return Ok(("the institution has no contact address".into(), true));
    };
    let url = format!(
        "{}/{}/surveys/{survey}",
        state.config.public_url.trim_end_matches('/'),
        lang.code()
    );
    let template = p["mail"].as_str().unwrap_or("invitation");
    let mut args: Vec<(&'static str, FluentArg)> = vec![
        ("title", s.title.clone().into()),
        ("institution", inst.acronym.clone().into()),
        ("url", url.into()),
    ];
    if let Some(code) = p["code"].as_str() {
        args.push(("code", code.to_string().into()));
    }
    let email = Email {
        to,
        subject: i18n::t_args(lang, &format!("survey-mail-{template}-subject"), &args),
        body: i18n::t_args(lang, &format!("survey-mail-{template}-body"), &args),
        lang: lang.code().to_string(),
        ics: None,
    };
    let sent = crate::mail::send_email(state.config.mailer.as_ref(), &email).await?;
    if template == "invitation" {
        surveys::mark_emailed(&state.store, survey, inst_id)
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok((
        match sent {
            Sent::Smtp => "sent".into(),
            Sent::Logged => "no SMTP configured: written to the log".into(),
        },
        true,
    ))
}
