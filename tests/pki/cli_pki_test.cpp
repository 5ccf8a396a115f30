// `qujat pki` as operators and scripts use it.
#include <gtest/gtest.h>
#include <openssl/rand.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <filesystem>

#include "qujat/common/bytes.h"
#include "support/command.h"
#include "support/nca_material.h"
#include "support/paths.h"

namespace {

using Run = qujat::test::CommandRun;

Run run(const std::string& args) {
  return qujat::test::run_command(qujat::test::shell_quote(qujat::test::qujat_cli().string()) + " " + args + " 2>/dev/null");
}

}  // namespace

TEST(CliPki, MakeTestPkiThenShowKeyStore) {
  qujat::Bytes random(9);
  RAND_bytes(random.data(), static_cast<int>(random.size()));
  const std::string password = "Cli" + qujat::hex_encode(random) + "7";
  setenv("QUJAT_TEST_PKI_PASSWORD", password.c_str(), 1);
  const auto dir = std::filesystem::temp_directory_path() / ("qujat-cli-pki-" + qujat::hex_encode(random).substr(0, 8));

  const auto made = run("pki make-test-pki --out " + dir.string() + " --password-env QUJAT_TEST_PKI_PASSWORD");
  ASSERT_EQ(made.exit_code, 0) << made.out;
  EXPECT_TRUE(std::filesystem::exists(dir / "gost" / "first_head.p12"));
  EXPECT_TRUE(std::filesystem::exists(dir / "trust" / "qujat_test_root_gost.cer"));

  const auto shown =
      run("pki show " + (dir / "gost" / "first_head.p12").string() + " --json --password-env QUJAT_TEST_PKI_PASSWORD");
  ASSERT_EQ(shown.exit_code, 0) << shown.out;
  const auto j = nlohmann::json::parse(shown.out);
  EXPECT_EQ(j["kind"], "pkcs12");
  EXPECT_EQ(j["certificate"]["key_algorithm"], "gost2015-512");
  EXPECT_EQ(j["certificate"]["identity"]["roles"], (nlohmann::json{"organisation_employee", "first_head"}));
  EXPECT_EQ(j["certificate"]["identity"]["bin"].get<std::string>().size(), 12u);

  setenv("QUJAT_TEST_PKI_PASSWORD", "wrong", 1);
  EXPECT_EQ(run("pki show " + (dir / "gost" / "first_head.p12").string() + " --password-env QUJAT_TEST_PKI_PASSWORD")
                .exit_code,
            2);
  std::filesystem::remove_all(dir);
}

TEST(CliPki, ShowNcaCertificate) {
  const auto shown = run("pki show " + qujat::test::nca("ca/nca_gost2022_test.cer") + " --json");
  ASSERT_EQ(shown.exit_code, 0);
  const auto j = nlohmann::json::parse(shown.out);
  EXPECT_EQ(j["certificate"]["key_algorithm"], "gost2015-512");
  EXPECT_EQ(j["certificate"]["ca"], true);
}
