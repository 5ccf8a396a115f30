// GOST 34.311-95 (legacy NCA hash) and GOST 34.310-2004 signatures: the
// published GOST R 34.11-94 test-parameter examples, and real NCA test
// certificates whose issuer's legacy signature must hold (and fail when a
// byte changes).
#include <gtest/gtest.h>

#include <algorithm>

#include "qujat/common/bytes.h"
#include "qujat/pki/certificate.h"
#include "qujat/pki/digest.h"
#include "qujat/pki/pkcs12.h"
#include "qujat/pki/revocation.h"
#include "support/nca_material.h"

using namespace qujat;
using namespace qujat::pki;

namespace {

std::string gost94(std::string_view text) { return hex_encode(digest(DigestAlgorithm::Gost34311_95, as_bytes(text))); }

// GOST R 34.11-94 with its test parameter set: RFC 5831 section 7.3.1 and
// the standard's own examples (32 and 50 bytes cross the block boundary).
TEST(Gost34311, KnownAnswersOfTheTestParameterSet) {
  EXPECT_EQ(gost94(""), "ce85b99cc46752fffee35cab9a7b0278abb4c2d2055cff685af4912c49490f8d");
  EXPECT_EQ(gost94("a"), "d42c539e367c66e9c88a801f6649349c21871b4344c6a573f849fdce62f314dd");
  EXPECT_EQ(gost94("abc"), "f3134348c44fb1b2a277729e2285ebb5cb5e0f29c975bc753b70497c06a4d51d");
  EXPECT_EQ(gost94("message digest"), "ad4434ecb18f2c99b60cbe59ec3d2469582b65273f48de72db2fde16a4889a4d");
  EXPECT_EQ(gost94("This is message, length=32 bytes"),
            "b1c466d37519b82e8319819ff32595e047a28cb6f83eff1c6916a815a637fffa");
  EXPECT_EQ(gost94("Suppose the original message has length = 50 bytes"),
            "471aba57a60a770d3a76130635c1fbea4ef14de51f78b4ae57dd893b62f55208");
  EXPECT_EQ(gost94(std::string(128, 'a')), "57e2bafb825ae35730705b809fc54938863226302a0b4bb0383e6ff44ec38906");
}

// The content of tests/data/interop-real/18 ("asdasd"): its messageDigest,
// as Kalkan wrote it, is this hash byte for byte.
TEST(Gost34311, ReproducesKalkansMessageDigest) {
  EXPECT_EQ(gost94("asdasd"), "08a5e8f4b3e3b01fac5e53af166e5e3bc9ce81eb2449aa8d744cd41fff3f72b6");
}

TEST(Gost34311, StreamingEqualsOneShot) {
  const std::string text(1000, 'q');
  for (std::size_t cut : {0u, 1u, 31u, 32u, 33u, 999u}) {
    Digest d(DigestAlgorithm::Gost34311_95);
    d.update(as_bytes(std::string_view(text).substr(0, cut)));
    d.update(as_bytes(std::string_view(text).substr(cut)));
    EXPECT_EQ(d.finish(), digest(DigestAlgorithm::Gost34311_95, as_bytes(text))) << cut;
  }
}

// ҰКО 3.0 (GOST TEST) signed these legacy certificates with GOST 34.310-2004
// over GOST 34.311-95: the signatures hold, and a changed byte fails.
TEST(Gost2004, NcaTestCaSignaturesOnLegacyCertificatesHold) {
  const auto ca = Certificate::from_file(qujat::test::nca("ca/nca_gost_test.crt"));
  const auto leaf = Certificate::from_file(qujat::test::nca("certs/ceo_valid_sign_2004_gost.cer"));
  EXPECT_EQ(leaf.key_algorithm(), KeyAlgorithm::Gost2004);
  EXPECT_TRUE(leaf.is_signed_by(ca));

  Bytes der = leaf.der();
  // A byte inside the subject (tbsCertificate) changed: same issuer, other content.
  const std::string iin = "123456789011";
  auto at = std::search(der.begin(), der.end(), iin.begin(), iin.end());
  ASSERT_NE(at, der.end());
  *at = '9';
  EXPECT_FALSE(Certificate::from_der(der).is_signed_by(ca));
}

// The 2004 CA's OCSP answer (signed with GOST 34.310-2004) and its CRL
// count as evidence now that their signatures can be checked.
TEST(Gost2004, LegacyOcspAndCrlSignaturesAreChecked) {
  const auto ca = Certificate::from_file(qujat::test::nca("ca/nca_gost_test.crt"));
  const auto ceo =
      load_pkcs12(qujat::test::nca("keys/ceo_sign_revoked_2004.p12"), qujat::test::kNcaRsa2004Password).certificate;
  const Instant at = *parse_instant("2022-09-01T00:00:00Z");

  RevocationChecker ocsp;
  ocsp.add_ocsp_response_file(qujat::test::nca("ocsp/ocsp_response_ceo_sign_2004_revoked.bin"));
  const auto by_ocsp = ocsp.check(ceo, ca, at);
  EXPECT_EQ(by_ocsp.status, RevocationStatus::Revoked) << (by_ocsp.errors.empty() ? "" : by_ocsp.errors[0]);

  RevocationChecker crl;
  crl.add_crl_file(qujat::test::nca("crl/nca_gost_test.crl"));
  const auto by_crl = crl.check(ceo, ca, at);
  EXPECT_EQ(by_crl.status, RevocationStatus::Revoked) << (by_crl.errors.empty() ? "" : by_crl.errors[0]);
}

}  // namespace
