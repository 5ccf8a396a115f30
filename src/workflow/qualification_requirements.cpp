#include "qujat/workflow/qualification_requirements.h"

#include <algorithm>
#include <map>
#include <set>

#include "qujat/common/error.h"
#include "qujat/i18n/template_root.h"
#include "qujat/model/codes.h"
#include "qujat/model/document_types.h"
#include "qujat/model/kind.h"

namespace qujat::workflow {
namespace {
using nlohmann::json;
namespace fs = std::filesystem;

// What a condition may ask about an application. Yes/no facts are the flags
// of the application (docs/application.md) as they are, plus what the
// application implies: `military` also from goods_category or an ML control
// code, every end user in a nuclear-weapon state, a contract file without a term.
constexpr std::string_view kFlagFacts[] = {"intermediary",
                                           "military",
                                           "first_export_to_counterparty",
                                           "nuclear_suppliers_group",
                                           "chemicals",
                                           "medical_equipment",
                                           "new_warehouses",
                                           "road_transport",
                                           "foreign_intermediary",
                                           "reexport",
                                           "return_to_manufacturer",
                                           "previously_imported",
                                           "fee_paid_through_gateway"};
constexpr std::string_view kImpliedFacts[] = {"destination_nuclear_weapon_state", "contract_term_unknown"};

bool is_yes_no_fact(std::string_view name) {
  return std::find(std::begin(kFlagFacts), std::end(kFlagFacts), name) != std::end(kFlagFacts) ||
         std::find(std::begin(kImpliedFacts), std::end(kImpliedFacts), name) != std::end(kImpliedFacts);
}

// Facts with values, and the values each can take (the schema's enums), so
// that a misspelt value in the data is refused instead of never matching:
// the control-list categories of the goods, flags with values, the applicant's type.
const std::map<std::string, std::set<std::string>, std::less<>>& valued_facts() {
  static const std::map<std::string, std::set<std::string>, std::less<>> facts{
      {"control_list_category", {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "ML"}},
      {"goods_category",
       {"dual_use", "military", "national_security", "nuclear", "explosives", "civil_pyrotechnics", "other"}},
      {"export_purpose", {"repair", "modernisation", "processing", "replacement", "warranty_return"}},
      {"dangerous_goods_class", {"1", "2", "3", "4", "5", "6", "7", "8", "9"}},
      {"applicant_type", {"individual", "entrepreneur", "legal_entity", "foreign"}}};
  return facts;
}

struct Facts {
  std::set<std::string, std::less<>> yes;
  std::map<std::string, std::set<std::string>, std::less<>> values;
};

struct Condition {
  enum class Op { always, flag, any_of, all_in, all, any, negation };
  Op op = Op::always;
  std::string fact;
  std::vector<std::string> values;
  std::vector<Condition> children;

  bool holds(const Facts& facts) const {
    switch (op) {
      case Op::always:
        return true;
      case Op::flag:
        return facts.yes.contains(fact);
      case Op::any_of:
      case Op::all_in: {
        const auto it = facts.values.find(fact);
        if (it == facts.values.end() || it->second.empty()) return false;
        auto listed = [&](const std::string& v) { return std::find(values.begin(), values.end(), v) != values.end(); };
        return op == Op::any_of ? std::any_of(it->second.begin(), it->second.end(), listed)
                                : std::all_of(it->second.begin(), it->second.end(), listed);
      }
      case Op::all:
        return std::all_of(children.begin(), children.end(), [&](const Condition& c) { return c.holds(facts); });
      case Op::any:
        return std::any_of(children.begin(), children.end(), [&](const Condition& c) { return c.holds(facts); });
      case Op::negation:
        return !children.front().holds(facts);
    }
    return false;
  }
};

struct Requirement {
  RequiredDocument document;
  Condition when;
};

struct ServiceRequirements {
  std::vector<Requirement> requirements;
  std::set<std::string, std::less<>> nuclear_weapon_states;
};

// ---------------------------------------------------------------- reading the data

class Reader {
 public:
  Reader(std::string file, std::string where) : file_(std::move(file)), where_(std::move(where)) {}
  [[noreturn]] void fail(const std::string& what) const {
    throw Error("requirements.invalid", file_ + (where_.empty() ? "" : ": " + where_) + ": " + what);
  }
  void only(const json& object, std::initializer_list<std::string_view> allowed) const {
    if (!object.is_object()) fail("an object is expected");
    for (const auto& [key, value] : object.items())
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) fail("unknown field \"" + key + "\"");
  }
  std::string string(const json& object, const char* key) const {
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string() || it->get_ref<const std::string&>().empty())
      fail(std::string("\"") + key + "\" must be a non-empty string");
    return it->get<std::string>();
  }
  std::vector<std::string> strings(const json& v, const char* what) const {
    if (!v.is_array() || v.empty()) fail(std::string(what) + " must be a non-empty list of strings");
    std::vector<std::string> out;
    for (const auto& s : v) {
      if (!s.is_string() || s.get_ref<const std::string&>().empty())
        fail(std::string(what) + " must be a non-empty list of strings");
      out.push_back(s.get<std::string>());
    }
    return out;
  }
  model::BilingualText bilingual(const json& object, const char* key) const {
    const auto it = object.find(key);
    if (it == object.end()) fail(std::string("\"") + key + "\" is missing");
    only(*it, {"kk", "ru"});
    return {string(*it, "kk"), string(*it, "ru")};
  }
  std::string document_type(const std::string& type) const {
    if (!model::is_document_type(type)) fail("\"" + type + "\" is not a document type of the schema");
    return type;
  }

  Condition condition(const json& v) const {
    Condition c;
    if (!v.is_object() || v.size() == 0) fail("a condition must be an object");
    if (v.contains("flag")) {
      only(v, {"flag"});
      c.op = Condition::Op::flag;
      c.fact = string(v, "flag");
      if (!is_yes_no_fact(c.fact)) fail("unknown yes/no fact \"" + c.fact + "\"");
    } else if (v.contains("value")) {
      only(v, {"value", "any_of", "all_in"});
      c.fact = string(v, "value");
      const auto fact = valued_facts().find(c.fact);
      if (fact == valued_facts().end()) fail("unknown valued fact \"" + c.fact + "\"");
      if (v.contains("any_of") == v.contains("all_in")) fail("a value condition has either any_of or all_in");
      c.op = v.contains("any_of") ? Condition::Op::any_of : Condition::Op::all_in;
      c.values = strings(v.contains("any_of") ? v["any_of"] : v["all_in"], "the values");
      for (const auto& value : c.values)
        if (!fact->second.contains(value)) fail("\"" + value + "\" is not a value of " + c.fact);
    } else if (v.contains("all") || v.contains("any")) {
      const bool all = v.contains("all");
      if (all)
        only(v, {"all"});
      else
        only(v, {"any"});
      c.op = all ? Condition::Op::all : Condition::Op::any;
      const auto& list = all ? v["all"] : v["any"];
      if (!list.is_array() || list.empty()) fail("\"all\" and \"any\" take a non-empty list of conditions");
      for (const auto& child : list) c.children.push_back(condition(child));
    } else if (v.contains("not")) {
      only(v, {"not"});
      c.op = Condition::Op::negation;
      c.children.push_back(condition(v["not"]));
    } else {
      fail("a condition is {\"flag\"}, {\"value\", \"any_of\"|\"all_in\"}, {\"all\"}, {\"any\"} or {\"not\"}");
    }
    return c;
  }

  Requirement requirement(const json& v) const {
    only(v, {"id", "row", "type", "accepted_types", "name", "translated", "clause", "when", "from_gateway", "signers",
             "seed", "note"});
    Requirement r;
    auto& d = r.document;
    d.id = string(v, "id");
    d.type = document_type(string(v, "type"));
    d.accepted_types.push_back(d.type);
    if (v.contains("accepted_types"))
      for (const auto& t : strings(v["accepted_types"], "accepted_types"))
        if (document_type(t) != d.type) d.accepted_types.push_back(t);
    d.name = bilingual(v, "name");
    if (const auto translated = string(v, "translated");
        translated != "kk" && translated != "ru" && translated != "none")
      fail("\"translated\" names the language the project translated: kk, ru or none");
    if (v.contains("clause")) d.clause = bilingual(v, "clause");
    if (v.contains("when")) r.when = condition(v["when"]);
    if (v.contains("from_gateway")) {
      if (!v["from_gateway"].is_boolean()) fail("\"from_gateway\" must be true or false");
      d.from_gateway = v["from_gateway"].get<bool>();
    }
    if (v.contains("signers")) d.signers = strings(v["signers"], "signers");
    for (const auto& signer : d.signers)
      if (signer != "applicant" && signer != "importer" && signer != "end_user")
        fail("\"" + signer + "\" is not a signer: applicant, importer or end_user");
    d.seed = string(v, "seed");
    if (v.contains("row")) string(v, "row");
    if (v.contains("note")) string(v, "note");
    return r;
  }

 private:
  std::string file_;
  std::string where_;
};

}  // namespace

struct QualificationRequirements::Data {
  std::map<model::Kind, ServiceRequirements> services;
  std::map<std::string, model::BilingualText, std::less<>> names;
};

namespace {

ServiceRequirements read_service(const std::string& file, const json& v) {
  ServiceRequirements out;
  const Reader top(file, "");
  if (const auto it = v.find("nuclear_weapon_states"); it != v.end()) {
    top.only(*it, {"countries", "source"});
    if (!it->contains("countries")) top.fail("nuclear_weapon_states lists its countries");
    for (const auto& c : top.strings((*it)["countries"], "countries")) {
      if (!model::is_country_code(c)) top.fail("\"" + c + "\" is not an ISO 3166-1 country code");
      out.nuclear_weapon_states.insert(c);
    }
    top.string(*it, "source");
  }
  const auto list = v.find("requirements");
  if (list == v.end() || !list->is_array() || list->empty()) top.fail("\"requirements\" must be a non-empty list");
  std::set<std::string> ids;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto& entry = (*list)[i];
    const std::string where = entry.is_object() && entry.contains("id") && entry["id"].is_string()
                                  ? entry["id"].get<std::string>()
                                  : "requirements/" + std::to_string(i);
    const Reader reader(file, where);
    auto r = reader.requirement(entry);
    if (!ids.insert(r.document.id).second) reader.fail("the id is used twice");
    out.requirements.push_back(std::move(r));
  }
  return out;
}

}  // namespace

std::shared_ptr<const QualificationRequirements::Data> QualificationRequirements::load(const fs::path& root) {
  auto data = std::make_shared<QualificationRequirements::Data>();
  const i18n::TemplateRoot templates(root);

  const json& common = templates.common();
  const Reader names_reader((root / "common.json").string(), "attachment_types");
  const auto names = common.find("attachment_types");
  if (names == common.end() || !names->is_object()) names_reader.fail("missing");
  for (const auto& [type, name] : names->items()) {
    names_reader.document_type(type);
    data->names.emplace(type, names_reader.bilingual(*names, type.c_str()));
  }
  for (auto type : model::document_types())
    if (!data->names.contains(type)) names_reader.fail("no name for \"" + std::string(type) + "\"");

  const fs::path folder = root / "requirements";
  if (!fs::is_directory(folder))
    throw Error("requirements.missing", "no qualification requirements in " + folder.string());
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(folder))
    if (e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());

  std::map<model::Kind, std::pair<model::Kind, std::string>> aliases;  // kind -> same_as, file
  for (const auto& path : files) {
    const std::string file = path.string();
    const json& v = templates.json("requirements/" + path.filename().string());
    const Reader reader(file, "");
    reader.only(v, {"about", "service", "seed", "act", "nuclear_weapon_states", "requirements", "same_as"});
    const std::string service = reader.string(v, "service");
    const auto kind = model::parse_kind(service);
    if (!kind) reader.fail("\"" + service + "\" is not a kind of application");
    if (service != path.stem().string()) reader.fail("the file must be named after its service, " + service + ".json");
    reader.string(v, "about");
    if (v.contains("same_as")) {
      const std::string target = reader.string(v, "same_as");
      const auto target_kind = model::parse_kind(target);
      if (!target_kind || *target_kind == *kind) reader.fail("\"same_as\" names another service");
      if (v.contains("requirements")) reader.fail("a file with \"same_as\" has no requirements of its own");
      aliases.emplace(*kind, std::make_pair(*target_kind, file));
      continue;
    }
    reader.string(v, "seed");
    reader.bilingual(v, "act");
    data->services.emplace(*kind, read_service(file, v));
  }
  for (const auto& [kind, alias] : aliases) {
    const auto target = data->services.find(alias.first);
    if (target == data->services.end())
      Reader(alias.second, "").fail("\"same_as\" names a service without requirements of its own");
    data->services.emplace(kind, target->second);
  }
  return data;
}

namespace {

const json* member(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::string string_at(const json& object, const char* key) {
  const json* v = member(object, key);
  return v != nullptr && v->is_string() ? v->get<std::string>() : std::string();
}

// The types an attachment provides: its own and those it says it includes.
std::vector<std::string> provided_types(const json& attachment) {
  std::vector<std::string> out;
  if (auto type = string_at(attachment, "type"); !type.empty()) out.push_back(std::move(type));
  if (const json* includes = member(attachment, "includes"); includes != nullptr && includes->is_array())
    for (const auto& t : *includes)
      if (t.is_string()) out.push_back(t.get<std::string>());
  return out;
}

bool satisfies(const json& attachment, const RequiredDocument& d) {
  for (const auto& t : provided_types(attachment))
    if (std::find(d.accepted_types.begin(), d.accepted_types.end(), t) != d.accepted_types.end()) return true;
  return false;
}

// The control-list category of a control code: "5A002" -> "5", "10C905" ->
// "10", "ML4" -> "ML"; of the flag: "5" -> "5", "ML4" -> "ML".
std::string category_of(const std::string& code) {
  if (code.starts_with("ML")) return "ML";
  std::size_t digits = 0;
  while (digits < code.size() && code[digits] >= '0' && code[digits] <= '9') ++digits;
  return code.substr(0, digits);
}

const json& attachments_of(const json& application) {
  static const json none = json::array();
  const json* list = member(application, "attachments");
  return list != nullptr && list->is_array() ? *list : none;
}

Facts facts_of(const model::Application& application, const ServiceRequirements& service) {
  const json& doc = application.json();
  Facts facts;
  const json* flags = member(doc, "flags");
  if (flags != nullptr)
    for (auto name : kFlagFacts)
      if (const json* v = member(*flags, std::string(name).c_str()); v != nullptr && v->is_boolean() && v->get<bool>())
        facts.yes.emplace(name);

  auto& categories = facts.values["control_list_category"];
  if (flags != nullptr)
    if (auto c = string_at(*flags, "control_list_category"); !c.empty()) categories.insert(category_of(c));
  for (const auto& item : application.goods())
    if (auto c = category_of(item.control_code); !c.empty()) categories.insert(c);
  if (flags != nullptr)
    for (const char* name : {"goods_category", "export_purpose", "dangerous_goods_class"})
      if (auto v = string_at(*flags, name); !v.empty()) facts.values[name].insert(v);
  if (const json* applicant = member(doc, "applicant"))
    if (auto type = string_at(*applicant, "type"); !type.empty()) facts.values["applicant_type"].insert(type);

  const auto& goods_category = facts.values["goods_category"];
  if (goods_category.contains("military") || categories.contains("ML")) facts.yes.insert("military");

  // Every end user in a nuclear-weapon state: the exemptions of 000 rows 4, 9 and 10.
  std::vector<std::string> end_user_countries;
  if (const json* end_user = member(doc, "end_user")) end_user_countries.push_back(string_at(*end_user, "country"));
  if (const json* end_users = member(doc, "end_users"); end_users != nullptr && end_users->is_array())
    for (const auto& party : *end_users) end_user_countries.push_back(string_at(party, "country"));
  if (!end_user_countries.empty() &&
      std::all_of(end_user_countries.begin(), end_user_countries.end(),
                  [&](const std::string& c) { return service.nuclear_weapon_states.contains(c); }))
    facts.yes.insert("destination_nuclear_weapon_state");

  // A contract file without a term needs the parties' written confirmation (000 lines 1079-1091, 1553-1566).
  for (const auto& attachment : attachments_of(doc)) {
    const auto types = provided_types(attachment);
    const bool contract = std::any_of(types.begin(), types.end(), [](const std::string& t) {
      return t == "contract" || t == "transaction_chain_contract";
    });
    if (contract && string_at(attachment, "valid_until").empty()) facts.yes.insert("contract_term_unknown");
  }
  return facts;
}

}  // namespace

QualificationRequirements::QualificationRequirements(const fs::path& templates_root) : data_(load(templates_root)) {}

std::vector<RequiredDocument> QualificationRequirements::required(const model::Application& application) const {
  std::vector<RequiredDocument> out;
  const auto service = data_->services.find(application.kind());
  if (service == data_->services.end()) return out;
  const Facts facts = facts_of(application, service->second);
  for (const auto& r : service->second.requirements)
    if (r.when.holds(facts)) out.push_back(r.document);
  return out;
}

CompletenessReport QualificationRequirements::check(const model::Application& application, Date as_of) const {
  CompletenessReport report;
  if (!data_->services.contains(application.kind())) return report;
  const auto required_documents = required(application);
  const json& attachments = attachments_of(application.json());

  std::set<std::string> reported;
  for (const auto& d : required_documents) {
    if (d.from_gateway) continue;
    const bool present = std::any_of(attachments.begin(), attachments.end(),
                                     [&](const json& attachment) { return satisfies(attachment, d); });
    // Rows that ask for the same document (a contract and the clauses it must
    // carry) name it once, at its first row.
    if (!present && reported.insert(d.type).second) report.missing.push_back(d);
  }

  std::vector<std::pair<std::size_t, ExpiredDocument>> expired;  // (requirement's position, document)
  for (std::size_t i = 0; i < attachments.size(); ++i) {
    const json& attachment = attachments[i];
    const auto valid_until = parse_date(string_at(attachment, "valid_until"));
    if (!valid_until || !(*valid_until < as_of)) continue;
    ExpiredDocument e;
    e.attachment = i;
    e.type = string_at(attachment, "type");
    e.number = string_at(attachment, "number");
    e.date = parse_date(string_at(attachment, "date"));
    e.valid_until = *valid_until;
    std::size_t position = required_documents.size();
    for (std::size_t r = 0; r < required_documents.size(); ++r)
      if (satisfies(attachment, required_documents[r])) {
        position = r;
        break;
      }
    if (position < required_documents.size()) {
      e.name = required_documents[position].name;
      e.seed = required_documents[position].seed;
    } else if (const json* name = member(attachment, "name")) {
      e.name = model::bilingual_text(*name);
    } else {
      e.name = document_name(e.type);
    }
    expired.emplace_back(position, std::move(e));
  }
  std::stable_sort(expired.begin(), expired.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [position, e] : expired) report.expired.push_back(std::move(e));
  return report;
}

const model::BilingualText& QualificationRequirements::document_name(std::string_view type) const {
  const auto it = data_->names.find(type);
  if (it == data_->names.end())
    throw Error("requirements.unknown_type", "no document type \"" + std::string(type) + "\"");
  return it->second;
}

json CompletenessReport::to_json() const {
  auto name = [](const model::BilingualText& t) { return json{{"kk", t.kk}, {"ru", t.ru}}; };
  json missing_documents = json::array();
  for (const auto& d : missing) missing_documents.push_back({{"type", d.type}, {"name", name(d.name)}});
  json expired_documents = json::array();
  for (const auto& e : expired) {
    json entry{{"type", e.type}, {"name", name(e.name)}, {"number", e.number}};
    if (e.date) entry["date"] = format_date(*e.date);
    entry["valid_until"] = format_date(e.valid_until);
    expired_documents.push_back(std::move(entry));
  }
  return {{"missing_documents", std::move(missing_documents)}, {"expired_documents", std::move(expired_documents)}};
}

}  // namespace qujat::workflow
