// `qujat render` as operators and scripts call it: every valid sample issues
// an XML equal to its golden file (fixed number and date) that xmllint
// accepts; invalid applications exit 1 and issue nothing; a GOST-signed
// document passes `qujat verify`; the numbering store counts on.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "support/command.h"
#include "support/nca_material.h"
#include "support/paths.h"

namespace fs = std::filesystem;

namespace {

using Run = qujat::test::CommandRun;

Run run(const std::string& args, const std::string& env = "") {
  return qujat::test::run_command(env + " " + qujat::test::shell_quote(qujat::test::qujat_cli().string()) + " " + args + " 2>&1");
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path fresh_dir(const std::string& name) {
  auto d = fs::temp_directory_path() / ("qujat-render-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

fs::path source(const std::string& relative) { return qujat::test::source_root() / relative; }

std::vector<std::string> valid_samples() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(source("samples")))
    if (e.is_regular_file() && e.path().extension() == ".json") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string prefix_of(const std::string& kind) {
  auto common = nlohmann::json::parse(read_text(source("templates/common.json")));
  for (const char* key : {"numbering", "number_prefixes"})
    if (common.contains(key) && common[key].contains(kind)) {
      auto p = common[key][kind].get<std::string>();
      return p.starts_with("KZ-") ? p : "KZ-" + p;
    }
  return "KZ-X";
}

class RenderSample : public ::testing::TestWithParam<std::string> {};

TEST_P(RenderSample, WritesTheGoldenXmlThatXmllintAccepts) {
  auto in = source("samples/" + GetParam() + ".json");
  auto kind = nlohmann::json::parse(read_text(in))["kind"].get<std::string>();
  auto out = fresh_dir(GetParam());
  std::string number = prefix_of(kind) + "-2026-000042";
  // No --date: each sample carries its own issue date (a licence's term is measured from it).
  auto r = run("render --kind " + kind + " --in '" + in.string() + "' --out '" + out.string() + "' --number " + number);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto xml = out / (number + ".xml");
  ASSERT_TRUE(fs::exists(xml)) << r.out;
  EXPECT_FALSE(fs::exists(out / "qujat.db")) << "a fixed number needs no store";
  EXPECT_EQ(read_text(xml), read_text(source("tests/data/golden/" + GetParam() + ".xml")));
  std::string lint = "xmllint --noout --nonet --schema '" + source("schemas/" + kind + ".xsd").string() + "' '" +
                     xml.string() + "' >/dev/null 2>&1";
  EXPECT_EQ(std::system(lint.c_str()), 0) << lint;
  fs::remove_all(out);
}

INSTANTIATE_TEST_SUITE_P(Samples, RenderSample, ::testing::ValuesIn(valid_samples()), [](const auto& info) {
  std::string n = info.param;
  for (auto& c : n)
    if (c == '-') c = '_';
  return n;
});

TEST(RenderCli, InvalidApplicationExitsOneAndIssuesNothing) {
  auto out = fresh_dir("invalid");
  auto r = run("render --kind export-licence --in '" + source("samples/invalid/export-licence-bad-bin-checksum.json").string() +
               "' --out '" + out.string() + "' --number KZ-EXP-2026-000001 --date 2026-01-09");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_FALSE(fs::exists(out / "KZ-EXP-2026-000001.xml"));
  fs::remove_all(out);
}

TEST(RenderCli, KindMismatchIsRefused) {
  auto out = fresh_dir("mismatch");
  auto r = run("render --kind euc --in '" + source("samples/export-licence.json").string() + "' --out '" + out.string() +
               "' --number N-1 --date 2026-01-09");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  fs::remove_all(out);
}

TEST(RenderCli, UnreadableInputExitsTwo) {
  auto out = fresh_dir("unreadable");
  auto r = run("render --kind euc --in /nonexistent.json --out '" + out.string() + "'");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  fs::remove_all(out);
}

TEST(RenderCli, NumbersFromTheStoreCountOnAcrossRuns) {
  auto out = fresh_dir("store");
  auto args = "render --kind export-licence --in '" + source("samples/export-licence.json").string() + "' --out '" +
              out.string() + "' --date 2026-03-01";
  auto first = run(args);
  auto second = run(args);
  ASSERT_EQ(first.exit_code, 0) << first.out;
  ASSERT_EQ(second.exit_code, 0) << second.out;
  EXPECT_TRUE(fs::exists(out / "KZ-EXP-2026-000001.xml"));
  EXPECT_TRUE(fs::exists(out / "KZ-EXP-2026-000002.xml"));
  EXPECT_TRUE(fs::exists(out / "qujat.db"));
  fs::remove_all(out);
}

TEST(RenderCli, GostSignedDocumentPassesQujatVerify) {
  auto out = fresh_dir("signed");
  auto r = run("render --kind euc --in '" + source("samples/euc-forty-goods.json").string() + "' --out '" +
                   out.string() + "' --number KZ-EUC-2026-000040 --date 2026-01-09 --key '" +
                   qujat::test::nca("keys/individual_valid_2015_gost.p12") + "' --password-env QUJAT_TEST_P12_PASSWORD",
               std::string("QUJAT_TEST_P12_PASSWORD=") + qujat::test::kNcaGost2015Password);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto xml = out / "KZ-EUC-2026-000040.xml";
  EXPECT_EQ(r.out.find(qujat::test::kNcaGost2015Password), std::string::npos);
  auto trust = qujat::test::nca("ca/nca_gost2022_test.cer");
  auto v = run("verify '" + xml.string() + "' --trust '" + trust + "' --at 2022-12-01T00:00:00Z");
  EXPECT_EQ(v.exit_code, 0) << v.out;

  auto text = read_text(xml);
  auto pos = text.find("<quantity>");
  ASSERT_NE(pos, std::string::npos);
  text.insert(pos + 10, "1");
  std::ofstream(out / "tampered.xml", std::ios::binary) << text;
  auto t = run("verify '" + (out / "tampered.xml").string() + "' --trust '" + trust + "' --at 2022-12-01T00:00:00Z");
  EXPECT_EQ(t.exit_code, 1) << t.out;
  fs::remove_all(out);
}

TEST(RenderCli, WrongPasswordIsAnErrorNotAnUnsignedDocument) {
  auto out = fresh_dir("wrong-password");
  auto r = run("render --kind euc --in '" + source("samples/euc.json").string() + "' --out '" + out.string() +
                   "' --number KZ-EUC-2026-000001 --date 2026-01-09 --key '" +
                   qujat::test::nca("keys/individual_valid_2015_gost.p12") + "' --password-env QUJAT_TEST_P12_PASSWORD",
               "QUJAT_TEST_P12_PASSWORD=wrong");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_FALSE(fs::exists(out / "KZ-EUC-2026-000001.xml"));
  fs::remove_all(out);
}

TEST(RenderCli, PasswordFromFileAndOneLanguage) {
  auto out = fresh_dir("password-file");
  auto password = out / "password.txt";
  std::ofstream(password) << qujat::test::kNcaGost2015Password << "\n";
  auto r = run("render --kind iic --in '" + source("samples/iic.json").string() + "' --out '" + out.string() +
               "' --number KZ-IIC-2026-000003 --date 2026-01-09 --lang kk --key '" +
               qujat::test::nca("keys/individual_valid_2015_gost.p12") + "' --password-file '" + password.string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto xml = read_text(out / "KZ-IIC-2026-000003.xml");
  EXPECT_NE(xml.find("<languages>kk</languages>"), std::string::npos);
  EXPECT_NE(xml.find("SignatureValue"), std::string::npos);
  auto bad = run("render --kind iic --in '" + source("samples/iic.json").string() + "' --out '" + out.string() +
                 "' --number N-2 --lang en");
  EXPECT_EQ(bad.exit_code, 2) << bad.out;
  fs::remove_all(out);
}

}  // namespace

// A licence without its decision (approvals, licensor, term) is not issued:
// exit 1, every empty box named in kk, ru and en, nothing written.
TEST(RenderCli, ALicenceWithoutItsDecisionIsRefusedNamingTheBoxes) {
  auto out = fresh_dir("undecided");
  auto app = nlohmann::json::parse(read_text(source("samples/import-licence.json")));
  app.erase("licence");  // the application as filed: `check` accepts it, issuing it is refused
  const auto in = out / "undecided.json";
  std::ofstream(in) << app.dump();
  auto r = run("render --kind import-licence --in '" + in.string() + "' --out '" + out.string() +
               "' --number KZ-IMP-2026-000001");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  for (const char* expected : {"[docs.box_missing]", "licence.valid_until", "licence.approvals", "licence.licensor",
                               "17-баған", "графа 19", "box 7"})
    EXPECT_NE(r.out.find(expected), std::string::npos) << expected << "\n" << r.out;
  EXPECT_FALSE(fs::exists(out / "KZ-IMP-2026-000001.xml"));
  fs::remove_all(out);
}
