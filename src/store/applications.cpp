#include "qujat/store/applications.h"

#include <array>

#include "qujat/common/error.h"

namespace qujat::store {
namespace {

constexpr std::array<std::string_view, 8> kStateNames = {
    "registered", "under_review", "awaiting_mfa", "preliminary_refusal", "heard", "issued", "refused", "returned"};

// Every column but the signed application, in the order record_of reads them.
constexpr std::string_view kColumns =
    "id, registration_number, kind, state, owner_iin, owner_bin, submitted_by, received_at, registered_on, "
    "term_days, due_on, stopped_on, stopped_days, data, intake, case_file, version, updated_at";
constexpr std::string_view kSummaryColumns =
    "id, registration_number, kind, state, owner_iin, owner_bin, submitted_by, received_at, registered_on, "
    "term_days, due_on, stopped_on, stopped_days, NULL, NULL, NULL, version, updated_at";
// A status read: not the application as signed, the intake report nor the
// case file (it holds every decision's data): kilobytes of JSON that nobody
// but an officer sees. The one case-file date it shows has a column.
constexpr std::string_view kStatusColumns =
    "id, registration_number, kind, state, owner_iin, owner_bin, submitted_by, received_at, registered_on, "
    "term_days, due_on, stopped_on, stopped_days, NULL, NULL, NULL, version, updated_at, completeness_due_on";

Value text_or_null(const std::string& s) { return s.empty() ? Value(null) : Value(s); }
// The case file's completeness date, kept in its own column for status reads.
Value completeness_due_on(const ApplicationRecord& r) {
  const auto due = r.case_file.find("completeness_due_on");
  return due != r.case_file.end() && due->is_string() ? Value(due->get<std::string>()) : Value(null);
}
std::int64_t seconds(Instant t) { return t.time_since_epoch().count(); }
Instant instant(std::int64_t s) { return Instant(std::chrono::seconds(s)); }
Date date_of(const std::string& text) {
  const auto d = parse_date(text);
  if (!d) throw Error("store.column", "not a date in the store: \"" + text + "\"");
  return *d;
}
nlohmann::json json_or_empty(const Row& row, std::size_t column) {
  return row.is_null(column) ? nlohmann::json::object() : nlohmann::json::parse(row.text(column));
}

ApplicationRecord record_of(const Row& row) {
  ApplicationRecord r;
  r.id = row.text(0);
  r.registration_number = row.text(1);
  r.kind = row.text(2);
  const auto state = parse_application_state(row.text(3));
  if (!state) throw Error("store.column", "unknown application state \"" + row.text(3) + "\"");
  r.state = *state;
  r.owner_iin = row.optional_text(4).value_or("");
  r.owner_bin = row.optional_text(5).value_or("");
  r.submitted_by = row.text(6);
  r.received_at = instant(row.integer(7));
  r.registered_on = date_of(row.text(8));
  r.term_days = row.integer(9);
  r.due_on = date_of(row.text(10));
  if (const auto stopped = row.optional_text(11)) r.stopped_on = date_of(*stopped);
  r.stopped_days = row.integer(12);
  r.data = json_or_empty(row, 13);
  r.intake = json_or_empty(row, 14);
  r.case_file = json_or_empty(row, 15);
  r.version = row.integer(16);
  r.updated_at = instant(row.integer(17));
  return r;
}

}  // namespace

std::string_view name(ApplicationState state) { return kStateNames[static_cast<std::size_t>(state)]; }

std::optional<ApplicationState> parse_application_state(std::string_view text) {
  for (std::size_t i = 0; i < kStateNames.size(); ++i)
    if (kStateNames[i] == text) return static_cast<ApplicationState>(i);
  return std::nullopt;
}

void ApplicationRegistry::insert(Transaction& tx, const ApplicationRecord& r) {
  tx.execute(
      "INSERT INTO applications (id, registration_number, kind, state, owner_iin, owner_bin, submitted_by, "
      "received_at, registered_on, term_days, due_on, stopped_on, stopped_days, data, signed, intake, case_file, "
      "version, updated_at, completeness_due_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {r.id, r.registration_number, r.kind, std::string(name(r.state)), text_or_null(r.owner_iin),
       text_or_null(r.owner_bin), r.submitted_by, seconds(r.received_at), format_date(r.registered_on), r.term_days,
       format_date(r.due_on), r.stopped_on ? Value(format_date(*r.stopped_on)) : Value(null), r.stopped_days,
       r.data.dump(), r.signed_application, r.intake.dump(), r.case_file.dump(), r.version, seconds(r.updated_at),
       completeness_due_on(r)});
}

std::optional<ApplicationRecord> ApplicationRegistry::find(Transaction& tx, const std::string& id, bool lock,
                                                           bool with_signed_application) {
  const std::string sql = "SELECT " + std::string(kColumns) + (with_signed_application ? ", signed" : "") +
                          " FROM applications WHERE id = ?" + std::string(lock ? tx.lock_rows() : "");
  const auto row = tx.query_row(sql, {id});
  if (!row) return std::nullopt;
  auto record = record_of(*row);
  if (with_signed_application) record.signed_application = row->blob(18);
  return record;
}

std::optional<ApplicationRecord> ApplicationRegistry::find_status(Transaction& tx, const std::string& id) {
  static const std::string sql = "SELECT " + std::string(kStatusColumns) + " FROM applications WHERE id = ?";
  const auto row = tx.query_row(sql, {id});
  if (!row) return std::nullopt;
  auto record = record_of(*row);
  if (const auto due = row->optional_text(18)) record.case_file["completeness_due_on"] = *due;
  return record;
}

void ApplicationRegistry::update(Transaction& tx, ApplicationRecord& r, Instant now) {
  const auto changed = tx.execute(
      "UPDATE applications SET state = ?, term_days = ?, due_on = ?, stopped_on = ?, stopped_days = ?, "
      "case_file = ?, completeness_due_on = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
      {std::string(name(r.state)), r.term_days, format_date(r.due_on),
       r.stopped_on ? Value(format_date(*r.stopped_on)) : Value(null), r.stopped_days, r.case_file.dump(),
       completeness_due_on(r), seconds(now), r.id, r.version});
  if (changed != 1)
    throw Error("store.conflict", "application " + r.id + " was changed by someone else meanwhile; read it again");
  ++r.version;
  r.updated_at = now;
}

std::vector<ApplicationRecord> ApplicationRegistry::of_owner(Transaction& tx, const std::string& iin,
                                                             const std::string& bin) {
  const std::string sql = "SELECT " + std::string(kSummaryColumns) +
                          " FROM applications WHERE (owner_iin = ? OR owner_bin = ?) ORDER BY received_at DESC, id";
  std::vector<ApplicationRecord> out;
  // "" never matches: NULL = '' is not true, and no stored owner is "".
  for (const auto& row : tx.query(sql, {iin.empty() ? Value(null) : Value(iin), bin.empty() ? Value(null) : Value(bin)}))
    out.push_back(record_of(row));
  return out;
}

std::vector<ApplicationRecord> ApplicationRegistry::queue(Transaction& tx, std::optional<ApplicationState> state,
                                                          std::size_t limit) {
  std::vector<ApplicationRecord> out;
  const std::string columns = "SELECT " + std::string(kSummaryColumns) + " FROM applications ";
  const Value count = static_cast<std::int64_t>(limit);
  const auto rows =
      state ? tx.query(columns + "WHERE state = ? ORDER BY due_on, received_at LIMIT ?",
                       {std::string(name(*state)), count})
            : tx.query(columns +
                           "WHERE state NOT IN ('issued', 'refused', 'returned') ORDER BY due_on, received_at LIMIT ?",
                       {count});
  for (const auto& row : rows) out.push_back(record_of(row));
  return out;
}

void ApplicationRegistry::add_file(Transaction& tx, const std::string& id, const std::string& sha256,
                                   const Bytes& content) {
  tx.execute("INSERT INTO application_files (application_id, sha256, content) VALUES (?, ?, ?)", {id, sha256, content});
}

std::optional<Bytes> ApplicationRegistry::file(Transaction& tx, const std::string& id, const std::string& sha256) {
  const auto row =
      tx.query_row("SELECT content FROM application_files WHERE application_id = ? AND sha256 = ?", {id, sha256});
  if (!row) return std::nullopt;
  return row->blob(0);
}

std::vector<std::string> ApplicationRegistry::file_hashes(Transaction& tx, const std::string& id) {
  std::vector<std::string> out;
  for (const auto& row : tx.query("SELECT sha256 FROM application_files WHERE application_id = ? ORDER BY sha256", {id}))
    out.push_back(row.text(0));
  return out;
}

std::int64_t ApplicationRegistry::append_event(Transaction& tx, const std::string& id, const ApplicationEvent& e) {
  const auto last = tx.query_row("SELECT COALESCE(MAX(seq), 0) FROM application_events WHERE application_id = ?", {id});
  const std::int64_t seq = last->integer(0) + 1;
  tx.execute(
      "INSERT INTO application_events (application_id, seq, at, state, action, actor, reason, details) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {id, seq, seconds(e.at), e.state, e.action, e.actor, e.reason ? Value(*e.reason) : Value(null),
       e.details.dump()});
  return seq;
}

std::vector<ApplicationEvent> ApplicationRegistry::events(Transaction& tx, const std::string& id, bool with_details) {
  // The details (a decision's data) only when they are shown: an
  // applicant's status read leaves them in the database.
  static constexpr std::string_view with = "SELECT seq, at, state, action, actor, reason, details FROM application_events "
                                           "WHERE application_id = ? ORDER BY seq";
  static constexpr std::string_view without = "SELECT seq, at, state, action, actor, reason FROM application_events "
                                              "WHERE application_id = ? ORDER BY seq";
  std::vector<ApplicationEvent> out;
  for (const auto& row : tx.query(with_details ? with : without, {id})) {
    ApplicationEvent e;
    e.seq = row.integer(0);
    e.at = instant(row.integer(1));
    e.state = row.text(2);
    e.action = row.text(3);
    e.actor = row.text(4);
    e.reason = row.optional_text(5);
    if (with_details) e.details = nlohmann::json::parse(row.text(6));
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace qujat::store
