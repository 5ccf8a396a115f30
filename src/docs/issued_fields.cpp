#include "docs/issued_fields.h"

namespace qujat::docs {

OwnFields own_fields(const std::string& kind) {
  if (kind == "refusal" || kind == "refusal-to-consider" || kind == "hearing-notice" ||
      kind == "classification-conclusion")
    return {"document", "date"};
  if (kind == "euc" || kind == "iic") return {"certificate", "date"};
  if (kind == "execution-report") return {"report", "date"};
  if (kind == "reexport-permit") return {"permit", "issue_date"};
  return {"licence", "issue_date"};
}

const nlohmann::json* find_path(const nlohmann::json& root, std::string_view path) {
  const nlohmann::json* at = &root;
  while (!path.empty()) {
    auto dot = path.find('.');
    auto key = path.substr(0, dot);
    if (!at->is_object()) return nullptr;
    auto it = at->find(key);
    if (it == at->end()) return nullptr;
    at = &*it;
    path = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
  }
  return at->is_null() ? nullptr : at;
}

nlohmann::json print_view(const nlohmann::json& application, const DocumentMeta& meta) {
  nlohmann::json view = application;
  auto own = own_fields(meta.kind);
  auto& object = view[own.object];
  if (!object.is_object()) object = nlohmann::json::object();
  object["number"] = meta.number;
  object[own.date] = format_date(meta.issue_date);
  // An issued licence runs from its issue unless the decision names a later
  // day (000 lines 197-201); the applicant's requested `validity` is not the
  // licence's term and is never printed as such.
  if ((own.object == "licence" || own.object == "permit") && !object.contains("valid_from"))
    object["valid_from"] = format_date(meta.issue_date);
  view["meta"] = {{"kind", meta.kind}, {"number", meta.number}, {"issue_date", format_date(meta.issue_date)}};
  return view;
}

}  // namespace qujat::docs
