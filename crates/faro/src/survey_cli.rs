//! `faro survey …`: XLSForm questionnaires from the command line.

use anyhow::{Context, Result};
use std::path::PathBuf;

#[derive(clap::Subcommand, Debug)]
pub enum SurveyAction {
    /// Read an XLSForm (.xlsx) as Faro would at upload and print its reading
    /// (questions, groups, choices, expressions) or every problem with its
    /// sheet, row and column. Exit status 2 when the form is refused.
    Check {
        file: PathBuf,
        /// Print JSON (`{"ok": true, "form": …}` or `{"ok": false, "problems": […]}`).
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(action: &SurveyAction) -> Result<std::process::ExitCode> {
    match action {
        SurveyAction::Check { file, json } => {
            let bytes =
                std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
            let stem = file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "form".into());
            match faro_formats::xlsform::read(&bytes, &stem) {
                Ok(form) => {
                    if *json {
                        println!(
                            "{}",
                            serde_json::to_string_pretty(
                                &serde_json::json!({"ok": true, "form": form})
                            )?
                        );
                    } else {
                        let n = form.questions().len();
                        println!(
                            "{}: {} ({}), version {:?}, {n} question(s), languages: {}",
                            file.display(),
                            form.title,
                            form.form_id,
                            form.version,
                            form.languages
                                .iter()
                                .map(|l| l.name.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        );
                    }
                    Ok(std::process::ExitCode::SUCCESS)
                }
                Err(problems) => {
                    if *json {
                        println!(
                            "{}",
                            serde_json::to_string_pretty(
                                &serde_json::json!({"ok": false, "problems": problems})
                            )?
                        );
                    } else {
                        eprintln!("{}: {} problem(s):", file.display(), problems.len());
                        for p in &problems {
                            eprintln!("  {p}");
                        }
                    }
                    Ok(std::process::ExitCode::from(2))
                }
            }
        }
    }
}

/// Reads an XLSForm file; a refused form prints its problems and gives the
/// exit status.
pub fn read(
    file: &std::path::Path,
) -> Result<Result<faro_formats::xlsform::Form, std::process::ExitCode>> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "form".into());
    Ok(match faro_formats::xlsform::read(&bytes, &stem) {
        Ok(f) => Ok(f),
        Err(problems) => {
            eprintln!(
                "{}: {} problem(s); nothing was imported:",
                file.display(),
                problems.len()
            );
            for p in &problems {
                eprintln!("  {p}");
            }
            Err(std::process::ExitCode::from(2))
        }
    })
}

/// `faro import survey FILE`.
pub async fn import(
    store: &faro_store::Store,
    file: &std::path::Path,
    form: &faro_formats::xlsform::Form,
    actor: &str,
) -> Result<std::process::ExitCode> {
    let bytes = std::fs::read(file)?;
    let name = file
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let up = faro_store::surveys::upload(store, form, &bytes, &name, actor).await?;
    println!(
        "survey {}: version {} ({})",
        up.survey,
        up.version,
        up.outcome.replace('_', " ")
    );
    Ok(std::process::ExitCode::SUCCESS)
}
