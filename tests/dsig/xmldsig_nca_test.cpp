// XMLDSig verification against real Kalkan signatures (tests/data/nca-test/xml).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "qujat/common/bytes.h"
#include "qujat/dsig/xmldsig.h"
#include "support/nca_material.h"

namespace qujat::dsig {
namespace {

std::string read_text(const std::string& path) {
  Bytes b = read_file(path);
  return std::string(as_chars(b));
}

VerifyOptions at(const char* when, bool trust = true) {
  VerifyOptions o;
  if (trust) o.trust.add_anchors_from(test::nca("ca"));
  o.at = parse_instant(when);
  return o;
}

TEST(XmlDsigNca, RsaSignedByKalkanIsValidAndTrusted) {
  auto report = verify_xml(read_text(test::nca("xml/rsa-sha256-signed.xml")), at("2021-06-01T00:00:00Z"));
  ASSERT_EQ(report.signatures.size(), 1u) << report.to_text();
  const auto& s = report.signatures[0];
  EXPECT_TRUE(report.valid) << report.to_text();
  EXPECT_EQ(report.exit_code(), 0);
  EXPECT_TRUE(s.cryptographic_valid);
  EXPECT_EQ(s.algorithm, "rsa-sha256");
  EXPECT_EQ(s.signer.iin, "123456789011");
  EXPECT_EQ(s.chain, ChainStatus::Trusted);
  EXPECT_EQ(s.time, pki::TimeStatus::WithinValidity);
}

TEST(XmlDsigNca, CosignedRsaThenGostBothCryptographicallyValid) {
  auto report = verify_xml(read_text(test::nca("xml/rsa-then-gost2015-cosigned.xml")), at("2022-12-01T00:00:00Z"));
  ASSERT_EQ(report.signatures.size(), 2u) << report.to_text();
  EXPECT_TRUE(report.signatures[0].cryptographic_valid) << report.to_text();
  EXPECT_TRUE(report.signatures[1].cryptographic_valid) << report.to_text();
  EXPECT_EQ(report.signatures[0].algorithm, "rsa-sha256");
  EXPECT_EQ(report.signatures[1].algorithm, "gost2015-512");
  EXPECT_EQ(report.signatures[1].signer.iin, "123456789012");
  // At 2022-12-01 the RSA certificate (2021-01-18 .. 2022-01-18) has expired, the GOST one has not.
  EXPECT_EQ(report.signatures[0].time, pki::TimeStatus::Expired);
  EXPECT_EQ(report.signatures[1].time, pki::TimeStatus::WithinValidity);
  EXPECT_TRUE(report.signatures[1].valid) << report.to_text();
  EXPECT_FALSE(report.valid);
  EXPECT_EQ(report.exit_code(), 1);
}

struct Tamper {
  const char* file;
  std::string from, to;
  const char* expected_words;
};

void expect_rejected(const Tamper& t) {
  std::string xml = read_text(test::nca(t.file));
  auto pos = xml.find(t.from);
  ASSERT_NE(pos, std::string::npos) << t.from;
  xml.replace(pos, t.from.size(), t.to);
  auto report = verify_xml(xml, at("2022-12-01T00:00:00Z", false));
  EXPECT_EQ(report.exit_code(), 1) << report.to_text();
  std::string all = report.to_text();
  EXPECT_NE(all.find(t.expected_words), std::string::npos) << all;
}

TEST(XmlDsigNca, OneChangedCharacterIsCaughtAndNamed) {
  // signed content
  expect_rejected({"xml/rsa-sha256-signed.xml", "<b>test</b>", "<b>tesT</b>", "reference 1"});
  expect_rejected({"xml/rsa-then-gost2015-cosigned.xml", "<b>test</b>", "<b>tesT</b>", "reference 1"});
  // DigestValue
  expect_rejected({"xml/rsa-sha256-signed.xml", "9KpJreFMA6K98", "9KpJreFMA6K99", "DigestValue"});
  expect_rejected({"xml/rsa-then-gost2015-cosigned.xml", "JXtgklPvmOEL7", "JXtgklPvmOEL8", "signature 2: reference 1"});
  // SignatureValue
  expect_rejected({"xml/rsa-sha256-signed.xml", "aAeSW+p2AfXts7", "aAeSW+p2AfXts8", "SignatureValue does not match"});
  expect_rejected(
      {"xml/rsa-then-gost2015-cosigned.xml", "9KSGy33AXRui1r", "9KSGy33AXRui2r", "signature 2: the SignatureValue"});
}

TEST(XmlDsigNca, JsonHasTheContractShape) {
  auto report = verify_xml(read_text(test::nca("xml/rsa-sha256-signed.xml")), at("2021-06-01T00:00:00Z"));
  auto j = nlohmann::json::parse(report.to_json_text());
  EXPECT_EQ(j["format"], "xmldsig");
  EXPECT_EQ(j["valid"], true);
  const auto& s = j["signatures"][0];
  for (const char* key : {"valid", "cryptographic", "algorithm", "signer", "certificate", "time", "chain", "revocation",
                          "signing_time", "timestamp", "errors"})
    EXPECT_TRUE(s.contains(key)) << key;
  EXPECT_EQ(s["signer"]["iin"], "123456789011");
  EXPECT_EQ(s["chain"], "trusted");
  EXPECT_EQ(s["time"], "within_validity");
}

}  // namespace
}  // namespace qujat::dsig

namespace qujat::dsig {
namespace {

// ETSI EN 319 102-1: a SignatureMethod qujat cannot compute is INDETERMINATE
// with its reason, never invalid, and exits 1 like CMS (not 2: the file is
// readable); who signed is still reported.
TEST(XmlDsigNca, UnsupportedSignatureMethodIsIndeterminateNotInvalid) {
  std::string xml = read_text(test::nca("xml/rsa-sha256-signed.xml"));
  const std::string method = "xmldsig-more#rsa-sha256";
  xml.replace(xml.find(method), method.size(), "xmldsig-more#rsa-sha512");
  auto report = verify_xml(xml, at("2021-06-01T00:00:00Z"));
  ASSERT_EQ(report.signatures.size(), 1u) << report.to_text();
  const auto& s = report.signatures[0];
  EXPECT_FALSE(report.malformed);
  EXPECT_EQ(s.cryptographic(), "indeterminate") << report.to_text();
  ASSERT_FALSE(s.problems.empty());
  EXPECT_EQ(s.problems[0].code, "dsig.unsupported.signature_method");
  EXPECT_EQ(s.problems[0].params.at("signature"), "1");
  EXPECT_NE(s.problems[0].message.en.find("indeterminate, not invalid"), std::string::npos);
  EXPECT_EQ(s.algorithm, "");
  EXPECT_EQ(s.signer.iin, "123456789011");
  EXPECT_EQ(s.chain, ChainStatus::Trusted);
  EXPECT_TRUE(report.indeterminate());
  EXPECT_EQ(report.exit_code(), 1);
  const auto j = report.to_json();
  EXPECT_EQ(j["signatures"][0]["cryptographic"], "indeterminate");
  EXPECT_EQ(j["indeterminate"], true);
  EXPECT_NE(report.to_text(i18n::Language::kk).find("АНЫҚТАЛМАҒАН"), std::string::npos)
      << report.to_text(i18n::Language::kk);
}

TEST(XmlDsigNca, UnsupportedDigestMethodIsIndeterminateNotInvalid) {
  std::string xml = read_text(test::nca("xml/rsa-sha256-signed.xml"));
  const std::string digest = "xmlenc#sha256";
  xml.replace(xml.find(digest), digest.size(), "xmlenc#sha512");
  auto report = verify_xml(xml, at("2021-06-01T00:00:00Z"));
  ASSERT_EQ(report.signatures.size(), 1u) << report.to_text();
  EXPECT_EQ(report.signatures[0].cryptographic(), "indeterminate") << report.to_text();
  EXPECT_EQ(report.signatures[0].problems.at(0).code, "dsig.unsupported.digest_method");
  EXPECT_EQ(report.exit_code(), 1);
}

}  // namespace
}  // namespace qujat::dsig
