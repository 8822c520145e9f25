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
