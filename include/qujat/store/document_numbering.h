// Human-readable, unique document numbers per kind and year
// ("KZ-EXP-2026-000042"), drawn from the store's sequence inside the
// caller's transaction, never from the clock: two offices or processes never
// issue the same number, and a transaction that rolls back (the document
// could not be made) gives its number back, so there is no number without a
// document.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "qujat/store/database.h"

namespace qujat::store {

// Increments the counter named `scope` for `year` (created at 1) and returns
// the new value: one upsert, so concurrent transactions get distinct,
// gap-free values.
std::int64_t next_in_sequence(Transaction& tx, std::string_view scope, int year);

class DocumentNumbering {
 public:
  // `prefixes`: kind -> prefix ("export-licence" -> "KZ-EXP"), from
  // templates/common.json "numbering". A kind without a prefix is refused.
  explicit DocumentNumbering(std::map<std::string, std::string> prefixes);

  // Next number of `kind` in `year`. Throws qujat::Error("numbering.unknown_kind").
  std::string next(Transaction& tx, const std::string& kind, int year) const;

  // "PREFIX-YYYY-NNNNNN" (at least six digits).
  static std::string format(const std::string& prefix, int year, std::int64_t sequence);

 private:
  std::map<std::string, std::string> prefixes_;
};

}  // namespace qujat::store
