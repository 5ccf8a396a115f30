// What is particular to PostgreSQL: errors that say which server failed and
// never show the password, migrations recorded per version, and a connection
// that comes back after the server dropped it.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <string>

#include "qujat/common/error.h"
#include "qujat/store/database.h"
#include "qujat/store/document_numbering.h"
#include "support/postgresql.h"

using qujat::store::open_database;
using qujat::store::redacted_location;

namespace {

// A loopback port nobody listens on: bound, read back and released.
int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0)
    throw std::runtime_error("no loopback port");
  ::close(fd);
  return ntohs(address.sin_port);
}

// Opens `location`, expecting a qujat::Error with `code`; returns its full message.
std::string open_error(const std::string& location, const std::string& code) {
  try {
    open_database(location);
  } catch (const qujat::Error& e) {
    EXPECT_EQ(e.code(), code) << e.full_message();
    return e.full_message();
  }
  ADD_FAILURE() << "opening " << redacted_location(location) << " did not fail";
  return {};
}

#define EXPECT_NO_SECRET(message, secret) \
  EXPECT_EQ((message).find(secret), std::string::npos) << "the password leaked: " << (message)

TEST(PostgresqlLocation, PasswordsAreRedacted) {
  EXPECT_EQ(redacted_location("postgresql://qujat:s3cret@db.gov.kz:5432/qujat"),
            "postgresql://qujat:***@db.gov.kz:5432/qujat");
  EXPECT_EQ(redacted_location("postgres://qujat:p%40ss@db/qujat?sslmode=require&password=again"),
            "postgres://qujat:***@db/qujat?sslmode=require&password=***");
  EXPECT_EQ(redacted_location("postgresql://qujat@db/qujat"), "postgresql://qujat@db/qujat");
  EXPECT_EQ(redacted_location("postgresql://db:5432/qujat"), "postgresql://db:5432/qujat");
  EXPECT_EQ(redacted_location("postgresql://"), "postgresql://");
  EXPECT_EQ(redacted_location("sqlite:/var/lib/qujat/a:b@c.db"), "sqlite:/var/lib/qujat/a:b@c.db");
}

// libpq quotes a malformed URI whole in its message; qujat must not pass that on.
TEST(PostgresqlLocation, MalformedUriIsRefusedWithoutItsPassword) {
  const auto message = open_error("postgresql://qujat:Xy7-secret@[::1/qujat", "store.open");
  EXPECT_NO_SECRET(message, "Xy7-secret");
  EXPECT_NE(message.find("postgresql://qujat:***@[::1/qujat"), std::string::npos) << message;
}

TEST(PostgresqlConnect, RefusedConnectionNamesTheServerButNotThePassword) {
  const auto port = std::to_string(closed_port());
  const auto message =
      open_error("postgresql://officer:Xy7%40secret@127.0.0.1:" + port + "/ledger?connect_timeout=5", "store.connect");
  EXPECT_NE(message.find("127.0.0.1"), std::string::npos) << message;
  EXPECT_NE(message.find(port), std::string::npos) << message;
  EXPECT_NE(message.find("ledger"), std::string::npos) << message;
  EXPECT_NE(message.find("officer"), std::string::npos) << message;
  EXPECT_NO_SECRET(message, "Xy7%40secret");
  EXPECT_NO_SECRET(message, "Xy7@secret");
}

TEST(PostgresqlConnect, PasswordInTheQueryIsNotShownEither) {
  const auto port = std::to_string(closed_port());
  const auto message =
      open_error("postgresql://officer@127.0.0.1:" + port + "/ledger?password=Xy7-secret", "store.connect");
  EXPECT_NE(message.find("ledger"), std::string::npos) << message;
  EXPECT_NO_SECRET(message, "Xy7-secret");
}

// The server answers, but the database is not there: the server's own
// message names it; the password given must still not appear.
TEST(PostgresqlConnect, MissingDatabaseOnALiveServer) {
  QUJAT_REQUIRE_POSTGRESQL();
  char* raw_error = nullptr;
  std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption*)> options(
      PQconninfoParse(qujat::test::postgresql_test_url(), &raw_error), PQconninfoFree);
  ASSERT_TRUE(options) << raw_error;
  std::string host = "127.0.0.1", port = "5432", user;
  for (auto* o = options.get(); o->keyword != nullptr; ++o) {
    const std::string key = o->keyword;
    if (o->val == nullptr) continue;
    if (key == "host") host = o->val;
    if (key == "port") port = o->val;
    if (key == "user") user = o->val;
  }
  const auto message = open_error(
      "postgresql://" + user + ":Xy7-secret@" + host + ":" + port + "/qujat_no_such_database", "store.connect");
  EXPECT_NE(message.find("qujat_no_such_database"), std::string::npos) << message;
  EXPECT_NO_SECRET(message, "Xy7-secret");
}

TEST(PostgresqlMigrations, RecordedOncePerVersion) {
  QUJAT_REQUIRE_POSTGRESQL();
  qujat::test::ScratchSchema schema("migrations");
  open_database(schema.url());
  open_database(schema.url());
  EXPECT_EQ(qujat::test::ScratchSchema::execute("SELECT count(*) || ':' || max(version) FROM \"" + schema.name() +
                                                "\".schema_migrations"),
            "3:3");
  EXPECT_EQ(qujat::test::ScratchSchema::execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + schema.name() + "'"),
            "13");
}

// A node outlives a server restart or a dropped link: the pooled connection
// learns it at its next transaction, reconnects and counts on.
TEST(PostgresqlConnect, ReconnectsAfterTheServerDroppedTheConnection) {
  QUJAT_REQUIRE_POSTGRESQL();
  qujat::test::ScratchSchema schema("reconnect");
  const std::string application = schema.name();
  auto db = open_database(qujat::test::with_parameter(schema.url(), "application_name=" + application));
  const auto draw = [&] {
    return db->write([](qujat::store::Transaction& tx) { return qujat::store::next_in_sequence(tx, "euc", 2026); });
  };
  EXPECT_EQ(draw(), 1);
  // The timeout makes the call wait until the backend has exited, so the
  // next statement surely meets a closed connection.
  EXPECT_EQ(qujat::test::ScratchSchema::execute(
                "SELECT count(pg_terminate_backend(pid, 10000)) FROM pg_stat_activity WHERE application_name = '" +
                application + "'"),
            "1");
  EXPECT_EQ(draw(), 2);
}

}  // namespace
