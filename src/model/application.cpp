#include "qujat/model/application.h"

#include <charconv>

#include "qujat/common/bytes.h"

namespace qujat::model {
namespace {
using Json = nlohmann::json;

std::string summary(const CheckReport& report) {
  std::string s = "the application has " + std::to_string(report.problems.size()) + " problem(s)";
  if (!report.problems.empty()) s += ", first: " + report.problems.front().path + " " + report.problems.front().code;
  return s;
}

std::vector<std::string> problem_lines(const CheckReport& report) {
  std::vector<std::string> out;
  for (const auto& p : report.problems) out.push_back((p.path.empty() ? "/" : p.path) + ": " + p.message.en);
  return out;
}

std::string optional_string(const Json& v, const char* key) {
  const auto it = v.find(key);
  return it != v.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<BilingualText> optional_text(const Json& v, const char* key) {
  const auto it = v.find(key);
  if (it == v.end()) return std::nullopt;
  return bilingual_text(*it);
}

PartyType party_type(const std::string& s) {
  if (s == "individual") return PartyType::individual;
  if (s == "entrepreneur") return PartyType::entrepreneur;
  if (s == "legal_entity") return PartyType::legal_entity;
  return PartyType::foreign;
}
}  // namespace

Json read_application_json(std::string_view text) {
  if (text.size() > max_application_bytes)
    throw Error("model.unreadable", "input is larger than " + std::to_string(max_application_bytes >> 20) + " MiB");
  // The depth limit runs inside the parser, so a file of a million '[' is
  // refused before any deep structure exists.
  const Json::parser_callback_t limit_depth = [](int depth, Json::parse_event_t, Json&) {
    if (depth > max_application_depth)
      throw Error("model.unreadable", "input nests deeper than " + std::to_string(max_application_depth) + " levels");
    return true;
  };
  try {
    return Json::parse(text.begin(), text.end(), limit_depth);
  } catch (const Json::exception& e) {
    // parse_error, and out_of_range for a number no double holds (1e999).
    // nlohmann quotes the offending bytes ("last read: ..."); binary garbage
    // must not reach a terminal or log, so the position is enough.
    std::string why = e.what();
    if (const auto cut = why.find("; last read"); cut != std::string::npos) why.erase(cut);
    throw Error("model.unreadable", "input is not JSON", {why});
  }
}

Json read_application_file(const std::string& path) {
  Bytes data;
  try {
    data = read_file(path, max_application_bytes);
  } catch (const Error& e) {
    throw Error("model.unreadable", "cannot read " + path, {e.full_message()});
  }
  try {
    return read_application_json(as_chars(data));
  } catch (const Error& e) {
    auto why = e.causes();
    why.insert(why.begin(), e.what());
    throw Error("model.unreadable", "cannot read " + path, why);
  }
}

InvalidApplication::InvalidApplication(CheckReport report)
    : Error("model.invalid", summary(report), problem_lines(report)), report_(std::move(report)) {}

BilingualText bilingual_text(const Json& value) {
  if (value.is_string()) return {value.get<std::string>(), value.get<std::string>()};
  if (value.is_object()) return {optional_string(value, "kk"), optional_string(value, "ru")};
  return {};
}

Application Application::from_json(Json document, std::optional<Kind> expected) {
  auto report = check_application(document, expected);
  if (!report.ok() || !report.kind) throw InvalidApplication(std::move(report));
  return Application(*report.kind, std::move(document));
}

Application Application::from_submission(Json document) {
  auto report = check_submission(document);
  if (!report.ok() || !report.kind) throw InvalidApplication(std::move(report));
  return Application(*report.kind, std::move(document));
}

const Json* Application::find(std::string_view dotted_path) const {
  const Json* node = &json_;
  while (!dotted_path.empty()) {
    const auto dot = dotted_path.find('.');
    const std::string_view step = dotted_path.substr(0, dot);
    dotted_path = dot == std::string_view::npos ? std::string_view() : dotted_path.substr(dot + 1);
    if (node->is_object()) {
      const auto it = node->find(step);
      if (it == node->end()) return nullptr;
      node = &*it;
    } else if (node->is_array()) {
      std::size_t index = 0;
      const auto [end, ec] = std::from_chars(step.data(), step.data() + step.size(), index);
      if (ec != std::errc() || end != step.data() + step.size() || index >= node->size()) return nullptr;
      node = &(*node)[index];
    } else {
      return nullptr;
    }
  }
  return node;
}

std::optional<Party> Application::party(std::string_view dotted_path) const {
  const Json* v = find(dotted_path);
  if (v == nullptr || !v->is_object()) return std::nullopt;
  Party p{};
  p.type = party_type(optional_string(*v, "type"));
  p.iin = optional_string(*v, "iin");
  p.bin = optional_string(*v, "bin");
  p.name = bilingual_text(v->value("name", json()));
  p.country = optional_string(*v, "country");
  if (p.country.empty() && p.type != PartyType::foreign) p.country = "KZ";
  p.address = optional_text(*v, "address");
  p.phone = optional_string(*v, "phone");
  p.email = optional_string(*v, "email");
  p.registration_number = optional_string(*v, "registration_number");
  return p;
}

std::vector<GoodsItem> Application::goods() const {
  std::vector<GoodsItem> out;
  const auto it = json_.find("goods");
  if (it == json_.end() || !it->is_array() || kind_ == Kind::execution_report) return out;
  for (const auto& g : *it) {
    GoodsItem item;
    item.name = bilingual_text(g.value("name", json()));
    item.description = optional_text(g, "description");
    item.purpose = optional_text(g, "purpose");
    item.hs_code = optional_string(g, "hs_code");
    item.control_code = optional_string(g, "control_code");
    if (const auto u = g.find("unit"); u != g.end()) {
      item.unit.code = optional_string(*u, "code");
      item.unit.name = bilingual_text(u->value("name", json()));
    }
    item.quantity = Decimal::from_string(optional_string(g, "quantity"));
    if (const auto value = optional_string(g, "value"); !value.empty()) item.value = Decimal::from_string(value);
    out.push_back(std::move(item));
  }
  return out;
}

std::optional<Decimal> Application::total_value() const {
  const auto total = optional_string(json_, "total_value");
  if (total.empty()) return std::nullopt;
  return Decimal::from_string(total);
}

Application parse_application(std::string_view json_text, std::optional<Kind> expected) {
  return Application::from_json(read_application_json(json_text), expected);
}

Application load_application(const std::string& path, std::optional<Kind> expected) {
  return Application::from_json(read_application_file(path), expected);
}

}  // namespace qujat::model
