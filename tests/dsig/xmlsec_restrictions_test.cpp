// Defence in depth: even if read_signature's checks were bypassed, the
// xmlsec context qujat builds refuses XSLT, XPath and external URIs.
#include <gtest/gtest.h>

#include "dsig/xml_signature.h"
#include "qujat/common/bytes.h"
#include "support/nca_material.h"

namespace qujat::dsig {
namespace {

constexpr const char* kDs = "http://www.w3.org/2000/09/xmldsig#";

SignatureReport run_xmlsec_only(const char* hostile_file) {
  Bytes data = read_file((test::source_dir() / "tests/data/hostile" / hostile_file).string());
  auto doc = xml::Document::parse(as_chars(data));
  XmlSignature sig;
  sig.node = xml::descendants(doc.root(), kDs, "Signature").at(0);
  sig.signed_info = xml::first_child_element(sig.node, kDs, "SignedInfo");
  sig.c14n_uri = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
  sig.algorithm = pki::SignatureAlgorithm::Gost2015_512;
  sig.signature_value = *base64_decode(xml::text_content(xml::first_child_element(sig.node, kDs, "SignatureValue")));
  auto cert = pki::Certificate::from_file((test::source_dir() / "tests/dsig/data/gost2015-self-signed-signer.cer").string());
  SignatureReport report;
  check_cryptography(doc, sig, cert.public_key(), "signature 1", report);
  return report;
}

TEST(XmlsecRestrictions, TransformsAndUrisOutsideTheAllowListFail) {
  for (const char* f : {"xslt-transform.xml", "xpath-transform.xml", "external-reference-uri.xml"}) {
    SignatureReport r = run_xmlsec_only(f);
    EXPECT_FALSE(r.cryptographic_valid) << f;
    ASSERT_FALSE(r.errors.empty()) << f;
    // Refused before any transform ran, not a digest mismatch after running it.
    EXPECT_NE(r.errors[0].find("xmlsec could not process"), std::string::npos) << f << ": " << r.errors[0];
  }
}

TEST(XmlsecRestrictions, TheUntouchedFixturePasses) {
  Bytes data = read_file((test::source_dir() / "tests/dsig/data/gost2015-self-signed-application.xml").string());
  auto doc = xml::Document::parse(as_chars(data));
  VerifyOptions options;
  XmlSignature sig = read_signature(doc, xml::descendants(doc.root(), kDs, "Signature").at(0), options);
  SignatureReport r;
  check_cryptography(doc, sig, sig.certificates.at(0).public_key(), "signature 1", r);
  EXPECT_TRUE(r.cryptographic_valid);
}

}  // namespace
}  // namespace qujat::dsig
