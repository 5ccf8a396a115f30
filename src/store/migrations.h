// The schema, as an ordered list of migrations shared by both backends so a
// version number means the same tables on SQLite and PostgreSQL. A released
// migration is never edited, only followed by a new one (the cabinet and the
// MFA outbox add theirs after these).
#pragma once

#include <cstdint>
#include <span>

namespace qujat::store {

struct Migration {
  std::int64_t version;
  const char* sqlite;
  const char* postgresql;
};

inline std::span<const Migration> migrations() {
  static constexpr Migration list[] = {
      {1,
       "CREATE TABLE document_sequences ("
       "  scope TEXT NOT NULL, year INTEGER NOT NULL, last_value INTEGER NOT NULL,"
       "  PRIMARY KEY (scope, year))",
       "CREATE TABLE document_sequences ("
       "  scope TEXT NOT NULL, year INTEGER NOT NULL, last_value BIGINT NOT NULL,"
       "  PRIMARY KEY (scope, year))"},
  };
  return list;
}

}  // namespace qujat::store
