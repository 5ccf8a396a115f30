#include "qujat/store/outbox.h"

#include <openssl/rand.h>

#include "qujat/common/bytes.h"
#include "qujat/common/error.h"

namespace qujat::store {
namespace {

constexpr std::string_view kColumns =
    "id, topic, idempotency_key, subject, payload, state, attempts, next_attempt_at, claimed_by, claimed_until, "
    "last_error, created_at, delivered_at";

std::int64_t seconds(Instant t) { return t.time_since_epoch().count(); }
Instant instant(std::int64_t s) { return Instant(std::chrono::seconds(s)); }

std::string new_id() {
  unsigned char random[16];
  if (RAND_bytes(random, sizeof random) != 1) throw OpenSslError("outbox.random", "no random bytes");
  return hex_encode(ByteView(random, sizeof random));
}

OutboxMessage message_of(const Row& row) {
  OutboxMessage m;
  m.id = row.text(0);
  m.topic = row.text(1);
  m.idempotency_key = row.text(2);
  m.subject = row.text(3);
  m.payload = nlohmann::json::parse(row.text(4));
  m.state = row.text(5);
  m.attempts = row.integer(6);
  m.next_attempt_at = instant(row.integer(7));
  m.claimed_by = row.optional_text(8);
  if (const auto until = row.optional_integer(9)) m.claimed_until = instant(*until);
  m.last_error = row.optional_text(10);
  m.created_at = instant(row.integer(11));
  if (const auto at = row.optional_integer(12)) m.delivered_at = instant(*at);
  return m;
}

}  // namespace

bool Outbox::enqueue(Transaction& tx, const std::string& topic, const std::string& idempotency_key,
                     const std::string& subject, const nlohmann::json& payload, Instant now) {
  return tx.execute(
             "INSERT INTO outbox (id, topic, idempotency_key, subject, payload, state, attempts, next_attempt_at, "
             "created_at) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING",
             {new_id(), topic, idempotency_key, subject, payload.dump(), seconds(now), seconds(now)}) == 1;
}

std::vector<OutboxMessage> Outbox::claim(Transaction& tx, const std::string& topic, const std::string& worker,
                                         Instant now, std::chrono::seconds lease, std::size_t limit) {
  // One statement for both dialects; on PostgreSQL the inner SELECT skips
  // rows another worker's transaction has locked, so two workers never wait
  // on or take the same message.
  const std::string sql =
      "UPDATE outbox SET claimed_by = ?, claimed_until = ?, attempts = attempts + 1 WHERE id IN ("
      "SELECT id FROM outbox WHERE topic = ? AND state = 'pending' AND next_attempt_at <= ? "
      "AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY next_attempt_at, created_at LIMIT ?" +
      std::string(tx.skip_locked_rows()) + ") RETURNING " + std::string(kColumns);
  std::vector<OutboxMessage> out;
  for (const auto& row : tx.query(sql, {worker, seconds(now + lease), topic, seconds(now), seconds(now),
                                        static_cast<std::int64_t>(limit)}))
    out.push_back(message_of(row));
  return out;
}

bool Outbox::delivered(Transaction& tx, const std::string& id, const std::string& worker, Instant now) {
  return tx.execute(
             "UPDATE outbox SET state = 'delivered', delivered_at = ?, claimed_until = NULL, last_error = NULL "
             "WHERE id = ? AND claimed_by = ? AND state = 'pending'",
             {seconds(now), id, worker}) == 1;
}

bool Outbox::failed(Transaction& tx, const std::string& id, const std::string& worker, const std::string& error,
                    Instant next_attempt, bool park) {
  return tx.execute(
             "UPDATE outbox SET state = ?, next_attempt_at = ?, claimed_until = NULL, last_error = ? "
             "WHERE id = ? AND claimed_by = ? AND state = 'pending'",
             {std::string(park ? "parked" : "pending"), seconds(next_attempt), error, id, worker}) == 1;
}

bool Outbox::requeue(Transaction& tx, const std::string& id, Instant now) {
  return tx.execute(
             "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?, claimed_by = NULL, "
             "claimed_until = NULL WHERE id = ? AND state = 'parked'",
             {seconds(now), id}) == 1;
}

std::optional<OutboxMessage> Outbox::find(Transaction& tx, const std::string& id) {
  const auto row = tx.query_row("SELECT " + std::string(kColumns) + " FROM outbox WHERE id = ?", {id});
  if (!row) return std::nullopt;
  return message_of(*row);
}

std::optional<OutboxMessage> Outbox::find_by_key(Transaction& tx, const std::string& idempotency_key) {
  const auto row =
      tx.query_row("SELECT " + std::string(kColumns) + " FROM outbox WHERE idempotency_key = ?", {idempotency_key});
  if (!row) return std::nullopt;
  return message_of(*row);
}

std::vector<OutboxMessage> Outbox::list(Transaction& tx, const std::string& topic, const std::string& state,
                                        std::size_t limit) {
  std::vector<OutboxMessage> out;
  for (const auto& row : tx.query("SELECT " + std::string(kColumns) +
                                      " FROM outbox WHERE topic = ? AND state = ? ORDER BY created_at, id LIMIT ?",
                                  {topic, state, static_cast<std::int64_t>(limit)}))
    out.push_back(message_of(row));
  return out;
}

std::vector<std::pair<std::string, std::int64_t>> Outbox::depth(Transaction& tx) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  for (const auto& row :
       tx.query("SELECT topic, COUNT(*) FROM outbox WHERE state <> 'delivered' GROUP BY topic ORDER BY topic"))
    out.emplace_back(row.text(0), row.integer(1));
  return out;
}

}  // namespace qujat::store
