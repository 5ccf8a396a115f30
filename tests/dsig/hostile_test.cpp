// The hostile corpus (tests/data/hostile/): every file is rejected with a
// reason a support desk can read, without crashing and without any network
// or file access (the XXE and external-DTD files point at /etc/passwd and
// example.invalid; the parser never resolves them).
#include <gtest/gtest.h>

#include <filesystem>

#include "qujat/common/bytes.h"
#include "qujat/dsig/xmldsig.h"
#include "support/nca_material.h"

namespace qujat::dsig {
namespace {

struct HostileCase {
  const char* file;
  int exit_code;
  const char* reason;  // words the report must contain
};

void PrintTo(const HostileCase& c, std::ostream* os) { *os << c.file; }

class HostileCorpus : public ::testing::TestWithParam<HostileCase> {};

TEST_P(HostileCorpus, IsRejectedWithAReason) {
  const auto& c = GetParam();
  Bytes data = read_file((test::source_dir() / "tests/data/hostile" / c.file).string());
  VerifyOptions options;
  options.at = parse_instant("2025-01-01T00:00:00Z");
  VerificationReport report = verify_xml(as_chars(data), options);
  EXPECT_FALSE(report.valid);
  EXPECT_EQ(report.exit_code(), c.exit_code) << report.to_text();
  EXPECT_NE(report.to_text().find(c.reason), std::string::npos) << report.to_text();
}

INSTANTIATE_TEST_SUITE_P(
    Files, HostileCorpus,
    ::testing::Values(HostileCase{"xxe-local-file.xml", 2, "declares entity 'xxe'"},
                      HostileCase{"xxe-parameter-entity-network.xml", 2, "declares entity 'remote'"},
                      HostileCase{"external-dtd.xml", 2, "external DTD"},
                      HostileCase{"billion-laughs.xml", 2, "entities are not accepted"},
                      HostileCase{"external-reference-uri.xml", 2, "http://example.invalid/payload.xml"},
                      HostileCase{"xpointer-reference-uri.xml", 2, "no external, file or XPointer references"},
                      HostileCase{"xslt-transform.xml", 2, "no XSLT"},
                      HostileCase{"xpath-transform.xml", 2, "REC-xpath-19991116"},
                      HostileCase{"wrapped-signed-element.xml", 1, "signature wrapping"},
                      HostileCase{"duplicated-signed-element.xml", 2, "ID 'app' is used by two elements"},
                      HostileCase{"duplicate-ids.xml", 2, "ID 'p' is used by two elements"},
                      HostileCase{"truncated-base64-signature-value.xml", 2, "SignatureValue is not valid base64"},
                      HostileCase{"enormous-nesting.xml", 2, "nested deeper than 256"},
                      HostileCase{"wrong-certificate-in-keyinfo.xml", 1, "SignatureValue does not match"},
                      HostileCase{"retrieval-method.xml", 2, "RetrievalMethod"},
                      HostileCase{"unsigned-document.xml", 2, "no ds:Signature"},
                      HostileCase{"not-xml.xml", 2, "not well-formed"}));

TEST(HostileCorpus, EveryFileHasACase) {
  // A file added to the corpus without a case here would go unchecked.
  std::size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(test::source_dir() / "tests/data/hostile"))
    files += e.path().extension() == ".xml" ? 1 : 0;
  EXPECT_EQ(files, 17u);
}

TEST(HostileLimits, TooManySignaturesAndTooLargeInput) {
  Bytes data = read_file((test::source_dir() / "tests/dsig/data/gost2015-self-signed-application.xml").string());
  VerifyOptions options;
  options.max_signatures = 0;
  EXPECT_EQ(verify_xml(as_chars(data), options).exit_code(), 2);
  VerifyOptions few_references;
  few_references.max_total_references = 0;
  auto refs = verify_xml(as_chars(data), few_references);
  EXPECT_EQ(refs.exit_code(), 2);
  EXPECT_NE(refs.to_text().find("references together"), std::string::npos) << refs.to_text();
  VerifyOptions small;
  small.xml_limits.max_bytes = 100;
  auto report = verify_xml(as_chars(data), small);
  EXPECT_EQ(report.exit_code(), 2);
  EXPECT_NE(report.to_text().find("more than the limit"), std::string::npos) << report.to_text();
}

TEST(SelfSignedFixtures, VerifyCryptographicallyWithoutTrust) {
  for (const char* f : {"gost2015-self-signed-application.xml", "gost2015-self-signed-by-id.xml"}) {
    Bytes data = read_file((test::source_dir() / "tests/dsig/data" / f).string());
    VerifyOptions options;
    options.at = parse_instant("2025-01-01T00:00:00Z");
    // By default a signature without trust anchors is not valid: the
    // self-made certificate could claim any IIN.
    auto unanchored = verify_xml(as_chars(data), options);
    EXPECT_FALSE(unanchored.valid) << f;
    EXPECT_EQ(unanchored.exit_code(), 1);
    EXPECT_TRUE(unanchored.signatures.at(0).cryptographic_valid) << f << unanchored.to_text();
    EXPECT_NE(unanchored.to_text().find("no trust anchors were given"), std::string::npos) << unanchored.to_text();

    options.require_trusted_chain = false;
    auto report = verify_xml(as_chars(data), options);
    EXPECT_TRUE(report.valid) << f << report.to_text();
    EXPECT_EQ(report.signatures.at(0).chain, ChainStatus::NotChecked);
    // Trusting an unrelated CA makes the same signature untrusted.
    options.trust.add_anchors_from(test::nca("ca"));
    auto untrusted = verify_xml(as_chars(data), options);
    EXPECT_EQ(untrusted.signatures.at(0).chain, ChainStatus::Untrusted);
    EXPECT_EQ(untrusted.exit_code(), 1);
  }
}

}  // namespace
}  // namespace qujat::dsig
