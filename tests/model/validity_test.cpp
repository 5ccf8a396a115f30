#include <gtest/gtest.h>

#include "qujat/model/validity.h"

using namespace qujat::model;

namespace {
qujat::Date day(const char* s) { return *qujat::parse_date(s); }
}  // namespace

TEST(Validity, OneYearEndsTheDayBeforeTheAnniversary) {
  EXPECT_EQ(one_year_end(day("2026-04-01")), day("2027-03-31"));
  EXPECT_EQ(one_year_end(day("2026-01-01")), day("2026-12-31"));
  EXPECT_EQ(one_year_end(day("2028-02-29")), day("2029-02-28"));
  EXPECT_EQ(one_year_end(day("2027-03-01")), day("2028-02-29"));
}

TEST(Validity, ExactlyOneYearIsLawfulOneDayMoreIsNot) {
  EXPECT_TRUE(check_validity(day("2026-04-01"), day("2027-03-31"), {}).empty());
  const auto findings = check_validity(day("2026-04-01"), day("2027-04-01"), {});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].defect, ValidityDefect::over_one_year);
  EXPECT_EQ(findings[0].limit, day("2027-03-31"));
}

TEST(Validity, ToBeforeFrom) {
  const auto findings = check_validity(day("2026-10-01"), day("2026-09-30"), {});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].defect, ValidityDefect::to_before_from);
  EXPECT_TRUE(check_validity(day("2026-10-01"), day("2026-10-01"), {}).empty());  // a one-day term
}

TEST(Validity, NotBeyondTheEarliestDocument) {
  const std::vector<ExpiringDocument> docs{{"/basis/valid_until", day("2026-12-31")},
                                           {"/attachments/1/valid_until", day("2026-09-30")},
                                           {"/attachments/0/valid_until", day("2027-06-30")}};
  EXPECT_TRUE(check_validity(day("2026-04-01"), day("2026-09-30"), docs).empty());
  const auto findings = check_validity(day("2026-04-01"), day("2026-10-01"), docs);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].defect, ValidityDefect::beyond_document);
  ASSERT_TRUE(findings[0].document);
  EXPECT_EQ(findings[0].document->path, "/attachments/1/valid_until");
  EXPECT_EQ(findings[0].limit, day("2026-09-30"));
}

TEST(Validity, EveryDefectIsReported) {
  const std::vector<ExpiringDocument> docs{{"/basis/valid_until", day("2027-01-01")}};
  const auto findings = check_validity(day("2026-01-01"), day("2027-06-01"), docs);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].defect, ValidityDefect::over_one_year);
  EXPECT_EQ(findings[1].defect, ValidityDefect::beyond_document);
}
