// CMS SignedData: GOST 2015 with the real NCA test key, RSA with a generated
// key, attached/detached, DER/base64, co-signers, and the real NCA timestamp token.
#include <gtest/gtest.h>

#include <algorithm>

#include "qujat/common/bytes.h"
#include "qujat/dsig/cms.h"
#include "qujat/pki/test_pki.h"
#include "support/nca_material.h"
#include "support/self_signed.h"

namespace qujat::dsig {
namespace {

pki::KeyStore nca_gost_key() { return pki::load_pkcs12(test::nca("keys/individual_valid_2015_gost.p12"), qujat::test::kNcaGost2015Password); }

VerifyOptions at_2022_12_01() {
  VerifyOptions o;
  o.trust.add_anchor(pki::Certificate::from_file(test::nca("ca/nca_gost2022_test.cer")));
  o.at = parse_instant("2022-12-01T00:00:00Z");
  return o;
}

const std::string kContent = "Өтініш / Заявление No 1";

TEST(Cms, AttachedGostVerifiesWithSignedAttributes) {
  CmsSignOptions options;
  options.signing_time = parse_instant("2022-11-30T10:00:00Z");
  Bytes cms = cms_sign(as_bytes(kContent), nca_gost_key(), options);
  auto report = verify_cms(cms, std::nullopt, at_2022_12_01());
  ASSERT_EQ(report.signatures.size(), 1u);
  EXPECT_TRUE(report.valid) << report.to_text();
  EXPECT_EQ(report.format, "cms");
  EXPECT_EQ(report.signatures[0].algorithm, "gost2015-512");
  EXPECT_EQ(report.signatures[0].signer.iin, "123456789012");
  ASSERT_TRUE(report.signatures[0].signing_time);
  EXPECT_EQ(format_instant_utc(*report.signatures[0].signing_time), "2022-11-30T10:00:00Z");
  EXPECT_EQ(cms_content(cms), Bytes(kContent.begin(), kContent.end()));
  // base64 input, as NCALayer returns it
  std::string b64 = base64_encode_wrapped(cms, 64, "\n");
  EXPECT_TRUE(verify_cms(as_bytes(b64), std::nullopt, at_2022_12_01()).valid);
}

TEST(Cms, SigningCertificateV2BindsTheSignerCertificate) {
  const std::uint8_t oid[] = {0x06, 0x0B, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x10, 0x02, 0x2F};
  auto contains_oid = [&](const Bytes& b) {
    return std::search(b.begin(), b.end(), std::begin(oid), std::end(oid)) != b.end();
  };
  Bytes with = cms_sign(as_bytes(kContent), nca_gost_key());
  EXPECT_TRUE(contains_oid(with));
  EXPECT_TRUE(verify_cms(with, std::nullopt, at_2022_12_01()).valid);
  CmsSignOptions plain;
  plain.signing_certificate_v2 = false;
  Bytes without = cms_sign(as_bytes(kContent), nca_gost_key(), plain);
  EXPECT_FALSE(contains_oid(without));
  EXPECT_TRUE(verify_cms(without, std::nullopt, at_2022_12_01()).valid);
}

TEST(Cms, DetachedNeedsTheContentAndDetectsChanges) {
  CmsSignOptions options;
  options.detached = true;
  Bytes cms = cms_sign(as_bytes(kContent), nca_gost_key(), options);
  EXPECT_FALSE(cms_content(cms));
  EXPECT_TRUE(verify_cms(cms, as_bytes(kContent), at_2022_12_01()).valid);
  auto changed = verify_cms(cms, as_bytes(kContent + "!"), at_2022_12_01());
  EXPECT_EQ(changed.exit_code(), 1);
  EXPECT_NE(changed.to_text().find("messageDigest does not match"), std::string::npos) << changed.to_text();
}

// Without its content a detached CMS still says who signed and whether the
// signature over the signed attributes holds, and plainly that the content
// was not checked: indeterminate, never valid.
TEST(Cms, DetachedWithoutContentIsIndeterminateAndSaysWhoSigned) {
  CmsSignOptions options;
  options.detached = true;
  Bytes cms = cms_sign(as_bytes(kContent), nca_gost_key(), options);
  auto report = verify_cms(cms, std::nullopt, at_2022_12_01());
  EXPECT_FALSE(report.malformed);
  EXPECT_FALSE(report.valid);
  EXPECT_TRUE(report.indeterminate()) << report.to_text();
  EXPECT_EQ(report.exit_code(), 1);
  ASSERT_EQ(report.signatures.size(), 1u);
  const auto& s = report.signatures[0];
  EXPECT_EQ(s.cryptographic(), "indeterminate");
  EXPECT_EQ(s.signer.iin, "123456789012");
  EXPECT_EQ(s.chain, ChainStatus::Trusted);
  ASSERT_EQ(s.notices.size(), 1u);
  EXPECT_EQ(s.notices[0].code, "cms.content_not_checked");
  EXPECT_EQ(report.to_json()["signatures"][0]["cryptographic"], "indeterminate");
  EXPECT_EQ(report.to_json()["indeterminate"], true);

  // A changed signed attribute still shows: the signature over them fails.
  Bytes bad = cms;
  const Bytes oid_data = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01};
  auto attr = std::search(bad.begin(), bad.end(), oid_data.begin(), oid_data.end());
  attr = std::search(attr + 1, bad.end(), oid_data.begin(), oid_data.end());  // the contentType attribute's value
  ASSERT_NE(attr, bad.end());
  *(attr + 10) ^= 0x01;
  auto tampered = verify_cms(bad, std::nullopt, at_2022_12_01());
  ASSERT_EQ(tampered.signatures.size(), 1u) << tampered.to_text();
  EXPECT_EQ(tampered.signatures[0].cryptographic(), "invalid") << tampered.to_text();
  EXPECT_FALSE(tampered.indeterminate());
}

// ETSI EN 319 102-1: an algorithm qujat cannot compute makes a signature
// INDETERMINATE with the reason, never invalid (exit 1, as in XML).
TEST(Cms, UnsupportedDigestIsIndeterminateNotInvalid) {
  Bytes cms = cms_sign(as_bytes(kContent), nca_gost_key());
  // Streebog-512 (1.2.398.3.10.1.3.3) turned into 1.2.398.3.10.1.3.9, which no one defines.
  const Bytes streebog = {0x06, 0x08, 0x2a, 0x83, 0x0e, 0x03, 0x0a, 0x01, 0x03, 0x03};
  std::size_t changed = 0;
  for (auto it = std::search(cms.begin(), cms.end(), streebog.begin(), streebog.end()); it != cms.end();
       it = std::search(it + 1, cms.end(), streebog.begin(), streebog.end())) {
    *(it + 9) = 0x09;
    ++changed;
  }
  ASSERT_GE(changed, 1u);
  auto report = verify_cms(cms, std::nullopt, at_2022_12_01());
  ASSERT_EQ(report.signatures.size(), 1u) << report.to_text();
  EXPECT_EQ(report.signatures[0].cryptographic(), "indeterminate") << report.to_text();
  EXPECT_EQ(report.signatures[0].problems.at(0).code, "cms.unsupported_algorithm");
  EXPECT_TRUE(report.indeterminate());
  EXPECT_EQ(report.exit_code(), 1);
  EXPECT_EQ(report.signatures[0].signer.iin, "123456789012");  // who signed is still said
  EXPECT_NE(report.to_text(i18n::Language::ru).find("НЕ ОПРЕДЕЛЕНО"), std::string::npos);
}

TEST(Cms, DamagedSignatureValueAndGarbage) {
  Bytes cms = cms_sign(as_bytes(kContent), nca_gost_key());
  Bytes bad = cms;
  bad[bad.size() - 5] ^= 0x01;  // inside the SignerInfo signature OCTET STRING
  auto report = verify_cms(bad, std::nullopt, at_2022_12_01());
  EXPECT_EQ(report.exit_code(), 1) << report.to_text();
  EXPECT_NE(report.to_text().find("signature value does not match"), std::string::npos) << report.to_text();
  EXPECT_EQ(verify_cms(as_bytes("not a cms"), std::nullopt, at_2022_12_01()).exit_code(), 2);
  Bytes truncated(cms.begin(), cms.begin() + static_cast<long>(cms.size() / 2));
  EXPECT_EQ(verify_cms(truncated, std::nullopt, at_2022_12_01()).exit_code(), 2);
}

TEST(Cms, CoSignerGostThenRsa) {
  const pki::KeyStore rsa =
      test::self_signed_signer(pki::KeyAlgorithm::Rsa, "RSA CO-SIGNER", "2022-01-01T00:00:00Z", "2030-01-01T00:00:00Z");
  const pki::Certificate& rsa_cert = rsa.certificate;

  Bytes one = cms_sign(as_bytes(kContent), nca_gost_key());
  Bytes two = cms_add_signer(one, std::nullopt, rsa);
  auto options = at_2022_12_01();
  options.trust.add_anchor(rsa_cert);
  auto report = verify_cms(two, std::nullopt, options);
  ASSERT_EQ(report.signatures.size(), 2u);
  EXPECT_TRUE(report.valid) << report.to_text();
  EXPECT_EQ(report.signatures[0].algorithm, "gost2015-512");
  EXPECT_EQ(report.signatures[1].algorithm, "rsa-sha256");
}

TEST(Cms, RealNcaTimestampTokenVerifiesWithLegacyGost) {
  Bytes token = read_file(test::nca("tsp/tsp_token.bin"));
  // The token on its own: a SignedData by the NCA test TSA with legacy GOST
  // 34.310-2004 over GOST 34.311-95 (docs/pki.md), chaining to ҰКО 3.0 (GOST TEST).
  VerifyOptions anchored = at_2022_12_01();
  anchored.trust.add_anchors_from(test::nca("ca"));
  auto direct = verify_cms(token, std::nullopt, anchored);
  ASSERT_EQ(direct.signatures.size(), 1u) << direct.to_text();
  EXPECT_TRUE(direct.signatures[0].cryptographic_valid) << direct.to_text();
  EXPECT_EQ(direct.signatures[0].algorithm, "gost2004");
  EXPECT_EQ(direct.signatures[0].chain, ChainStatus::Trusted) << direct.to_text();
  Bytes changed = token;
  changed[changed.size() - 3] ^= 0x01;  // inside the signature value
  auto bad = verify_cms(changed, std::nullopt, anchored);
  ASSERT_EQ(bad.signatures.size(), 1u);
  EXPECT_EQ(bad.signatures[0].cryptographic(), "invalid") << bad.to_text();

  // Carried as id-aa-timeStampToken on another signature: reported with
  // its time, and not valid (its imprint is over a different signature).
  CmsSignOptions options;
  options.timestamp_token = token;
  auto report = verify_cms(cms_sign(as_bytes(kContent), nca_gost_key(), options), std::nullopt, at_2022_12_01());
  ASSERT_EQ(report.signatures.size(), 1u);
  ASSERT_TRUE(report.signatures[0].timestamp) << report.to_text();
  EXPECT_NE(report.signatures[0].timestamp->status, "valid");
  EXPECT_TRUE(report.signatures[0].timestamp->gen_time);
  EXPECT_FALSE(report.signatures[0].timestamp->hash_algorithm.empty());
  EXPECT_NE(report.to_text().find("message imprint"), std::string::npos) << report.to_text();
  EXPECT_FALSE(report.valid);
  EXPECT_TRUE(report.signatures[0].cryptographic_valid);
}

}  // namespace
}  // namespace qujat::dsig
