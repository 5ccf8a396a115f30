// The term of a licence or permit: `to` not before `from`, at most one year,
// and never beyond the earliest expiry of the documents it rests on (the
// contract, the guarantee document...; 000 lines 197-201: "срок действия
// лицензии ... не более одного года ... ограничивается сроком действия
// документов"). Shared by `qujat check` and the workflow that issues licences.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "qujat/common/time.h"

namespace qujat::model {

// A document the licence rests on, with where it sits in the application.
struct ExpiringDocument {
  std::string path;  // JSON pointer of its valid_until, e.g. "/basis/valid_until"
  Date valid_until;
};

enum class ValidityDefect {
  to_before_from,   // the term ends before it starts
  over_one_year,    // `to` later than one_year_end(from)
  beyond_document,  // `to` later than a document's valid_until
};

struct ValidityFinding {
  ValidityDefect defect;
  Date limit;                                // the latest allowed `to` for this defect
  std::optional<ExpiringDocument> document;  // for beyond_document: the earliest-expiring one
};

// The last day of a one-year term that starts on `from`: the day before the
// anniversary (2026-04-01 -> 2027-03-31; 2028-02-29 -> 2029-02-28).
Date one_year_end(Date from);

// Every defect of the term [from, to]; empty when it is lawful. For
// beyond_document only the earliest-expiring document is named.
std::vector<ValidityFinding> check_validity(Date from, Date to, std::span<const ExpiringDocument> documents);

}  // namespace qujat::model
