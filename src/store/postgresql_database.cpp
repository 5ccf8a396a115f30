// PostgreSQL behind the transaction layer, through libpq's C API: the
// backend for several stateless `qujat serve` nodes sharing one server, where
// numbering, the outbox and the audit chain must stay consistent across
// processes and machines. Statements are prepared once per connection;
// values travel apart from the SQL (text, bytes in binary).
#include <libpq-fe.h>

#include <atomic>
#include <charconv>
#include <string>
#include <unordered_map>
#include <vector>

#include "qujat/common/error.h"
#include "qujat/common/memory.h"
#include "store/connection.h"
#include "store/migrations.h"

namespace qujat::store {
namespace {

using PgConnection = UniquePtr<PGconn, PQfinish>;
using Result = UniquePtr<PGresult, PQclear>;
using ConnInfo = UniquePtr<PQconninfoOption, PQconninfoFree>;

// Serialises migrations of every qujat process on one database: two nodes
// starting at once must not both create the tables. Any fixed number works;
// this one is "qujat" in ASCII, so it is recognisable in pg_locks.
constexpr const char* kMigrationLock = "487030022516";  // 0x71756a6174

// Type OIDs of pg_type that need decoding (the rest arrive as text).
constexpr Oid kBool = 16, kBytea = 17, kInt8 = 20, kInt2 = 21, kInt4 = 23;

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// "database qujat on 127.0.0.1:5432 as qujat", from the options libpq
// resolved (URI, environment and defaults), never including the password.
std::string describe_target(PGconn* conn) {
  const ConnInfo options(conn != nullptr ? PQconninfo(conn) : nullptr);
  std::string host, hostaddr, port, dbname, user;
  for (auto* o = options.get(); o != nullptr && o->keyword != nullptr; ++o) {
    const std::string_view key = o->keyword;
    const std::string value = o->val != nullptr ? o->val : "";
    if (key == "host")
      host = value;
    else if (key == "hostaddr")
      hostaddr = value;
    else if (key == "port")
      port = value;
    else if (key == "dbname")
      dbname = value;
    else if (key == "user")
      user = value;
  }
  if (host.empty()) host = hostaddr.empty() ? "the local socket" : hostaddr;
  return "database " + (dbname.empty() ? std::string("(default)") : dbname) + " on " + host +
         (port.empty() ? std::string() : ":" + port) + (user.empty() ? std::string() : " as " + user);
}

// libpq prints notices ("relation already exists, skipping") on stderr by
// default; they are not errors, and qujat's output is its own.
void ignore_notice(void*, const char*) {}

// `?` placeholders become `$1`, `$2`, ... (SQL is written once for both
// backends; qujat's statements hold no `?` inside string literals).
std::string numbered_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  for (char c : sql) {
    if (c == '?')
      out += "$" + std::to_string(++n);
    else
      out += c;
  }
  return out;
}

class PostgresqlConnection final : public Connection {
 public:
  explicit PostgresqlConnection(const std::string& uri) : uri_(uri) {
    // A malformed URI is the operator's typo, not an unreachable server: say so
    // apart, and libpq's message may quote the whole URI, password included.
    char* raw_error = nullptr;
    const ConnInfo parsed(PQconninfoParse(uri.c_str(), &raw_error));
    const auto parse_error = make_unique_ptr<PQfreemem>(raw_error);
    if (!parsed)
      throw Error("store.open", "invalid PostgreSQL location " + store::redacted_location(uri),
                  {scrub(parse_error ? parse_error.get() : "out of memory")});

    // Defaults before "dbname" so that the URI, expanded in its place, overrides
    // them; connect_timeout keeps an unreachable host from hanging a request.
    const char* keywords[] = {"fallback_application_name", "connect_timeout", "dbname", nullptr};
    const char* values[] = {"qujat", "10", uri.c_str(), nullptr};
    conn_.reset(PQconnectdbParams(keywords, values, 1));
    if (!conn_) throw Error("store.connect", "cannot connect to PostgreSQL: out of memory");
    if (PQstatus(conn_.get()) != CONNECTION_OK)
      throw Error("store.connect", "cannot connect to PostgreSQL " + describe_target(conn_.get()),
                  {scrub(PQerrorMessage(conn_.get()))});
    PQsetNoticeProcessor(conn_.get(), ignore_notice, nullptr);
  }

  void begin(bool write) override {
    // A reader sees one snapshot; writers use READ COMMITTED with explicit
    // row locks (Transaction::lock_rows) where a read decides a write.
    const char* sql = write ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
    reconnect_if_lost();
    try {
      simple(sql);
    } catch (const Error&) {
      // A connection that idled in the pool while the server restarted only
      // learns it on its next statement; nothing was done yet, so reconnect
      // and begin once more.
      if (PQstatus(conn_.get()) == CONNECTION_OK) throw;
      reconnect_if_lost();
      simple(sql);
    }
  }
  void commit() override { simple("COMMIT"); }
  void rollback() noexcept override {
    if (conn_ && PQstatus(conn_.get()) == CONNECTION_OK &&
        PQtransactionStatus(conn_.get()) != PQTRANS_IDLE)
      Result(PQexec(conn_.get(), "ROLLBACK"));
  }
  bool usable() const override { return conn_ && PQstatus(conn_.get()) == CONNECTION_OK; }
  Dialect dialect() const override { return Dialect::postgresql; }

  std::vector<Row> run(std::string_view sql, std::span<const Value> params, std::int64_t& changed) override {
    const std::string& name = prepared(sql, params.size());
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    std::vector<int> lengths(params.size(), 0);
    std::vector<int> formats(params.size(), 0);
    for (std::size_t i = 0; i < params.size(); ++i) {
      const auto& v = params[i];
      if (const auto* n = std::get_if<std::int64_t>(&v)) {
        texts[i] = std::to_string(*n);
        values[i] = texts[i].c_str();
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        values[i] = s->c_str();
      } else if (const auto* b = std::get_if<Bytes>(&v)) {
        values[i] = reinterpret_cast<const char*>(b->data());
        lengths[i] = static_cast<int>(b->size());
        formats[i] = 1;  // binary: bytes as they are
        if (b->empty()) values[i] = "";
      }
    }
    Result result(PQexecPrepared(conn_.get(), name.c_str(), static_cast<int>(params.size()), values.data(),
                                 lengths.data(), formats.data(), 0));
    check(result.get(), sql);
    const char* tuples = PQcmdTuples(result.get());
    changed = (tuples != nullptr && *tuples != '\0') ? std::stoll(tuples) : 0;
    return rows_of(result.get());
  }

  void migrate() {
    try {
      simple("BEGIN");
      const Value lock[] = {std::string(kMigrationLock)};
      std::int64_t changed = 0;
      run("SELECT pg_advisory_xact_lock(CAST(? AS BIGINT))", lock, changed);
      simple(
          "CREATE TABLE IF NOT EXISTS schema_migrations ("
          "  version BIGINT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
      const auto current = run("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", {}, changed)[0].integer(0);
      for (const auto& migration : migrations()) {
        if (migration.version <= current) continue;
        simple(migration.postgresql != nullptr ? migration.postgresql : postgresql_ddl(migration.sqlite).c_str());
        const Value version[] = {migration.version};
        run("INSERT INTO schema_migrations (version) VALUES (?)", version, changed);
      }
      simple("COMMIT");
    } catch (const Error& e) {
      // Leaves the connection usable; a failure here changes nothing the error says.
      rollback();
      throw Error("store.migrate", "PostgreSQL migration failed on " + describe_target(conn_.get()),
                  {e.full_message()});
    }
  }

 private:
  std::string scrub(const std::string& message) const { return trimmed(without_passwords(message, uri_)); }

  // After a server restart or a dropped link the next transaction reconnects
  // once instead of failing for the rest of the process's life.
  void reconnect_if_lost() {
    if (PQstatus(conn_.get()) == CONNECTION_OK) return;
    statements_.clear();  // prepared statements died with the old session
    PQreset(conn_.get());
    if (PQstatus(conn_.get()) != CONNECTION_OK)
      throw Error("store.connect", "lost the connection to PostgreSQL " + describe_target(conn_.get()),
                  {scrub(PQerrorMessage(conn_.get()))});
  }

  void simple(const char* sql) {
    Result result(PQexec(conn_.get(), sql));
    check(result.get(), sql);
  }

  const std::string& prepared(std::string_view sql, std::size_t params) {
    auto it = statements_.find(sql);
    if (it != statements_.end()) return it->second;
    std::string name = "q" + std::to_string(statements_.size() + 1);
    const auto text = numbered_placeholders(sql);
    Result result(PQprepare(conn_.get(), name.c_str(), text.c_str(), static_cast<int>(params), nullptr));
    check(result.get(), sql);
    return statements_.emplace(std::string(sql), std::move(name)).first->second;
  }

  void check(PGresult* result, std::string_view sql) {
    const auto status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
    const std::string message =
        scrub(result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(conn_.get()));
    if (PQstatus(conn_.get()) != CONNECTION_OK)
      throw Error("store.connect", "lost the connection to PostgreSQL " + describe_target(conn_.get()), {message});
    const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    const std::string_view sqlstate = state != nullptr ? state : "";
    // serialization_failure, deadlock_detected, lock_not_available: run again.
    if (sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "55P03")
      throw Conflict("store.busy", "the transaction conflicted with another", {message});
    if (sqlstate.starts_with("23")) throw Error("store.constraint", "a database constraint refused the change", {message});
    throw Error("store.sql", "PostgreSQL statement failed: " + std::string(sql.substr(0, 120)), {message});
  }

  static std::vector<Row> rows_of(PGresult* result) {
    const int n = PQntuples(result);
    const int columns = PQnfields(result);
    std::vector<Row> rows;
    rows.reserve(static_cast<std::size_t>(n));
    for (int r = 0; r < n; ++r) {
      std::vector<Value> values;
      values.reserve(static_cast<std::size_t>(columns));
      for (int c = 0; c < columns; ++c) values.push_back(cell(result, r, c));
      rows.emplace_back(std::move(values));
    }
    return rows;
  }

  static Value cell(PGresult* result, int r, int c) {
    if (PQgetisnull(result, r, c)) return std::monostate{};
    const char* text = PQgetvalue(result, r, c);
    const auto length = static_cast<std::size_t>(PQgetlength(result, r, c));
    switch (PQftype(result, c)) {
      case kInt2:
      case kInt4:
      case kInt8: {
        std::int64_t value = 0;
        const auto [end, ec] = std::from_chars(text, text + length, value);
        if (ec != std::errc() || end != text + length)
          throw Error("store.column", "PostgreSQL returned a non-integer value", {std::string(text, length)});
        return value;
      }
      case kBool: return std::int64_t{text[0] == 't' ? 1 : 0};
      case kBytea: {
        std::size_t size = 0;
        const auto raw = make_unique_ptr<PQfreemem>(
            PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &size));
        if (!raw) throw Error("store.column", "PostgreSQL returned bytes that do not decode");
        const auto* data = static_cast<const std::uint8_t*>(static_cast<void*>(raw.get()));
        return Bytes(data, data + size);
      }
      default: return std::string(text, length);
    }
  }

  std::string uri_;
  PgConnection conn_;
  std::unordered_map<std::string, std::string, SqlHash, std::equal_to<>> statements_;
};

class PostgresqlBackend final : public Database::Backend {
 public:
  explicit PostgresqlBackend(std::string uri) : uri_(std::move(uri)) {}

  std::unique_ptr<Connection> connect() override {
    auto connection = std::make_unique<PostgresqlConnection>(uri_);
    if (!migrated_) {
      connection->migrate();
      migrated_ = true;
    }
    return connection;
  }
  Dialect dialect() const override { return Dialect::postgresql; }
  std::string redacted_location() const override { return store::redacted_location(uri_); }

 private:
  std::string uri_;
  std::atomic<bool> migrated_ = false;  // the Database constructor's first connection migrates, alone
};

}  // namespace

std::unique_ptr<Database::Backend> postgresql_backend(const std::string& uri) {
  return std::make_unique<PostgresqlBackend>(uri);
}

}  // namespace qujat::store
