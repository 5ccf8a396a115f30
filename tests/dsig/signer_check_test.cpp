// Revocation and time through the shared signer-certificate checks, with the
// real NCA test CRL and OCSP responses.
#include <gtest/gtest.h>

#include "qujat/dsig/cms.h"
#include "qujat/dsig/signer_check.h"
#include "qujat/dsig/xmldsig.h"
#include "support/nca_material.h"

namespace qujat::dsig {
namespace {

VerifyOptions gost_at(const char* when) {
  VerifyOptions o;
  o.trust.add_anchor(pki::Certificate::from_file(test::nca("ca/nca_gost2022_test.cer")));
  o.at = parse_instant(when);
  return o;
}

TEST(SignerCheck, RevokedCeoKeyIsReportedFromTheCrl) {
  auto key = pki::load_pkcs12(test::nca("keys/ceo_revoked_2015_gost.p12"), qujat::test::kNcaGost2015Password);
  std::string signed_xml = sign_xml("<a>CEO</a>", key);
  auto options = gost_at("2022-12-01T00:00:00Z");
  options.crl_files.push_back(test::nca("crl/nca_gost2022_test.crl"));
  auto report = verify_xml(signed_xml, options);
  ASSERT_EQ(report.signatures.size(), 1u);
  const auto& s = report.signatures[0];
  EXPECT_TRUE(s.cryptographic_valid);
  EXPECT_EQ(s.revocation, pki::RevocationStatus::Revoked) << report.to_text();
  EXPECT_EQ(report.exit_code(), 1);
  EXPECT_NE(report.to_text().find("revoked"), std::string::npos);
  EXPECT_EQ(s.signer.bin, "123456789021");
}

// A service proves the same signer's path again and again and keeps what it
// proved (pki::verify_chain remembers signatures on certificates): a path
// proven against one trust store is not trusted under another, a revoked
// certificate is refused after its path was proven, and an expired one too.
TEST(SignerCheck, ProvenPathIsNotReusedForAnotherTrustOrTimeAndRevocationStillCounts) {
  auto key = pki::load_pkcs12(test::nca("keys/ceo_revoked_2015_gost.p12"), qujat::test::kNcaGost2015Password);
  const std::string signed_xml = sign_xml("<a>CEO</a>", key);

  auto proven = verify_xml(signed_xml, gost_at("2022-12-01T00:00:00Z"));
  ASSERT_EQ(proven.signatures.size(), 1u);
  EXPECT_EQ(proven.signatures[0].chain, ChainStatus::Trusted) << proven.to_text();
  EXPECT_EQ(proven.exit_code(), 0) << proven.to_text();

  VerifyOptions other_trust;
  other_trust.trust.add_anchor(pki::Certificate::from_file(test::nca("ca/nca_rsa_test.crt")));
  other_trust.at = parse_instant("2022-12-01T00:00:00Z");
  const auto untrusted = verify_xml(signed_xml, other_trust);
  ASSERT_EQ(untrusted.signatures.size(), 1u);
  EXPECT_EQ(untrusted.signatures[0].chain, ChainStatus::Untrusted) << untrusted.to_text();
  EXPECT_EQ(untrusted.exit_code(), 1);

  auto with_crl = gost_at("2022-12-01T00:00:00Z");
  with_crl.crl_files.push_back(test::nca("crl/nca_gost2022_test.crl"));
  const auto revoked = verify_xml(signed_xml, with_crl);
  ASSERT_EQ(revoked.signatures.size(), 1u);
  EXPECT_EQ(revoked.signatures[0].chain, ChainStatus::Trusted);
  EXPECT_EQ(revoked.signatures[0].revocation, pki::RevocationStatus::Revoked) << revoked.to_text();
  EXPECT_EQ(revoked.exit_code(), 1);

  const auto later = verify_xml(signed_xml, gost_at("2030-01-01T00:00:00Z"));
  ASSERT_EQ(later.signatures.size(), 1u);
  EXPECT_EQ(later.signatures[0].time, pki::TimeStatus::Expired) << later.to_text();
  EXPECT_EQ(later.exit_code(), 1);
}

// The NCA test responder answers "revoked, certificateHold" for this key
// (checked with `openssl ocsp -resp_text`); the report must say so and name the source.
TEST(SignerCheck, OcspResponseFileIsTheSource) {
  auto key = pki::load_pkcs12(test::nca("keys/individual_valid_2015_gost.p12"), qujat::test::kNcaGost2015Password);
  Bytes cms = cms_sign(as_bytes(std::string("x")), key);
  auto options = gost_at("2022-12-01T00:00:00Z");
  options.ocsp_response_files.push_back(test::nca("ocsp/ocsp_response_individual_2015.bin"));
  auto report = verify_cms(cms, std::nullopt, options);
  ASSERT_EQ(report.signatures.size(), 1u);
  EXPECT_EQ(report.signatures[0].revocation, pki::RevocationStatus::Revoked) << report.to_text();
  EXPECT_NE(report.to_text().find("ocsp:"), std::string::npos) << report.to_text();
  EXPECT_EQ(report.exit_code(), 1);
}

TEST(SignerCheck, TimeOutsideValidityIsNamed) {
  auto cert = pki::Certificate::from_file(test::nca("ca/nca_gost2022_test.cer"));
  SignatureReport r;
  r.cryptographic_valid = true;
  VerifyOptions o;
  o.at = parse_instant("2040-01-01T00:00:00Z");
  verify_signer_certificate(cert, {}, o, r);
  r.conclude();
  EXPECT_EQ(r.time, pki::TimeStatus::Expired);
  EXPECT_FALSE(r.valid);
  EXPECT_EQ(r.chain, ChainStatus::NotChecked);
  ASSERT_FALSE(r.errors.empty());
  EXPECT_NE(r.errors[0].find("expired"), std::string::npos);
}

// NCA's AUTH key (EKU clientAuth, no nonRepudiation) signs for a login, not
// for a document: its signature is cryptographically sound but not valid,
// and the report says why in three languages. The holder's signing key of
// the same set passes that check. At 2022-02-01 neither key was revoked yet.
TEST(SignerCheck, AuthenticationKeyCannotSignADocument) {
  VerifyOptions options;
  options.trust.add_anchor(pki::Certificate::from_file(test::nca("ca/nca_rsa_test.crt")));
  options.at = parse_instant("2022-02-01T00:00:00Z");

  const auto auth = pki::load_pkcs12(test::nca("keys/individual_auth_revoked_2004.p12"), test::kNcaRsa2004Password);
  const auto report = verify_xml(sign_xml("<a>AUTH</a>", auth), options);
  ASSERT_EQ(report.signatures.size(), 1u);
  const auto& s = report.signatures[0];
  EXPECT_TRUE(s.cryptographic_valid);
  EXPECT_EQ(s.chain, ChainStatus::Trusted) << report.to_text();
  EXPECT_FALSE(s.valid);
  EXPECT_EQ(report.exit_code(), 1);
  ASSERT_FALSE(s.problems.empty());
  EXPECT_EQ(s.problems.front().code, "certificate.authentication_only") << report.to_text();
  EXPECT_NE(s.problems.front().message.kk.find("аутентификация"), std::string::npos);
  EXPECT_NE(s.problems.front().message.ru.find("ключом подписи"), std::string::npos);

  const auto sign = pki::load_pkcs12(test::nca("keys/individual_sign_revoked_2004.p12"), test::kNcaRsa2004Password);
  const auto signed_ok = verify_xml(sign_xml("<a>SIGN</a>", sign), options);
  ASSERT_EQ(signed_ok.signatures.size(), 1u);
  EXPECT_TRUE(signed_ok.valid) << signed_ok.to_text();

  // The same AUTH key may make a WS-Security transport signature.
  auto transport = options;
  transport.require_signing_key = false;
  EXPECT_TRUE(verify_xml(sign_xml("<a>AUTH</a>", auth), transport).valid);
}

}  // namespace
}  // namespace qujat::dsig
