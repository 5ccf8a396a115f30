#include <sqlite3.h>

#include "qujat/common/error.h"
#include "qujat/common/memory.h"
#include "qujat/store/database.h"
#include "store/backends.h"
#include "store/migrations.h"

namespace qujat::store {
namespace {

using Connection = UniquePtr<sqlite3, sqlite3_close_v2>;
using Statement = UniquePtr<sqlite3_stmt, sqlite3_finalize>;

class SqliteDatabase final : public Database {
 public:
  explicit SqliteDatabase(const std::string& path) {
    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                             nullptr);
    db_.reset(raw);
    if (rc != SQLITE_OK) fail("store.open", "cannot open SQLite database " + path);
    // Several processes (CLI runs, service nodes) may share the file: wait for
    // the write lock instead of failing at once.
    sqlite3_busy_timeout(db_.get(), 10000);
    exec("PRAGMA journal_mode=WAL");
    // Each commit is synced: a number handed out must never be handed out
    // again after a power cut, which NORMAL would allow in WAL mode.
    exec("PRAGMA synchronous=FULL");
    migrate();
  }

  std::int64_t next_in_sequence(std::string_view scope, int year) override {
    // One statement is one transaction in SQLite: the upsert reads and
    // writes under the database's write lock.
    auto stmt = prepare(
        "INSERT INTO document_sequences (scope, year, last_value) VALUES (?1, ?2, 1) "
        "ON CONFLICT (scope, year) DO UPDATE SET last_value = last_value + 1 RETURNING last_value");
    sqlite3_bind_text(stmt.get(), 1, scope.data(), static_cast<int>(scope.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int(stmt.get(), 2, year);
    if (sqlite3_step(stmt.get()) != SQLITE_ROW) fail("store.sequence", "cannot advance the sequence " + std::string(scope));
    std::int64_t value = sqlite3_column_int64(stmt.get(), 0);
    if (sqlite3_step(stmt.get()) != SQLITE_DONE) fail("store.sequence", "cannot advance the sequence " + std::string(scope));
    return value;
  }

  std::int64_t schema_version() override {
    auto stmt = prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    if (sqlite3_step(stmt.get()) != SQLITE_ROW) fail("store.migrate", "cannot read schema_migrations");
    return sqlite3_column_int64(stmt.get(), 0);
  }

 private:
  [[noreturn]] void fail(const std::string& code, const std::string& message) {
    throw Error(code, message, {db_ ? sqlite3_errmsg(db_.get()) : "out of memory"});
  }

  void exec(const char* sql) {
    char* raw_error = nullptr;
    const int rc = sqlite3_exec(db_.get(), sql, nullptr, nullptr, &raw_error);
    const auto error = make_unique_ptr<sqlite3_free>(raw_error);
    if (rc != SQLITE_OK) throw Error("store.sql", "SQLite statement failed", {error ? error.get() : "unknown"});
  }

  Statement prepare(const char* sql) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_.get(), sql, -1, &raw, nullptr) != SQLITE_OK) fail("store.sql", "cannot prepare statement");
    return Statement(raw);
  }

  void migrate() {
    exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
    exec("BEGIN IMMEDIATE");
    try {
      const auto current = schema_version();
      for (const auto& migration : migrations()) {
        if (migration.version <= current) continue;
        exec(migration.sqlite);
        auto stmt = prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?1, datetime('now'))");
        sqlite3_bind_int64(stmt.get(), 1, migration.version);
        if (sqlite3_step(stmt.get()) != SQLITE_DONE) fail("store.migrate", "cannot record migration");
      }
      exec("COMMIT");
    } catch (const Error& e) {
      sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
      throw Error("store.migrate", "database migration failed", {e.full_message()});
    }
  }

  Connection db_;
};

}  // namespace

std::unique_ptr<Database> open_sqlite_database(const std::string& path) {
  return std::make_unique<SqliteDatabase>(path);
}

}  // namespace qujat::store
