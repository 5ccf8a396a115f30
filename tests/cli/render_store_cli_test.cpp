// `qujat render` numbering from a PostgreSQL server, as several service
// nodes or operators' runs sharing one numbering store would: --db with a
// URL, --db-env with the URL kept out of argv, and clear failures.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "support/command.h"
#include "support/postgresql.h"
#include "support/paths.h"

namespace fs = std::filesystem;

namespace {

using qujat::test::shell_quote;

qujat::test::CommandRun render(const fs::path& out, const std::string& store_args, const std::string& env = "") {
  const auto in = qujat::test::source_root() / "samples/export-licence.json";
  return qujat::test::run_command(env + " " + shell_quote(qujat::test::qujat_cli().string()) + " render --kind export-licence --in " +
                                  shell_quote(in.string()) + " --out " + shell_quote(out.string()) +
                                  " --date 2026-03-01 " + store_args + " 2>&1");
}

fs::path fresh_dir(const std::string& name) {
  auto d = fs::temp_directory_path() / ("qujat-render-store-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

TEST(RenderStoreCli, NumbersFromPostgresqlCountOnAcrossRuns) {
  QUJAT_REQUIRE_POSTGRESQL();
  qujat::test::ScratchSchema schema("render_cli");
  auto out = fresh_dir("postgresql");
  auto first = render(out, "--db " + shell_quote(schema.url()));
  ASSERT_EQ(first.exit_code, 0) << first.out;
  EXPECT_NE(first.out.find("number: KZ-EXP-2026-000001"), std::string::npos) << first.out;
  // The same store named by an environment variable instead of argv.
  auto second = render(out, "--db-env QUJAT_RENDER_STORE", "QUJAT_RENDER_STORE=" + shell_quote(schema.url()));
  ASSERT_EQ(second.exit_code, 0) << second.out;
  EXPECT_NE(second.out.find("number: KZ-EXP-2026-000002"), std::string::npos) << second.out;
  EXPECT_TRUE(fs::exists(out / "KZ-EXP-2026-000002.xml"));
  EXPECT_FALSE(fs::exists(out / "qujat.db")) << "a PostgreSQL store leaves no SQLite file behind";
  fs::remove_all(out);
}

TEST(RenderStoreCli, SqliteUrlInDbWorksLikeAFile) {
  auto out = fresh_dir("sqlite");
  const auto db = out / "numbers.db";
  auto first = render(out, "--db " + shell_quote(db.string()));
  auto second = render(out, "--db " + shell_quote("sqlite:" + db.string()));
  ASSERT_EQ(first.exit_code, 0) << first.out;
  ASSERT_EQ(second.exit_code, 0) << second.out;
  EXPECT_NE(second.out.find("number: KZ-EXP-2026-000002"), std::string::npos) << second.out;
  fs::remove_all(out);
}

TEST(RenderStoreCli, UnreachableServerExitsTwoWithoutThePassword) {
  auto out = fresh_dir("unreachable");
  // Port 1 on loopback: nothing listens there on a test machine.
  auto r = render(out, "--db-env QUJAT_RENDER_STORE",
                  "QUJAT_RENDER_STORE='postgresql://officer:Xy7-secret@127.0.0.1:1/ledger'");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("127.0.0.1:1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ledger"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("Xy7-secret"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(out / "KZ-EXP-2026-000001.xml"));
  fs::remove_all(out);
}

TEST(RenderStoreCli, PasswordInDbIsWarnedAbout) {
  auto out = fresh_dir("warned");
  auto r = render(out, "--db 'postgresql://officer:Xy7-secret@127.0.0.1:1/ledger'");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("visible in the process list"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("Xy7-secret"), std::string::npos) << r.out;
  fs::remove_all(out);
}

TEST(RenderStoreCli, UnsetDbEnvIsAnError) {
  auto out = fresh_dir("unset");
  auto r = render(out, "--db-env QUJAT_RENDER_STORE_UNSET_FOR_TEST");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("QUJAT_RENDER_STORE_UNSET_FOR_TEST"), std::string::npos) << r.out;
  fs::remove_all(out);
}

}  // namespace
