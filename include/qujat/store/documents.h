// The issued documents: every signed XML and PDF qujat made, with the facts
// the public verification page shows and the holder whose cabinet it lands
// in. A document is written in the same transaction that drew its number, so
// there is no number without a document and no document without its record.
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

// "valid" (current), "superseded" (re-issued: a newer document replaces it),
// "revoked".
enum class DocumentState { valid, superseded, revoked };
std::string_view name(DocumentState state);
std::optional<DocumentState> parse_document_state(std::string_view text);

struct DocumentRecord {
  std::string number;
  std::string kind;  // model::kind_name
  DocumentState state = DocumentState::valid;
  std::optional<std::string> application_id;  // none for documents issued outside the procedure (CLI)
  Date issued_on;
  Instant issued_at;
  std::optional<Date> valid_from;
  std::optional<Date> valid_until;
  std::string verification_code;
  std::string owner_iin;  // the holder's cabinet: IIN of an individual,
  std::string owner_bin;  // or BIN of a legal entity ("" when none)
  std::optional<std::string> supersedes;
  std::optional<std::string> superseded_by;
  std::optional<std::int64_t> fee_tenge;
  // What anyone who scans the QR code may see, nothing more: kind, number,
  // dates and the issuing body as printed ({"issuer": {"kk", "ru"}, ...}).
  nlohmann::json public_facts = nlohmann::json::object();
  std::string xml;  // the signed XML
  Bytes pdf;        // the signed PDF
};

class DocumentRegistry {
 public:
  // Throws qujat::Error("store.constraint") when the number exists.
  static void insert(Transaction& tx, const DocumentRecord& record);
  // Without the XML and PDF bodies unless `with_files`.
  static std::optional<DocumentRecord> find(Transaction& tx, const std::string& number, bool with_files = false);
  // The documents of an application, oldest first, without their files.
  // `with_public_facts`: false leaves public_facts empty (a status read shows none).
  static std::vector<DocumentRecord> of_application(Transaction& tx, const std::string& application_id,
                                                    bool with_public_facts = true);
  // Marks `old_number` superseded by `new_number` (re-issue).
  static void supersede(Transaction& tx, const std::string& old_number, const std::string& new_number);
  static void set_state(Transaction& tx, const std::string& number, DocumentState state);
};

}  // namespace qujat::store
