// Certification paths of the real NCA test keys (acceptance of issue 3).
#include <gtest/gtest.h>

#include "qujat/pki/chain.h"
#include "qujat/pki/pkcs12.h"
#include "support/nca_material.h"

using namespace qujat;
using namespace qujat::pki;
using qujat::test::nca;

namespace {
Instant at(const char* iso) { return *parse_instant(iso); }
}  // namespace

TEST(NcaChain, Gost2015KeysReachTheTestCaInTime) {
  TrustStore store;
  store.add_anchors_from(nca("ca"));
  EXPECT_EQ(store.anchors().size(), 3u);
  for (const char* file : {"keys/individual_valid_2015_gost.p12", "keys/ceo_revoked_2015_gost.p12"}) {
    const auto ks = load_pkcs12(nca(file), qujat::test::kNcaGost2015Password);
    const auto in_time = verify_chain(ks.certificate, store, at("2022-12-01T00:00:00Z"));
    EXPECT_TRUE(in_time.trusted) << file;
    EXPECT_EQ(in_time.time, TimeStatus::WithinValidity) << file;
    EXPECT_TRUE(in_time.errors.empty()) << file << ": " << (in_time.errors.empty() ? "" : in_time.errors[0]);
    ASSERT_EQ(in_time.path.size(), 2u) << file;
    EXPECT_TRUE(in_time.path[1].same_as(Certificate::from_file(nca("ca/nca_gost2022_test.cer"))));

    const auto later = verify_chain(ks.certificate, store, at("2024-01-01T00:00:00Z"));
    EXPECT_EQ(later.time, TimeStatus::Expired) << file;
    EXPECT_FALSE(later.errors.empty()) << file;
  }
}

TEST(NcaChain, NoAnchorMeansUntrusted) {
  TrustStore store;
  store.add_anchor(Certificate::from_file(nca("ca/nca_rsa_test.crt")));
  const auto ks = load_pkcs12(nca("keys/individual_valid_2015_gost.p12"), qujat::test::kNcaGost2015Password);
  const auto r = verify_chain(ks.certificate, store, at("2022-12-01T00:00:00Z"));
  EXPECT_FALSE(r.trusted);
  ASSERT_FALSE(r.errors.empty());
  EXPECT_NE(r.errors[0].find("not among the trust anchors"), std::string::npos) << r.errors[0];
}

TEST(NcaChain, RsaKeyReachesRsaCa) {
  TrustStore store;
  store.add_anchors_from(nca("ca"));
  const auto ks = load_pkcs12(nca("keys/individual_valid_sign_2004_rsa.p12"), qujat::test::kNcaRsa2004Password);
  const auto r = verify_chain(ks.certificate, store, at("2021-06-01T00:00:00Z"));
  EXPECT_TRUE(r.trusted);
  EXPECT_EQ(r.time, TimeStatus::WithinValidity);
  EXPECT_EQ(r.path.size(), 2u);
}

TEST(NcaChain, AnchorItselfIsTrusted) {
  TrustStore store;
  const auto ca = Certificate::from_file(nca("ca/nca_gost2022_test.cer"));
  store.add_anchor(ca);
  const auto r = verify_chain(ca, store, at("2022-12-01T00:00:00Z"));
  EXPECT_TRUE(r.trusted);
  EXPECT_EQ(r.path.size(), 1u);
}

// Legacy GOST 34.310-2004 with GOST 34.311-95 (docs/pki.md): the path of a
// 2004 key to ҰКО 3.0 (GOST TEST) is checked like any other.
TEST(NcaChain, LegacyGost2004KeyReachesItsTestCa) {
  TrustStore store;
  store.add_anchors_from(nca("ca"));
  const auto cert = Certificate::from_file(nca("certs/ceo_valid_sign_2004_gost.cer"));
  const auto r = verify_chain(cert, store, cert.not_before() + std::chrono::hours(24));
  EXPECT_TRUE(r.trusted) << (r.errors.empty() ? "" : r.errors[0]);
  EXPECT_TRUE(r.errors.empty());
  ASSERT_EQ(r.path.size(), 2u);
  EXPECT_TRUE(r.path[1].same_as(Certificate::from_file(nca("ca/nca_gost_test.crt"))));
}
