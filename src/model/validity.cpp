#include "qujat/model/validity.h"

#include <algorithm>

namespace qujat::model {

Date one_year_end(Date from) {
  // sys_days of an impossible 29 February is 1 March, so the day before is
  // the last day of February: a term from 2028-02-29 ends 2029-02-28.
  const Date anniversary = from + std::chrono::years{1};
  return Date{std::chrono::sys_days{anniversary} - std::chrono::days{1}};
}

std::vector<ValidityFinding> check_validity(Date from, Date to, std::span<const ExpiringDocument> documents) {
  std::vector<ValidityFinding> findings;
  if (to < from) findings.push_back({ValidityDefect::to_before_from, from, std::nullopt});
  const Date year_end = one_year_end(from);
  if (to > year_end) findings.push_back({ValidityDefect::over_one_year, year_end, std::nullopt});
  const auto earliest = std::min_element(documents.begin(), documents.end(),
                                         [](const auto& a, const auto& b) { return a.valid_until < b.valid_until; });
  if (earliest != documents.end() && to > earliest->valid_until)
    findings.push_back({ValidityDefect::beyond_document, earliest->valid_until, *earliest});
  return findings;
}

}  // namespace qujat::model
