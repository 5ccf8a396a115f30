// Rendered XML with a fixed number equals the committed file under
// tests/data/golden/ byte for byte. The issue date is the sample's own
// (licence.issue_date, document.date, certificate.date, ...): a licence's
// term is measured from it. After a deliberate change, regenerate with
// QUJAT_UPDATE_GOLDEN=1 and review the diff like code.
#include <gtest/gtest.h>

#include <cstdlib>

#include "docs/docs_test_support.h"
#include "support/paths.h"

using namespace qujat;

namespace {

std::filesystem::path golden_dir() { return qujat::test::source_root() / "tests" / "data" / "golden"; }

class Golden : public ::testing::TestWithParam<std::string> {};

TEST_P(Golden, XmlMatchesTheCommittedFile) {
  auto app = test::read_sample(GetParam());
  auto kind = app["kind"].get<std::string>();
  docs::IssueRequest request;
  request.number = test::engine().number_prefixes().at(kind) + "-2026-000042";
  auto xml = test::engine().issue(test::application(app), request).xml;
  auto file = golden_dir() / (GetParam() + ".xml");
  if (const char* update = std::getenv("QUJAT_UPDATE_GOLDEN"); update != nullptr && *update == '1') {
    std::filesystem::create_directories(golden_dir());
    std::ofstream(file, std::ios::binary) << xml;
  }
  ASSERT_TRUE(std::filesystem::exists(file)) << "missing " << file << " (QUJAT_UPDATE_GOLDEN=1 writes it)";
  EXPECT_EQ(xml, test::read_text(file)) << "rendered XML differs from " << file;
}

INSTANTIATE_TEST_SUITE_P(Samples, Golden, ::testing::ValuesIn(test::valid_samples()), [](const auto& info) {
  std::string n = info.param;
  for (auto& c : n)
    if (c == '-') c = '_';
  return n;
});

}  // namespace
