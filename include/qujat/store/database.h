// The project's database connection: SQLite (embedded, one office) now,
// PostgreSQL later behind the same interface. Callers (numbering, later the
// cabinet) talk to `Database`, never to a driver; migrations are applied on
// open and recorded in a `schema_migrations` table.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace qujat::store {

class Database {
 public:
  virtual ~Database() = default;

  // Atomically increments the counter named `scope` for `year` (created at 1)
  // and returns the new value. Safe across threads and processes sharing the
  // database: the read and the write are one transaction.
  virtual std::int64_t next_in_sequence(std::string_view scope, int year) = 0;

  // Versions of the migrations applied so far (the newest last).
  virtual std::int64_t schema_version() = 0;
};

// "sqlite:PATH", "sqlite::memory:" or a plain file path -> SQLite (created
// when absent). Throws qujat::Error("store.open", "store.migrate",
// "store.unsupported" for a scheme not built in yet, e.g. postgresql://).
std::unique_ptr<Database> open_database(const std::string& location);

}  // namespace qujat::store
