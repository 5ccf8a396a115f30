// `qujat sign` then `qujat verify`: the acceptance round trip with the NCA GOST 2015 test key.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "qujat/common/bytes.h"
#include "support/command.h"
#include "support/nca_material.h"
#include "support/paths.h"

namespace {

using Run = qujat::test::CommandRun;

Run run(const std::string& args) {
  return qujat::test::run_command(qujat::test::shell_quote(qujat::test::qujat_cli().string()) + " " + args + " 2>&1");
}

std::string q(const std::string& path) { return "'" + path + "'"; }

class SignCli : public ::testing::Test {
 protected:
  void SetUp() override {
    // The password travels through the environment, never argv.
    setenv("QUJAT_TEST_P12_PASSWORD", qujat::test::kNcaGost2015Password, 1);
    input_ = qujat::test::build_root().string() + "/sign_cli_input.xml";
    std::ofstream(input_) << "<application><applicant>ТОО Тест</applicant></application>";
  }
  std::string key() const {
    return "--key " + q(qujat::test::nca("keys/individual_valid_2015_gost.p12")) +
           " --password-env QUJAT_TEST_P12_PASSWORD";
  }
  std::string verify_args() const {
    return "--trust " + q(qujat::test::nca("ca/nca_gost2022_test.cer")) + " --at 2022-12-01T00:00:00Z --json ";
  }
  std::string input_;
};

TEST_F(SignCli, XmlSignedThenVerified) {
  std::string out = qujat::test::build_root().string() + "/sign_cli_out.xml";
  auto s = run("sign " + q(input_) + " " + key() + " -o " + q(out));
  ASSERT_EQ(s.exit_code, 0) << s.out;
  auto v = run("verify " + verify_args() + q(out));
  EXPECT_EQ(v.exit_code, 0) << v.out;
  EXPECT_NE(v.out.find("\"iin\":\"123456789012\""), std::string::npos) << v.out;

  std::string co = qujat::test::build_root().string() + "/sign_cli_cosigned.xml";
  ASSERT_EQ(run("sign " + q(out) + " " + key() + " -o " + q(co)).exit_code, 0);
  auto v2 = run("verify " + verify_args() + q(co));
  EXPECT_EQ(v2.exit_code, 0) << v2.out;
  EXPECT_NE(v2.out.find("\"signatures\":[{"), std::string::npos);
}

TEST_F(SignCli, CmsAttachedAndDetached) {
  std::string cms = qujat::test::build_root().string() + "/sign_cli_out.cms";
  ASSERT_EQ(run("sign " + q(input_) + " " + key() + " --format cms -o " + q(cms)).exit_code, 0);
  auto v = run("verify " + verify_args() + q(cms));
  EXPECT_EQ(v.exit_code, 0) << v.out;
  EXPECT_NE(v.out.find("\"format\":\"cms\""), std::string::npos);

  std::string detached = qujat::test::build_root().string() + "/sign_cli_detached.cms";
  ASSERT_EQ(run("sign " + q(input_) + " " + key() + " --format cms --detached -o " + q(detached)).exit_code, 0);
  // Without --content: who signed and that the signed attributes hold, but
  // indeterminate (the content was not checked), so exit 1.
  auto alone = run("verify " + verify_args() + q(detached));
  EXPECT_EQ(alone.exit_code, 1) << alone.out;
  EXPECT_NE(alone.out.find("\"cryptographic\":\"indeterminate\""), std::string::npos) << alone.out;
  EXPECT_NE(alone.out.find("cms.content_not_checked"), std::string::npos) << alone.out;
  EXPECT_EQ(run("verify " + verify_args() + "--content " + q(input_) + " " + q(detached)).exit_code, 0);
}

TEST_F(SignCli, SoapEnvelopeGetsWsSecurityAndBase64CmsIsRead) {
  std::string soap = qujat::test::build_root().string() + "/sign_cli_envelope.xml";
  std::ofstream(soap) << "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">"
                         "<soap:Body><ping/></soap:Body></soap:Envelope>";
  std::string signed_soap = qujat::test::build_root().string() + "/sign_cli_envelope_signed.xml";
  ASSERT_EQ(run("sign " + q(soap) + " " + key() + " -o " + q(signed_soap)).exit_code, 0);
  auto v = run("verify --json " + q(signed_soap));
  EXPECT_NE(v.out.find("\"format\":\"wss\""), std::string::npos) << v.out;
  EXPECT_NE(v.out.find("\"cryptographic\":\"valid\""), std::string::npos) << v.out;

  std::string cms = qujat::test::build_root().string() + "/sign_cli_b64.cms";
  ASSERT_EQ(run("sign " + q(input_) + " " + key() + " --format cms -o " + q(cms)).exit_code, 0);
  std::ifstream in(cms, std::ios::binary);
  std::string der((std::istreambuf_iterator<char>(in)), {});
  std::string b64 = qujat::base64_encode_wrapped(qujat::as_bytes(der), 64, "\n");
  std::string b64_path = qujat::test::build_root().string() + "/sign_cli_b64.txt";
  std::ofstream(b64_path) << b64 << "\n";
  EXPECT_EQ(run("verify " + verify_args() + q(b64_path)).exit_code, 0);
}

TEST_F(SignCli, WrongPasswordOrMissingPasswordFails) {
  setenv("QUJAT_TEST_WRONG", "Wrong123", 1);
  std::string out = qujat::test::build_root().string() + "/sign_cli_never.xml";
  auto r = run("sign " + q(input_) + " --key " + q(qujat::test::nca("keys/individual_valid_2015_gost.p12")) +
               " --password-env QUJAT_TEST_WRONG -o " + q(out));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(r.out.find("Wrong123"), std::string::npos);  // never echoed
  auto none = run("sign " + q(input_) + " --key " + q(qujat::test::nca("keys/individual_valid_2015_gost.p12")) +
                  " -o " + q(out));
  EXPECT_NE(none.exit_code, 0);
}

// A three-level path (root -> issuing CA -> signer) where only the root is
// trusted: the issuing CA, which NCALayer-shaped signatures do not carry,
// comes from --ca and completes the path without becoming trusted itself.
TEST(SignCliPath, IssuingCaFromCaOptionCompletesThePathToTheRoot) {
  const std::string dir = qujat::test::build_root().string() + "/sign_cli_pki";
  std::filesystem::remove_all(dir);
  setenv("QUJAT_TEST_PKI_PASSWORD", "Generated-1", 1);
  ASSERT_EQ(run("pki make-test-pki --out " + q(dir) + " --password-env QUJAT_TEST_PKI_PASSWORD").exit_code, 0);
  const std::string input = qujat::test::build_root().string() + "/sign_cli_path_input.xml";
  std::ofstream(input) << "<application><applicant>ТОО Тест</applicant></application>";
  const std::string out = qujat::test::build_root().string() + "/sign_cli_path_signed.xml";
  ASSERT_EQ(run("sign " + q(input) + " --key " + q(dir + "/gost/individual.p12") +
                " --password-env QUJAT_TEST_PKI_PASSWORD -o " + q(out))
                .exit_code,
            0);

  const std::string root_only = "verify --json --trust " + q(dir + "/gost/root.cer") + " ";
  auto untrusted = run(root_only + q(out));
  EXPECT_EQ(untrusted.exit_code, 1) << untrusted.out;
  EXPECT_NE(untrusted.out.find("\"chain\":\"untrusted\""), std::string::npos) << untrusted.out;

  auto trusted = run(root_only + "--ca " + q(dir + "/gost/ca.cer") + " --crl " + q(dir + "/gost/ca.crl") + " " + q(out));
  EXPECT_EQ(trusted.exit_code, 0) << trusted.out;
  EXPECT_NE(trusted.out.find("\"chain\":\"trusted\""), std::string::npos) << trusted.out;
  EXPECT_NE(trusted.out.find("\"revocation\":\"good\""), std::string::npos) << trusted.out;

  // The operator's standing store: QUJAT_TRUST / QUJAT_CA stand in for
  // --trust / --ca when those are not given, and never override them.
  setenv("QUJAT_TRUST", (dir + "/gost/root.cer:" + dir + "/rsa/root.cer").c_str(), 1);
  setenv("QUJAT_CA", (dir + "/gost/ca.cer").c_str(), 1);
  auto from_environment = run("verify --json " + q(out));
  EXPECT_EQ(from_environment.exit_code, 0) << from_environment.out;
  EXPECT_NE(from_environment.out.find("\"chain\":\"trusted\""), std::string::npos) << from_environment.out;
  auto overridden = run("verify --json --trust " + q(dir + "/rsa/root.cer") + " " + q(out));
  EXPECT_EQ(overridden.exit_code, 1) << overridden.out;
  unsetenv("QUJAT_TRUST");
  unsetenv("QUJAT_CA");

  // --ca alone trusts nothing: an intermediate is never an anchor by itself.
  auto ca_only = run("verify --json --ca " + q(dir + "/gost/ca.cer") + " --trust " + q(dir + "/rsa/root.cer") + " " + q(out));
  EXPECT_EQ(ca_only.exit_code, 1) << ca_only.out;
}

}  // namespace
