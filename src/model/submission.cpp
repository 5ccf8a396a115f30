// What an applicant may submit: the application without the office's
// decision. Kept apart from the checker's shape tables, which describe the
// document as issued.
#include <algorithm>

#include "qujat/model/check.h"

namespace qujat::model {

std::string_view decision_field(Kind kind) noexcept {
  switch (kind) {
    case Kind::export_licence:
    case Kind::import_licence:
    case Kind::general_export_licence: return "licence";
    case Kind::reexport_permit: return "permit";
    case Kind::euc:
    case Kind::iic: return "certificate";
    default: return "";
  }
}

CheckReport check_submission(const nlohmann::json& application) {
  auto report = check_application(application);
  if (!report.kind) return report;
  const auto field = decision_field(*report.kind);
  if (field.empty()) return report;
  const std::string path = "/" + std::string(field);
  // The decision block is the office's: not required of the applicant...
  std::erase_if(report.problems, [&](const Problem& p) { return p.code == "field.missing" && p.path == path; });
  // ...and not theirs to write (a self-made licence number or validity).
  if (application.is_object() && application.contains(field)) {
    const std::map<std::string, std::string> params = {{"field", std::string(field)}};
    std::erase_if(report.problems, [&](const Problem& p) { return p.path.starts_with(path); });
    report.problems.push_back({path, "field.decided_by_office", params, check_messages().render("field.decided_by_office", params)});
  }
  return report;
}

}  // namespace qujat::model
