// `qujat check` as operators and scripts call it: the exit code contract
// (0 valid, 1 problems, 2 unreadable) over every sample and over garbage.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "support/command.h"
#include "support/nca_material.h"
#include "support/paths.h"

namespace fs = std::filesystem;

namespace {
struct Run {
  int exit_code;
  std::string out;  // stdout and stderr together
};

using qujat::test::shell_quote;
std::string quoted(const std::string& s) { return shell_quote(s); }

Run qujat_check(const std::string& kind, const std::string& file, bool json = false, bool with_stderr = true) {
  std::string cmd = quoted(qujat::test::qujat_cli().string()) + " check --kind " + quoted(kind) + " --in " + quoted(file);
  if (json) cmd += " --json";
  cmd += with_stderr ? " 2>&1" : " 2>/dev/null";
  const auto result = qujat::test::run_command(cmd);
  return Run{result.exit_code, result.out};
}

std::string kind_of(const fs::path& file) {
  std::ifstream in(file);
  return nlohmann::json::parse(in).at("kind").get<std::string>();
}

std::vector<fs::path> json_files(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".json") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

fs::path scratch(const std::string& name) {
  const auto dir = qujat::test::build_root() / "check-cli-test";
  fs::create_directories(dir);
  return dir / name;
}
}  // namespace

TEST(CheckCli, EveryValidSampleExitsZero) {
  for (const auto& file : json_files(qujat::test::source_dir() / "samples")) {
    const auto run = qujat_check(kind_of(file), file.string());
    EXPECT_EQ(run.exit_code, 0) << file << "\n" << run.out;
  }
}

TEST(CheckCli, EveryInvalidSampleExitsOneNamingTheField) {
  for (const auto& file : json_files(qujat::test::source_dir() / "samples" / "invalid")) {
    const auto run = qujat_check(kind_of(file), file.string(), true, false);
    EXPECT_EQ(run.exit_code, 1) << file << "\n" << run.out;
    const auto report = nlohmann::json::parse(run.out);
    EXPECT_EQ(report.at("valid"), false);
    ASSERT_FALSE(report.at("problems").empty()) << file;
    for (const auto& p : report.at("problems")) {
      EXPECT_FALSE(p.at("code").get<std::string>().empty());
      for (const char* lang : {"kk", "ru", "en"}) EXPECT_FALSE(p.at("message").at(lang).get<std::string>().empty());
    }
  }
}

TEST(CheckCli, TextOutputGivesPathCodeAndThreeLanguages) {
  const auto file = qujat::test::source_dir() / "samples" / "invalid" / "export-licence-bad-bin-checksum.json";
  const auto run = qujat_check("export-licence", file.string());
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.out.find("/applicant/bin"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("bin.check_digit"), std::string::npos);
  EXPECT_NE(run.out.find("kk: "), std::string::npos);
  EXPECT_NE(run.out.find("ru: "), std::string::npos);
  EXPECT_NE(run.out.find("en: "), std::string::npos);
  EXPECT_NE(run.out.find("БСН"), std::string::npos);
  EXPECT_NE(run.out.find("БИН"), std::string::npos);
}

TEST(CheckCli, WrongKindExitsOne) {
  const auto file = qujat::test::source_dir() / "samples" / "euc.json";
  const auto run = qujat_check("iic", file.string());
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.out.find("kind.mismatch"), std::string::npos) << run.out;
}

TEST(CheckCli, GarbageExitsTwoWithAMessage) {
  const auto random = scratch("random.bin");
  {
    std::ofstream out(random, std::ios::binary);
    std::uint32_t x = 2463534242u;  // xorshift: reproducible bytes, no <random> seeding
    for (int i = 0; i < 65536; ++i) {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      out.put(static_cast<char>(x & 0xFF));
    }
  }
  const auto truncated = scratch("truncated.json");
  std::ofstream(truncated) << "{\"kind\": \"export-licence\", \"goods\": [";
  const auto empty = scratch("empty.json");
  std::ofstream(empty).flush();
  const auto deep = scratch("deep.json");
  std::ofstream(deep) << std::string(200000, '[');
  const auto big = scratch("big.json");
  {
    std::ofstream out(big);
    out << "{\"kind\": \"euc\", \"pad\": \"" << std::string(5u << 20, 'x') << "\"}";
  }
  for (const auto& file : {random, truncated, empty, deep, big, scratch("does-not-exist.json")}) {
    const auto run = qujat_check("export-licence", file.string());
    EXPECT_EQ(run.exit_code, 2) << file << "\n" << run.out;
    EXPECT_NE(run.out.find("qujat check:"), std::string::npos) << file << "\n" << run.out;
  }
  const auto dir = qujat_check("export-licence", qujat::test::source_dir().string());
  EXPECT_EQ(dir.exit_code, 2) << dir.out;
}

TEST(CheckCli, UnreadableWithJsonStillPrintsJson) {
  const auto truncated = scratch("truncated-json.json");
  std::ofstream(truncated) << "{";
  const auto run = qujat_check("euc", truncated.string(), true, false);
  EXPECT_EQ(run.exit_code, 2);
  const auto out = nlohmann::json::parse(run.out);
  EXPECT_EQ(out.at("valid"), false);
  EXPECT_EQ(out.at("error").at("code"), "model.unreadable");
}

TEST(CheckCli, UnknownKindIsAUsageError) {
  const auto file = qujat::test::source_dir() / "samples" / "euc.json";
  const auto run = qujat_check("end-user-certificate", file.string());
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.out.find("euc"), std::string::npos) << run.out;
}

TEST(CheckCli, HelpDescribesTheOptions) {
  std::string cmd = quoted(qujat::test::qujat_cli().string()) + " check --help 2>&1";
  const std::string out = qujat::test::run_command(cmd).out;
  for (const char* word : {"--kind", "--in", "--json", "export-licence", "Exit codes"})
    EXPECT_NE(out.find(word), std::string::npos) << word << "\n" << out;
}

TEST(CheckCli, ReadsStandardInput) {
  const auto file = qujat::test::source_dir() / "samples" / "iic.json";
  const std::string cmd =
      quoted(qujat::test::qujat_cli().string()) + " check --kind iic --in - < " + quoted(file.string()) + " >/dev/null 2>&1";
  const int status = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  const std::string garbage = "echo '{' | " + quoted(qujat::test::qujat_cli().string()) + " check --kind iic --in - >/dev/null 2>&1";
  const int garbage_status = std::system(garbage.c_str());
  ASSERT_TRUE(WIFEXITED(garbage_status));
  EXPECT_EQ(WEXITSTATUS(garbage_status), 2);
}
