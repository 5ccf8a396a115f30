// The real PostgreSQL server the tests talk to: scripts/test starts a
// throw-away one on loopback (scripts/with-postgres) and exports its URL in
// QUJAT_TEST_POSTGRESQL_URL. A developer running ctest by hand without it sees
// each PostgreSQL test skipped with a message saying how to run them.
// Each test works in a schema of its own, so parallel tests and repeated runs
// never see each other's counters.
#pragma once

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>

namespace qujat::test {

inline const char* postgresql_test_url() {
  const char* url = std::getenv("QUJAT_TEST_POSTGRESQL_URL");
  return url != nullptr && *url != '\0' ? url : nullptr;
}

#define QUJAT_REQUIRE_POSTGRESQL()                                                                                     \
  do {                                                                                                                 \
    if (::qujat::test::postgresql_test_url() == nullptr)                                                               \
      GTEST_SKIP() << "QUJAT_TEST_POSTGRESQL_URL is not set, so this PostgreSQL test did not run. scripts/test "       \
                      "starts a throw-away server and sets it; by hand: scripts/with-postgres ctest --test-dir build " \
                      "(or export QUJAT_TEST_POSTGRESQL_URL=postgresql://USER@127.0.0.1:PORT/DB)";                     \
  } while (0)

// `url` with one more query parameter.
inline std::string with_parameter(const std::string& url, const std::string& parameter) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + parameter;
}

// A fresh schema on the test server, dropped (with its tables) afterwards;
// url() points libpq's search_path at it, so qujat creates its tables there.
class ScratchSchema {
 public:
  explicit ScratchSchema(const std::string& hint) {
    static std::atomic<int> counter{0};
    name_ = "qujat_t_";
    for (char c : hint.substr(0, 30))
      name_ += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
    name_ += "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    execute("CREATE SCHEMA " + quoted());
    url_ = with_parameter(postgresql_test_url(), "options=-csearch_path%3D" + name_);
  }
  ~ScratchSchema() {
    try {
      execute("DROP SCHEMA " + quoted() + " CASCADE");
    } catch (...) {  // the server is thrown away after the run anyway
    }
  }
  ScratchSchema(const ScratchSchema&) = delete;
  ScratchSchema& operator=(const ScratchSchema&) = delete;

  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }

  // Runs one statement on the test server as its owner (outside the schema).
  static std::string execute(const std::string& sql) {
    std::unique_ptr<PGconn, void (*)(PGconn*)> conn(PQconnectdb(postgresql_test_url()), PQfinish);
    if (PQstatus(conn.get()) != CONNECTION_OK)
      throw std::runtime_error(std::string("test server: ") + PQerrorMessage(conn.get()));
    // "drop cascades to ..." notices are not the test's output.
    PQsetNoticeProcessor(conn.get(), [](void*, const char*) {}, nullptr);
    std::unique_ptr<PGresult, void (*)(PGresult*)> result(
        PQexecParams(conn.get(), sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0), PQclear);
    const auto status = PQresultStatus(result.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
      throw std::runtime_error(sql + ": " + PQresultErrorMessage(result.get()));
    return status == PGRES_TUPLES_OK && PQntuples(result.get()) > 0 ? PQgetvalue(result.get(), 0, 0) : "";
  }

 private:
  std::string quoted() const { return "\"" + name_ + "\""; }  // name_ is [a-z0-9_] only

  std::string name_;
  std::string url_;
};

}  // namespace qujat::test
