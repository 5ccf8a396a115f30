// The project's database connection: SQLite (embedded, one office) or
// PostgreSQL (several `qujat serve` nodes sharing one server) behind one
// interface. Callers (numbering, later the cabinet) talk to `Database`, never
// to a driver; migrations are applied on open and recorded in a
// `schema_migrations` table, with the same versions on both backends.
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
  // and returns the new value. Safe across threads (one `Database` may be
  // shared) and processes sharing the database: the read and the write are
  // one statement in one transaction, so numbers are unique and gap-free.
  virtual std::int64_t next_in_sequence(std::string_view scope, int year) = 0;

  // Version of the newest migration applied.
  virtual std::int64_t schema_version() = 0;
};

// Opens (and migrates) the database at `location`:
//   "sqlite:PATH", "sqlite::memory:" or a plain file path -> SQLite (created when absent);
//   "postgresql://..." or "postgres://..." (a libpq connection URI) -> PostgreSQL.
// A PostgreSQL password is best left out of the URI (libpq reads PGPASSWORD
// and ~/.pgpass); it never appears in an error message.
// Throws qujat::Error: "store.open" (bad location), "store.connect" (the
// server cannot be reached or refuses; names host, port and database),
// "store.migrate", "store.unsupported" (another scheme, e.g. mysql://).
std::unique_ptr<Database> open_database(const std::string& location);

// `location` with any password replaced by "***", for logs and messages.
std::string redacted_location(std::string_view location);

}  // namespace qujat::store
