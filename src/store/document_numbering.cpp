#include "qujat/store/document_numbering.h"

#include <cstdio>

#include "qujat/common/error.h"

namespace qujat::store {

DocumentNumbering::DocumentNumbering(Database& database, std::map<std::string, std::string> prefixes)
    : database_(database), prefixes_(std::move(prefixes)) {}

std::string DocumentNumbering::next(const std::string& kind, int year) {
  auto it = prefixes_.find(kind);
  if (it == prefixes_.end())
    throw Error("numbering.unknown_kind", "no number prefix configured for document kind " + kind);
  return format(it->second, year, database_.next_in_sequence(kind, year));
}

std::string DocumentNumbering::format(const std::string& prefix, int year, std::int64_t sequence) {
  char tail[40];
  std::snprintf(tail, sizeof tail, "-%04d-%06lld", year, static_cast<long long>(sequence));
  return prefix + tail;
}

}  // namespace qujat::store
