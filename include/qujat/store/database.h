// The project's database: SQLite (embedded, one office) or PostgreSQL
// (several `qujat serve` nodes sharing one server) behind one transaction
// layer. Repositories (numbering, applications, documents, audit, outbox)
// write their SQL once, with `?` placeholders, and run it in a Transaction;
// the backend translates placeholders and binds values. Migrations are
// applied on open and recorded in `schema_migrations`, with the same
// versions on both backends.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "qujat/common/bytes.h"

namespace qujat::store {

enum class Dialect { sqlite, postgresql };

// A value bound to a placeholder or read from a column: NULL, an integer,
// text (UTF-8) or bytes (BLOB / BYTEA).
using Value = std::variant<std::monostate, std::int64_t, std::string, Bytes>;
inline constexpr std::monostate null{};

// One result row. Accessors throw qujat::Error("store.column") when the
// column holds another type (a schema and code out of step).
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  std::size_t size() const { return values_.size(); }
  bool is_null(std::size_t column) const;
  std::int64_t integer(std::size_t column) const;
  const std::string& text(std::size_t column) const;
  const Bytes& blob(std::size_t column) const;
  std::optional<std::string> optional_text(std::size_t column) const;
  std::optional<std::int64_t> optional_integer(std::size_t column) const;

 private:
  std::vector<Value> values_;
};

class Connection;

// One unit of work on one connection, committed when the work returns and
// rolled back when it throws (Database::write / read). Not thread-safe: a
// transaction belongs to the thread that runs the work.
class Transaction {
 public:
  explicit Transaction(Connection& connection) : connection_(connection) {}

  // Every row of `sql` with `params` bound to its `?` placeholders in order.
  std::vector<Row> query(std::string_view sql, std::span<const Value> params = {});
  std::vector<Row> query(std::string_view sql, std::initializer_list<Value> params) {
    return query(sql, std::span<const Value>(params.begin(), params.size()));
  }
  // The first row, or nullopt.
  std::optional<Row> query_row(std::string_view sql, std::span<const Value> params = {});
  std::optional<Row> query_row(std::string_view sql, std::initializer_list<Value> params) {
    return query_row(sql, std::span<const Value>(params.begin(), params.size()));
  }
  // Runs a statement; returns the number of rows it changed.
  std::int64_t execute(std::string_view sql, std::span<const Value> params = {});
  std::int64_t execute(std::string_view sql, std::initializer_list<Value> params) {
    return execute(sql, std::span<const Value>(params.begin(), params.size()));
  }

  Dialect dialect() const;
  // " FOR UPDATE" on PostgreSQL, where a read that decides a write must lock
  // its row; "" on SQLite, whose write transaction holds the database lock.
  std::string_view lock_rows() const;
  // " FOR UPDATE SKIP LOCKED" on PostgreSQL: a worker claims rows no other
  // worker holds; "" on SQLite (one writer at a time anyway).
  std::string_view skip_locked_rows() const;

 private:
  Connection& connection_;
};

struct DatabaseOptions {
  // Connections kept for concurrent transactions (readers run in parallel;
  // SQLite still has one writer at a time). An in-memory SQLite database
  // always has exactly one.
  std::size_t max_connections = 8;
  // How often a transaction that lost a conflict (SQLite busy, PostgreSQL
  // serialization failure or deadlock) is run again before the error is raised.
  int retries_on_conflict = 8;
};

class Database {
 public:
  using Work = std::function<void(Transaction&)>;

  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs `work` in a write transaction (SQLite: BEGIN IMMEDIATE, so the
  // write lock is taken at the start and two writers never deadlock) and
  // commits; rolls back and rethrows when it throws. A conflict with another
  // transaction runs `work` again, so `work` must have no effect outside
  // the transaction. Returns what `work` returns.
  template <class F>
  auto write(F&& work) {
    return run_returning(true, std::forward<F>(work));
  }
  // The same for a transaction that only reads (a consistent snapshot).
  template <class F>
  auto read(F&& work) {
    return run_returning(false, std::forward<F>(work));
  }

  Dialect dialect() const { return dialect_; }
  // The location with any password replaced by "***".
  const std::string& redacted_location() const { return redacted_location_; }
  // Version of the newest migration applied.
  std::int64_t schema_version();

  struct Backend;  // the connection factory (src/store)
  struct Pool;     // the open connections (src/store)
  Database(std::unique_ptr<Backend> backend, const DatabaseOptions& options);

 private:
  void run(bool write, const Work& work);

  template <class F>
  auto run_returning(bool write, F&& work) {
    using Result = std::invoke_result_t<F&, Transaction&>;
    if constexpr (std::is_void_v<Result>) {
      run(write, Work(std::forward<F>(work)));
    } else {
      std::optional<Result> result;
      run(write, [&](Transaction& tx) { result.emplace(work(tx)); });
      return std::move(*result);
    }
  }

  std::unique_ptr<Backend> backend_;
  std::unique_ptr<Pool> pool_;
  Dialect dialect_;
  std::string redacted_location_;
  int retries_on_conflict_;
};

// Opens (and migrates) the database at `location`:
//   "sqlite:PATH", "sqlite::memory:" or a plain file path -> SQLite (created when absent);
//   "postgresql://..." or "postgres://..." (a libpq connection URI) -> PostgreSQL.
// A PostgreSQL password is best left out of the URI (libpq reads PGPASSWORD
// and ~/.pgpass); it never appears in an error message.
// Throws qujat::Error: "store.open" (bad location), "store.connect" (the
// server cannot be reached or refuses; names host, port and database),
// "store.migrate", "store.unsupported" (another scheme, e.g. mysql://).
std::unique_ptr<Database> open_database(const std::string& location, const DatabaseOptions& options = {});

// `location` with any password replaced by "***", for logs and messages.
std::string redacted_location(std::string_view location);

}  // namespace qujat::store
