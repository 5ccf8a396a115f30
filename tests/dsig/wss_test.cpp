// WS-Security on SOAP 1.1: the transport signature of e-government exchanges.
#include <gtest/gtest.h>

#include <algorithm>

#include "qujat/common/bytes.h"
#include "qujat/dsig/wssecurity.h"
#include "qujat/pki/digest.h"
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

// The shape e-government gateways (SmartBridge / ShEP) expect: the token in
// a BinarySecurityToken referenced from KeyInfo, soap:Body with a wsu:Id,
// and a wsu:Timestamp, each covered by the signature (docs/signatures.md).
TEST(WsSecurity, SignerWritesTheGatewayShape) {
  Fixture f;
  WssSignOptions so;
  so.created = f.created;
  const std::string s = wss_sign(kEnvelope, f.key, so);
  EXPECT_NE(s.find("<wsse:BinarySecurityToken EncodingType=\"http://docs.oasis-open.org/wss/2004/01/"
                   "oasis-200401-wss-soap-message-security-1.0#Base64Binary\" ValueType=\"http://docs.oasis-open.org/"
                   "wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3\" wsu:Id=\"id-x509\""),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("<wsse:SecurityTokenReference><wsse:Reference URI=\"#id-x509\""), std::string::npos) << s;
  EXPECT_NE(s.find("<soap:Body xmlns:wsu=\"http://docs.oasis-open.org/wss/2004/01/"
                   "oasis-200401-wss-wssecurity-utility-1.0.xsd\" wsu:Id=\"id-body\">"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("<ds:Reference URI=\"#id-body\">"), std::string::npos);
  EXPECT_NE(s.find("<ds:Reference URI=\"#id-timestamp\">"), std::string::npos);
  EXPECT_NE(s.find("<wsu:Created>2022-12-01T10:00:00Z</wsu:Created><wsu:Expires>2022-12-01T10:05:00Z</wsu:Expires>"),
            std::string::npos);
  EXPECT_NE(s.find("xml-exc-c14n#"), std::string::npos);
}

// What an MFA client or server needs from one call: the signer and the
// signed Body (as it was digested), only when the whole check holds.
TEST(WsSecurity, VerificationReturnsTheSignerAndTheSignedBody) {
  Fixture f;
  WssSignOptions so;
  so.created = f.created;
  const std::string s = wss_sign(kEnvelope, f.key, so);
  auto ok = wss_verify_envelope(s, f.options("2022-12-01T10:01:00Z"));
  ASSERT_TRUE(ok.valid()) << ok.report.to_text();
  ASSERT_TRUE(ok.signer);
  EXPECT_TRUE(ok.signer->same_as(f.key.certificate));
  ASSERT_TRUE(ok.body);
  EXPECT_NE(ok.body->find("<number>G-1</number>"), std::string::npos) << *ok.body;
  EXPECT_EQ(ok.body->rfind("<soap:Body", 0), 0u) << *ok.body;

  std::string changed = s;
  changed.replace(changed.find("G-1"), 3, "G-9");
  auto bad = wss_verify_envelope(changed, f.options("2022-12-01T10:01:00Z"));
  EXPECT_FALSE(bad.valid());
  EXPECT_FALSE(bad.body);
  EXPECT_TRUE(bad.signer);  // who claimed to sign is still said
}

// A certificate given in advance is the signer that must have signed; with
// no anchors it is the trust itself (pinned).
TEST(WsSecurity, AnExpectedSignerIsPinned) {
  Fixture f;
  WssSignOptions so;
  so.created = f.created;
  const std::string s = wss_sign(kEnvelope, f.key, so);
  VerifyOptions none;
  none.at = parse_instant("2022-12-01T10:01:00Z");
  WssVerifyOptions pinned;
  pinned.expected_signer = f.key.certificate;
  auto ok = wss_verify_envelope(s, none, pinned);
  EXPECT_TRUE(ok.valid()) << ok.report.to_text();

  WssVerifyOptions other;
  other.expected_signer = pki::Certificate::from_file(test::nca("ca/nca_gost2022_test.cer"));
  auto wrong = wss_verify_envelope(s, f.options("2022-12-01T10:01:00Z"), other);
  EXPECT_FALSE(wrong.valid());
  EXPECT_EQ(wrong.report.signatures.at(0).problems.at(0).code, "wss.unexpected_signer") << wrong.report.to_text();
}

// KeyInfo forms of the X.509 Token Profile: each one the message resolves by
// itself verifies; SubjectKeyIdentifier and thumbprint need the certificate
// and are refused by name without it.
struct KeyInfoForms : Fixture {
  std::string signed_soap() const {
    WssSignOptions so;
    so.created = created;
    return wss_sign(kEnvelope, key, so);
  }
  // The envelope with its SecurityTokenReference's content replaced (KeyInfo
  // is outside SignedInfo, so the signature itself is untouched).
  std::string with_reference(const std::string& inner) const {
    std::string s = signed_soap();
    const std::string open = "<wsse:SecurityTokenReference>";
    const auto a = s.find(open) + open.size();
    const auto b = s.find("</wsse:SecurityTokenReference>");
    return s.replace(a, b - a, inner);
  }
  std::string key_identifier(const std::string& value_type, ByteView value) const {
    return "<wsse:KeyIdentifier EncodingType=\"http://docs.oasis-open.org/wss/2004/01/"
           "oasis-200401-wss-soap-message-security-1.0#Base64Binary\" ValueType=\"" +
           value_type + "\">" + base64_encode(value) + "</wsse:KeyIdentifier>";
  }
  static Bytes ski_of(const pki::Certificate& c) {
    // The subjectKeyIdentifier extension's OCTET STRING, read from the DER.
    const Bytes der = c.der();
    const Bytes oid = {0x06, 0x03, 0x55, 0x1d, 0x0e};
    auto it = std::search(der.begin(), der.end(), oid.begin(), oid.end());
    if (it == der.end()) return {};
    it += static_cast<long>(oid.size()) + 2;  // the extnValue OCTET STRING header
    const std::size_t len = *(it + 1);
    return Bytes(it + 2, it + 2 + static_cast<long>(len));
  }
  VerifyOptions at_time() const { return options("2022-12-01T10:01:00Z"); }
};

TEST(WsSecurity, KeyIdentifierX509v3CarriesTheCertificate) {
  KeyInfoForms f;
  const auto s = f.with_reference(
      f.key_identifier("http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3",
                       f.key.certificate.der()));
  auto r = wss_verify_envelope(s, f.at_time());
  EXPECT_TRUE(r.valid()) << r.report.to_text();
}

TEST(WsSecurity, X509DataInKeyInfoCarriesTheCertificate) {
  KeyInfoForms f;
  std::string s = f.signed_soap();
  const auto a = s.find("<wsse:SecurityTokenReference>");
  const auto b = s.find("</wsse:SecurityTokenReference>") + std::string("</wsse:SecurityTokenReference>").size();
  s.replace(a, b - a,
            "<ds:X509Data><ds:X509Certificate>" + base64_encode(f.key.certificate.der()) +
                "</ds:X509Certificate></ds:X509Data>");
  auto r = wss_verify_envelope(s, f.at_time());
  EXPECT_TRUE(r.valid()) << r.report.to_text();
}

TEST(WsSecurity, SubjectKeyIdentifierNeedsTheCertificate) {
  KeyInfoForms f;
  const Bytes ski = KeyInfoForms::ski_of(f.key.certificate);
  ASSERT_FALSE(ski.empty());
  const auto s = f.with_reference(f.key_identifier(
      "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509SubjectKeyIdentifier", ski));
  auto alone = wss_verify_envelope(s, f.at_time());
  EXPECT_FALSE(alone.valid());
  const auto& p = alone.report.signatures.at(0).problems.at(0);
  EXPECT_EQ(p.code, "wss.reference_needs_certificate") << alone.report.to_text();
  EXPECT_EQ(p.params.at("form"), "SubjectKeyIdentifier");
  for (const auto* text : {&p.message.kk, &p.message.ru, &p.message.en}) EXPECT_FALSE(text->empty());

  WssVerifyOptions given;
  given.expected_signer = f.key.certificate;
  auto with = wss_verify_envelope(s, f.at_time(), given);
  EXPECT_TRUE(with.valid()) << with.report.to_text();

  given.expected_signer = pki::Certificate::from_file(test::nca("ca/nca_gost2022_test.cer"));
  auto other = wss_verify_envelope(s, f.at_time(), given);
  EXPECT_FALSE(other.valid());
  EXPECT_EQ(other.report.signatures.at(0).problems.at(0).code, "wss.reference_not_matching");
}

TEST(WsSecurity, ThumbprintNeedsTheCertificate) {
  KeyInfoForms f;
  const auto s = f.with_reference(
      f.key_identifier("http://docs.oasis-open.org/wss/oasis-wss-soap-message-security-1.1#ThumbprintSHA1",
                       pki::digest(pki::DigestAlgorithm::Sha1, f.key.certificate.der())));
  auto alone = wss_verify_envelope(s, f.at_time());
  EXPECT_EQ(alone.report.signatures.at(0).problems.at(0).code, "wss.reference_needs_certificate");
  EXPECT_EQ(alone.report.signatures.at(0).problems.at(0).params.at("form"), "ThumbprintSHA1");
  WssVerifyOptions given;
  given.expected_signer = f.key.certificate;
  EXPECT_TRUE(wss_verify_envelope(s, f.at_time(), given).valid());
}

TEST(WsSecurity, AReferenceToAnythingButThisHeadersTokenIsRefused) {
  KeyInfoForms f;
  const auto s = f.with_reference("<wsse:Reference URI=\"#id-body\"/>");
  auto r = wss_verify_envelope(s, f.at_time());
  EXPECT_FALSE(r.valid());
  EXPECT_EQ(r.report.signatures.at(0).problems.at(0).code, "wss.token_reference_unresolved") << r.report.to_text();
}

TEST(WsSecurity, ASecondBodyIsRefused) {
  KeyInfoForms f;
  std::string s = f.signed_soap();
  s.insert(s.find("</soap:Envelope>"), "<soap:Body><evil/></soap:Body>");
  auto r = wss_verify_envelope(s, f.at_time());
  EXPECT_EQ(r.report.exit_code(), 2);
  EXPECT_EQ(r.report.problems.at(0).code, "wss.body_count");
}

TEST(WsSecurity, AMissingTimestampIsANoticeOnlyWhenNotRequired) {
  KeyInfoForms f;
  std::string s = f.signed_soap();
  // Drop the Timestamp and its reference: the Body alone is signed.
  auto ref = s.find("<ds:Reference URI=\"#id-timestamp\"");
  s.erase(ref, s.find("</ds:Reference>", ref) + std::string("</ds:Reference>").size() - ref);
  auto ts = s.find("<wsu:Timestamp");
  s.erase(ts, s.find("</wsu:Timestamp>") + std::string("</wsu:Timestamp>").size() - ts);
  // SignedInfo changed, so the signature no longer holds; the test is about the Timestamp findings.
  auto live = wss_verify_envelope(s, f.at_time());
  bool required = false;
  for (const auto& p : live.report.signatures.at(0).problems) required = required || p.code == "wss.no_timestamp";
  EXPECT_TRUE(required) << live.report.to_text();
  WssVerifyOptions file;
  file.require_timestamp = false;
  auto later = wss_verify_envelope(s, f.at_time(), file);
  ASSERT_EQ(later.report.signatures.at(0).notices.size(), 1u) << later.report.to_text();
  EXPECT_EQ(later.report.signatures.at(0).notices[0].code, "wss.timestamp_not_checked");
}

}  // namespace
}  // namespace qujat::dsig
