// Human-readable, unique document numbers per kind and year
// ("KZ-EXP-2026-000042"), drawn from the store's sequence in a transaction,
// never from the clock, so two offices or processes never issue the same number.
#pragma once

#include <map>
#include <string>

#include "qujat/store/database.h"

namespace qujat::store {

class DocumentNumbering {
 public:
  // `prefixes`: kind -> prefix ("export-licence" -> "KZ-EXP"), from
  // templates/common.json "numbering". A kind without a prefix is refused.
  DocumentNumbering(Database& database, std::map<std::string, std::string> prefixes);

  // Next number of `kind` in `year`. Throws qujat::Error("numbering.unknown_kind").
  std::string next(const std::string& kind, int year);

  // "PREFIX-YYYY-NNNNNN" (at least six digits).
  static std::string format(const std::string& prefix, int year, std::int64_t sequence);

 private:
  Database& database_;
  std::map<std::string, std::string> prefixes_;
};

}  // namespace qujat::store
