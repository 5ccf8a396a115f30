// The applications the office received: the signed application as it came,
// its files, where it stands in the procedure (state, registration date,
// term), the officers' records (approvals, hearing, MFA checks: the case
// file) and its history. Rows change only through the procedure
// (workflow::Procedure), always with a history event, an audit entry and a
// monitoring message in the same transaction.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "qujat/common/bytes.h"
#include "qujat/common/time.h"
#include "qujat/store/database.h"

namespace qujat::store {

// API.md's states, and `heard` (the hearing was held; the decision is next).
enum class ApplicationState {
  registered,           // received and registered; the completeness check is due
  under_review,         // package complete: approvals, risk assessment
  awaiting_mfa,         // the guarantee document is at the MFA; the term is stopped
  preliminary_refusal,  // the applicant was notified of grounds and a hearing
  heard,                // the hearing was held
  issued,               // the licence (certificate, permit) is issued
  refused,              // reasoned refusal
  returned,             // reasoned refusal to consider further (incomplete package)
};
std::string_view name(ApplicationState state);
std::optional<ApplicationState> parse_application_state(std::string_view text);

struct ApplicationRecord {
  std::string id;                   // random, unguessable
  std::string registration_number;  // the office's incoming number
  std::string kind;                 // model::kind_name
  ApplicationState state = ApplicationState::registered;
  std::string owner_iin;  // whose cabinet: the applicant's IIN (individuals, entrepreneurs)
  std::string owner_bin;  // or BIN (legal entities)
  std::string submitted_by;  // IIN of the person who signed and submitted it
  Instant received_at{};
  Date registered_on{};
  std::int64_t term_days = 0;
  Date due_on{};
  std::optional<Date> stopped_on;  // the term stopped (awaiting the MFA) since
  std::int64_t stopped_days = 0;   // working days the term stood still before
  nlohmann::json data;             // the application JSON as signed
  Bytes signed_application;        // the applicant's CMS, as received (only when asked for)
  nlohmann::json intake;           // the verification report of the signature(s)
  nlohmann::json case_file = nlohmann::json::object();  // approvals, completeness, hearing, decisions
  std::int64_t version = 0;        // incremented by every update
  Instant updated_at{};
};

struct ApplicationEvent {
  std::int64_t seq = 0;
  Instant at{};
  std::string state;   // the state after the event
  std::string action;  // "submit", "accept", "issue", ...
  std::string actor;   // IIN of a person, or "system", "mfa"
  std::optional<std::string> reason;
  nlohmann::json details = nlohmann::json::object();
};

class ApplicationRegistry {
 public:
  static void insert(Transaction& tx, const ApplicationRecord& record);
  // `lock`: the transaction will change the row (PostgreSQL row lock).
  static std::optional<ApplicationRecord> find(Transaction& tx, const std::string& id, bool lock = false,
                                               bool with_signed_application = false);
  // The row for a status read: `data` and `intake` left empty, and of the
  // case file only `completeness_due_on` (what an applicant's view shows).
  static std::optional<ApplicationRecord> find_status(Transaction& tx, const std::string& id);
  // Writes state, term, case file; throws qujat::Error("store.conflict") when
  // the row changed since it was read (version), so no update is lost.
  static void update(Transaction& tx, ApplicationRecord& record, Instant now);
  // The applications in a cabinet: the IIN's own, or the BIN's ("" matches
  // nothing), newest first, without data.
  static std::vector<ApplicationRecord> of_owner(Transaction& tx, const std::string& iin, const std::string& bin);
  // The officers' queue: earliest due date first; every open state when `state` is empty.
  static std::vector<ApplicationRecord> queue(Transaction& tx, std::optional<ApplicationState> state,
                                              std::size_t limit = 500);

  static void add_file(Transaction& tx, const std::string& id, const std::string& sha256, const Bytes& content);
  static std::optional<Bytes> file(Transaction& tx, const std::string& id, const std::string& sha256);
  static std::vector<std::string> file_hashes(Transaction& tx, const std::string& id);

  // Appends to the history; returns the event's number (1, 2, ...).
  static std::int64_t append_event(Transaction& tx, const std::string& id, const ApplicationEvent& event);
  // `with_details`: false leaves each event's details empty (a status read shows none).
  static std::vector<ApplicationEvent> events(Transaction& tx, const std::string& id, bool with_details = true);
};

}  // namespace qujat::store
