//! Readers and writers of outside formats. Pure: bytes in, domain values out
//! (and back). No database, no HTTP.

pub mod course_jsonld;
pub mod courses_csv;
pub mod ical;
pub mod institutions_csv;
pub mod measures_csv;
pub mod oai_pmh;
pub mod pdf;
pub mod report_markup;
pub mod resources_csv;
pub mod sessions_csv;
pub mod sitemap;
pub mod table;
pub mod xlsform;
pub mod xlsform_expr;
pub mod xlsform_run;
pub mod xlsx;
pub mod xlsx_write;
pub mod xml;
pub mod zoom;
