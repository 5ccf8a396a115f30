#include "store/migrations.h"

#include <regex>

namespace qujat::store {

// Instants are BIGINT seconds since the Unix epoch (UTC); dates are TEXT
// 'YYYY-MM-DD' (they sort and compare as text); JSON is TEXT; decimal
// quantities are TEXT (exact, model::Decimal).
std::span<const Migration> migrations() {
  static constexpr Migration list[] = {
      {1,
       "CREATE TABLE document_sequences ("
       "  scope TEXT NOT NULL, year INTEGER NOT NULL, last_value INTEGER NOT NULL,"
       "  PRIMARY KEY (scope, year))",
       "CREATE TABLE document_sequences ("
       "  scope TEXT NOT NULL, year INTEGER NOT NULL, last_value BIGINT NOT NULL,"
       "  PRIMARY KEY (scope, year))"},
      // The procedure: applications and their history and files, the issued
      // documents (the cabinet), the audit chain, the outbox, guarantee checks
      // at the MFA, login challenges, general-licence balances.
      {2,
       "CREATE TABLE applications ("
       "  id TEXT PRIMARY KEY,"
       "  registration_number TEXT NOT NULL UNIQUE,"
       "  kind TEXT NOT NULL,"
       "  state TEXT NOT NULL,"
       "  owner_iin TEXT, owner_bin TEXT,"
       "  submitted_by TEXT NOT NULL,"
       "  received_at BIGINT NOT NULL,"
       "  registered_on TEXT NOT NULL,"
       "  term_days BIGINT NOT NULL,"
       "  due_on TEXT NOT NULL,"
       "  stopped_on TEXT,"
       "  stopped_days BIGINT NOT NULL DEFAULT 0,"
       "  data TEXT NOT NULL,"
       "  signed BLOB NOT NULL,"
       "  intake TEXT NOT NULL,"
       "  case_file TEXT NOT NULL,"
       "  version BIGINT NOT NULL,"
       "  updated_at BIGINT NOT NULL);"
       "CREATE INDEX applications_by_iin ON applications (owner_iin);"
       "CREATE INDEX applications_by_bin ON applications (owner_bin);"
       "CREATE INDEX applications_by_due ON applications (state, due_on);"
       "CREATE TABLE application_files ("
       "  application_id TEXT NOT NULL REFERENCES applications (id),"
       "  sha256 TEXT NOT NULL,"
       "  content BLOB NOT NULL,"
       "  PRIMARY KEY (application_id, sha256));"
       "CREATE TABLE application_events ("
       "  application_id TEXT NOT NULL REFERENCES applications (id),"
       "  seq BIGINT NOT NULL,"
       "  at BIGINT NOT NULL,"
       "  state TEXT NOT NULL,"
       "  action TEXT NOT NULL,"
       "  actor TEXT NOT NULL,"
       "  reason TEXT,"
       "  details TEXT NOT NULL,"
       "  PRIMARY KEY (application_id, seq));"
       "CREATE TABLE documents ("
       "  number TEXT PRIMARY KEY,"
       "  application_id TEXT REFERENCES applications (id),"
       "  kind TEXT NOT NULL,"
       "  state TEXT NOT NULL,"
       "  issued_on TEXT NOT NULL,"
       "  issued_at BIGINT NOT NULL,"
       "  valid_from TEXT, valid_until TEXT,"
       "  verification_code TEXT NOT NULL,"
       "  owner_iin TEXT, owner_bin TEXT,"
       "  supersedes TEXT, superseded_by TEXT,"
       "  fee_tenge BIGINT,"
       "  public_facts TEXT NOT NULL,"
       "  xml BLOB NOT NULL,"
       "  pdf BLOB NOT NULL);"
       "CREATE INDEX documents_by_application ON documents (application_id);"
       "CREATE TABLE audit_log ("
       "  seq BIGINT PRIMARY KEY,"
       "  at BIGINT NOT NULL,"
       "  actor TEXT NOT NULL,"
       "  action TEXT NOT NULL,"
       "  subject TEXT NOT NULL,"
       "  reason TEXT NOT NULL,"
       "  details TEXT NOT NULL,"
       "  prev_hash TEXT NOT NULL,"
       "  hash TEXT NOT NULL);"
       "CREATE TABLE audit_head ("
       "  id INTEGER PRIMARY KEY CHECK (id = 1),"
       "  seq BIGINT NOT NULL,"
       "  hash TEXT NOT NULL);"
       "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, "
       "'0000000000000000000000000000000000000000000000000000000000000000');"
       "CREATE TABLE outbox ("
       "  id TEXT PRIMARY KEY,"
       "  topic TEXT NOT NULL,"
       "  idempotency_key TEXT NOT NULL UNIQUE,"
       "  subject TEXT NOT NULL,"
       "  payload TEXT NOT NULL,"
       "  state TEXT NOT NULL,"
       "  attempts BIGINT NOT NULL DEFAULT 0,"
       "  next_attempt_at BIGINT NOT NULL,"
       "  claimed_by TEXT,"
       "  claimed_until BIGINT,"
       "  last_error TEXT,"
       "  created_at BIGINT NOT NULL,"
       "  delivered_at BIGINT);"
       "CREATE INDEX outbox_due ON outbox (topic, state, next_attempt_at);"
       "CREATE TABLE guarantee_checks ("
       "  id TEXT PRIMARY KEY,"
       "  application_id TEXT NOT NULL REFERENCES applications (id),"
       "  idempotency_key TEXT NOT NULL UNIQUE,"
       "  reason TEXT NOT NULL,"
       "  state TEXT NOT NULL,"
       "  requested_at BIGINT NOT NULL,"
       "  sent_at BIGINT,"
       "  answer TEXT,"
       "  answered_at BIGINT,"
       "  answer_id TEXT UNIQUE,"
       "  details TEXT NOT NULL);"
       "CREATE INDEX guarantee_checks_by_application ON guarantee_checks (application_id);"
       "CREATE TABLE login_challenges ("
       "  nonce TEXT PRIMARY KEY,"
       "  expires_at BIGINT NOT NULL,"
       "  used_at BIGINT);"
       "CREATE TABLE general_licence_items ("
       "  document_number TEXT NOT NULL REFERENCES documents (number),"
       "  item BIGINT NOT NULL,"
       "  hs_code TEXT NOT NULL,"
       "  quantity TEXT NOT NULL,"
       "  remaining TEXT NOT NULL,"
       "  PRIMARY KEY (document_number, item));"
       "CREATE TABLE execution_reports ("
       "  id TEXT PRIMARY KEY,"
       "  document_number TEXT NOT NULL REFERENCES documents (number),"
       "  item BIGINT NOT NULL,"
       "  export_date TEXT NOT NULL,"
       "  quantity TEXT NOT NULL,"
       "  reported_at BIGINT NOT NULL,"
       "  reported_by TEXT NOT NULL,"
       "  report TEXT NOT NULL)",
       nullptr},
      // Status reads, the service's most frequent request:
      // - the one case-file date they show gets a column of its own (picking
      //   it out of the case file, kilobytes of JSON once decided, was a
      //   quarter of a read's time), filled in for the rows written before;
      // - an application's documents come out of an index in the order they
      //   are shown, with no sort.
      {3,
       "ALTER TABLE applications ADD COLUMN completeness_due_on TEXT;"
       "UPDATE applications SET completeness_due_on = json_extract(case_file, '$.completeness_due_on');"
       "CREATE INDEX documents_of_application ON documents (application_id, issued_at, number);"
       "DROP INDEX documents_by_application",
       "ALTER TABLE applications ADD COLUMN completeness_due_on TEXT;"
       "UPDATE applications SET completeness_due_on = case_file::jsonb ->> 'completeness_due_on';"
       "CREATE INDEX documents_of_application ON documents (application_id, issued_at, number);"
       "DROP INDEX documents_by_application"},
  };
  return list;
}

std::string postgresql_ddl(const char* ddl) {
  static const std::regex blob(R"(\bBLOB\b)");
  return std::regex_replace(ddl, blob, "BYTEA");
}

}  // namespace qujat::store
