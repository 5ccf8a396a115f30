// Timestamp tokens whose algorithms qujat supports are verified: the imprint
// against the signature value, then the TSA's own signature and chain.
#include <gtest/gtest.h>

#include <openssl/objects.h>
#include <openssl/ts.h>
#include <openssl/x509.h>

#include "qujat/common/memory.h"
#include "qujat/dsig/cms.h"
#include "qujat/pki/digest.h"
#include "qujat/pki/test_pki.h"
#include "support/self_signed.h"

namespace qujat::dsig {
namespace {

pki::KeyStore self_signed(pki::KeyAlgorithm algorithm, const char* cn) { return test::self_signed_signer(algorithm, cn); }

// A TSTInfo over SHA-256(signature_value), signed by `tsa` as SignedData(id-ct-TSTInfo).
Bytes make_token(ByteView signature_value, const pki::KeyStore& tsa) {
  auto tst = make_unique_ptr<TS_TST_INFO_free>(TS_TST_INFO_new());
  TS_TST_INFO_set_version(tst.get(), 1);
  auto policy = make_unique_ptr<ASN1_OBJECT_free>(OBJ_txt2obj("1.2.3.4.5", 1));
  TS_TST_INFO_set_policy_id(tst.get(), policy.get());
  auto imprint = make_unique_ptr<TS_MSG_IMPRINT_free>(TS_MSG_IMPRINT_new());
  auto alg = make_unique_ptr<X509_ALGOR_free>(X509_ALGOR_new());
  X509_ALGOR_set0(alg.get(), OBJ_nid2obj(NID_sha256), V_ASN1_UNDEF, nullptr);
  TS_MSG_IMPRINT_set_algo(imprint.get(), alg.get());
  Bytes hash = pki::digest(pki::DigestAlgorithm::Sha256, signature_value);
  TS_MSG_IMPRINT_set_msg(imprint.get(), hash.data(), static_cast<int>(hash.size()));
  TS_TST_INFO_set_msg_imprint(tst.get(), imprint.get());
  auto serial = make_unique_ptr<ASN1_INTEGER_free>(ASN1_INTEGER_new());
  ASN1_INTEGER_set(serial.get(), 42);
  TS_TST_INFO_set_serial(tst.get(), serial.get());
  auto when = make_unique_ptr<ASN1_GENERALIZEDTIME_free>(ASN1_GENERALIZEDTIME_set(nullptr, 1735689600));  // 2025-01-01
  TS_TST_INFO_set_time(tst.get(), when.get());
  int len = i2d_TS_TST_INFO(tst.get(), nullptr);
  Bytes der(static_cast<std::size_t>(len));
  unsigned char* p = der.data();
  i2d_TS_TST_INFO(tst.get(), &p);
  CmsSignOptions options;
  options.content_type = "1.2.840.113549.1.9.16.1.4";
  options.signing_time = parse_instant("2025-01-01T00:00:00Z");
  return cms_sign(der, tsa, options);
}

TEST(CmsTimestamp, SupportedTokenIsVerified) {
  auto signer = self_signed(pki::KeyAlgorithm::Gost2015_512, "SIGNER");
  auto tsa = self_signed(pki::KeyAlgorithm::Rsa, "TEST TSA");
  const std::string content = "timestamped";
  Bytes cms = cms_sign(as_bytes(content), signer);
  Bytes stamped = cms_add_timestamp(cms, make_token(cms_signature_value(cms), tsa));

  VerifyOptions options;
  options.trust.add_anchor(signer.certificate);
  options.trust.add_anchor(tsa.certificate);
  options.at = parse_instant("2025-06-01T00:00:00Z");
  auto report = verify_cms(stamped, std::nullopt, options);
  ASSERT_EQ(report.signatures.size(), 1u);
  ASSERT_TRUE(report.signatures[0].timestamp) << report.to_text();
  const auto& t = *report.signatures[0].timestamp;
  EXPECT_EQ(t.status, "valid") << report.to_text();
  EXPECT_EQ(format_instant_utc(*t.gen_time), "2025-01-01T00:00:00Z");
  EXPECT_EQ(t.policy, "1.2.3.4.5");
  EXPECT_EQ(t.serial_hex, "2A");
  EXPECT_NE(t.tsa.find("TEST TSA"), std::string::npos);
  EXPECT_TRUE(report.valid) << report.to_text();
}

TEST(CmsTimestamp, TokenOverAnotherSignatureIsInvalid) {
  auto signer = self_signed(pki::KeyAlgorithm::Gost2015_512, "SIGNER");
  auto tsa = self_signed(pki::KeyAlgorithm::Rsa, "TEST TSA");
  Bytes cms = cms_sign(as_bytes(std::string("a")), signer);
  Bytes other = cms_sign(as_bytes(std::string("b")), signer);
  Bytes stamped = cms_add_timestamp(cms, make_token(cms_signature_value(other), tsa));
  VerifyOptions options;
  options.trust.add_anchor(signer.certificate);
  options.trust.add_anchor(tsa.certificate);
  options.at = parse_instant("2025-06-01T00:00:00Z");
  auto report = verify_cms(stamped, std::nullopt, options);
  ASSERT_TRUE(report.signatures.at(0).timestamp);
  EXPECT_EQ(report.signatures[0].timestamp->status, "invalid");
  EXPECT_FALSE(report.valid);
  // An untrusted TSA is not "valid" either.
  Bytes good = cms_add_timestamp(cms, make_token(cms_signature_value(cms), tsa));
  VerifyOptions no_tsa;
  no_tsa.trust.add_anchor(signer.certificate);
  no_tsa.at = options.at;
  EXPECT_NE(verify_cms(good, std::nullopt, no_tsa).signatures.at(0).timestamp->status, "valid");
}

}  // namespace
}  // namespace qujat::dsig
