// PostgreSQL behind store::Database, through libpq's C API: the backend for
// several stateless `qujat serve` nodes sharing one server, where numbering
// (and later the MFA outbox and the monitoring feed) must stay consistent
// across processes and machines.
#include <libpq-fe.h>

#include <charconv>
#include <mutex>
#include <string>
#include <vector>

#include "qujat/common/error.h"
#include "qujat/common/memory.h"
#include "qujat/store/database.h"
#include "store/backends.h"
#include "store/migrations.h"

namespace qujat::store {
namespace {

using Connection = UniquePtr<PGconn, PQfinish>;
using Result = UniquePtr<PGresult, PQclear>;
using ConnInfo = UniquePtr<PQconninfoOption, PQconninfoFree>;

// Serialises migrations of every qujat process on one database: two nodes
// starting at once must not both create the tables. Any fixed number works;
// this one is "qujat" in ASCII, so it is recognisable in pg_locks.
constexpr const char* kMigrationLock = "487030022516";  // 0x71756a6174

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

class PostgresqlDatabase final : public Database {
 public:
  explicit PostgresqlDatabase(const std::string& uri) : uri_(uri) {
    // A malformed URI is the operator's typo, not an unreachable server: say so
    // apart, and libpq's message may quote the whole URI, password included.
    char* raw_error = nullptr;
    const ConnInfo parsed(PQconninfoParse(uri.c_str(), &raw_error));
    const auto parse_error = make_unique_ptr<PQfreemem>(raw_error);
    if (!parsed)
      throw Error("store.open", "invalid PostgreSQL location " + redacted_location(uri),
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
    migrate();
  }

  std::int64_t next_in_sequence(std::string_view scope, int year) override {
    const std::lock_guard lock(mutex_);  // one PGconn must not be used by two threads at once
    reconnect_if_lost();
    // One statement, one transaction: a concurrent caller on the same row waits
    // for this row lock and then increments the committed value, so no number
    // is handed out twice and none is skipped.
    auto result =
        run("INSERT INTO document_sequences (scope, year, last_value) VALUES ($1, $2, 1) "
            "ON CONFLICT (scope, year) DO UPDATE SET last_value = document_sequences.last_value + 1 "
            "RETURNING last_value",
            {std::string(scope), std::to_string(year)}, PGRES_TUPLES_OK, "store.sequence",
            "cannot advance the sequence " + std::string(scope));
    return single_integer(result.get(), "store.sequence");
  }

  std::int64_t schema_version() override {
    const std::lock_guard lock(mutex_);
    reconnect_if_lost();
    return current_version();
  }

 private:
  std::string scrub(const std::string& message) const { return trimmed(without_passwords(message, uri_)); }

  // After a server restart or a dropped link the next call reconnects once
  // instead of failing for the rest of the process's life.
  void reconnect_if_lost() {
    if (PQstatus(conn_.get()) == CONNECTION_OK) return;
    PQreset(conn_.get());
    if (PQstatus(conn_.get()) != CONNECTION_OK)
      throw Error("store.connect", "lost the connection to PostgreSQL " + describe_target(conn_.get()),
                  {scrub(PQerrorMessage(conn_.get()))});
  }

  // Every statement goes through PQexecParams: values travel apart from the SQL.
  Result run(const char* sql, const std::vector<std::string>& params, ExecStatusType expected, const char* code,
             const std::string& message) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(p.c_str());
    Result result(
        PQexecParams(conn_.get(), sql, static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0));
    if (!result || PQresultStatus(result.get()) != expected)
      throw Error(code, message, {scrub(result ? PQresultErrorMessage(result.get()) : PQerrorMessage(conn_.get()))});
    return result;
  }

  void command(const char* sql, const std::vector<std::string>& params = {}) {
    run(sql, params, PGRES_COMMAND_OK, "store.sql", "PostgreSQL statement failed");
  }

  static std::int64_t single_integer(PGresult* result, const char* code) {
    if (PQntuples(result) != 1 || PQnfields(result) != 1 || PQgetisnull(result, 0, 0))
      throw Error(code, "PostgreSQL returned no value");
    const char* text = PQgetvalue(result, 0, 0);
    const std::string_view digits(text, static_cast<std::size_t>(PQgetlength(result, 0, 0)));
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || end != digits.data() + digits.size())
      throw Error(code, "PostgreSQL returned a non-integer value", {std::string(digits)});
    return value;
  }

  std::int64_t current_version() {
    auto result = run("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", {}, PGRES_TUPLES_OK, "store.migrate",
                      "cannot read schema_migrations");
    return single_integer(result.get(), "store.migrate");
  }

  // DDL is transactional in PostgreSQL: a migration applies fully or not at all.
  void migrate() {
    try {
      command("BEGIN");
      run("SELECT pg_advisory_xact_lock($1::bigint)", {kMigrationLock}, PGRES_TUPLES_OK, "store.migrate",
          "cannot take the migration lock");
      command(
          "CREATE TABLE IF NOT EXISTS schema_migrations ("
          "  version BIGINT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
      const auto current = current_version();
      for (const auto& migration : migrations()) {
        if (migration.version <= current) continue;
        command(migration.postgresql);
        command("INSERT INTO schema_migrations (version) VALUES ($1)", {std::to_string(migration.version)});
      }
      command("COMMIT");
    } catch (const Error& e) {
      // Leaves the connection usable; a failure here changes nothing the error says.
      Result(PQexecParams(conn_.get(), "ROLLBACK", 0, nullptr, nullptr, nullptr, nullptr, 0));
      throw Error("store.migrate", "PostgreSQL migration failed on " + describe_target(conn_.get()),
                  {e.full_message()});
    }
  }

  std::string uri_;
  std::mutex mutex_;
  Connection conn_;
};

}  // namespace

std::unique_ptr<Database> open_postgresql_database(const std::string& uri) {
  return std::make_unique<PostgresqlDatabase>(uri);
}

}  // namespace qujat::store
