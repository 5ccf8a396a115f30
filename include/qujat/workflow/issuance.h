// Issuance, the one way a document comes into being: number ► XML ► XMLDSig
// ► PDF ► PAdES ► record in the store, all in one transaction, so a number
// drawn is never lost without its document and no document exists without
// its record. The CLI's `render`, the procedure's decisions and the HTTP
// service all issue through here.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "qujat/common/bytes.h"
#include "qujat/common/time.h"
#include "qujat/docs/document_engine.h"
#include "qujat/model/application.h"
#include "qujat/store/database.h"
#include "qujat/store/documents.h"

namespace qujat::pki {
struct KeyStore;
}

namespace qujat::workflow {

struct IssueOrder {
  const model::Application* application = nullptr;  // checked; borrowed for the call
  // Fixed number (golden files, `render --number`); empty: the application's
  // own number for its kind if it has one, else the next from the store.
  std::string number;
  std::optional<Date> issue_date;  // default: the application's own, else today in Almaty
  std::vector<std::string> languages{"kk", "ru"};
  const pki::KeyStore* signer = nullptr;  // the issuer key; null: unsigned XML and PDF
  Instant issued_at{};                    // when; recorded and used as the PAdES signing time
  // Where the record goes: the application it decides (none outside the
  // procedure), the re-issued document it replaces, the fee charged.
  std::optional<std::string> application_id;
  std::optional<std::string> supersedes;
  std::optional<std::int64_t> fee_tenge;
  std::optional<Date> valid_from;
  std::optional<Date> valid_until;
};

struct IssuedRecord {
  docs::IssuedDocument document;  // number, signed XML, printed form, verification code and URL
  Bytes pdf;                      // signed when the order had a signer
  store::DocumentRecord record;   // as stored (without duplicating xml/pdf bodies' meaning)
};

class Issuance {
 public:
  explicit Issuance(const docs::DocumentEngine& engine);

  // Inside the caller's transaction (a decision of the procedure changes the
  // application in the same transaction).
  IssuedRecord issue(store::Transaction& tx, const IssueOrder& order) const;
  // In a transaction of its own.
  IssuedRecord issue(store::Database& db, const IssueOrder& order) const;
  // Without a store: the order must carry a fixed number or the application
  // its own; nothing is recorded (golden files, `qujat render --number`).
  IssuedRecord make(const IssueOrder& order) const;

  const docs::DocumentEngine& engine() const { return engine_; }

 private:
  IssuedRecord build(const IssueOrder& order, std::string number) const;

  const docs::DocumentEngine& engine_;
};

// The party whose cabinet a document lands in: the applicant, else the
// addressee (refusals, notices), else the importer (EUC, IIC).
std::optional<model::Party> document_holder(const model::Application& application);

}  // namespace qujat::workflow
