#include "qujat/store/document_numbering.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <thread>
#include <unistd.h>

#include "qujat/common/error.h"

using namespace qujat::store;

namespace {
std::filesystem::path fresh_db(const char* name) {
  auto p = std::filesystem::temp_directory_path() / (std::string("qujat-numbering-") + name + "-" +
                                                     std::to_string(::getpid()) + ".db");
  std::filesystem::remove(p);
  std::filesystem::remove(p.string() + "-wal");
  std::filesystem::remove(p.string() + "-shm");
  return p;
}
}  // namespace

TEST(DocumentNumbering, CountsPerKindAndYear) {
  auto path = fresh_db("per-kind");
  auto db = open_database(path.string());
  DocumentNumbering numbering(*db, {{"export-licence", "KZ-EXP"}, {"euc", "KZ-EUC"}});
  EXPECT_EQ(numbering.next("export-licence", 2026), "KZ-EXP-2026-000001");
  EXPECT_EQ(numbering.next("export-licence", 2026), "KZ-EXP-2026-000002");
  EXPECT_EQ(numbering.next("euc", 2026), "KZ-EUC-2026-000001");
  EXPECT_EQ(numbering.next("export-licence", 2027), "KZ-EXP-2027-000001");
  EXPECT_THROW(numbering.next("refusal", 2026), qujat::Error);
}

TEST(DocumentNumbering, SurvivesReopeningAndMigratesOnce) {
  auto path = fresh_db("reopen");
  {
    auto db = open_database("sqlite:" + path.string());
    EXPECT_EQ(db->schema_version(), 1);
    EXPECT_EQ(db->next_in_sequence("export-licence", 2026), 1);
  }
  auto db = open_database(path.string());
  EXPECT_EQ(db->schema_version(), 1);
  EXPECT_EQ(db->next_in_sequence("export-licence", 2026), 2);
}

TEST(DocumentNumbering, NoDuplicatesUnderConcurrentConnections) {
  auto path = fresh_db("concurrent");
  open_database(path.string());  // migrate first
  std::vector<std::thread> threads;
  std::vector<std::vector<std::int64_t>> seen(4);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      auto db = open_database(path.string());  // one connection each, like separate processes
      for (int i = 0; i < 50; ++i) seen[t].push_back(db->next_in_sequence("euc", 2026));
    });
  for (auto& th : threads) th.join();
  std::set<std::int64_t> all;
  for (auto& v : seen) all.insert(v.begin(), v.end());
  EXPECT_EQ(all.size(), 200u);
  EXPECT_EQ(*all.rbegin(), 200);
}

TEST(DocumentNumbering, FormatPadsAndGrows) {
  EXPECT_EQ(DocumentNumbering::format("KZ-EXP", 2026, 42), "KZ-EXP-2026-000042");
  EXPECT_EQ(DocumentNumbering::format("KZ-EXP", 2026, 1234567), "KZ-EXP-2026-1234567");
}

TEST(Database, PostgresNotYetBuiltIn) {
  try {
    open_database("postgresql://localhost/qujat");
    FAIL();
  } catch (const qujat::Error& e) {
    EXPECT_EQ(e.code(), "store.unsupported");
  }
}
