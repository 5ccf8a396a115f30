#include "qujat/store/documents.h"

#include "qujat/common/error.h"

namespace qujat::store {
namespace {

constexpr std::string_view kColumns =
    "number, kind, state, application_id, issued_on, issued_at, valid_from, valid_until, verification_code, "
    "owner_iin, owner_bin, supersedes, superseded_by, fee_tenge, public_facts";

Value text_or_null(const std::optional<std::string>& v) { return v ? Value(*v) : Value(null); }
Value date_or_null(const std::optional<Date>& d) { return d ? Value(format_date(*d)) : Value(null); }
std::optional<Date> optional_date(const Row& row, std::size_t column) {
  const auto text = row.optional_text(column);
  return text ? parse_date(*text) : std::nullopt;
}

DocumentRecord record_of(const Row& row, bool with_files, bool with_public_facts = true) {
  DocumentRecord r;
  r.number = row.text(0);
  r.kind = row.text(1);
  r.state = parse_document_state(row.text(2)).value_or(DocumentState::revoked);
  r.application_id = row.optional_text(3);
  r.issued_on = parse_date(row.text(4)).value_or(Date{});
  r.issued_at = Instant(std::chrono::seconds(row.integer(5)));
  r.valid_from = optional_date(row, 6);
  r.valid_until = optional_date(row, 7);
  r.verification_code = row.text(8);
  r.owner_iin = row.optional_text(9).value_or("");
  r.owner_bin = row.optional_text(10).value_or("");
  r.supersedes = row.optional_text(11);
  r.superseded_by = row.optional_text(12);
  r.fee_tenge = row.optional_integer(13);
  if (with_public_facts) r.public_facts = nlohmann::json::parse(row.text(14));
  if (with_files) {
    const auto& xml = row.blob(15);
    r.xml.assign(xml.begin(), xml.end());
    r.pdf = row.blob(16);
  }
  return r;
}

}  // namespace

std::string_view name(DocumentState state) {
  switch (state) {
    case DocumentState::valid: return "valid";
    case DocumentState::superseded: return "superseded";
    case DocumentState::revoked: return "revoked";
  }
  return "revoked";
}

std::optional<DocumentState> parse_document_state(std::string_view text) {
  if (text == "valid") return DocumentState::valid;
  if (text == "superseded") return DocumentState::superseded;
  if (text == "revoked") return DocumentState::revoked;
  return std::nullopt;
}

void DocumentRegistry::insert(Transaction& tx, const DocumentRecord& r) {
  tx.execute(
      "INSERT INTO documents (number, kind, state, application_id, issued_on, issued_at, valid_from, valid_until, "
      "verification_code, owner_iin, owner_bin, supersedes, superseded_by, fee_tenge, public_facts, xml, pdf) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {r.number, r.kind, std::string(name(r.state)), text_or_null(r.application_id), format_date(r.issued_on),
       std::int64_t{r.issued_at.time_since_epoch().count()}, date_or_null(r.valid_from), date_or_null(r.valid_until),
       r.verification_code, r.owner_iin.empty() ? Value(null) : Value(r.owner_iin),
       r.owner_bin.empty() ? Value(null) : Value(r.owner_bin), text_or_null(r.supersedes),
       text_or_null(r.superseded_by), r.fee_tenge ? Value(*r.fee_tenge) : Value(null), r.public_facts.dump(),
       Bytes(r.xml.begin(), r.xml.end()), r.pdf});
}

std::optional<DocumentRecord> DocumentRegistry::find(Transaction& tx, const std::string& number, bool with_files) {
  const std::string sql = "SELECT " + std::string(kColumns) + (with_files ? ", xml, pdf" : "") +
                          " FROM documents WHERE number = ?";
  const auto row = tx.query_row(sql, {number});
  if (!row) return std::nullopt;
  return record_of(*row, with_files);
}

std::vector<DocumentRecord> DocumentRegistry::of_application(Transaction& tx, const std::string& application_id,
                                                             bool with_public_facts) {
  const std::string sql =
      "SELECT " + std::string(kColumns) + " FROM documents WHERE application_id = ? ORDER BY issued_at, number";
  std::vector<DocumentRecord> out;
  for (const auto& row : tx.query(sql, {application_id})) out.push_back(record_of(row, false, with_public_facts));
  return out;
}

void DocumentRegistry::supersede(Transaction& tx, const std::string& old_number, const std::string& new_number) {
  if (tx.execute("UPDATE documents SET state = 'superseded', superseded_by = ? WHERE number = ? AND state = 'valid'",
                 {new_number, old_number}) != 1)
    throw Error("store.document_state", "document " + old_number + " is not a valid document to supersede");
}

void DocumentRegistry::set_state(Transaction& tx, const std::string& number, DocumentState state) {
  if (tx.execute("UPDATE documents SET state = ? WHERE number = ?", {std::string(name(state)), number}) != 1)
    throw Error("store.not_found", "no document " + number);
}

}  // namespace qujat::store
