#include "qujat/store/document_numbering.h"

#include <cstdio>

#include "qujat/common/error.h"

namespace qujat::store {

std::int64_t next_in_sequence(Transaction& tx, std::string_view scope, int year) {
  // One statement: a concurrent transaction on the same row waits for this
  // row's lock (PostgreSQL) or the write lock (SQLite) and then increments
  // the committed value, so no value is handed out twice and none is skipped.
  const auto row = tx.query_row(
      "INSERT INTO document_sequences (scope, year, last_value) VALUES (?, ?, 1) "
      "ON CONFLICT (scope, year) DO UPDATE SET last_value = document_sequences.last_value + 1 "
      "RETURNING last_value",
      {std::string(scope), std::int64_t{year}});
  if (!row) throw Error("store.sequence", "cannot advance the sequence " + std::string(scope));
  return row->integer(0);
}

DocumentNumbering::DocumentNumbering(std::map<std::string, std::string> prefixes) : prefixes_(std::move(prefixes)) {}

std::string DocumentNumbering::next(Transaction& tx, const std::string& kind, int year) const {
  auto it = prefixes_.find(kind);
  if (it == prefixes_.end())
    throw Error("numbering.unknown_kind", "no number prefix configured for document kind " + kind);
  return format(it->second, year, next_in_sequence(tx, kind, year));
}

std::string DocumentNumbering::format(const std::string& prefix, int year, std::int64_t sequence) {
  char tail[40];
  std::snprintf(tail, sizeof tail, "-%04d-%06lld", year, static_cast<long long>(sequence));
  return prefix + tail;
}

}  // namespace qujat::store
