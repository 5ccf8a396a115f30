// Where each kind keeps its own number and date in the application
// (licence.number, document.number, certificate.number, report.number), so
// the issued number and the printed boxes agree.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "qujat/docs/document_engine.h"

namespace qujat::docs {

struct OwnFields {
  std::string object;  // "licence", "document", "certificate", "report"
  std::string date;    // the date field inside it: "issue_date" or "date"
};

OwnFields own_fields(const std::string& kind);

// The value at a dotted path ("licence.number"); null when absent.
const nlohmann::json* find_path(const nlohmann::json& root, std::string_view path);

// The application as printed: a copy with the issued number and date in the
// kind's own fields, a licence's or permit's valid_from defaulting to the
// issue date, and `meta.*` (kind, number, issue_date).
nlohmann::json print_view(const nlohmann::json& application, const DocumentMeta& meta);

}  // namespace qujat::docs
