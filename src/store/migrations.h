// The schema, as an ordered list of migrations shared by both backends so a
// version number means the same tables on SQLite and PostgreSQL. A released
// migration is never edited, only followed by a new one.
//
// A migration is written once where the dialects agree; `postgresql` is set
// only where they do not. The one spelling they differ in everywhere, the
// bytes type, is written BLOB and becomes BYTEA for PostgreSQL
// (postgresql_ddl), so a migration that needs nothing else is written once.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace qujat::store {

struct Migration {
  std::int64_t version;
  const char* sqlite;
  const char* postgresql;  // nullptr: postgresql_ddl(sqlite)
};

std::span<const Migration> migrations();

// `ddl` with the type BLOB spelled BYTEA.
std::string postgresql_ddl(const char* ddl);

}  // namespace qujat::store
