//! Faro's domain: languages, countries, institution kinds, the institution
//! record and its validation. Pure data and rules: no I/O, no database, no HTTP.

pub mod accounts;
pub mod attendance;
pub mod country;
pub mod courses;
pub mod events;
pub mod institutions;
pub mod knowledge;
pub mod lang;
pub mod observatory;

pub use country::Country;
pub use institutions::{Institution, InstitutionKind};
pub use lang::Lang;

/// One reason a value was rejected: which field and a stable snake_case code
/// that the web edge translates (see `locales/*/main.ftl`, keys `err-<code>`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub field: &'static str,
    pub code: &'static str,
    /// The offending value, shortened, for messages.
    pub value: String,
}

impl FieldError {
    pub fn new(field: &'static str, code: &'static str, value: &str) -> Self {
        let value: String = value.chars().take(80).collect();
        Self { field, code, value }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let msg = match self.code {
            "required" => "is required",
            "invalid_slug" => {
                "must be lowercase ASCII letters, digits and single hyphens (max 64 characters)"
            }
            "unknown_country" => "is not an ISO 3166-1 alpha-2 country code",
            "unknown_kind" => "is not a known institution kind",
            "invalid_bool" => "must be true or false",
            "too_long" => "is too long",
            "invalid_url" => "must be an http:// or https:// address",
            "control_chars" => "contains control characters",
            "needs_name" => "needs a name in at least one language",
            "invalid_email" => "must be an e-mail address",
            "unknown_code" => "is not a code of the current codebook",
            "not_allowed" => "is not one of the allowed values",
            "invalid_identifier" => "must be doi:10.NNNN/… or hdl:PREFIX/SUFFIX",
            "invalid_license" => "must be an SPDX or Creative Commons identifier such as CC-BY-4.0",
            "unknown_measure" => "is not a measure id",
            "unknown_session" => "is not a session id",
            "no_such_date" => "is not a date that exists",
            "end_before_start" => "must not be before the start date",
            "too_far_ahead" => "must not be later than next year",
            "invalid_number" => "must be a whole number",
            "invalid_day" => "must be a day, YYYY-MM-DD",
            "enrolment_after_end" => "is after the end of the run",
            "negative" => "must not be negative",
            "not_positive" => "must be at least 1",
            "week_over_total" => "is more than the total hours",
            "invalid_price" => "must be an amount such as 120 or 120.50",
            "price_of_free" => "must be empty for a free run",
            "unknown_currency" => "is not an ISO 4217 currency code",
            "unknown_language" => "is not a BCP 47 language tag with a known language",
            "unknown_subject" => "is not an ISCED-F 2013 field code",
            "needs_title" => "needs a title in the original language",
            "duplicate_run" => "is used by two runs of the course",
            "invalid_date" => {
                "must be YYYY, YYYY-MM, YYYY-MM-DD or none (leave empty when unknown)"
            }
            other => other,
        };
        write!(f, "{} {} ({:?})", self.field, msg, self.value)
    }
}

/// Text for accent- and case-insensitive comparison: lower case, Latin
/// diacritics removed (`Formação` → `formacao`, `Haïti` → `haiti`).
pub fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'ē' => 'e',
            'í' | 'ì' | 'î' | 'ï' | 'ī' => 'i',
            'ó' | 'ò' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => 'o',
            'ú' | 'ù' | 'û' | 'ü' | 'ū' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            'ý' | 'ÿ' => 'y',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod fold_tests {
    #[test]
    fn folds_case_and_accents() {
        assert_eq!(
            super::fold("Formação Profissional"),
            "formacao profissional"
        );
        assert_eq!(super::fold("HAÏTI Capacitación"), "haiti capacitacion");
    }
}
