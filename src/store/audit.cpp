#include "qujat/store/audit.h"

#include <openssl/evp.h>

#include "qujat/common/bytes.h"
#include "qujat/common/error.h"

namespace qujat::store {
namespace {

AuditEntry entry_of(const Row& row) {
  AuditEntry e;
  e.seq = row.integer(0);
  e.at = Instant(std::chrono::seconds(row.integer(1)));
  e.actor = row.text(2);
  e.action = row.text(3);
  e.subject = row.text(4);
  e.reason = row.text(5);
  e.details = nlohmann::json::parse(row.text(6));
  e.prev_hash = row.text(7);
  e.hash = row.text(8);
  return e;
}

constexpr const char* kSelect =
    "SELECT seq, at, actor, action, subject, reason, details, prev_hash, hash FROM audit_log ";

}  // namespace

std::string AuditLog::hash_of(const AuditEntry& e) {
  // A JSON array is an unambiguous encoding of the fields (no separator a
  // value could contain); details are hashed as stored (their dump).
  const std::string canonical =
      nlohmann::json::array({e.seq, e.at.time_since_epoch().count(), e.actor, e.action, e.subject, e.reason,
                             e.details.dump(), e.prev_hash})
          .dump();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(canonical.data(), canonical.size(), digest, &length, EVP_sha256(), nullptr) != 1)
    throw OpenSslError("audit.digest", "SHA-256 failed");
  return hex_encode(ByteView(digest, length));
}

AuditEntry AuditLog::append(Transaction& tx, std::string actor, std::string action, std::string subject,
                            std::string reason, nlohmann::json details, Instant at) {
  const auto head = tx.query_row("SELECT seq, hash FROM audit_head WHERE id = 1" + std::string(tx.lock_rows()));
  if (!head) throw Error("audit.head", "the audit head row is missing");
  AuditEntry e;
  e.seq = head->integer(0) + 1;
  e.at = at;
  e.actor = std::move(actor);
  e.action = std::move(action);
  e.subject = std::move(subject);
  e.reason = std::move(reason);
  e.details = std::move(details);
  e.prev_hash = head->text(1);
  e.hash = hash_of(e);
  tx.execute(
      "INSERT INTO audit_log (seq, at, actor, action, subject, reason, details, prev_hash, hash) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {e.seq, std::int64_t{e.at.time_since_epoch().count()}, e.actor, e.action, e.subject, e.reason, e.details.dump(),
       e.prev_hash, e.hash});
  tx.execute("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", {e.seq, e.hash});
  return e;
}

AuditVerification AuditLog::verify(Database& db) {
  return db.read([](Transaction& tx) {
    AuditVerification out;
    std::string previous(64, '0');
    std::int64_t expected_seq = 1;
    for (const auto& row : tx.query(std::string(kSelect) + "ORDER BY seq")) {
      const auto e = entry_of(row);
      ++out.rows;
      std::string problem;
      if (e.seq != expected_seq)
        problem = "row " + std::to_string(expected_seq) + " is missing (next is " + std::to_string(e.seq) + ")";
      else if (e.prev_hash != previous)
        problem = "row " + std::to_string(e.seq) + " does not link to the row before it";
      else if (hash_of(e) != e.hash)
        problem = "row " + std::to_string(e.seq) + " was changed after it was written";
      if (!problem.empty()) {
        out.intact = false;
        out.first_broken_seq = e.seq;
        out.problem = problem;
        return out;
      }
      previous = e.hash;
      ++expected_seq;
    }
    const auto head = tx.query_row("SELECT seq, hash FROM audit_head WHERE id = 1");
    if (!head || head->integer(0) != expected_seq - 1 || head->text(1) != previous) {
      out.intact = false;
      out.first_broken_seq = expected_seq;
      out.problem = "the last rows were removed (the head names row " +
                    std::to_string(head ? head->integer(0) : 0) + ", the log ends at " +
                    std::to_string(expected_seq - 1) + ")";
    }
    return out;
  });
}

std::vector<AuditEntry> AuditLog::of_subject(Transaction& tx, const std::string& subject) {
  std::vector<AuditEntry> out;
  for (const auto& row : tx.query(std::string(kSelect) + "WHERE subject = ? ORDER BY seq", {subject}))
    out.push_back(entry_of(row));
  return out;
}

}  // namespace qujat::store
