// The real NCA RK test material in tests/data/nca-test (see its README).
#include <gtest/gtest.h>

#include "qujat/common/error.h"
#include "qujat/pki/certificate.h"
#include "qujat/pki/pkcs12.h"
#include "support/nca_material.h"

using namespace qujat;
using namespace qujat::pki;
using qujat::test::nca;

namespace {
bool has_role(const Identity& id, Role r) { return std::find(id.roles.begin(), id.roles.end(), r) != id.roles.end(); }
}  // namespace

TEST(NcaMaterial, IndividualGost2015KeyStore) {
  const auto ks = load_pkcs12(nca("keys/individual_valid_2015_gost.p12"), qujat::test::kNcaGost2015Password);
  EXPECT_EQ(ks.key.algorithm(), KeyAlgorithm::Gost2015_512);
  EXPECT_EQ(ks.certificate.key_algorithm(), KeyAlgorithm::Gost2015_512);
  EXPECT_EQ(ks.certificate.signature_algorithm(), SignatureAlgorithm::Gost2015_512);
  const auto id = ks.certificate.identity();
  EXPECT_EQ(id.iin, "123456789012");
  EXPECT_TRUE(id.bin.empty());
  EXPECT_TRUE(has_role(id, Role::Individual));
  EXPECT_TRUE(id.signing_key);
  EXPECT_EQ(format_instant_utc(ks.certificate.not_before()).substr(0, 10), "2022-07-28");
  EXPECT_EQ(format_instant_utc(ks.certificate.not_after()).substr(0, 10), "2023-07-28");
  // The private key matches the certificate.
  EXPECT_TRUE(ks.key.public_key().same_as(ks.certificate.public_key()));
}

TEST(NcaMaterial, Gost2015KeySignsAndCertificateKeyVerifies) {
  const auto ks = load_pkcs12(nca("keys/individual_valid_2015_gost.p12"), qujat::test::kNcaGost2015Password);
  const Bytes sig = ks.key.sign(SignatureAlgorithm::Gost2015_512, as_bytes("<a><b>test</b></a>"));
  EXPECT_EQ(sig.size(), 128u);
  EXPECT_TRUE(
      ks.certificate.public_key().verify(SignatureAlgorithm::Gost2015_512, as_bytes("<a><b>test</b></a>"), sig));
  EXPECT_FALSE(
      ks.certificate.public_key().verify(SignatureAlgorithm::Gost2015_512, as_bytes("<a><b>tesT</b></a>"), sig));
}

TEST(NcaMaterial, CeoGost2015IsFirstHeadWithBin) {
  const auto ks = load_pkcs12(nca("keys/ceo_revoked_2015_gost.p12"), qujat::test::kNcaGost2015Password);
  const auto id = ks.certificate.identity();
  EXPECT_EQ(id.iin, "123456789011");
  EXPECT_EQ(id.bin, "123456789021");
  EXPECT_TRUE(has_role(id, Role::FirstHead));
  EXPECT_TRUE(has_role(id, Role::OrganisationEmployee));
  EXPECT_FALSE(id.organization.empty());
  EXPECT_EQ(id.country, "KZ");
  EXPECT_FALSE(ks.certificate.ocsp_urls().empty());
  EXPECT_FALSE(ks.certificate.crl_urls().empty());
}

TEST(NcaMaterial, CertificatesSignedByGost2022TestCa) {
  const auto ca = Certificate::from_file(nca("ca/nca_gost2022_test.cer"));
  EXPECT_EQ(ca.key_algorithm(), KeyAlgorithm::Gost2015_512);
  EXPECT_TRUE(ca.is_ca());
  for (const char* file : {"keys/individual_valid_2015_gost.p12", "keys/ceo_revoked_2015_gost.p12"}) {
    const auto ks = load_pkcs12(nca(file), qujat::test::kNcaGost2015Password);
    EXPECT_TRUE(ks.certificate.is_signed_by(ca)) << file;
    EXPECT_FALSE(ca.is_signed_by(ks.certificate)) << file;
  }
}

TEST(NcaMaterial, RsaKeyStores) {
  const auto rsa_ca = Certificate::from_file(nca("ca/nca_rsa_test.crt"));
  EXPECT_EQ(rsa_ca.key_algorithm(), KeyAlgorithm::Rsa);
  for (const char* file : {"keys/individual_valid_sign_2004_rsa.p12", "keys/individual_sign_revoked_2004.p12",
                           "keys/individual_auth_revoked_2004.p12"}) {
    const auto ks = load_pkcs12(nca(file), qujat::test::kNcaRsa2004Password);
    EXPECT_EQ(ks.key.algorithm(), KeyAlgorithm::Rsa) << file;
    EXPECT_EQ(ks.certificate.identity().iin, "123456789011") << file;
    EXPECT_EQ(ks.certificate.public_key().bits(), 2048) << file;
    EXPECT_TRUE(ks.certificate.is_signed_by(rsa_ca)) << file;
    const Bytes sig = ks.key.sign(SignatureAlgorithm::RsaSha256, as_bytes("data"));
    EXPECT_TRUE(ks.certificate.public_key().verify(SignatureAlgorithm::RsaSha256, as_bytes("data"), sig)) << file;
  }
  const auto auth = load_pkcs12(nca("keys/individual_auth_revoked_2004.p12"), qujat::test::kNcaRsa2004Password).certificate.identity();
  EXPECT_TRUE(auth.authentication_key);
  EXPECT_FALSE(auth.signing_key);
  const auto sign = load_pkcs12(nca("keys/individual_sign_revoked_2004.p12"), qujat::test::kNcaRsa2004Password).certificate.identity();
  EXPECT_TRUE(sign.signing_key);
}

TEST(NcaMaterial, LegacyGost2004KeyStore) {
  const auto ks = load_pkcs12(nca("keys/ceo_sign_revoked_2004.p12"), qujat::test::kNcaRsa2004Password);
  EXPECT_EQ(ks.key.algorithm(), KeyAlgorithm::Gost2004);
  const auto id = ks.certificate.identity();
  EXPECT_EQ(id.iin, "123456789011");
  EXPECT_EQ(id.bin, "123456789021");
  EXPECT_TRUE(ks.key.public_key().same_as(ks.certificate.public_key()));
}

TEST(NcaMaterial, EveryCertificateParses) {
  for (const char* file :
       {"ca/nca_gost2022_test.cer", "ca/nca_gost_test.crt", "ca/nca_rsa_test.crt", "certs/ceo_valid_sign_2004_gost.cer",
        "certs/individual_valid_sign_2004_rsa.cer", "certs/individual_valid_sign_2004_rsa_auth.cer"}) {
    const auto c = Certificate::from_file(nca(file));
    EXPECT_NE(c.key_algorithm(), KeyAlgorithm::Unknown) << file;
    EXPECT_FALSE(c.subject().empty()) << file;
    EXPECT_FALSE(c.serial_hex().empty()) << file;
  }
  EXPECT_EQ(Certificate::from_file(nca("ca/nca_gost_test.crt")).key_algorithm(), KeyAlgorithm::Gost2004);
  EXPECT_EQ(Certificate::from_file(nca("certs/individual_valid_sign_2004_rsa.cer")).identity().iin, "123456789011");
  const auto ceo = Certificate::from_file(nca("certs/ceo_valid_sign_2004_gost.cer")).identity();
  EXPECT_EQ(ceo.bin, "123456789021");
}

TEST(NcaMaterial, WrongPasswordAndWrongFileAreDistinct) {
  try {
    load_pkcs12(nca("keys/individual_valid_2015_gost.p12"), "Wrong123");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "pkcs12.wrong_password");
  }
  try {
    load_pkcs12(nca("ca/nca_gost2022_test.cer"), qujat::test::kNcaGost2015Password);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "pkcs12.not_pkcs12");
  }
}
