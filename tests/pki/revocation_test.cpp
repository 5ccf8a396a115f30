// Revocation of the real NCA test keys from their CRLs and OCSP responses.
#include <gtest/gtest.h>

#include "qujat/common/error.h"
#include "qujat/pki/pkcs12.h"
#include "qujat/pki/revocation.h"
#include "support/nca_material.h"

using namespace qujat;
using namespace qujat::pki;
using qujat::test::nca;

namespace {
Instant at(const char* iso) { return *parse_instant(iso); }
}  // namespace

TEST(NcaRevocation, CeoGost2015RevokedByCrl) {
  RevocationChecker checker;
  checker.add_crl_file(nca("crl/nca_gost2022_test.crl"));
  const auto ca = Certificate::from_file(nca("ca/nca_gost2022_test.cer"));
  const auto ceo = load_pkcs12(nca("keys/ceo_revoked_2015_gost.p12"), qujat::test::kNcaGost2015Password).certificate;
  const auto r = checker.check(ceo, ca, at("2022-12-01T00:00:00Z"));
  EXPECT_EQ(r.status, RevocationStatus::Revoked);
  ASSERT_TRUE(r.revoked_at.has_value());
  EXPECT_EQ(format_instant_utc(*r.revoked_at), "2022-07-27T10:25:30Z");
  EXPECT_EQ(r.reason, "certificateHold");
  EXPECT_NE(r.source.find("nca_gost2022_test.crl"), std::string::npos);
}

TEST(NcaRevocation, IndividualGost2015GoodByCrl) {
  RevocationChecker checker;
  checker.add_crl_file(nca("crl/nca_gost2022_test.crl"));
  const auto ca = Certificate::from_file(nca("ca/nca_gost2022_test.cer"));
  const auto person = load_pkcs12(nca("keys/individual_valid_2015_gost.p12"), qujat::test::kNcaGost2015Password).certificate;
  const auto r = checker.check(person, ca, at("2022-12-01T00:00:00Z"));
  EXPECT_EQ(r.status, RevocationStatus::Good);
  EXPECT_TRUE(r.errors.empty());
}

TEST(NcaRevocation, CrlOfAnotherIssuerSaysNothing) {
  RevocationChecker checker;
  checker.add_crl_file(nca("crl/nca_rsa_test.crl"));
  const auto ca = Certificate::from_file(nca("ca/nca_gost2022_test.cer"));
  const auto person = load_pkcs12(nca("keys/individual_valid_2015_gost.p12"), qujat::test::kNcaGost2015Password).certificate;
  EXPECT_EQ(checker.check(person, ca, at("2022-12-01T00:00:00Z")).status, RevocationStatus::Unknown);
  EXPECT_EQ(RevocationChecker().check(person, ca, at("2022-12-01T00:00:00Z")).status, RevocationStatus::NotChecked);
}

TEST(NcaRevocation, RsaKeysRevokedByRsaCrl) {
  RevocationChecker checker;
  checker.add_crl_file(nca("crl/nca_rsa_test.crl"));
  const auto ca = Certificate::from_file(nca("ca/nca_rsa_test.crt"));
  for (const char* file : {"keys/individual_sign_revoked_2004.p12", "keys/individual_auth_revoked_2004.p12"}) {
    const auto cert = load_pkcs12(nca(file), qujat::test::kNcaRsa2004Password).certificate;
    EXPECT_EQ(checker.check(cert, ca, at("2022-09-01T00:00:00Z")).status, RevocationStatus::Revoked) << file;
  }
  // An unlisted key that was valid when the CRL was issued (2022-03-29).
  const auto good = Certificate::from_file(nca("certs/individual_valid_sign_2004_rsa.cer"));
  EXPECT_EQ(checker.check(good, ca, at("2022-06-01T00:00:00Z")).status, RevocationStatus::Good);
}

TEST(NcaRevocation, OcspResponsesParse) {
  const auto ceo = parse_ocsp_response(read_file(nca("ocsp/ocsp_response_ceo_2015_revoked.bin")));
  EXPECT_EQ(ceo.response_status, "successful");
  EXPECT_EQ(ceo.cert_status, "revoked");
  EXPECT_EQ(ceo.serial_hex, "3a90343e720594c55204b19cb9a402422ef0e622");
  ASSERT_TRUE(ceo.revoked_at.has_value());
  EXPECT_EQ(format_instant_utc(*ceo.revoked_at), "2022-07-27T10:25:30Z");
  EXPECT_EQ(ceo.revocation_reason, "certificateHold");

  const auto rsa = parse_ocsp_response(read_file(nca("ocsp/ocsp_response_individual_sign_2004.bin")));
  EXPECT_EQ(rsa.cert_status, "good");
  EXPECT_EQ(rsa.serial_hex, "4279390a141f5353a62947b61ed65e81741467d1");

  const auto ceo2004 = parse_ocsp_response(read_file(nca("ocsp/ocsp_response_ceo_sign_2004_revoked.bin")));
  EXPECT_EQ(ceo2004.cert_status, "revoked");
  EXPECT_EQ(ceo2004.revocation_reason, "superseded");

  // NCA's test responder answered "revoked, certificateHold, 1970-01-01" for
  // this key: reported as it is.
  const auto person = parse_ocsp_response(read_file(nca("ocsp/ocsp_response_individual_2015.bin")));
  EXPECT_EQ(person.response_status, "successful");
  EXPECT_EQ(person.cert_status, "revoked");
  EXPECT_EQ(person.serial_hex, "0ff06211dc82beb00253ffa000f1de84abef454f");
}

TEST(NcaRevocation, OcspResponseFileSignedByResponderOfTheCa) {
  RevocationChecker checker;
  checker.add_ocsp_response_file(nca("ocsp/ocsp_response_ceo_2015_revoked.bin"));
  const auto ca = Certificate::from_file(nca("ca/nca_gost2022_test.cer"));
  const auto ceo = load_pkcs12(nca("keys/ceo_revoked_2015_gost.p12"), qujat::test::kNcaGost2015Password).certificate;
  const auto r = checker.check(ceo, ca, at("2022-12-01T00:00:00Z"));
  EXPECT_EQ(r.status, RevocationStatus::Revoked) << (r.errors.empty() ? "" : r.errors[0]);
  EXPECT_NE(r.source.find("ocsp:"), std::string::npos);
}

TEST(NcaRevocation, OcspResponseOfOtherIssuerIsNotTrusted) {
  RevocationChecker checker;
  checker.add_ocsp_response_file(nca("ocsp/ocsp_response_ceo_2015_revoked.bin"));
  const auto wrong_issuer = Certificate::from_file(nca("ca/nca_rsa_test.crt"));
  const auto ceo = load_pkcs12(nca("keys/ceo_revoked_2015_gost.p12"), qujat::test::kNcaGost2015Password).certificate;
  const auto r = checker.check(ceo, wrong_issuer, at("2022-12-01T00:00:00Z"));
  EXPECT_NE(r.status, RevocationStatus::Revoked);
  EXPECT_FALSE(r.errors.empty());
}

TEST(NcaRevocation, RsaOcspGood) {
  RevocationChecker checker;
  checker.add_ocsp_response_file(nca("ocsp/ocsp_response_individual_sign_2004.bin"));
  const auto ca = Certificate::from_file(nca("ca/nca_rsa_test.crt"));
  const auto cert = load_pkcs12(nca("keys/individual_valid_sign_2004_rsa.p12"), qujat::test::kNcaRsa2004Password).certificate;
  ASSERT_EQ(cert.serial_hex(), "4279390a141f5353a62947b61ed65e81741467d1");
  const auto r = checker.check(cert, ca, at("2021-06-01T00:00:00Z"));
  EXPECT_EQ(r.status, RevocationStatus::Good) << (r.errors.empty() ? "" : r.errors[0]);
}

// A CRL says "not revoked" only for times it covers: nca_rsa_test.crl
// (2022-03-29 .. 2022-09-25) vouches for an unlisted RSA key (valid
// 2022-01-18 .. 2023-01-18) at 2022-06-01, not at 2023-06-01, when only a
// newer CRL could; a listed revocation still counts.
TEST(NcaRevocation, StaleCrlCannotSayGood) {
  RevocationChecker checker;
  checker.add_crl_file(nca("crl/nca_rsa_test.crl"));
  const auto ca = Certificate::from_file(nca("ca/nca_rsa_test.crt"));
  const auto good = Certificate::from_file(nca("certs/individual_valid_sign_2004_rsa.cer"));
  EXPECT_EQ(checker.check(good, ca, at("2022-06-01T00:00:00Z")).status, RevocationStatus::Good);
  const auto stale = checker.check(good, ca, at("2023-06-01T00:00:00Z"));
  EXPECT_EQ(stale.status, RevocationStatus::Unknown);
  ASSERT_FALSE(stale.errors.empty());
  EXPECT_NE(stale.errors.front().find("stale CRL"), std::string::npos) << stale.errors.front();
  const auto revoked = load_pkcs12(nca("keys/individual_sign_revoked_2004.p12"), qujat::test::kNcaRsa2004Password).certificate;
  EXPECT_EQ(checker.check(revoked, ca, at("2023-06-01T00:00:00Z")).status, RevocationStatus::Revoked);
}

// A CRL issued after a certificate expired may have dropped it (RFC 5280
// 3.3): the RSA key of 2021-01-18 .. 2022-01-18 is absent from the CRL of
// 2022-03-29, and that proves nothing about it.
TEST(NcaRevocation, CrlIssuedAfterExpiryCannotSayGood) {
  RevocationChecker checker;
  checker.add_crl_file(nca("crl/nca_rsa_test.crl"));
  const auto ca = Certificate::from_file(nca("ca/nca_rsa_test.crt"));
  const auto expired =
      load_pkcs12(nca("keys/individual_valid_sign_2004_rsa.p12"), qujat::test::kNcaRsa2004Password).certificate;
  const auto r = checker.check(expired, ca, at("2021-06-01T00:00:00Z"));
  EXPECT_EQ(r.status, RevocationStatus::Unknown);
  ASSERT_FALSE(r.findings.empty());
  EXPECT_EQ(r.findings.front().code, "revocation.crl_after_expiry");
  EXPECT_EQ(r.findings.front().params.at("not_after"), "2022-01-18T13:09:14Z");
}

// NCA's OCSP answers carry no nextUpdate: "good" of 2022-09-02 covers times up
// to then, not a later check.
TEST(NcaRevocation, OldOcspGoodCannotSayGoodLater) {
  RevocationChecker checker;
  checker.add_ocsp_response_file(nca("ocsp/ocsp_response_individual_sign_2004.bin"));
  const auto ca = Certificate::from_file(nca("ca/nca_rsa_test.crt"));
  const auto holder = load_pkcs12(nca("keys/individual_sign_revoked_2004.p12"), qujat::test::kNcaRsa2004Password).certificate;
  const auto answer = parse_ocsp_response(read_file(nca("ocsp/ocsp_response_individual_sign_2004.bin")));
  ASSERT_EQ(answer.cert_status, "good");
  // The answer is about one serial; find which of the RSA certificates it names.
  std::vector<Certificate> candidates{holder,
                                      load_pkcs12(nca("keys/individual_valid_sign_2004_rsa.p12"), qujat::test::kNcaRsa2004Password).certificate,
                                      load_pkcs12(nca("keys/individual_auth_revoked_2004.p12"), qujat::test::kNcaRsa2004Password).certificate};
  const Certificate* subject = nullptr;
  for (const auto& c : candidates)
    if (c.serial_hex() == answer.serial_hex) subject = &c;
  ASSERT_NE(subject, nullptr) << "no RSA test certificate has serial " << answer.serial_hex;
  EXPECT_EQ(checker.check(*subject, ca, at("2022-08-01T00:00:00Z")).status, RevocationStatus::Good);
  const auto later = checker.check(*subject, ca, at("2022-12-01T00:00:00Z"));
  EXPECT_EQ(later.status, RevocationStatus::Unknown);
  ASSERT_FALSE(later.errors.empty());
  EXPECT_NE(later.errors.front().find("dates from 2022-09-02"), std::string::npos) << later.errors.front();
}
