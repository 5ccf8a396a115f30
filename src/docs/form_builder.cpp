#include "docs/form_builder.h"

#include "docs/issued_fields.h"
#include "qujat/common/error.h"
#include "qujat/i18n/locale_format.h"

namespace qujat::docs {
namespace {

using nlohmann::json;
constexpr const char* kLangs[] = {"kk", "ru"};

BilingualText same(std::string s) { return {s, s}; }
bool empty(const BilingualText& t) { return t.kk.empty() && t.ru.empty(); }

// Joins the non-empty parts of each language with `sep` (punctuation only).
BilingualText join(const std::vector<BilingualText>& parts, const std::string& sep) {
  BilingualText out;
  for (const auto& p : parts) {
    if (!p.kk.empty()) out.kk += (out.kk.empty() ? "" : sep) + p.kk;
    if (!p.ru.empty()) out.ru += (out.ru.empty() ? "" : sep) + p.ru;
  }
  return out;
}

BilingualText bilingual(const json* v) {
  if (v == nullptr || v->is_null()) return {};
  if (v->is_string()) return same(v->get<std::string>());
  if (v->is_boolean()) return same(v->get<bool>() ? "true" : "false");
  if (v->is_number()) return same(v->dump());
  if (v->is_object() && (v->contains("kk") || v->contains("ru"))) {
    std::string kk = v->value("kk", std::string{}), ru = v->value("ru", std::string{});
    return {kk.empty() ? ru : kk, ru.empty() ? kk : ru};
  }
  return {};
}

BilingualText fill(const BilingualText& pattern, const std::vector<std::pair<std::string, BilingualText>>& values) {
  BilingualText out = pattern;
  for (auto* lang : kLangs) {
    std::string& s = lang == std::string_view("kk") ? out.kk : out.ru;
    for (const auto& [key, value] : values) {
      std::string token = "{" + key + "}";
      for (auto pos = s.find(token); pos != std::string::npos; pos = s.find(token, pos)) {
        const std::string& with = value.in(lang);
        s.replace(pos, token.size(), with);
        pos += with.size();
      }
    }
  }
  return out;
}

class FormBuilder {
 public:
  FormBuilder(const i18n::TemplateRoot& templates, const json& view, const DocumentMeta& meta)
      : templates_(templates), common_(templates.common()), form_(templates.form(meta.kind)), view_(view), meta_(meta) {}

  PrintedForm build() {
    PrintedForm out;
    out.kind = meta_.kind;
    out.number = meta_.number;
    out.issue_date = date(format_date(meta_.issue_date));
    out.languages = meta_.languages;
    out.title = bilingual(form_.contains("title") ? &form_["title"] : nullptr);
    out.subtitle = bilingual(form_.contains("subtitle") ? &form_["subtitle"] : nullptr);
    if (auto it = form_.find("authority_header"); it != form_.end() && (it->is_string() || *it == true))
      out.authority_header = authority_header(it->is_string() ? it->get<std::string>() : "authority_header");
    if (auto it = form_.find("blocks"); it != form_.end())
      for (const auto& block : *it) out.blocks.push_back(this->block(block));
    if (auto it = form_.find("footer"); it != form_.end() && it->is_object()) {
      FormBlock b;
      b.kind = FormBlockKind::Paragraph;
      b.paragraph = sentence(bilingual(&*it));
      out.blocks.push_back(std::move(b));
    }
    std::string signatory_path = form_.value("signatory", std::string("signatory"));
    if (const json* s = find_path(view_, signatory_path); s != nullptr && s->is_object()) {
      out.signatory_position = bilingual(s->contains("position") ? &(*s)["position"] : nullptr);
      out.signatory_name = s->value("full_name", std::string{});
    }
    return out;
  }

  // The footer is filled after signing, when the verification code is known.
  static BilingualText footer(const json& common, const std::string& url, const std::string& number,
                              const std::string& code) {
    const json* pattern = find_path(common, "footer");
    if (pattern == nullptr) pattern = find_path(common, "signature_footer");
    return fill(bilingual(pattern), {{"verification_url", same(url)},
                                     {"verification_code", same(code)},
                                     {"number", same(number)},
                                     {"code", same(code)}});
  }

 private:
  BilingualText label(const std::string& key) const { return bilingual(find_path(common_, "labels." + key)); }
  BilingualText party_label(const std::string& key) const {
    auto l = bilingual(find_path(common_, "party_labels." + key));
    return empty(l) ? label(key) : l;
  }
  // common.json patterns.<key>, else the older labels.<fallback>; empty when neither.
  BilingualText pattern(const std::string& key, const std::string& fallback = {}) const {
    auto p = bilingual(find_path(common_, "patterns." + key));
    if (empty(p) && !fallback.empty()) p = label(fallback);
    return p;
  }
  BilingualText labelled(const std::string& key, const BilingualText& value) const {
    if (empty(value)) return {};
    auto l = party_label(key);
    if (empty(l)) return value;
    return {l.kk + ": " + value.kk, l.ru + ": " + value.ru};
  }

  std::vector<BilingualText> authority_header(const std::string& common_key) const {
    std::vector<BilingualText> lines;
    if (auto it = form_.find("header_lines"); it != form_.end() && it->is_array()) {
      for (const auto& key : *it) {
        auto line = bilingual(find_path(common_, "authority." + key.get<std::string>()));
        if (!empty(line)) lines.push_back(line);
      }
      return lines;
    }
    const json* header = find_path(common_, common_key);
    if (header == nullptr) return lines;
    if (header->is_array()) {
      for (const auto& line : *header) lines.push_back(bilingual(&line));
    } else if (header->is_object()) {
      const auto& kk = (*header)["kk"];
      const auto& ru = (*header)["ru"];
      for (std::size_t i = 0; i < std::max(kk.size(), ru.size()); ++i)
        lines.push_back({i < kk.size() ? kk[i].get<std::string>() : "", i < ru.size() ? ru[i].get<std::string>() : ""});
    }
    return lines;
  }

  // {dotted.path} placeholders; dates among them are printed as dates.
  BilingualText sentence(const BilingualText& pattern) const {
    BilingualText out = pattern;
    for (auto* lang : kLangs) {
      std::string& s = lang == std::string_view("kk") ? out.kk : out.ru;
      std::size_t pos = 0;
      while ((pos = s.find('{', pos)) != std::string::npos) {
        auto end = s.find('}', pos);
        if (end == std::string::npos) break;
        std::string path = s.substr(pos + 1, end - pos - 1);
        const json* v = find_path(view_, path);
        BilingualText value;
        if (v != nullptr && v->is_string() && parse_date(v->get<std::string>())) value = date(v->get<std::string>());
        else value = bilingual(v);
        const std::string& with = value.in(lang);
        if (v == nullptr && path.find('.') == std::string::npos) {
          pos = end + 1;  // not a path of ours (e.g. a later placeholder): leave it
          continue;
        }
        s.replace(pos, end - pos + 1, with);
        pos += with.size();
      }
    }
    return out;
  }

  BilingualText sentence_by_key(const std::string& key) const {
    return sentence(bilingual(find_path(form_, "sentences." + key)));
  }

  static BilingualText date(const std::string& iso) {
    if (!parse_date(iso)) return same(iso);
    return {i18n::format_date(iso, "kk"), i18n::format_date(iso, "ru")};
  }

  static BilingualText instant(const std::string& text) {
    // The time is printed as written (Kazakhstan local time in the applications).
    if (text.size() >= 16 && text[10] == 'T') {
      auto d = date(text.substr(0, 10));
      std::string hm = text.substr(11, 5);
      return {d.kk + ", " + hm, d.ru + ", " + hm};
    }
    return same(text);
  }

  BilingualText document_ref(const json& ref) const {
    if (!ref.is_object()) return bilingual(&ref);
    std::vector<BilingualText> parts;
    if (ref.contains("name")) {
      parts.push_back(bilingual(&ref["name"]));
    } else if (ref.contains("type") && ref["type"].is_string()) {
      parts.push_back(bilingual(find_path(common_, "attachment_types." + ref["type"].get<std::string>())));
    }
    auto number = bilingual(ref.contains("number") ? &ref["number"] : nullptr);
    BilingualText when = ref.contains("date") && ref["date"].is_string() ? date(ref["date"].get<std::string>()) : BilingualText{};
    if (!empty(number) && !empty(when)) {
      auto pattern = this->pattern("document_ref", "document_ref");
      parts.push_back(empty(pattern) ? join({number, when}, ", ") : fill(pattern, {{"number", number}, {"date", when}}));
    } else if (!empty(number)) {
      auto sign = label("number_sign");
      parts.push_back(empty(sign) ? number : BilingualText{sign.kk + " " + number.kk, sign.ru + " " + number.ru});
    } else if (!empty(when)) {
      auto pattern = label("dated");
      parts.push_back(empty(pattern) ? when : fill(pattern, {{"date", when}}));
    }
    if (ref.contains("valid_until") && ref["valid_until"].is_string()) {
      auto until = date(ref["valid_until"].get<std::string>());
      auto pattern = this->pattern("valid_until", "valid_until_pattern");
      parts.push_back(empty(pattern) ? until : fill(pattern, {{"date", until}}));
    }
    if (ref.contains("issuer_country") && ref["issuer_country"].is_string()) parts.push_back(country(ref["issuer_country"].get<std::string>()));
    return join(parts, ", ");
  }

  static BilingualText country(const std::string& code) {
    return {i18n::country_name(code, "kk"), i18n::country_name(code, "ru")};
  }

  std::string currency_of(const json* scope) const {
    if (scope != nullptr && scope->is_object() && scope->contains("currency") && (*scope)["currency"].is_string())
      return (*scope)["currency"].get<std::string>();
    if (const json* c = find_path(view_, "currency"); c != nullptr && c->is_string()) return c->get<std::string>();
    return {};
  }

  std::vector<BilingualText> party(const json& p) const {
    if (!p.is_object()) return {bilingual(&p)};
    std::vector<BilingualText> lines;
    auto add = [&](BilingualText t) {
      if (!empty(t)) lines.push_back(std::move(t));
    };
    if (p.contains("name")) add(bilingual(&p["name"]));
    if (p.contains("country") && p["country"].is_string()) add(labelled("country", country(p["country"].get<std::string>())));
    for (const char* key : {"address", "phone", "email", "bin", "iin", "registration_number"})
      if (p.contains(key)) add(labelled(key, bilingual(&p[key])));
    return lines;
  }

  std::vector<BilingualText> signatory(const json& s, const json& box) const {
    std::vector<BilingualText> lines;
    if (!s.is_object()) return {bilingual(&s)};
    if (s.contains("position")) lines.push_back(bilingual(&s["position"]));
    if (s.contains("full_name")) lines.push_back(bilingual(&s["full_name"]));
    if (auto it = box.find("date"); it != box.end() && it->is_string())
      if (const json* d = find_path(view_, it->get<std::string>()); d != nullptr && d->is_string())
        lines.push_back(date(d->get<std::string>()));
    return lines;
  }

  std::vector<BilingualText> grounds(const json& list, const json& box) const {
    std::vector<BilingualText> lines;
    if (!list.is_array()) return lines;
    std::string service_field = box.value("catalogue", std::string("service"));
    const json* service = find_path(view_, service_field);
    std::string service_name = service != nullptr && service->is_string() ? service->get<std::string>() : meta_.kind;
    for (const auto& g : list) {
      long code = g.is_object() ? g.value("code", 0L) : g.get<long>();
      const json& entry = refusal_ground(templates_, service_name, code);
      std::string n = std::to_string(code);
      BilingualText text{entry.value("kk", std::string{}), entry.value("ru", std::string{})};
      auto p = pattern("ground");
      lines.push_back(empty(p) ? BilingualText{n + ". " + text.kk, n + ". " + text.ru} : fill(p, {{"code", same(n)}, {"text", text}}));
      if (g.is_object() && g.contains("details")) {
        auto details = bilingual(&g["details"]);
        auto dp = pattern("ground_details");
        lines.push_back(empty(dp) ? labelled("ground_details", details) : fill(dp, {{"details", details}}));
      }
    }
    return lines;
  }

  std::vector<BilingualText> hearing(const json& h) const {
    std::vector<BilingualText> lines;
    if (!h.is_object()) return lines;
    auto add = [&](const char* key, BilingualText value) {
      if (empty(value)) return;
      auto p = pattern(std::string("hearing_") + key);
      lines.push_back(empty(p) ? labelled(std::string("hearing_") + key, value) : fill(p, {{key, value}}));
    };
    if (h.contains("at") && h["at"].is_string()) add("at", instant(h["at"].get<std::string>()));
    if (h.contains("place")) add("place", bilingual(&h["place"]));
    if (h.contains("online")) add("online", bilingual(&h["online"]));
    return lines;
  }

  BilingualText list_item(const json& item) const {
    if (!item.is_object() || item.contains("kk") || item.contains("ru")) return bilingual(&item);
    auto field = [&](const char* key) { return item.contains(key) ? bilingual(&item[key]) : BilingualText{}; };
    if (item.contains("body")) {
      auto p = pattern("approval");
      if (!empty(p) && item.contains("number") && item.contains("date"))
        return fill(p, {{"body", field("body")}, {"number", field("number")}, {"date", date(item["date"].get<std::string>())}});
      return join({field("body"), document_ref(item)}, ", ");
    }
    if (item.contains("account")) {
      auto p = pattern("bank_account");
      if (!empty(p) && item.contains("bank")) return fill(p, {{"account", field("account")}, {"bank", field("bank")}});
      return join({field("account"), field("bank")}, ", ");
    }
    return document_ref(item);
  }

  BilingualText period(const json* from, const json* to, bool inclusive) const {
    auto f = from != nullptr && from->is_string() ? date(from->get<std::string>()) : BilingualText{};
    auto t = to != nullptr && to->is_string() ? date(to->get<std::string>()) : BilingualText{};
    if (empty(f) && empty(t)) return {};
    auto p = pattern(inclusive ? "period_inclusive" : "period");
    if (empty(p)) p = bilingual(find_path(common_, inclusive ? "period_inclusive" : "period"));
    if (empty(p)) return join({f, t}, " - ");
    return fill(p, {{"from", f}, {"to", t}});
  }

  // The printed lines of one value in one format.
  std::vector<BilingualText> lines(const json* v, const std::string& format, const json& box, const json* scope) const {
    if (format == "period" || format == "period_inclusive") {
      bool inclusive = format == "period_inclusive" || box.value("inclusive", false);
      if (auto it = box.find("value_to"); it != box.end())
        return nonempty(period(v, find_path(scope != nullptr ? *scope : view_, it->get<std::string>()), inclusive));
      if (v == nullptr || !v->is_object()) return {};
      return nonempty(period(v->contains("from") ? &(*v)["from"] : nullptr, v->contains("to") ? &(*v)["to"] : nullptr, inclusive));
    }
    if (v == nullptr) return {};
    if (format == "party") return party(*v);
    if (format == "signatory") return signatory(*v, box);
    if (format == "grounds") return grounds(*v, box);
    if (format == "hearing") return hearing(*v);
    if (format == "date" && v->is_string()) return {date(v->get<std::string>())};
    if (format == "instant" && v->is_string()) return {instant(v->get<std::string>())};
    if (format == "document_ref") return nonempty(document_ref(*v));
    if (format == "country" && v->is_string()) return {country(v->get<std::string>())};
    if (format == "currency" && v->is_string()) {
      auto code = v->get<std::string>();
      return {{code + " (" + i18n::currency_name(code, "kk") + ")", code + " (" + i18n::currency_name(code, "ru") + ")"}};
    }
    if (format == "money" && v->is_string()) {
      auto cur = currency_of(scope);
      return {{i18n::format_money(v->get<std::string>(), cur, "kk"), i18n::format_money(v->get<std::string>(), cur, "ru")}};
    }
    if (format == "quantity" && v->is_string())
      return {{i18n::format_decimal(v->get<std::string>(), "kk"), i18n::format_decimal(v->get<std::string>(), "ru")}};
    if (format == "unit") {
      if (v->is_object() && v->contains("name")) return {bilingual(&(*v)["name"])};
      if (v->is_object() && v->contains("code")) return {bilingual(&(*v)["code"])};
      return nonempty(bilingual(v));
    }
    if (v->is_array()) {  // list, bank_accounts, approvals, attachments, text arrays
      std::vector<BilingualText> out;
      for (const auto& item : *v)
        if (auto t = list_item(item); !empty(t)) out.push_back(std::move(t));
      return out;
    }
    if (v->is_object() && !v->contains("kk") && !v->contains("ru")) return nonempty(list_item(*v));
    return nonempty(bilingual(v));
  }

  static std::vector<BilingualText> nonempty(BilingualText t) {
    if (empty(t)) return {};
    return {std::move(t)};
  }

  FormBox box(const json& b) const {
    FormBox out;
    out.number = b.value("number", std::string{});
    out.label = bilingual(b.contains("label") ? &b["label"] : nullptr);
    out.columns = b.value("columns", 1);
    out.align = b.value("align", std::string{});
    if (auto it = b.find("text"); it != b.end() && it->is_string()) {
      out.lines = nonempty(sentence_by_key(it->get<std::string>()));
      return out;
    }
    std::string format = b.value("format", std::string("text"));
    const json* v = b.contains("value") ? find_path(view_, b["value"].get<std::string>()) : nullptr;
    out.lines = lines(v, format, b, nullptr);
    return out;
  }

  FormTable table(const json& t) const {
    FormTable out;
    out.row_numbers = t.value("row_numbers", false);
    if (out.row_numbers) {
      FormBox no;
      no.label = label("row_number");
      out.columns.push_back(no);
      out.column_weights.push_back(1);
    }
    const json empty_columns = json::array();
    const json& columns = t.contains("columns") ? t["columns"] : empty_columns;
    for (const auto& c : columns) {
      FormBox head;
      head.number = c.value("number", std::string{});
      head.label = bilingual(c.contains("label") ? &c["label"] : nullptr);
      out.columns.push_back(head);
      out.column_weights.push_back(c.value("weight", 1));
    }
    if (auto it = t.find("continuation"); it != t.end() && it->is_object()) {
      out.continuation.title = bilingual(it->contains("title") ? &(*it)["title"] : nullptr);
      out.continuation.sheet_numbering = it->contains("sheet_numbering") && !(*it)["sheet_numbering"].is_null() &&
                                         (*it)["sheet_numbering"] != false;
      out.continuation.signatory = it->value("signatory", false);
    }
    const json* source = find_path(view_, t.value("source", std::string("goods")));
    if (source == nullptr || !source->is_array()) return out;
    int n = 0;
    for (const auto& row : *source) {
      std::vector<BilingualText> cells;
      if (out.row_numbers) {
        auto p = pattern("row_number");
        auto number = same(std::to_string(++n));
        cells.push_back(empty(p) ? number : fill(p, {{"n", number}}));
      }
      for (const auto& c : columns) {
        std::string format = c.value("format", std::string("text"));
        std::vector<std::string> paths;
        if (c.contains("values")) paths = c["values"].get<std::vector<std::string>>();
        else if (c.contains("value")) paths.push_back(c["value"].get<std::string>());
        std::vector<BilingualText> parts;
        for (const auto& p : paths)
          for (auto& l : lines(find_path(row, p), format, c, &row)) parts.push_back(std::move(l));
        cells.push_back(join(parts, "\n"));
      }
      out.rows.push_back(std::move(cells));
    }
    return out;
  }

  FormBlock block(const json& b) const {
    FormBlock out;
    out.bold = b.value("bold", false);
    if (auto it = b.find("paragraph"); it != b.end()) {
      out.kind = FormBlockKind::Paragraph;
      out.paragraph = it->is_string() ? sentence_by_key(it->get<std::string>()) : sentence(bilingual(&*it));
      return out;
    }
    if (auto it = b.find("table"); it != b.end()) {
      out.kind = FormBlockKind::Table;
      out.table = table(*it);
      return out;
    }
    out.kind = FormBlockKind::Boxes;
    out.grid_columns = b.value("grid_columns", 1);
    if (auto it = b.find("boxes"); it != b.end())
      for (const auto& x : *it) out.boxes.push_back(box(x));
    return out;
  }

  const i18n::TemplateRoot& templates_;
  const json& common_;
  const json& form_;
  const json& view_;
  const DocumentMeta& meta_;
};

}  // namespace

const nlohmann::json& refusal_ground(const i18n::TemplateRoot& templates, const std::string& service, long code) {
  std::string file = service;
  if (const json* mapped = find_path(templates.common(), "grounds_catalogues"); mapped != nullptr && mapped->contains(service))
    file = (*mapped)[service].get<std::string>();
  const json& catalogue = templates.grounds(file);
  if (auto it = catalogue.find("grounds"); it != catalogue.end())
    for (const auto& g : *it)
      if (g.value("code", -1L) == code) return g;
  throw Error("docs.unknown_ground", "refusal ground " + std::to_string(code) + " is not in the catalogue of " + service,
              {"templates/grounds/" + file + ".json"});
}

PrintedForm build_printed_form(const i18n::TemplateRoot& templates, const nlohmann::json& application,
                               const DocumentMeta& meta) {
  auto view = print_view(application, meta);
  return FormBuilder(templates, view, meta).build();
}

BilingualText signature_footer(const i18n::TemplateRoot& templates, const std::string& url, const std::string& number,
                               const std::string& code) {
  return FormBuilder::footer(templates.common(), url, number, code);
}

}  // namespace qujat::docs
