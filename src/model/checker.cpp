// The rules of `qujat check`. The shapes mirror schemas/application.schema.json
// (kept in step by tests/model/schema_test.cpp); on top of the schema come
// what JSON Schema cannot say: check digits, ISO tables, real dates, terms and totals.
#include <algorithm>
#include <functional>
#include <set>

#include "qujat/common/error.h"
#include "qujat/model/check.h"
#include "qujat/model/codes.h"
#include "qujat/model/decimal.h"
#include "qujat/model/document_types.h"
#include "qujat/model/identity.h"
#include "qujat/model/kind.h"
#include "qujat/model/validity.h"

namespace qujat::model {
namespace {
using json = nlohmann::json;
using Params = std::map<std::string, std::string>;

std::string at_key(const std::string& path, std::string_view key) {
  std::string out = path + "/";
  for (char c : key) {  // RFC 6901 escaping
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}
std::string at_index(const std::string& path, std::size_t i) { return path + "/" + std::to_string(i); }

// A value as a message may quote it: strings as they are, other JSON as
// text; cut at 80 bytes on a UTF-8 character boundary.
std::string shown(const json& v) {
  std::string s = v.is_string() ? v.get<std::string>() : v.dump(-1, ' ', false, json::error_handler_t::replace);
  if (s.size() > 80) {
    std::size_t cut = 77;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    s = s.substr(0, cut) + "...";
  }
  return s;
}

std::string joined(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : ", ") + v;
  return out;
}

class Checker {
 public:
  explicit Checker(const MessageCatalogue& messages) : messages_(messages) {}
  void add(const std::string& path, std::string_view code, Params params = {}) {
    Problem p;
    p.path = path;
    p.code = std::string(code);
    p.message = messages_.render(code, params);
    p.params = std::move(params);
    problems_.push_back(std::move(p));
  }
  std::vector<Problem> take() { return std::move(problems_); }

 private:
  const MessageCatalogue& messages_;
  std::vector<Problem> problems_;
};

using Shape = std::function<void(Checker&, const json&, const std::string&)>;
using Rule = std::function<void(Checker&, const json&, const std::string&)>;

struct Field {
  std::string name;
  Shape shape;
  bool required = false;
};
Field req(std::string name, Shape s) { return {std::move(name), std::move(s), true}; }
Field opt(std::string name, Shape s) { return {std::move(name), std::move(s), false}; }

// ---------------------------------------------------------------- scalar shapes

// The longest text a form box or an XML element takes (about two printed
// pages), and the most rows a list may have (an EUC lists every good of one
// transaction). Larger values are refused by name, never laid out over
// hundreds of sheets.
constexpr std::size_t kMaxTextCharacters = 4000;
constexpr std::size_t kMaxListItems = 1000;

// Unicode characters of valid UTF-8 (nlohmann::json rejects invalid UTF-8).
std::size_t characters(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char byte : s) n += (byte & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

bool expect_string(Checker& c, const json& v, const std::string& path) {
  if (!v.is_string()) {
    c.add(path, "type.string", {{"value", shown(v)}});
    return false;
  }
  const auto& s = v.get_ref<const std::string&>();
  if (s.empty()) {
    c.add(path, "string.empty");
    return false;
  }
  if (const std::size_t length = characters(s); length > kMaxTextCharacters) {
    c.add(path, "string.too_long", {{"length", std::to_string(length)}, {"max", std::to_string(kMaxTextCharacters)}});
    return false;
  }
  return true;
}

// A string that passes `valid`, else `code` quoting the value.
Shape string_where(std::function<bool(const std::string&)> valid, std::string code) {
  return [valid = std::move(valid), code = std::move(code)](Checker& c, const json& v, const std::string& path) {
    if (!expect_string(c, v, path)) return;
    if (valid && !valid(v.get_ref<const std::string&>())) c.add(path, code, {{"value", shown(v)}});
  };
}

Shape string_shape() { return string_where(nullptr, ""); }

Shape boolean_shape() {
  return [](Checker& c, const json& v, const std::string& path) {
    if (!v.is_boolean()) c.add(path, "type.boolean", {{"value", shown(v)}});
  };
}

Shape positive_integer_shape() {
  return [](Checker& c, const json& v, const std::string& path) {
    if (!v.is_number_integer() || v.get<long long>() < 1) c.add(path, "type.integer", {{"value", shown(v)}});
  };
}

Shape enum_shape(std::vector<std::string> allowed) {
  return [allowed = std::move(allowed)](Checker& c, const json& v, const std::string& path) {
    if (!expect_string(c, v, path)) return;
    for (const auto& a : allowed)
      if (v.get_ref<const std::string&>() == a) return;
    c.add(path, "value.not_allowed", {{"value", shown(v)}, {"allowed", joined(allowed)}});
  };
}

Shape bilingual_shape() {
  return [](Checker& c, const json& v, const std::string& path) {
    if (!v.is_object()) {
      c.add(path, "text.bilingual", {{"value", shown(v)}});
      return;
    }
    for (const auto& [key, value] : v.items())
      if (key != "kk" && key != "ru") c.add(at_key(path, key), "field.unknown", {{"field", key}});
    for (const char* lang : {"kk", "ru"}) {
      if (!v.contains(lang))
        c.add(at_key(path, lang), "field.missing", {{"field", lang}});
      else
        expect_string(c, v[lang], at_key(path, lang));
    }
  };
}

// Printed text: {kk, ru}, or one string for proper names.
Shape text_shape() {
  return [bilingual = bilingual_shape()](Checker& c, const json& v, const std::string& path) {
    if (v.is_string()) {
      expect_string(c, v, path);
      return;
    }
    if (v.is_object()) {
      bilingual(c, v, path);
      return;
    }
    c.add(path, "text.invalid", {{"value", shown(v)}});
  };
}

Shape date_shape() {
  return string_where([](const std::string& s) { return parse_date(s).has_value(); }, "date.invalid");
}
Shape instant_shape() {
  return string_where([](const std::string& s) { return parse_instant(s).has_value(); }, "instant.invalid");
}
Shape country_shape() {
  return string_where([](const std::string& s) { return is_country_code(s); }, "country.unknown");
}
Shape currency_shape() {
  return string_where([](const std::string& s) { return is_currency_code(s); }, "currency.unknown");
}
Shape hs_code_shape() {
  return string_where([](const std::string& s) { return is_commodity_code(s); }, "hs_code.invalid");
}
Shape control_code_shape() {
  return string_where([](const std::string& s) { return is_control_code(s); }, "control_code.invalid");
}
Shape unit_code_shape() {
  return string_where([](const std::string& s) { return is_unit_code(s); }, "unit.code_invalid");
}

Shape email_shape() {
  return string_where(
      [](const std::string& s) {
        const auto at = s.find('@');
        if (at == std::string::npos || at == 0 || s.find('@', at + 1) != std::string::npos) return false;
        const auto dot = s.find('.', at);
        if (dot == std::string::npos || dot == at + 1 || dot + 1 == s.size()) return false;
        for (unsigned char ch : s)
          if (ch <= ' ') return false;
        return true;
      },
      "email.invalid");
}

Shape phone_shape() {
  return string_where(
      [](const std::string& s) {
        int digits = 0;
        for (std::size_t i = 0; i < s.size(); ++i) {
          const char ch = s[i];
          if (ch >= '0' && ch <= '9')
            ++digits;
          else if (!(ch == ' ' || ch == '-' || ch == '(' || ch == ')' || (ch == '+' && i == 0)))
            return false;
        }
        return digits >= 5 && digits <= 15;  // ITU-T E.164: at most 15 digits
      },
      "phone.invalid");
}

// IBAN (ISO 13616): country, two check digits, mod 97 of the rearranged number is 1.
bool is_iban(const std::string& s) {
  if (s.size() < 15 || s.size() > 34) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char ch = s[i];
    const bool letter = ch >= 'A' && ch <= 'Z', digit = ch >= '0' && ch <= '9';
    if (i < 2 ? !letter : (i < 4 ? !digit : !(letter || digit))) return false;
  }
  const std::string rearranged = s.substr(4) + s.substr(0, 4);
  int remainder = 0;
  for (char ch : rearranged) {
    const int value = ch >= 'A' ? ch - 'A' + 10 : ch - '0';
    remainder = (value >= 10 ? remainder * 100 : remainder * 10) + value;
    remainder %= 97;
  }
  return remainder == 1;
}
Shape account_shape() { return string_where(is_iban, "account.invalid"); }
Shape bic_shape() {
  return string_where(
      [](const std::string& s) {
        if (s.size() != 8 && s.size() != 11) return false;
        for (char ch : s)
          if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))) return false;
        return true;
      },
      "bic.invalid");
}

Shape identity_shape(bool is_bin) {
  return [is_bin](Checker& c, const json& v, const std::string& path) {
    if (!expect_string(c, v, path)) return;
    const auto& s = v.get_ref<const std::string&>();
    if (const auto defect = is_bin ? bin_defect(s) : iin_defect(s)) {
      std::string code = is_bin ? "bin." : "iin.";
      code += defect_name(*defect);
      Params params{{"value", shown(v)}};
      if (*defect == IdentityDefect::check_digit) {
        const auto expected = identity_check_digit(s);
        params["expected"] = expected ? std::to_string(*expected) : "-";
      }
      c.add(path, code, std::move(params));
    }
  };
}

enum class Sign { any_non_negative, positive };
Shape decimal_shape(Sign sign = Sign::any_non_negative) {
  return [sign](Checker& c, const json& v, const std::string& path) {
    if (v.is_number()) {
      c.add(path, "decimal.not_string", {{"value", shown(v)}});
      return;
    }
    if (!expect_string(c, v, path)) return;
    const auto d = Decimal::parse(v.get_ref<const std::string&>());
    if (!d) return c.add(path, "decimal.invalid", {{"value", shown(v)}});
    if (d->is_negative()) return c.add(path, "decimal.negative", {{"value", shown(v)}});
    if (sign == Sign::positive && d->is_zero()) c.add(path, "decimal.not_positive", {{"value", shown(v)}});
  };
}

// ---------------------------------------------------------------- composite shapes

Shape object_shape(std::vector<Field> fields, Rule rule = nullptr) {
  return [fields = std::move(fields), rule = std::move(rule)](Checker& c, const json& v, const std::string& path) {
    if (!v.is_object()) {
      c.add(path, "type.object", {{"value", shown(v)}});
      return;
    }
    for (const auto& [key, value] : v.items()) {
      bool known = false;
      for (const auto& f : fields) known = known || f.name == key;
      if (!known) c.add(at_key(path, key), "field.unknown", {{"field", key}});
    }
    for (const auto& f : fields) {
      const auto it = v.find(f.name);
      if (it != v.end()) {
        if (f.shape) f.shape(c, *it, at_key(path, f.name));
      } else if (f.required) {
        c.add(at_key(path, f.name), "field.missing", {{"field", f.name}});
      }
    }
    if (rule) rule(c, v, path);
  };
}

Shape array_shape(Shape item, std::size_t min_items = 0) {
  return [item = std::move(item), min_items](Checker& c, const json& v, const std::string& path) {
    if (!v.is_array()) {
      c.add(path, "type.array", {{"value", shown(v)}});
      return;
    }
    if (v.size() < min_items) c.add(path, "list.too_short", {{"min", std::to_string(min_items)}});
    if (v.size() > kMaxListItems) {
      c.add(path, "list.too_long", {{"count", std::to_string(v.size())}, {"max", std::to_string(kMaxListItems)}});
      return;  // its rows are not checked one by one
    }
    for (std::size_t i = 0; i < v.size(); ++i) item(c, v[i], at_index(path, i));
  };
}

std::string string_or_empty(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Shape party_shape() {
  return object_shape({req("type", enum_shape({"individual", "entrepreneur", "legal_entity", "foreign"})),
                       opt("iin", identity_shape(false)), opt("bin", identity_shape(true)), req("name", text_shape()),
                       opt("country", country_shape()), opt("address", text_shape()), opt("phone", phone_shape()),
                       opt("email", email_shape()), opt("registration_number", string_shape())},
                      [](Checker& c, const json& v, const std::string& path) {
                        const std::string type = string_or_empty(v, "type");
                        auto need = [&](const char* field) {
                          if (!v.contains(field)) c.add(at_key(path, field), "field.missing", {{"field", field}});
                        };
                        auto forbid = [&](const char* field) {
                          if (v.contains(field))
                            c.add(at_key(path, field), "field.not_allowed", {{"field", field}, {"type", type}});
                        };
                        if (type == "individual" || type == "entrepreneur") {
                          need("iin");
                          forbid("bin");
                        } else if (type == "legal_entity") {
                          need("bin");
                          forbid("iin");
                        } else if (type == "foreign") {
                          need("country");
                          forbid("iin");
                          forbid("bin");
                        }
                        // A party with an IIN or BIN is registered in Kazakhstan.
                        const std::string country = string_or_empty(v, "country");
                        if (type != "foreign" && !country.empty() && country != "KZ")
                          c.add(at_key(path, "country"), "party.resident_country", {{"value", country}});
                      });
}

Shape unit_shape() { return object_shape({req("code", unit_code_shape()), req("name", text_shape())}); }

struct GoodsNeeds {
  bool value = false;
  bool control_code = false;
  bool purpose = false;
};
Shape goods_item_shape(GoodsNeeds needs) {
  return object_shape({req("name", text_shape()), opt("description", text_shape()),
                       Field{"purpose", text_shape(), needs.purpose}, req("hs_code", hs_code_shape()),
                       Field{"control_code", control_code_shape(), needs.control_code}, req("unit", unit_shape()),
                       req("quantity", decimal_shape(Sign::positive)), Field{"value", decimal_shape(), needs.value}});
}

Shape document_ref_shape() {
  return object_shape({req("number", string_shape()), req("date", date_shape()), opt("valid_until", date_shape())});
}
Shape application_meta_shape() {
  return object_shape({req("number", string_shape()), req("date", date_shape()), opt("received_at", instant_shape())});
}
Shape validity_shape() { return object_shape({req("from", date_shape()), req("to", date_shape())}); }
Shape basis_shape() {
  return object_shape({req("kind", enum_shape({"contract", "agreement", "permit", "conclusion", "other"})),
                       opt("name", text_shape()), req("number", string_shape()), req("date", date_shape()),
                       opt("valid_until", date_shape())});
}
Shape document_type_shape() {
  const auto types = document_types();
  return enum_shape(std::vector<std::string>(types.begin(), types.end()));
}
// The SHA-256 of an attached file, as 64 lowercase hex digits: the signed
// application names each file by its digest, so the signature covers the files.
Shape sha256_shape() {
  return string_where(
      [](const std::string& s) {
        return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char ch) {
                 return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
               });
      },
      "sha256.invalid");
}
// `includes` names the other required documents the same file contains (a
// contract whose text carries the end user's assurances, 000 lines 1634-1638).
Shape attachment_shape() {
  return object_shape({req("type", document_type_shape()), opt("name", text_shape()), req("number", string_shape()),
                       req("date", date_shape()), opt("valid_until", date_shape()),
                       opt("issuer_country", country_shape()), opt("issuer", text_shape()),
                       req("sha256", sha256_shape()),
                       opt("includes", array_shape(document_type_shape()))});
}
Shape named_document_shape() {
  return object_shape({req("type", document_type_shape()), req("name", text_shape()), opt("number", string_shape()),
                       opt("date", date_shape()), opt("valid_until", date_shape())});
}
Shape bank_account_shape() {
  return object_shape({req("account", account_shape()), req("bank", text_shape()), opt("bic", bic_shape()),
                       opt("currency", currency_shape())});
}
Shape signatory_shape() { return object_shape({req("full_name", string_shape()), req("position", text_shape())}); }

// The decision data of an issued licence or permit: box 17 / permit box 14
// (the approving bodies' letters), box 19 / permit box 15 (the licensor), the
// term. The number is optional: the documents engine draws it when absent.
Shape approval_shape() {
  return object_shape(
      {req("body", bilingual_shape()), req("letter_number", string_shape()), req("letter_date", date_shape())});
}
Shape licensor_shape() {
  return object_shape({req("body", bilingual_shape()), req("position", bilingual_shape()),
                       req("full_name", string_shape()), req("date", date_shape())});
}
enum class Approvals { required, optional };
Shape issued_licence_shape(Approvals approvals = Approvals::required) {
  return object_shape({opt("number", string_shape()), req("issue_date", date_shape()), opt("valid_from", date_shape()),
                       req("valid_until", date_shape()),
                       Field{"approvals", array_shape(approval_shape(), 1), approvals == Approvals::required},
                       req("licensor", licensor_shape())});
}
// What the completeness rules of the qualification requirements read
// (templates/requirements/, docs/requirements.md): the goods' categories and
// the circumstances the seed tables name.
Shape flags_shape() {
  return object_shape(
      {opt("intermediary", boolean_shape()), opt("military", boolean_shape()),
       opt("goods_category", enum_shape({"dual_use", "military", "national_security", "nuclear", "explosives",
                                         "civil_pyrotechnics", "other"})),
       opt("control_list_category", string_where(
                                        [](const std::string& s) {
                                          if (s.starts_with("ML")) return is_control_code(s);
                                          return (s.size() == 1 || s == "10") && s[0] >= '0' && s[0] <= '9';
                                        },
                                        "value.not_allowed")),
       opt("first_export_to_counterparty", boolean_shape()), opt("nuclear_suppliers_group", boolean_shape()),
       opt("chemicals", boolean_shape()), opt("medical_equipment", boolean_shape()),
       opt("new_warehouses", boolean_shape()), opt("road_transport", boolean_shape()),
       opt("dangerous_goods_class", enum_shape({"1", "2", "3", "4", "5", "6", "7", "8", "9"})),
       opt("foreign_intermediary", boolean_shape()), opt("reexport", boolean_shape()),
       opt("return_to_manufacturer", boolean_shape()), opt("previously_imported", boolean_shape()),
       opt("export_purpose", enum_shape({"repair", "modernisation", "processing", "replacement", "warranty_return"})),
       opt("fee_paid_through_gateway", boolean_shape())});
}
const std::vector<std::string>& services() {
  static const std::vector<std::string> list = [] {
    std::vector<std::string> names;
    for (Kind k : model::services()) names.emplace_back(kind_name(k));
    return names;
  }();
  return list;
}
Shape ground_shape() {
  return object_shape({req("code", positive_integer_shape()), opt("details", bilingual_shape())});
}
Shape hearing_shape() {
  return object_shape({req("at", instant_shape()), opt("place", text_shape()),
                       opt("online", string_where([](const std::string& s) { return s.starts_with("https://"); },
                                                  "hearing.online_not_https"))},
                      [](Checker& c, const json& v, const std::string& path) {
                        if (!v.contains("place") && !v.contains("online")) c.add(path, "hearing.no_place");
                      });
}

// ---------------------------------------------------------------- cross-field rules

std::optional<Date> date_at(const json& root, const std::string& pointer) {
  const json::json_pointer p(pointer);
  if (!root.contains(p)) return std::nullopt;
  const auto& v = root.at(p);
  if (!v.is_string()) return std::nullopt;
  return parse_date(v.get_ref<const std::string&>());
}

std::optional<Decimal> decimal_at(const json& v, const char* key) {
  const auto it = v.find(key);
  if (it == v.end() || !it->is_string()) return std::nullopt;
  return Decimal::parse(it->get_ref<const std::string&>());
}

std::vector<ExpiringDocument> expiring_documents(const json& root) {
  std::vector<ExpiringDocument> docs;
  for (const char* pointer : {"/basis/valid_until", "/contract/valid_until"})
    if (auto d = date_at(root, pointer)) docs.push_back({pointer, *d});
  if (const auto it = root.find("attachments"); it != root.end() && it->is_array())
    for (std::size_t i = 0; i < it->size(); ++i) {
      const std::string pointer = "/attachments/" + std::to_string(i) + "/valid_until";
      if (auto d = date_at(root, pointer)) docs.push_back({pointer, *d});
    }
  return docs;
}

void term_rule(Checker& c, const json& root, const std::string& from_pointer, const std::string& to_pointer) {
  const auto from = date_at(root, from_pointer);
  const auto to = date_at(root, to_pointer);
  if (!from || !to) return;
  const auto docs = expiring_documents(root);
  for (const auto& f : check_validity(*from, *to, docs)) {
    switch (f.defect) {
      case ValidityDefect::to_before_from:
        c.add(to_pointer, "validity.to_before_from", {{"from", format_date(*from)}, {"to", format_date(*to)}});
        break;
      case ValidityDefect::over_one_year:
        c.add(to_pointer, "validity.over_one_year",
              {{"from", format_date(*from)}, {"to", format_date(*to)}, {"limit", format_date(f.limit)}});
        break;
      case ValidityDefect::beyond_document:
        c.add(to_pointer, "validity.beyond_document",
              {{"to", format_date(*to)}, {"document", f.document->path}, {"valid_until", format_date(f.limit)}});
        break;
    }
  }
}

// An issued licence or permit runs from its issue, never earlier, for at
// most one year from the issue date, and not beyond its documents (000 lines
// 197-201; 002 line 121): the term is measured from issue_date whatever
// valid_from says.
void issued_term_rule(Checker& c, const json& root, const std::string& block) {
  const std::string base = "/" + block;
  if (!root.contains(block)) return;
  term_rule(c, root, base + "/issue_date", base + "/valid_until");
  const auto issued = date_at(root, base + "/issue_date");
  const auto from = date_at(root, base + "/valid_from");
  const auto to = date_at(root, base + "/valid_until");
  if (issued && from && *from < *issued)
    c.add(base + "/valid_from", "validity.before_issue",
          {{"from", format_date(*from)}, {"issue_date", format_date(*issued)}});
  // (An end before the issue date is reported by term_rule above.)
  if (issued && from && to && *to < *from && !(*to < *issued))
    c.add(base + "/valid_until", "validity.to_before_from", {{"from", format_date(*from)}, {"to", format_date(*to)}});
}

void licence_terms_rule(Checker& c, const json& root, const char* block) {
  term_rule(c, root, "/validity/from", "/validity/to");
  issued_term_rule(c, root, block);
}

void total_rule(Checker& c, const json& root) {
  const auto total = decimal_at(root, "total_value");
  const auto goods = root.find("goods");
  if (!total || goods == root.end() || !goods->is_array() || goods->empty()) return;
  Decimal sum;
  for (const auto& item : *goods) {
    if (!item.is_object()) return;
    const auto value = decimal_at(item, "value");
    if (!value) return;  // reported as missing or malformed already
    sum += *value;
  }
  if (sum != *total) c.add("/total_value", "total.not_sum", {{"total", total->to_string()}, {"sum", sum.to_string()}});
}

// How many numbered refusal grounds each service has (templates/grounds/*.json
// hold their texts): licences 19 (000 lines 593-662), re-export permit 16
// (002 lines 222-258), trade licence 10 (001 lines 2251-2393), EUC/IIC 4
// (003), classification conclusion 5 (001).
int ground_count(const std::string& service) {
  const auto kind = parse_kind(service);
  if (!kind) return 0;
  if (is_seed_000_licence(*kind)) return 19;
  if (is_trade_licence(*kind)) return 10;
  switch (*kind) {
    case Kind::reexport_permit: return 16;
    case Kind::euc:
    case Kind::iic: return 4;
    case Kind::classification_conclusion: return 5;
    default: return 0;
  }
}

void grounds_rule(Checker& c, const json& root) {
  const std::string service = string_or_empty(root, "service");
  const int max = ground_count(service);
  const auto grounds = root.find("grounds");
  if (max == 0 || grounds == root.end() || !grounds->is_array()) return;
  std::set<long long> seen;
  for (std::size_t i = 0; i < grounds->size(); ++i) {
    const auto& g = (*grounds)[i];
    if (!g.is_object() || !g.contains("code") || !g["code"].is_number_integer()) continue;
    const auto code = g["code"].get<long long>();
    const std::string path = "/grounds/" + std::to_string(i) + "/code";
    if (code < 1) continue;
    if (code > max)
      c.add(path, "ground.unknown",
            {{"code", std::to_string(code)}, {"service", service}, {"max", std::to_string(max)}});
    else if (!seen.insert(code).second)
      c.add(path, "ground.duplicate", {{"code", std::to_string(code)}});
  }
}

void not_before_rule(Checker& c, const json& root, const std::string& later, const std::string& earlier,
                     std::string_view code) {
  const auto a = date_at(root, later), b = date_at(root, earlier);
  if (a && b && *a < *b) c.add(later, code, {{"date", format_date(*a)}, {"earlier", format_date(*b)}});
}

// Extraterritorial re-export moves goods made in Kazakhstan from another
// foreign state to third countries, and foreign persons do it (002 lines 103,
// 109): the applicant is foreign, the goods leave a foreign state, and they go
// to a third country (neither Kazakhstan nor the state they leave). Goods
// leaving Kazakhstan need an export licence instead.
void reexport_parties_rule(Checker& c, const json& root) {
  if (const auto applicant = root.find("applicant"); applicant != root.end() && applicant->is_object()) {
    const std::string type = string_or_empty(*applicant, "type");
    if (!type.empty() && type != "foreign")
      c.add("/applicant/type", "reexport.applicant_not_foreign", {{"value", type}});
  }
  const std::string from = string_or_empty(root, "dispatch_country");
  const std::string to = string_or_empty(root, "destination_country");
  if (from == "KZ") c.add("/dispatch_country", "reexport.dispatch_from_kazakhstan", {{"value", from}});
  if (to == "KZ")
    c.add("/destination_country", "reexport.destination_kazakhstan", {{"value", to}});
  else if (!to.empty() && to == from)
    c.add("/destination_country", "reexport.destination_not_third_country", {{"value", to}});
}

// The MFA's check of the importing country's guarantee document, as a
// refusal or hearing notice records it (000 lines 300-310): when the
// document was sent, and the answer so far.
Shape guarantee_check_shape() {
  return object_shape({req("sent_on", date_shape()), req("result", enum_shape({"negative", "confirmed", "none"})),
                       opt("answered_on", date_shape())},
                      [](Checker& c, const json& v, const std::string& path) {
                        if (string_or_empty(v, "result") == "negative" && !v.contains("answered_on"))
                          c.add(path + "/answered_on", "field.missing", {{"field", "answered_on"}});
                      });
}

// Ground 12 of the licence catalogue is a negative MFA answer or none within
// one calendar year of sending (000 lines 637-638); until then the term is
// stopped (000 lines 496-499) and the ground cannot be cited, in a hearing
// notice or a refusal alike.
void ground12_rule(Checker& c, const json& root) {
  const auto service = parse_kind(string_or_empty(root, "service"));
  if (!service || !is_seed_000_licence(*service)) return;
  const auto grounds = root.find("grounds");
  if (grounds == root.end() || !grounds->is_array()) return;
  for (std::size_t i = 0; i < grounds->size(); ++i) {
    const auto& g = (*grounds)[i];
    if (!g.is_object() || !g.contains("code") || g["code"] != 12) continue;
    const std::string path = "/grounds/" + std::to_string(i) + "/code";
    const auto check = root.find("guarantee_check");
    if (check == root.end() || !check->is_object()) {
      c.add(path, "ground.mfa_check_unknown");
      continue;
    }
    const std::string result = string_or_empty(*check, "result");
    const auto decided = date_at(root, "/document/date");
    const auto sent = date_at(root, "/guarantee_check/sent_on");
    if (result == "confirmed") {
      c.add(path, "ground.mfa_confirmed");
    } else if (result == "negative") {
      const auto answered = date_at(root, "/guarantee_check/answered_on");
      if (answered && decided && *decided < *answered)
        c.add(path, "ground.mfa_answer_after_document",
              {{"answered_on", format_date(*answered)}, {"date", format_date(*decided)}});
    } else if (result == "none" && sent && decided) {
      // The year runs from the day of sending: no answer by its last day.
      const Date from{std::chrono::sys_days{one_year_end(*sent)} + std::chrono::days{1}};
      if (*decided < from)
        c.add(path, "ground.mfa_year_not_over",
              {{"sent_on", format_date(*sent)}, {"from", format_date(from)}, {"date", format_date(*decided)}});
    }
  }
}

// ---------------------------------------------------------------- kinds

struct KindRules {
  Shape shape;
  Rule rule;
};

std::vector<Field> licence_fields(GoodsNeeds needs) {
  return {opt("kind", nullptr),
          req("application", application_meta_shape()),
          req("applicant", party_shape()),
          opt("revenue_body", text_shape()),
          req("validity", validity_shape()),
          req("basis", basis_shape()),
          req("goods", array_shape(goods_item_shape(needs), 1)),
          req("currency", currency_shape()),
          req("total_value", decimal_shape()),
          opt("bank_accounts", array_shape(bank_account_shape())),
          opt("special_conditions", text_shape()),
          req("signatory", signatory_shape()),
          opt("attachments", array_shape(attachment_shape())),
          opt("flags", flags_shape()),
          opt("licence", issued_licence_shape())};
}

std::vector<Field> plus(std::vector<Field> base, std::vector<Field> more) {
  for (auto& f : more) base.push_back(std::move(f));
  return base;
}

// "Лицензия выдается на каждый вид товара ... с указанием десятизначного
// кода" (000 lines 203-209): every goods row of one licence has the first row's code.
void one_commodity_code_rule(Checker& c, const json& root) {
  const auto goods = root.find("goods");
  if (goods == root.end() || !goods->is_array() || goods->empty() || !(*goods)[0].is_object()) return;
  const std::string first = string_or_empty((*goods)[0], "hs_code");
  if (first.empty()) return;
  for (std::size_t i = 1; i < goods->size(); ++i) {
    if (!(*goods)[i].is_object()) continue;
    const std::string code = string_or_empty((*goods)[i], "hs_code");
    if (!code.empty() && code != first)
      c.add("/goods/" + std::to_string(i) + "/hs_code", "goods.one_commodity_code",
            {{"value", code}, {"first", first}});
  }
}

// A general licence covers only control codes 1C350, 10C905 and 10C906 (000 lines 184-195).
void general_licence_codes_rule(Checker& c, const json& root) {
  const auto goods = root.find("goods");
  if (goods == root.end() || !goods->is_array()) return;
  for (std::size_t i = 0; i < goods->size(); ++i) {
    if (!(*goods)[i].is_object()) continue;
    const std::string code = string_or_empty((*goods)[i], "control_code");
    if (code.empty() || !is_control_code(code)) continue;
    bool allowed = false;
    for (std::string_view prefix : {"1C350", "10C905", "10C906"})
      allowed = allowed || code == prefix || code.starts_with(std::string(prefix) + ".");
    if (!allowed)
      c.add("/goods/" + std::to_string(i) + "/control_code", "control_code.general_licence", {{"value", code}});
  }
}

Rule licence_rule(bool general = false) {
  return [general](Checker& c, const json& root, const std::string&) {
    licence_terms_rule(c, root, "licence");
    total_rule(c, root);
    one_commodity_code_rule(c, root);
    if (general) general_licence_codes_rule(c, root);
  };
}

Rule trade_licence_rule() {
  return [](Checker& c, const json& root, const std::string&) {
    licence_terms_rule(c, root, "licence");
    total_rule(c, root);
  };
}

std::vector<Field> decision_fields() {
  return {opt("kind", nullptr),
          req("document", document_ref_shape()),
          req("addressee", party_shape()),
          req("application_ref", application_meta_shape()),
          req("service", enum_shape(services())),
          req("signatory", signatory_shape())};
}

// EUC and IIC, with what the applicant submits along (003 lines 191-201: the
// importer's guarantee obligation; 001 lines 511-544).
std::vector<Field> certificate_fields() {
  return {opt("kind", nullptr),
          req("certificate", document_ref_shape()),
          opt("application", application_meta_shape()),
          req("importer", party_shape()),
          req("exporter", party_shape()),
          req("goods", array_shape(goods_item_shape({.value = false, .control_code = true, .purpose = false}), 1)),
          req("contract", document_ref_shape()),
          req("signatory", signatory_shape()),
          opt("attachments", array_shape(attachment_shape())),
          opt("flags", flags_shape())};
}

std::vector<Field> trade_fields(const char* counterparty, const char* country) {
  return {opt("kind", nullptr),
          req("application", application_meta_shape()),
          req("validity", validity_shape()),
          req("contract", document_ref_shape()),
          req("applicant", party_shape()),
          req(counterparty, party_shape()),
          req(country, country_shape()),
          req("currency", currency_shape()),
          req("total_value", decimal_shape()),
          opt("statistical_value", decimal_shape()),
          req("country_of_origin", country_shape()),
          req("goods", array_shape(goods_item_shape({.value = true, .control_code = false, .purpose = false}), 1)),
          opt("additional_information", text_shape()),
          opt("basis", basis_shape()),
          req("signatory", signatory_shape()),
          opt("attachments", array_shape(attachment_shape())),
          opt("licence", issued_licence_shape(Approvals::optional))};
}

KindRules make_rules(Kind kind) {
  const GoodsNeeds licence_goods{.value = true, .control_code = true, .purpose = false};
  switch (kind) {
    case Kind::export_licence:
      return {object_shape(plus(
                  licence_fields(licence_goods),
                  {req("manufacturer", party_shape()), req("buyer", party_shape()), req("end_user", party_shape())})),
              licence_rule()};
    case Kind::import_licence:
      return {object_shape(plus(licence_fields({.value = true, .control_code = true, .purpose = true}),
                                {opt("manufacturer", party_shape()), req("seller", party_shape()),
                                 req("end_user", party_shape()), req("country_of_origin", country_shape())})),
              licence_rule()};
    case Kind::general_export_licence:
      return {object_shape(plus(licence_fields(licence_goods),
                                {req("manufacturer", party_shape()), req("buyers", array_shape(party_shape(), 1)),
                                 req("end_users", array_shape(party_shape(), 1))})),
              licence_rule(true)};
    case Kind::refusal:
      return {object_shape(plus(decision_fields(), {req("grounds", array_shape(ground_shape(), 1)),
                                                    opt("guarantee_check", guarantee_check_shape())})),
              [](Checker& c, const json& root, const std::string&) {
                grounds_rule(c, root);
                ground12_rule(c, root);
              }};
    case Kind::refusal_to_consider:
      return {object_shape(plus(decision_fields(), {opt("missing_documents", array_shape(named_document_shape())),
                                                    opt("expired_documents", array_shape(named_document_shape())),
                                                    opt("details", bilingual_shape())})),
              [](Checker& c, const json& root, const std::string&) {
                auto listed = [&](const char* key) {
                  const auto it = root.find(key);
                  return it != root.end() && it->is_array() && !it->empty();
                };
                if (!listed("missing_documents") && !listed("expired_documents"))
                  c.add("/missing_documents", "documents.none_listed");
              }};
    case Kind::hearing_notice:
      return {
          object_shape(plus(
              decision_fields(),
              {req("grounds", array_shape(ground_shape(), 1)), req("hearing", hearing_shape()),
               opt("guarantee_check", guarantee_check_shape()),
               opt("delivery", array_shape(enum_shape({"registered_letter", "sms", "email", "cabinet", "other"})))})),
          [](Checker& c, const json& root, const std::string&) {
            grounds_rule(c, root);
            ground12_rule(c, root);
            const auto at = root.find("hearing");
            const auto notice = date_at(root, "/document/date");
            if (at == root.end() || !at->is_object() || !notice) return;
            const auto when = at->find("at");
            if (when == at->end() || !when->is_string()) return;
            // The hearing is held after the notice (000 lines 354-365); compare in Kazakhstan time (UTC+5).
            if (auto instant = parse_instant(when->get_ref<const std::string&>())) {
              const Date day{std::chrono::floor<std::chrono::days>(*instant + std::chrono::hours{5})};
              if (day < *notice)
                c.add("/hearing/at", "hearing.before_notice",
                      {{"at", when->get<std::string>()}, {"date", format_date(*notice)}});
            }
          }};
    case Kind::euc:
      return {
          object_shape(plus(certificate_fields(), {req("end_user", party_shape()), req("place_of_use", text_shape()),
                                                   req("purpose", text_shape())})),
          nullptr};
    case Kind::iic:
      return {object_shape(certificate_fields()), nullptr};
    case Kind::reexport_permit:
      return {
          object_shape({opt("kind", nullptr), req("application", application_meta_shape()),
                        req("applicant", party_shape()), req("dispatch_country", country_shape()),
                        req("destination_country", country_shape()), req("end_user", party_shape()),
                        req("basis", basis_shape()), req("goods", array_shape(goods_item_shape(licence_goods), 1)),
                        req("currency", currency_shape()), req("total_value", decimal_shape()),
                        req("signatory", signatory_shape()), req("personal_data_consent", boolean_shape()),
                        opt("special_conditions", text_shape()), opt("attachments", array_shape(attachment_shape())),
                        opt("flags", flags_shape()), opt("permit", issued_licence_shape())}),
          [](Checker& c, const json& root, const std::string&) {
            if (const auto it = root.find("personal_data_consent");
                it != root.end() && it->is_boolean() && !it->get<bool>())
              c.add("/personal_data_consent", "consent.required");
            issued_term_rule(c, root, "permit");
            reexport_parties_rule(c, root);
            total_rule(c, root);
          }};
    case Kind::trade_export_licence:
    case Kind::trade_import_licence: {
      const bool exporting = kind == Kind::trade_export_licence;
      return {object_shape(
                  trade_fields(exporting ? "buyer" : "seller", exporting ? "destination_country" : "dispatch_country")),
              trade_licence_rule()};
    }
    case Kind::execution_report:
      return {
          object_shape(
              {opt("kind", nullptr), opt("report", document_ref_shape()), req("general_licence", document_ref_shape()),
               req("applicant", party_shape()), req("export_date", date_shape()),
               opt("customs_declaration", document_ref_shape()), req("end_user", party_shape()),
               req("goods",
                   array_shape(object_shape({req("name", text_shape()), opt("hs_code", hs_code_shape()),
                                             opt("control_code", control_code_shape()), req("unit", unit_shape()),
                                             req("exported_quantity", decimal_shape(Sign::positive)),
                                             req("remaining_quantity", decimal_shape()), opt("note", text_shape())}),
                               1)),
               req("signatory", signatory_shape())}),
          [](Checker& c, const json& root, const std::string&) {
            not_before_rule(c, root, "/export_date", "/general_licence/date", "execution.export_before_licence");
          }};
    case Kind::classification_conclusion:
      return {object_shape(
                  {opt("kind", nullptr), req("document", document_ref_shape()), req("addressee", party_shape()),
                   req("application_ref", application_meta_shape()),
                   req("items",
                       array_shape(
                           object_shape({req("name", text_shape()), opt("hs_code", hs_code_shape()),
                                         req("operation", enum_shape({"export", "import", "transit", "processing"})),
                                         opt("field_of_use", text_shape()), opt("end_user_country", country_shape()),
                                         req("controlled", boolean_shape()), opt("control_code", control_code_shape()),
                                         opt("details", text_shape())},
                                        [](Checker& c, const json& v, const std::string& path) {
                                          const auto it = v.find("controlled");
                                          if (it == v.end() || !it->is_boolean()) return;
                                          if (it->get<bool>() && !v.contains("control_code"))
                                            c.add(path + "/control_code", "field.missing", {{"field", "control_code"}});
                                          if (!it->get<bool>() && v.contains("control_code"))
                                            c.add(path + "/control_code", "field.not_allowed",
                                                  {{"field", "control_code"}, {"type", "controlled=false"}});
                                        }),
                           1)),
                   req("conclusion", bilingual_shape()), req("signatory", signatory_shape())}),
              nullptr};
  }
  throw Error("model.kind", "no rules for kind");
}

const KindRules& rules_for(Kind kind) {
  static const auto table = [] {
    std::map<Kind, KindRules> t;
    for (Kind k : all_kinds()) t.emplace(k, make_rules(k));
    return t;
  }();
  return table.at(kind);
}

std::string kind_list() {
  std::vector<std::string> names;
  for (Kind k : all_kinds()) names.emplace_back(kind_name(k));
  return joined(names);
}
}  // namespace

CheckReport check_application(const nlohmann::json& application, std::optional<Kind> expected) {
  return check_application(application, expected, check_messages());
}

CheckReport check_application(const nlohmann::json& root, std::optional<Kind> expected,
                              const MessageCatalogue& messages) {
  Checker c(messages);
  CheckReport report;
  if (!root.is_object()) {
    c.add("", "type.object", {{"value", shown(root)}});
    report.problems = c.take();
    return report;
  }
  std::optional<Kind> kind = expected;
  if (const auto it = root.find("kind"); it == root.end()) {
    c.add("/kind", "field.missing", {{"field", "kind"}});
  } else if (const auto declared = it->is_string() ? parse_kind(it->get_ref<const std::string&>()) : std::nullopt;
             !declared) {
    c.add("/kind", "kind.unknown", {{"value", shown(*it)}, {"allowed", kind_list()}});
  } else {
    if (expected && *declared != *expected)
      c.add("/kind", "kind.mismatch",
            {{"expected", std::string(kind_name(*expected))}, {"actual", std::string(kind_name(*declared))}});
    // A mismatched document is still checked as what it says it is, so every problem shows at once.
    kind = declared;
  }
  if (kind) {
    const auto& rules = rules_for(*kind);
    rules.shape(c, root, "");
    if (rules.rule) rules.rule(c, root, "");
  }
  report.kind = kind;
  report.problems = c.take();
  return report;
}

std::vector<std::string_view> problem_codes() {
  return {"type.object",
          "type.array",
          "type.string",
          "type.boolean",
          "type.integer",
          "string.empty",
          "string.too_long",
          "field.unknown",
          "field.missing",
          "field.not_allowed",
          "field.decided_by_office",
          "text.invalid",
          "text.bilingual",
          "list.too_short",
          "list.too_long",
          "value.not_allowed",
          "kind.unknown",
          "kind.mismatch",
          "date.invalid",
          "instant.invalid",
          "decimal.not_string",
          "decimal.invalid",
          "decimal.negative",
          "decimal.not_positive",
          "country.unknown",
          "currency.unknown",
          "iin.length",
          "iin.not_digits",
          "iin.check_digit",
          "iin.century_digit",
          "iin.birth_date",
          "bin.length",
          "bin.not_digits",
          "bin.check_digit",
          "bin.registration_month",
          "bin.entity_type",
          "bin.entity_attribute",
          "hs_code.invalid",
          "control_code.invalid",
          "unit.code_invalid",
          "email.invalid",
          "phone.invalid",
          "account.invalid",
          "bic.invalid",
          "party.resident_country",
          "validity.to_before_from",
          "validity.over_one_year",
          "validity.beyond_document",
          "validity.before_issue",
          "total.not_sum",
          "ground.unknown",
          "ground.duplicate",
          "ground.mfa_check_unknown",
          "ground.mfa_confirmed",
          "ground.mfa_answer_after_document",
          "ground.mfa_year_not_over",
          "documents.none_listed",
          "goods.one_commodity_code",
          "control_code.general_licence",
          "hearing.no_place",
          "hearing.online_not_https",
          "hearing.before_notice",
          "consent.required",
          "reexport.applicant_not_foreign",
          "reexport.dispatch_from_kazakhstan",
          "reexport.destination_kazakhstan",
          "reexport.destination_not_third_country",
          "execution.export_before_licence",
          "sha256.invalid"};
}

}  // namespace qujat::model
