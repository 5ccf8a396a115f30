// The numbering contract, run against every backend (embedded SQLite and a
// real PostgreSQL server): per kind and year, from 1, unique and gap-free
// under threads and under several processes drawing at once.
#include "qujat/store/document_numbering.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <thread>

#include "qujat/common/error.h"
#include "qujat/common/time.h"
#include "qujat/store/applications.h"
#include "support/command.h"
#include "support/postgresql.h"

using namespace qujat::store;

namespace {

enum class Backend { sqlite, postgresql };

// Names the backend in test output instead of "4-byte object <00-00 00-00>".
void PrintTo(Backend backend, std::ostream* os) { *os << (backend == Backend::sqlite ? "sqlite" : "postgresql"); }

constexpr std::int64_t kLatestSchema = 3;

// One value drawn in a transaction of its own.
std::int64_t draw(Database& db, const std::string& scope, int year) {
  return db.write([&](Transaction& tx) { return next_in_sequence(tx, scope, year); });
}

// The next number of a kind, in a transaction of its own.
std::string next_number(Database& db, const DocumentNumbering& numbering, const std::string& kind, int year) {
  return db.write([&](Transaction& tx) { return numbering.next(tx, kind, year); });
}

std::string current_test_name() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return std::string(info->name());
}

// A fresh, empty database of the backend under test for each test.
class DatabaseContract : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::postgresql) {
      QUJAT_REQUIRE_POSTGRESQL();
      schema_.emplace(current_test_name());
      location_ = schema_->url();
    } else {
      auto name = current_test_name();
      for (auto& c : name)
        if (c == '/') c = '-';
      path_ = std::filesystem::temp_directory_path() /
              ("qujat-numbering-" + name + "-" + std::to_string(::getpid()) + ".db");
      remove_sqlite_files();
      location_ = "sqlite:" + path_.string();
    }
  }
  void TearDown() override {
    if (!path_.empty()) remove_sqlite_files();
  }

  void remove_sqlite_files() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }

  std::string location_;
  std::filesystem::path path_;
  std::optional<qujat::test::ScratchSchema> schema_;
};

// The values 1..n, each once: what a gap-free, duplicate-free sequence drew.
std::set<std::int64_t> one_to(std::int64_t n) {
  std::set<std::int64_t> out;
  for (std::int64_t i = 1; i <= n; ++i) out.insert(i);
  return out;
}

TEST_P(DatabaseContract, CountsPerKindAndYear) {
  auto db = open_database(location_);
  DocumentNumbering numbering({{"export-licence", "KZ-EXP"}, {"euc", "KZ-EUC"}});
  EXPECT_EQ(next_number(*db, numbering, "export-licence", 2026), "KZ-EXP-2026-000001");
  EXPECT_EQ(next_number(*db, numbering, "export-licence", 2026), "KZ-EXP-2026-000002");
  EXPECT_EQ(next_number(*db, numbering, "euc", 2026), "KZ-EUC-2026-000001");
  EXPECT_EQ(next_number(*db, numbering, "export-licence", 2026), "KZ-EXP-2026-000003");
}

TEST_P(DatabaseContract, NewYearStartsAtOneAndTheOldYearKeepsCounting) {
  auto db = open_database(location_);
  DocumentNumbering numbering(std::map<std::string, std::string>{{"export-licence", "KZ-EXP"}});
  EXPECT_EQ(next_number(*db, numbering, "export-licence", 2026), "KZ-EXP-2026-000001");
  EXPECT_EQ(next_number(*db, numbering, "export-licence", 2026), "KZ-EXP-2026-000002");
  EXPECT_EQ(next_number(*db, numbering, "export-licence", 2027), "KZ-EXP-2027-000001");
  // A late document of the old year (issued on 31 December, numbered after midnight).
  EXPECT_EQ(next_number(*db, numbering, "export-licence", 2026), "KZ-EXP-2026-000003");
  EXPECT_EQ(next_number(*db, numbering, "export-licence", 2027), "KZ-EXP-2027-000002");
}

TEST_P(DatabaseContract, UnknownKindIsRefusedAndDrawsNoNumber) {
  auto db = open_database(location_);
  DocumentNumbering numbering(std::map<std::string, std::string>{{"export-licence", "KZ-EXP"}});
  try {
    next_number(*db, numbering, "refusal", 2026);
    FAIL() << "a kind without a prefix must be refused";
  } catch (const qujat::Error& e) {
    EXPECT_EQ(e.code(), "numbering.unknown_kind");
    EXPECT_NE(std::string(e.what()).find("refusal"), std::string::npos) << e.what();
  }
  EXPECT_EQ(draw(*db, "refusal", 2026), 1) << "the refused call must not have advanced a counter";
}

TEST_P(DatabaseContract, SurvivesReopeningAndMigratesOnce) {
  {
    auto db = open_database(location_);
    EXPECT_EQ(db->schema_version(), kLatestSchema);
    EXPECT_EQ(draw(*db, "export-licence", 2026), 1);
  }
  auto db = open_database(location_);
  EXPECT_EQ(db->schema_version(), kLatestSchema);
  EXPECT_EQ(draw(*db, "export-licence", 2026), 2);
}

// Migration 3 gives the status read its completeness date as a column (an
// application written before it gets the date from its case file) and the
// documents an index in their shown order.
TEST_P(DatabaseContract, MigrationThreeFillsTheCompletenessDateOfOlderApplications) {
  ApplicationRecord older;
  older.id = "older-application";
  older.registration_number = "KZ-APP-2026-000001";
  older.kind = "export-licence";
  older.owner_bin = "123456789021";
  older.submitted_by = "781111300037";
  older.registered_on = *qujat::parse_date("2026-03-20");
  older.due_on = *qujat::parse_date("2026-05-05");
  older.term_days = 30;
  older.data = nlohmann::json::object();
  older.intake = nlohmann::json::object();
  older.case_file = {{"completeness_due_on", "2026-03-24"}, {"approvals", nlohmann::json::array()}};
  {
    auto db = open_database(location_);
    db->write([&](Transaction& tx) {
      ApplicationRegistry::insert(tx, older);
      // As the database was at version 2: no column, the old index, no migration 3.
      tx.execute("ALTER TABLE applications DROP COLUMN completeness_due_on");
      tx.execute("DROP INDEX documents_of_application");
      tx.execute("CREATE INDEX documents_by_application ON documents (application_id)");
      tx.execute("DELETE FROM schema_migrations WHERE version = 3");
    });
  }
  auto db = open_database(location_);
  EXPECT_EQ(db->schema_version(), kLatestSchema);
  const auto status = db->read([&](Transaction& tx) { return ApplicationRegistry::find_status(tx, older.id); });
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->case_file.value("completeness_due_on", ""), "2026-03-24");
  EXPECT_FALSE(status->case_file.contains("approvals")) << "a status read leaves the case file unread";
}

TEST_P(DatabaseContract, ScopesAreDataNotSql) {
  auto db = open_database(location_);
  const std::string hostile = "euc'); DROP TABLE document_sequences; --";
  EXPECT_EQ(draw(*db, hostile, 2026), 1);
  EXPECT_EQ(draw(*db, hostile, 2026), 2);
  EXPECT_EQ(draw(*db, "euc", 2026), 1);
  EXPECT_EQ(draw(*db, "Қазақстан", 2026), 1);
}

// Separate connections opened at the same moment on an empty database: the
// migration runs once, and 4 x 50 draws are 1..200.
TEST_P(DatabaseContract, ThreadsWithTheirOwnConnections) {
  std::vector<std::thread> threads;
  std::vector<std::vector<std::int64_t>> seen(4);
  std::vector<std::string> errors(4);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      try {
        auto db = open_database(location_);
        for (int i = 0; i < 50; ++i) seen[t].push_back(draw(*db, "euc", 2026));
      } catch (const qujat::Error& e) {
        errors[t] = e.full_message();
      }
    });
  for (auto& th : threads) th.join();
  std::set<std::int64_t> all;
  for (int t = 0; t < 4; ++t) {
    EXPECT_EQ(errors[t], "") << "thread " << t;
    all.insert(seen[t].begin(), seen[t].end());
  }
  EXPECT_EQ(all, one_to(200));
  EXPECT_EQ(open_database(location_)->schema_version(), kLatestSchema);
}

TEST_P(DatabaseContract, ThreadsSharingOneDatabase) {
  auto db = open_database(location_);
  std::vector<std::thread> threads;
  std::vector<std::vector<std::int64_t>> seen(4);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) seen[t].push_back(draw(*db, "euc", 2026));
    });
  for (auto& th : threads) th.join();
  std::set<std::int64_t> all;
  for (auto& v : seen) all.insert(v.begin(), v.end());
  EXPECT_EQ(all, one_to(200));
}

// What several `qujat` processes (or service nodes) sharing one store do:
// three helper processes and two threads of this one draw at the same moment.
TEST_P(DatabaseContract, ProcessesAndThreadsDrawingAtOnce) {
  open_database(location_);  // the race on migrations is the test above's
  constexpr int kProcesses = 3, kThreads = 2, kEach = 100;
  const auto start = std::chrono::system_clock::now() + std::chrono::milliseconds(700);
  const auto start_ms = std::chrono::duration_cast<std::chrono::milliseconds>(start.time_since_epoch()).count();

  // The location travels in the environment, as a connection string should.
  ASSERT_EQ(::setenv("QUJAT_DRAW_LOCATION", location_.c_str(), 1), 0);
  std::vector<std::unique_ptr<FILE, int (*)(FILE*)>> processes;
  for (int p = 0; p < kProcesses; ++p) {
    const std::string command = qujat::test::shell_quote(QUJAT_DRAW_NUMBERS) + " licence 2026 " +
                                std::to_string(kEach) + " " + std::to_string(start_ms);
    processes.emplace_back(popen(command.c_str(), "r"), pclose);
    ASSERT_TRUE(processes.back()) << command;
  }

  std::vector<std::vector<std::int64_t>> seen(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      auto db = open_database(location_);
      std::this_thread::sleep_until(start);
      for (int i = 0; i < kEach; ++i) seen[t].push_back(draw(*db, "licence", 2026));
    });
  for (auto& th : threads) th.join();

  std::multiset<std::int64_t> drawn;
  for (auto& v : seen) drawn.insert(v.begin(), v.end());
  for (auto& process : processes) {
    std::size_t lines = 0;
    char line[64];
    while (std::fgets(line, sizeof line, process.get()) != nullptr) {
      drawn.insert(std::strtoll(line, nullptr, 10));
      ++lines;
    }
    EXPECT_EQ(pclose(process.release()), 0) << "a drawing process failed";
    EXPECT_EQ(lines, static_cast<std::size_t>(kEach));
  }
  const std::set<std::int64_t> distinct(drawn.begin(), drawn.end());
  EXPECT_EQ(drawn.size(), distinct.size()) << "a number was handed out twice";
  EXPECT_EQ(distinct, one_to((kProcesses + kThreads) * kEach));
}

INSTANTIATE_TEST_SUITE_P(Backends, DatabaseContract, ::testing::Values(Backend::sqlite, Backend::postgresql),
                         [](const auto& info) { return info.param == Backend::sqlite ? "sqlite" : "postgresql"; });

TEST(DocumentNumbering, FormatPadsAndGrows) {
  EXPECT_EQ(DocumentNumbering::format("KZ-EXP", 2026, 42), "KZ-EXP-2026-000042");
  EXPECT_EQ(DocumentNumbering::format("KZ-EXP", 2026, 1234567), "KZ-EXP-2026-1234567");
}

TEST(Database, PlainPathAndSqlitePrefixNameTheSameFile) {
  auto path = std::filesystem::temp_directory_path() / ("qujat-plain-" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  EXPECT_EQ(draw(*open_database(path.string()), "euc", 2026), 1);
  EXPECT_EQ(draw(*open_database("sqlite:" + path.string()), "euc", 2026), 2);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}

TEST(Database, OtherSchemesAreRefused) {
  try {
    open_database("mysql://localhost/qujat");
    FAIL();
  } catch (const qujat::Error& e) {
    EXPECT_EQ(e.code(), "store.unsupported");
  }
}

}  // namespace
