// SQLite behind the transaction layer: the embedded default, one file per
// office. Each pooled connection keeps its prepared statements; WAL lets
// readers run beside the one writer.
#include <sqlite3.h>

#include <atomic>
#include <string>
#include <unordered_map>

#include "qujat/common/error.h"
#include "qujat/common/memory.h"
#include "store/connection.h"
#include "store/migrations.h"

namespace qujat::store {
namespace {

using Handle = UniquePtr<sqlite3, sqlite3_close_v2>;
using Statement = UniquePtr<sqlite3_stmt, sqlite3_finalize>;

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(const std::string& path) {
    sqlite3* raw = nullptr;
    // NOMUTEX: the pool gives a connection to one thread at a time.
    const int rc =
        sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    db_.reset(raw);
    if (rc != SQLITE_OK) fail("store.open", "cannot open SQLite database " + path);
    // Several processes (CLI runs, service nodes) may share the file: wait for
    // the write lock instead of failing at once.
    sqlite3_busy_timeout(db_.get(), 10000);
    exec("PRAGMA journal_mode=WAL");
    // Each commit is synced: an acknowledged application or a number handed
    // out must survive a power cut, which NORMAL would not promise in WAL mode.
    exec("PRAGMA synchronous=FULL");
    exec("PRAGMA foreign_keys=ON");
  }

  void begin(bool write) override {
    // IMMEDIATE takes the write lock at once: two writers that both read
    // first could otherwise deadlock on the upgrade.
    exec_or_conflict(write ? "BEGIN IMMEDIATE" : "BEGIN");
  }
  void commit() override { exec_or_conflict("COMMIT"); }
  void rollback() noexcept override {
    if (!sqlite3_get_autocommit(db_.get())) sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
  bool usable() const override { return true; }
  Dialect dialect() const override { return Dialect::sqlite; }

  std::vector<Row> run(std::string_view sql, std::span<const Value> params, std::int64_t& changed) override {
    sqlite3_stmt* stmt = prepared(sql);
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{stmt};
    if (static_cast<std::size_t>(sqlite3_bind_parameter_count(stmt)) != params.size())
      throw Error("store.sql", "statement takes " + std::to_string(sqlite3_bind_parameter_count(stmt)) +
                                   " values, given " + std::to_string(params.size()));
    for (std::size_t i = 0; i < params.size(); ++i) bind(stmt, static_cast<int>(i + 1), params[i]);

    std::vector<Row> rows;
    const int columns = sqlite3_column_count(stmt);
    for (;;) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) step_failed(rc);
      std::vector<Value> values;
      values.reserve(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) values.push_back(column(stmt, c));
      rows.emplace_back(std::move(values));
    }
    changed = sqlite3_changes64(db_.get());
    return rows;
  }

  void migrate() {
    exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
    exec_or_conflict("BEGIN IMMEDIATE");
    try {
      std::int64_t changed = 0;
      const auto current = run("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", {}, changed)[0].integer(0);
      for (const auto& migration : migrations()) {
        if (migration.version <= current) continue;
        exec(migration.sqlite);
        const Value version[] = {migration.version};
        run("INSERT INTO schema_migrations (version, applied_at) VALUES (?, datetime('now'))", version, changed);
      }
      exec("COMMIT");
    } catch (const Error& e) {
      rollback();
      throw Error("store.migrate", "database migration failed", {e.full_message()});
    }
  }

 private:
  [[noreturn]] void fail(const std::string& code, const std::string& message) {
    throw Error(code, message, {db_ ? sqlite3_errmsg(db_.get()) : "out of memory"});
  }

  [[noreturn]] void step_failed(int rc) {
    const int primary = rc & 0xff;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
      throw Conflict("store.busy", "the database is busy", {sqlite3_errmsg(db_.get())});
    if (primary == SQLITE_CONSTRAINT) fail("store.constraint", "a database constraint refused the change");
    fail("store.sql", "SQLite statement failed");
  }

  void exec(const char* sql) {
    char* raw_error = nullptr;
    const int rc = sqlite3_exec(db_.get(), sql, nullptr, nullptr, &raw_error);
    const auto error = make_unique_ptr<sqlite3_free>(raw_error);
    if (rc != SQLITE_OK) throw Error("store.sql", "SQLite statement failed", {error ? error.get() : "unknown"});
  }

  // BEGIN and COMMIT run around every read: prepared once, as the queries
  // are, rather than parsed again by sqlite3_exec each time.
  void exec_or_conflict(const char* sql) {
    sqlite3_stmt* stmt = prepared(sql);
    const int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW) return;
    step_failed(rc);
  }

  sqlite3_stmt* prepared(std::string_view sql) {
    auto it = statements_.find(sql);
    if (it != statements_.end()) return it->second.get();
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &raw,
                           nullptr) != SQLITE_OK)
      fail("store.sql", "cannot prepare statement: " + std::string(sql.substr(0, 120)));
    return statements_.emplace(std::string(sql), Statement(raw)).first->second.get();
  }

  static void bind(sqlite3_stmt* stmt, int index, const Value& value) {
    if (const auto* i = std::get_if<std::int64_t>(&value)) {
      sqlite3_bind_int64(stmt, index, *i);
    } else if (const auto* s = std::get_if<std::string>(&value)) {
      sqlite3_bind_text64(stmt, index, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
    } else if (const auto* b = std::get_if<Bytes>(&value)) {
      // An empty blob is bytes, not NULL (sqlite3_bind_blob with no data binds NULL).
      if (b->empty())
        sqlite3_bind_zeroblob(stmt, index, 0);
      else
        sqlite3_bind_blob64(stmt, index, b->data(), b->size(), SQLITE_STATIC);
    } else {
      sqlite3_bind_null(stmt, index);
    }
  }

  static Value column(sqlite3_stmt* stmt, int c) {
    switch (sqlite3_column_type(stmt, c)) {
      case SQLITE_INTEGER: return std::int64_t{sqlite3_column_int64(stmt, c)};
      case SQLITE_TEXT: {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
        return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, c)));
      }
      case SQLITE_BLOB: {
        const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt, c));
        return Bytes(data, data + sqlite3_column_bytes(stmt, c));
      }
      case SQLITE_NULL: return std::monostate{};
      default: throw Error("store.column", "column " + std::to_string(c) + " holds a floating-point number");
    }
  }

  Handle db_;
  std::unordered_map<std::string, Statement, SqlHash, std::equal_to<>> statements_;
};

class SqliteBackend final : public Database::Backend {
 public:
  explicit SqliteBackend(std::string path) : path_(std::move(path)) {}

  std::unique_ptr<Connection> connect() override {
    auto connection = std::make_unique<SqliteConnection>(path_);
    if (!migrated_) {
      connection->migrate();
      migrated_ = true;
    }
    return connection;
  }
  Dialect dialect() const override { return Dialect::sqlite; }
  std::string redacted_location() const override { return "sqlite:" + path_; }
  bool single_connection() const override {
    return path_ == ":memory:" || path_.starts_with("file::memory:");
  }

 private:
  std::string path_;
  std::atomic<bool> migrated_ = false;  // the Database constructor's first connection migrates, alone
};

}  // namespace

std::unique_ptr<Database::Backend> sqlite_backend(const std::string& path) {
  return std::make_unique<SqliteBackend>(path);
}

}  // namespace qujat::store
