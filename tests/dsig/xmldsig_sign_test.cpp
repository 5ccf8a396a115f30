// Signing XML the NCALayer way with the real NCA GOST 2015 test key, and the
// shape of the result (KZ-PKI.md "XMLDSig conventions").
#include <gtest/gtest.h>

#include "qujat/common/bytes.h"
#include "qujat/common/error.h"
#include "qujat/dsig/xmldsig.h"
#include "qujat/pki/test_pki.h"
#include "qujat/xml/document.h"
#include "support/nca_material.h"
#include "support/self_signed.h"

namespace qujat::dsig {
namespace {

constexpr const char* kDs = "http://www.w3.org/2000/09/xmldsig#";

pki::KeyStore nca_gost_key() { return pki::load_pkcs12(test::nca("keys/individual_valid_2015_gost.p12"), qujat::test::kNcaGost2015Password); }

VerifyOptions at_2022_12_01() {
  VerifyOptions o;
  o.trust.add_anchor(pki::Certificate::from_file(test::nca("ca/nca_gost2022_test.cer")));
  o.at = parse_instant("2022-12-01T00:00:00Z");
  return o;
}

TEST(XmlDsigSign, NcaGostKeyMakesTheNcaLayerShape) {
  std::string signed_xml = sign_xml("<a><b>test</b></a>", nca_gost_key());
  auto doc = xml::Document::parse(signed_xml);
  xmlNode* root = doc.root();
  auto elements = xml::child_elements(root);
  ASSERT_EQ(elements.size(), 2u);
  xmlNode* sig = elements.back();  // the last child of the document element
  ASSERT_TRUE(xml::is_element(sig, kDs, "Signature"));
  EXPECT_STREQ(reinterpret_cast<const char*>(sig->ns->prefix), "ds");
  xmlNode* si = xml::first_child_element(sig, kDs, "SignedInfo");
  EXPECT_EQ(xml::attribute(xml::first_child_element(si, kDs, "CanonicalizationMethod"), "Algorithm"),
            "http://www.w3.org/TR/2001/REC-xml-c14n-20010315");
  EXPECT_EQ(xml::attribute(xml::first_child_element(si, kDs, "SignatureMethod"), "Algorithm"),
            "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34102015-gostr34112015-512");
  xmlNode* ref = xml::first_child_element(si, kDs, "Reference");
  EXPECT_EQ(xml::attribute(ref, "URI"), "");
  auto transforms = xml::child_elements(xml::first_child_element(ref, kDs, "Transforms"), kDs, "Transform");
  ASSERT_EQ(transforms.size(), 2u);
  EXPECT_EQ(xml::attribute(transforms[0], "Algorithm"), "http://www.w3.org/2000/09/xmldsig#enveloped-signature");
  EXPECT_EQ(xml::attribute(transforms[1], "Algorithm"), "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments");
  EXPECT_EQ(xml::attribute(xml::first_child_element(ref, kDs, "DigestMethod"), "Algorithm"),
            "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34112015-512");
  EXPECT_EQ(xml::descendants(sig, kDs, "X509Certificate").size(), 1u);
  // Kalkan's base64: 76-character lines, CR before each newline (&#13;).
  EXPECT_NE(signed_xml.find("&#13;\n"), std::string::npos);
  auto digest_text = xml::text_content(xml::first_child_element(ref, kDs, "DigestValue"));
  EXPECT_EQ(digest_text.find("\r\n"), 76u);

  auto report = verify_xml(signed_xml, at_2022_12_01());
  EXPECT_TRUE(report.valid) << report.to_text();
  EXPECT_EQ(report.signatures.at(0).algorithm, "gost2015-512");
  EXPECT_EQ(report.signatures.at(0).signer.iin, "123456789012");
}

TEST(XmlDsigSign, SigningASignedDocumentAddsACoSignature) {
  auto key = nca_gost_key();
  std::string once = sign_xml("<a><b>test</b><!-- kept --></a>", key);
  std::string twice = sign_xml(once, key);
  auto report = verify_xml(twice, at_2022_12_01());
  ASSERT_EQ(report.signatures.size(), 2u);
  EXPECT_TRUE(report.valid) << report.to_text();
  // The second signature covers the first: removing the first breaks the second.
  auto doc = xml::Document::parse(twice);
  auto sigs = xml::child_elements(doc.root(), kDs, "Signature");
  xmlUnlinkNode(sigs[0]);
  xmlFreeNode(sigs[0]);
  auto broken = verify_xml(doc.serialize(), at_2022_12_01());
  EXPECT_FALSE(broken.valid);
  EXPECT_EQ(broken.exit_code(), 1);
}

TEST(XmlDsigSign, ReferenceById) {
  XmlSignOptions options;
  options.reference_id = "doc1";
  std::string signed_xml = sign_xml("<a Id=\"doc1\"><b>test</b></a>", nca_gost_key(), options);
  EXPECT_NE(signed_xml.find("URI=\"#doc1\""), std::string::npos);
  auto report = verify_xml(signed_xml, at_2022_12_01());
  EXPECT_TRUE(report.valid) << report.to_text();
  options.reference_id = "missing";
  EXPECT_THROW(sign_xml("<a Id=\"doc1\"/>", nca_gost_key(), options), Error);
}

TEST(XmlDsigSign, GeneratedRsaKeyRoundTrip) {
  const pki::KeyStore ks = test::self_signed_signer(pki::KeyAlgorithm::Rsa, "RSA TEST SIGNER");
  const pki::Certificate& cert = ks.certificate;
  std::string signed_xml = sign_xml("<doc><p>Құжат</p></doc>", ks);
  EXPECT_NE(signed_xml.find("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"), std::string::npos);
  VerifyOptions o;
  o.trust.add_anchor(cert);
  o.at = parse_instant("2025-01-01T00:00:00Z");
  auto report = verify_xml(signed_xml, o);
  EXPECT_TRUE(report.valid) << report.to_text();
  EXPECT_EQ(report.signatures.at(0).algorithm, "rsa-sha256");
  std::string tampered = signed_xml;
  tampered.replace(tampered.find("Құжат"), std::string("Құжат").size(), "Кужат");
  EXPECT_EQ(verify_xml(tampered, o).exit_code(), 1);
}

}  // namespace
}  // namespace qujat::dsig

namespace qujat::dsig {
namespace {

TEST(XmlDsigSign, GeneratedGost2015_256KeyXmlAndCms) {
  const pki::KeyStore ks = test::self_signed_signer(pki::KeyAlgorithm::Gost2015_256, "GOST 256 SIGNER");
  const pki::Certificate& cert = ks.certificate;
  VerifyOptions o;
  o.trust.add_anchor(cert);
  o.at = parse_instant("2025-01-01T00:00:00Z");
  std::string signed_xml = sign_xml("<doc>256</doc>", ks);
  EXPECT_NE(signed_xml.find("gostr34102015-gostr34112015-256"), std::string::npos);
  auto report = verify_xml(signed_xml, o);
  EXPECT_TRUE(report.valid) << report.to_text();
  EXPECT_EQ(report.signatures.at(0).algorithm, "gost2015-256");
}

}  // namespace
}  // namespace qujat::dsig
