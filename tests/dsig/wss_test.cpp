// WS-Security on SOAP 1.1: the transport signature of e-government exchanges.
#include <gtest/gtest.h>

#include "qujat/common/bytes.h"
#include "qujat/dsig/wssecurity.h"
#include "qujat/pki/pkcs12.h"
#include "support/nca_material.h"

namespace qujat::dsig {
namespace {

const char* kEnvelope =
    "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">"
    "<soap:Body><checkGuarantee xmlns=\"urn:mfa\"><number>G-1</number></checkGuarantee></soap:Body>"
    "</soap:Envelope>";

struct Fixture {
  pki::KeyStore key = pki::load_pkcs12(test::nca("keys/individual_valid_2015_gost.p12"), qujat::test::kNcaGost2015Password);
  Instant created = *parse_instant("2022-12-01T10:00:00Z");
  VerifyOptions options(const char* at) const {
    VerifyOptions o;
    o.trust.add_anchor(pki::Certificate::from_file(test::nca("ca/nca_gost2022_test.cer")));
    o.at = parse_instant(at);
    return o;
  }
};

TEST(WsSecurity, SignedEnvelopeVerifiesWhileTheTimestampIsCurrent) {
  Fixture f;
  WssSignOptions so;
  so.created = f.created;
  std::string signed_soap = wss_sign(kEnvelope, f.key, so);
  EXPECT_NE(signed_soap.find("wsse:BinarySecurityToken"), std::string::npos);
  EXPECT_NE(signed_soap.find("wsu:Timestamp"), std::string::npos);
  auto ok = wss_verify(signed_soap, f.options("2022-12-01T10:02:00Z"));
  EXPECT_TRUE(ok.valid) << ok.to_text();
  EXPECT_EQ(ok.format, "wss");
  EXPECT_EQ(ok.signatures.at(0).signer.iin, "123456789012");

  auto late = wss_verify(signed_soap, f.options("2022-12-01T11:00:00Z"));
  EXPECT_FALSE(late.valid);
  EXPECT_NE(late.to_text().find("wsu:Timestamp expired"), std::string::npos) << late.to_text();
}

TEST(WsSecurity, ChangedBodyOrMissingCoverageFails) {
  Fixture f;
  WssSignOptions so;
  so.created = f.created;
  std::string signed_soap = wss_sign(kEnvelope, f.key, so);
  std::string changed = signed_soap;
  changed.replace(changed.find("G-1"), 3, "G-2");
  auto r = wss_verify(changed, f.options("2022-12-01T10:01:00Z"));
  EXPECT_EQ(r.exit_code(), 1) << r.to_text();
  EXPECT_NE(r.to_text().find("reference 1"), std::string::npos) << r.to_text();

  // Dropping the Body reference leaves the Body unsigned.
  std::string body_ref = signed_soap;
  auto start = body_ref.find("<ds:Reference URI=\"#id-body\"");
  auto end = body_ref.find("</ds:Reference>", start) + std::string("</ds:Reference>").size();
  body_ref.erase(start, end - start);
  auto r2 = wss_verify(body_ref, f.options("2022-12-01T10:01:00Z"));
  EXPECT_FALSE(r2.valid);
  EXPECT_NE(r2.to_text().find("does not cover soap:Body"), std::string::npos) << r2.to_text();
}

}  // namespace
}  // namespace qujat::dsig
