//! Survey results kept counted (issue 14's speed goal): `survey_tally`
//! holds, per survey, question and raw value, how many submitted responses
//! gave it (instance 0; repeat instances are counted from the answers). It
//! is derived: submit adds a response's answers, reopen takes them away,
//! both in the state change's transaction, and a dump import rebuilds it.
//! The unfiltered results page reads it instead of grouping every answer.

use sea_orm::ConnectionTrait;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared(
            "CREATE TABLE survey_tally (
                survey_id VARCHAR(64) NOT NULL REFERENCES survey (id),
                question VARCHAR(64) NOT NULL,
                value TEXT NOT NULL,
                n BIGINT NOT NULL,
                PRIMARY KEY (survey_id, question, value))",
        )
        .await?;
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
}
