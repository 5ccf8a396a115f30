// `qujat verify --json` must print a report for any input: findings quote
// the input (libxml2 quotes bytes it could not decode), which need not be
// UTF-8. Found by the xml_signature fuzzer (tests/fuzz/regressions/).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "qujat/dsig/xmldsig.h"

using namespace qujat;

TEST(ReportJson, AFindingQuotingBytesThatAreNotUtf8IsPrintedWithReplacements) {
  // A byte that is not UTF-8 in a tag name that does not match its end tag:
  // libxml2's "tag mismatch" message quotes the name as it found it.
  const std::string xml =
      "<application><appl\xc4"
      "cant>x</applicant></application>";
  dsig::VerificationReport report;
  ASSERT_NO_THROW(report = dsig::verify_xml(xml, dsig::VerifyOptions{}));
  EXPECT_TRUE(report.malformed);
  std::string text;
  ASSERT_NO_THROW(text = report.to_json_text());
  const auto parsed = nlohmann::json::parse(text);
  EXPECT_EQ(parsed.at("valid"), false);
  EXPECT_NE(text.find("\xEF\xBF\xBD"), std::string::npos) << text;  // U+FFFD where the byte was
}
