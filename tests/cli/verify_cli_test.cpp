// `qujat verify` as operators and scripts call it (ARCHITECTURE.md contract).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "support/command.h"
#include "support/nca_material.h"
#include "support/paths.h"

namespace {

using Run = qujat::test::CommandRun;

Run run(const std::string& args) {
  return qujat::test::run_command(qujat::test::shell_quote(qujat::test::qujat_cli().string()) + " " + args + " 2>/dev/null");
}

std::string q(const std::string& path) { return "'" + path + "'"; }

TEST(VerifyCli, AcceptanceRsaSignedByKalkan) {
  auto r = run("verify --trust " + q(qujat::test::nca("ca")) + " --at 2021-06-01T00:00:00Z --json " +
               q(qujat::test::nca("xml/rsa-sha256-signed.xml")));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["valid"], true);
  EXPECT_EQ(j["format"], "xmldsig");
  ASSERT_EQ(j["signatures"].size(), 1u);
  EXPECT_EQ(j["signatures"][0]["algorithm"], "rsa-sha256");
  EXPECT_EQ(j["signatures"][0]["chain"], "trusted");
  EXPECT_EQ(j["signatures"][0]["signer"]["iin"], "123456789011");
}

TEST(VerifyCli, AcceptanceCosignedEachWithItsOwnTimeStatus) {
  auto r = run("verify --trust " + q(qujat::test::nca("ca")) + " --at 2022-12-01 --json " +
               q(qujat::test::nca("xml/rsa-then-gost2015-cosigned.xml")));
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["signatures"].size(), 2u);
  EXPECT_EQ(j["signatures"][0]["cryptographic"], "valid");
  EXPECT_EQ(j["signatures"][1]["cryptographic"], "valid");
  EXPECT_EQ(j["signatures"][0]["algorithm"], "rsa-sha256");
  EXPECT_EQ(j["signatures"][1]["algorithm"], "gost2015-512");
  EXPECT_EQ(j["signatures"][1]["signer"]["iin"], "123456789012");
  EXPECT_EQ(j["signatures"][0]["time"], "expired");
  EXPECT_EQ(j["signatures"][1]["time"], "within_validity");
  EXPECT_EQ(r.exit_code, 1);
}

TEST(VerifyCli, TamperedSignatureValueExitsOneAndSaysWhy) {
  std::ifstream in(qujat::test::nca("xml/rsa-sha256-signed.xml"), std::ios::binary);
  std::string xml((std::istreambuf_iterator<char>(in)), {});
  xml.replace(xml.find("aAeSW+p2"), 8, "aAeSW+p3");
  std::string path = qujat::test::build_root().string() + "/verify_cli_tampered.xml";
  std::ofstream(path, std::ios::binary) << xml;
  auto r = run("verify --at 2021-06-01 " + q(path));
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("SignatureValue does not match"), std::string::npos) << r.out;
}

TEST(VerifyCli, HostileAndUnreadableInputsExitTwo) {
  auto r = run("verify " + q((qujat::test::source_dir() / "tests/data/hostile/xxe-local-file.xml").string()));
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_EQ(r.out.find("root:"), std::string::npos);  // /etc/passwd never read
  EXPECT_EQ(run("verify /nonexistent/file.xml").exit_code, 2);
  std::string pdf = qujat::test::build_root().string() + "/verify_cli_fake.pdf";
  std::ofstream(pdf) << "%PDF-1.7\n%%EOF\n";
  EXPECT_EQ(run("verify " + q(pdf)).exit_code, 2);
  EXPECT_EQ(run("verify --at yesterday " + q(pdf)).exit_code, 2);
}

TEST(VerifyCli, LangKkPrintsTheReportInKazakh) {
  const std::string hostile = q((qujat::test::source_dir() / "tests/data/hostile/xxe-local-file.xml").string());
  auto kk = run("verify --lang kk " + hostile);
  EXPECT_EQ(kk.exit_code, 2);
  EXPECT_NE(kk.out.find("ОҚУ МҮМКІН ЕМЕС"), std::string::npos) << kk.out;
  EXPECT_NE(kk.out.find("қате: XML құжатын қауіпсіз оқу мүмкін емес: DOCTYPE ішінде «xxe» нысаны (entity)"),
            std::string::npos)
      << kk.out;
  auto ru = run("verify --lang ru " + hostile);
  EXPECT_NE(ru.out.find("ошибка: XML-документ нельзя безопасно прочитать: DOCTYPE объявляет сущность (entity) «xxe»"),
            std::string::npos)
      << ru.out;
  // English stays the default, worded as before.
  auto en = run("verify " + hostile);
  EXPECT_NE(en.out.find("error: the XML cannot be read safely: the DOCTYPE declares entity 'xxe'"), std::string::npos)
      << en.out;
  EXPECT_EQ(run("verify --lang de " + hostile).exit_code, 2);
}

TEST(VerifyCli, JsonCarriesEveryFindingInThreeLanguages) {
  const std::string hostile = q((qujat::test::source_dir() / "tests/data/hostile/xslt-transform.xml").string());
  auto r = run("verify --json --lang kk " + hostile);  // --lang does not change the JSON
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["signatures"].size(), 1u) << r.out;
  const auto& s = j["signatures"][0];
  ASSERT_EQ(s["problems"].size(), s["errors"].size()) << r.out;
  const auto& p = s["problems"][0];
  EXPECT_EQ(p["code"], "dsig.forbidden.transform");
  EXPECT_EQ(p["params"]["signature"], "1");
  EXPECT_EQ(p["params"]["reference"], "1");
  EXPECT_NE(p["message"]["kk"].get<std::string>().find("1-қолтаңба: 1-сілтеме"), std::string::npos) << r.out;
  EXPECT_NE(p["message"]["ru"].get<std::string>().find("Подпись 1: ссылка 1"), std::string::npos) << r.out;
  EXPECT_NE(p["message"]["en"].get<std::string>().find("no XSLT"), std::string::npos) << r.out;
  EXPECT_TRUE(j["problems"].is_array());
}

TEST(VerifyCli, LangKkNamesTheTamperedReferenceOfAKalkanSignature) {
  std::ifstream in(qujat::test::nca("xml/rsa-sha256-signed.xml"), std::ios::binary);
  std::string xml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto pos = xml.find("<b>test</b>");
  ASSERT_NE(pos, std::string::npos);
  xml.replace(pos, 11, "<b>tesT</b>");
  const auto file = qujat::test::build_root() / "verify-lang-kk-tampered.xml";
  std::ofstream(file, std::ios::binary) << xml;
  auto r = run("verify --lang kk --trust " + q(qujat::test::nca("ca")) + " --at 2021-06-01 " + q(file.string()));
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("ТЕКСЕРУДЕН ӨТПЕДІ"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1-қолтаңба: ЖАРАМСЫЗ"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("қате: 1-қолтаңба: 1-сілтеме (URI=\"\")"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("тізбек: сенімді"), std::string::npos) << r.out;
  std::filesystem::remove(file);
}

}  // namespace

namespace {

// Without --trust and $QUJAT_TRUST, qujat verify trusts the NCA RK production
// CAs it ships (certs/nca/) and says so; the public NCA *test* CA is not
// among them, so a test signature is untrusted. --no-default-trust trusts
// nothing, as before.
TEST(VerifyCli, DefaultTrustIsTheShippedNcaProductionStoreAndIsSaid) {
  const std::string file = q(qujat::test::nca("xml/rsa-sha256-signed.xml"));
  auto r = run("verify --at 2021-06-01T00:00:00Z --json " + file);
  auto j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j.contains("notices")) << r.out;
  EXPECT_EQ(j["notices"][0]["code"], "trust.default_nca");
  const std::string path = j["notices"][0]["params"]["path"];
  EXPECT_TRUE(std::filesystem::equivalent(path, qujat::test::source_dir() / "certs" / "nca")) << path;
  for (const char* lang : {"kk", "ru", "en"}) EXPECT_FALSE(j["notices"][0]["message"][lang].get<std::string>().empty());
  EXPECT_EQ(j["signatures"][0]["chain"], "untrusted") << r.out;
  EXPECT_EQ(r.exit_code, 1);

  auto none = run("verify --no-default-trust --at 2021-06-01T00:00:00Z --json " + file);
  auto n = nlohmann::json::parse(none.out);
  EXPECT_FALSE(n.contains("notices")) << none.out;
  EXPECT_EQ(n["signatures"][0]["chain"], "not_checked");
  EXPECT_EQ(n["signatures"][0]["problems"][0]["code"], "chain.no_anchors") << none.out;
  EXPECT_EQ(none.exit_code, 1);

  // Given anchors replace the default: no notice.
  auto given = run("verify --trust " + q(qujat::test::nca("ca")) + " --at 2021-06-01T00:00:00Z --json " + file);
  EXPECT_EQ(given.exit_code, 0) << given.out;
  EXPECT_FALSE(nlohmann::json::parse(given.out).contains("notices"));

  auto text = run("verify --lang ru --at 2021-06-01T00:00:00Z " + file);
  EXPECT_NE(text.out.find("НУЦ РК"), std::string::npos) << text.out;
}

// XML and CMS agree: an algorithm qujat cannot check is indeterminate, exit 1.
TEST(VerifyCli, IndeterminateExitsOneInXmlAndInCms) {
  std::ifstream in(qujat::test::nca("xml/rsa-sha256-signed.xml"), std::ios::binary);
  std::string xml((std::istreambuf_iterator<char>(in)), {});
  xml.replace(xml.find("xmldsig-more#rsa-sha256"), 23, "xmldsig-more#rsa-sha512");
  const std::string path = qujat::test::build_root().string() + "/verify_cli_indeterminate.xml";
  std::ofstream(path, std::ios::binary) << xml;
  auto x = run("verify --trust " + q(qujat::test::nca("ca")) + " --at 2021-06-01 --json " + q(path));
  EXPECT_EQ(x.exit_code, 1) << x.out;
  auto jx = nlohmann::json::parse(x.out);
  EXPECT_EQ(jx["indeterminate"], true);
  EXPECT_EQ(jx["signatures"][0]["cryptographic"], "indeterminate");

  auto c = run("verify --trust " + q(qujat::test::nca("ca")) + " --at 2022-09-27 --json " +
               q(qujat::test::interop_real("02-ncanode-cms-2signers-detached.cms")));
  EXPECT_EQ(c.exit_code, 1) << c.out;
  auto jc = nlohmann::json::parse(c.out);
  EXPECT_EQ(jc["indeterminate"], true);
  EXPECT_EQ(jc["signatures"][0]["cryptographic"], "indeterminate");
}

}  // namespace
