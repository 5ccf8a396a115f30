// An issued document signed with a real NCA GOST 2015 test key verifies the
// way `qujat verify` checks it, and any change to a value breaks it.
#include <gtest/gtest.h>

#include "docs/docs_test_support.h"
#include "qujat/common/error.h"
#include "qujat/dsig/xmldsig.h"
#include "qujat/pki/pkcs12.h"
#include "support/nca_material.h"

using namespace qujat;

namespace {

// Public NCA test material (tests/data/nca-test/README.md); the
// password is published with it and is no secret.
const pki::KeyStore& gost_key() {
  static const pki::KeyStore key = pki::load_pkcs12(test::nca("keys/individual_valid_2015_gost.p12"), qujat::test::kNcaGost2015Password);
  return key;
}

dsig::VerifyOptions at_2022_12_01() {
  dsig::VerifyOptions options;
  options.trust.add_anchors_from(test::nca("ca/nca_gost2022_test.cer"));
  options.at = parse_instant("2022-12-01T00:00:00Z");
  return options;
}

docs::IssuedDocument issue_signed(const std::string& sample) {
  docs::IssueRequest request;
  request.number = "KZ-EXP-2026-000042";
  request.issue_date = parse_date("2026-04-28");
  request.signer = &gost_key();
  return test::engine().issue(test::application(test::read_sample(sample)), request);
}

TEST(SignedDocument, GostSignedLicenceVerifies) {
  auto doc = issue_signed("export-licence");
  auto report = dsig::verify_xml(doc.xml, at_2022_12_01());
  ASSERT_EQ(report.signatures.size(), 1u) << report.to_text();
  EXPECT_TRUE(report.signatures[0].cryptographic_valid) << report.to_text();
  EXPECT_TRUE(report.valid) << report.to_text();
  EXPECT_EQ(report.exit_code(), 0);
  // The signed document still fits its schema (the XSD admits ds:Signature).
  EXPECT_TRUE(test::engine().validate_xml("export-licence", doc.xml).empty());
}

TEST(SignedDocument, ChangingAnyValueBreaksTheSignature) {
  auto doc = issue_signed("export-licence");
  const std::vector<std::pair<std::string, std::string>> edits = {
      {"<quantity>10</quantity>", "<quantity>11</quantity>"},
      {">DE</country>", ">FR</country>"},
      {"<number>KZ-EXP-2026-000042</number>", "<number>KZ-EXP-2026-000043</number>"},
      {"Қабанбай", "Кабанбай"},
  };
  for (const auto& [from, to] : edits) {
    auto tampered = doc.xml;
    auto pos = tampered.find(from);
    ASSERT_NE(pos, std::string::npos) << from;
    tampered.replace(pos, from.size(), to);
    auto report = dsig::verify_xml(tampered, at_2022_12_01());
    EXPECT_FALSE(report.valid) << from << " -> " << to;
    EXPECT_NE(report.exit_code(), 0);
  }
}

TEST(SignedDocument, EverySampleSignsAndVerifies) {
  for (const auto& name : test::valid_samples()) {
    auto app = test::read_sample(name);
    docs::IssueRequest request;
    request.number = "KZ-TEST-2026-000001";
    request.issue_date = parse_date("2026-04-28");
    request.signer = &gost_key();
    auto doc = test::engine().issue(test::application(app), request);
    auto report = dsig::verify_xml(doc.xml, at_2022_12_01());
    EXPECT_TRUE(report.valid) << name << "\n" << report.to_text();
  }
}

}  // namespace
