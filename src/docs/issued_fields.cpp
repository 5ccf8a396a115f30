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
  if (own.object == "licence" || own.object == "permit") {
    if (const auto* validity = find_path(application, "validity"); validity != nullptr && validity->is_object()) {
      if (!object.contains("valid_from") && validity->contains("from")) object["valid_from"] = (*validity)["from"];
      if (!object.contains("valid_until") && validity->contains("to")) object["valid_until"] = (*validity)["to"];
    }
  }
  view["meta"] = {{"kind", meta.kind}, {"number", meta.number}, {"issue_date", format_date(meta.issue_date)}};
  return view;
}

}  // namespace qujat::docs
