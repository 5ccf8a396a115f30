// The audit trail: every transition of the procedure, every refused intake
// and every decision, with actor, time, reason and documents, in an
// append-only table whose rows are chained by SHA-256 (each row's hash covers
// its content and the previous row's hash; the head is kept apart). A row
// changed, deleted or inserted directly in the database breaks the chain,
// which `qujat audit verify` (AuditLog::verify) finds.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "qujat/common/time.h"
#include "qujat/store/database.h"

namespace qujat::store {

struct AuditEntry {
  std::int64_t seq = 0;
  Instant at{};
  std::string actor;    // IIN, "system", "mfa", "anonymous"
  std::string action;   // "application.submit", "intake.refused", "application.issue", ...
  std::string subject;  // application id, document number, ...
  std::string reason;
  nlohmann::json details = nlohmann::json::object();
  std::string prev_hash;
  std::string hash;
};

struct AuditVerification {
  bool intact = true;
  std::int64_t rows = 0;
  std::optional<std::int64_t> first_broken_seq;  // the first row whose content or link does not hold
  std::string problem;                            // in words, for the operator
};

class AuditLog {
 public:
  // Appends after the current head (serialised: PostgreSQL locks the head
  // row, SQLite holds the write lock) and returns the entry with its hash.
  static AuditEntry append(Transaction& tx, std::string actor, std::string action, std::string subject,
                           std::string reason, nlohmann::json details, Instant at);
  // Recomputes the whole chain in order.
  static AuditVerification verify(Database& db);
  static std::vector<AuditEntry> of_subject(Transaction& tx, const std::string& subject);
  // The hash of the canonical form of an entry (its content and prev_hash).
  static std::string hash_of(const AuditEntry& entry);
};

}  // namespace qujat::store
