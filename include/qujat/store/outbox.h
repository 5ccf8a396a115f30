// Messages that must leave the office (the MFA's authenticity checks, the
// monitoring system's stage feed), written in the same transaction as the
// change that causes them and delivered later by a worker: a message is
// never lost with a crash and never sent for a change that rolled back.
// Several workers (threads, processes, nodes on one PostgreSQL) share the
// table: a worker claims due messages for a lease (PostgreSQL: SKIP LOCKED
// row locks; SQLite: the one writer), and only the claimant may settle them.
// A message's idempotency key is fixed when it is written, for ever.
#pragma once

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "qujat/common/time.h"
#include "qujat/store/database.h"

namespace qujat::store {

struct OutboxMessage {
  std::string id;
  std::string topic;            // "mfa.check", "monitoring"
  std::string idempotency_key;  // unique; the receiver deduplicates on it
  std::string subject;          // the application (or check) it is about
  nlohmann::json payload;
  std::string state;            // "pending", "delivered", "parked"
  std::int64_t attempts = 0;
  Instant next_attempt_at{};
  std::optional<std::string> claimed_by;
  std::optional<Instant> claimed_until;
  std::optional<std::string> last_error;
  Instant created_at{};
  std::optional<Instant> delivered_at;
};

class Outbox {
 public:
  // Writes a pending message; a second message with the same key is not
  // written (returns false).
  static bool enqueue(Transaction& tx, const std::string& topic, const std::string& idempotency_key,
                      const std::string& subject, const nlohmann::json& payload, Instant now);
  // Claims up to `limit` due messages of `topic` (pending, due, not claimed
  // by a live lease) for `worker` until now + lease.
  static std::vector<OutboxMessage> claim(Transaction& tx, const std::string& topic, const std::string& worker,
                                          Instant now, std::chrono::seconds lease, std::size_t limit);
  // Settles a claimed message; false when `worker` no longer holds it (its
  // lease ran out and another worker took it).
  static bool delivered(Transaction& tx, const std::string& id, const std::string& worker, Instant now);
  // A failed attempt: retried at `next_attempt` or, with `park`, set aside
  // for an officer (never dropped).
  static bool failed(Transaction& tx, const std::string& id, const std::string& worker, const std::string& error,
                     Instant next_attempt, bool park);
  // An officer puts a parked message back in the queue (attempts start over).
  static bool requeue(Transaction& tx, const std::string& id, Instant now);
  static std::optional<OutboxMessage> find(Transaction& tx, const std::string& id);
  static std::optional<OutboxMessage> find_by_key(Transaction& tx, const std::string& idempotency_key);
  static std::vector<OutboxMessage> list(Transaction& tx, const std::string& topic, const std::string& state,
                                         std::size_t limit = 500);
  // Messages not yet delivered (pending and parked) per topic, for /metrics.
  static std::vector<std::pair<std::string, std::int64_t>> depth(Transaction& tx);
};

}  // namespace qujat::store
