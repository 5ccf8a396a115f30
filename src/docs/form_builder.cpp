#include "docs/form_builder.h"

#include <algorithm>
#include <optional>

#include "docs/issued_fields.h"
#include "qujat/common/error.h"
#include "qujat/i18n/date_grammar.h"
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

// A value a pattern's {placeholder} takes: text, or a date that the
// placeholder's grammatical form ({from:ablative}) writes.
struct FillValue {
  BilingualText text;
  std::optional<Date> date;
  FillValue(BilingualText t) : text(std::move(t)) {}  // NOLINT: texts are the common case
  FillValue(Date d) : date(d) {}                      // NOLINT
};
using FillValues = std::vector<std::pair<std::string, FillValue>>;

// How dates are written: templates/dates.json (the grammatical forms the
// sentences need), else ICU's "9 қаңтар 2026 ж." where a templates folder
// has no dates.json (older or partial copies).
class DateWriter {
 public:
  explicit DateWriter(const i18n::TemplateRoot& templates) : grammar_(grammar_of(templates)) {}
  std::string write(Date d, std::string_view lang, std::string_view role) const {
    if (grammar_) return grammar_->format(d, lang, role.empty() ? "plain" : role);
    return i18n::format_date(d, lang);
  }

 private:
  // TemplateRoot keeps the parsed file, so a form costs a lookup, not a stat.
  static std::optional<i18n::DateGrammar> grammar_of(const i18n::TemplateRoot& templates) {
    try {
      return i18n::DateGrammar(templates.json("dates.json"));
    } catch (const Error& e) {
      if (e.code() != "templates.missing") throw;
      return std::nullopt;
    }
  }
  std::optional<i18n::DateGrammar> grammar_;
};

// Fills {key} and {key:form} placeholders; a date value is written in the
// placeholder's form (or `default_role`, e.g. "numeric" for the trade forms).
BilingualText fill(const BilingualText& pattern, const FillValues& values, const DateWriter& dates,
                   std::string_view default_role = "plain") {
  BilingualText out = pattern;
  for (auto* lang : kLangs) {
    std::string& s = lang == std::string_view("kk") ? out.kk : out.ru;
    std::size_t pos = 0;
    while ((pos = s.find('{', pos)) != std::string::npos) {
      const auto end = s.find('}', pos);
      if (end == std::string::npos) break;
      const std::string token = s.substr(pos + 1, end - pos - 1);
      const auto colon = token.find(':');
      const std::string key = token.substr(0, colon);
      const std::string role = colon == std::string::npos ? std::string(default_role) : token.substr(colon + 1);
      const FillValue* value = nullptr;
      for (const auto& [k, v] : values)
        if (k == key) value = &v;
      if (value == nullptr) {
        pos = end + 1;
        continue;
      }
      const std::string with = value->date
                                   ? dates.write(*value->date, lang, default_role == "numeric" ? default_role : role)
                                   : value->text.in(lang);
      s.replace(pos, end - pos + 1, with);
      pos += with.size();
    }
  }
  return out;
}

class FormBuilder {
 public:
  FormBuilder(const i18n::TemplateRoot& templates, const json& view, const DocumentMeta& meta)
      : templates_(templates),
        common_(templates.common()),
        form_(templates.form(meta.kind)),
        view_(view),
        meta_(meta),
        dates_(templates) {}

  PrintedForm build() {
    PrintedForm out;
    out.kind = meta_.kind;
    out.number = meta_.number;
    out.issue_date = date(meta_.issue_date);
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
    // Printed once: a form whose boxes carry its own number and date (box 1,
    // a letter's "Нөмір" line) gets no separate number line, and a form whose
    // box carries the signer (licence box 19, permit box 15, the EUC's
    // authority block) gets no second signature block under it.
    out.number_line = !prints(own_number_paths());
    out.closing_signatory = !prints({signatory_path}, "signatory");
    return out;
  }

  // The footer is filled after signing, when the verification code is known.
  static BilingualText footer(const i18n::TemplateRoot& templates, const std::string& url, const std::string& number,
                              const std::string& code) {
    const json& common = templates.common();
    const json* pattern = find_path(common, "footer");
    if (pattern == nullptr) pattern = find_path(common, "signature_footer");
    return docs::fill(bilingual(pattern),
                      {{"verification_url", same(url)},
                       {"verification_code", same(code)},
                       {"number", same(number)},
                       {"code", same(code)}},
                      DateWriter(templates));
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
  BilingualText fill(const BilingualText& p, const FillValues& values) const {
    return docs::fill(p, values, dates_, date_role_);
  }
  static BilingualText labelled_with(const BilingualText& l, const BilingualText& value) {
    if (empty(value)) return {};
    if (empty(l)) return value;
    return {l.kk + ": " + value.kk, l.ru + ": " + value.ru};
  }
  BilingualText labelled(const std::string& key, const BilingualText& value) const {
    return labelled_with(party_label(key), value);
  }

  // The paths of the document's own number: meta.number and the kind's own
  // field (licence.number, document.number, ...), which the print view fills.
  std::vector<std::string> own_number_paths() const {
    return {"meta.number", own_fields(meta_.kind).object + ".number"};
  }

  // Does some box print one of `paths` (in `format`, when given)?
  bool prints(const std::vector<std::string>& paths, const std::string& format = {}) const {
    auto it = form_.find("blocks");
    if (it == form_.end()) return false;
    for (const auto& block : *it)
      for (const auto& box : block.value("boxes", json::array())) {
        if (!box.contains("value") || !box["value"].is_string()) continue;
        if (!format.empty() && box.value("format", std::string("text")) != format) continue;
        const auto value = box["value"].get<std::string>();
        if (std::find(paths.begin(), paths.end(), value) != paths.end()) return true;
      }
    return false;
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

  // {dotted.path} and {dotted.path:form} placeholders; dates among them are
  // written in the form the sentence asks for ("attributive" for
  // "2026 жылғы 20 наурыздағы № ... өтінішіңізді").
  BilingualText sentence(const BilingualText& pattern) const {
    FillValues values;
    for (auto* lang : kLangs) {
      const std::string& s = pattern.in(lang);
      for (std::size_t pos = s.find('{'); pos != std::string::npos; pos = s.find('{', pos + 1)) {
        const auto end = s.find('}', pos);
        if (end == std::string::npos) break;
        std::string path = s.substr(pos + 1, end - pos - 1);
        path = path.substr(0, path.find(':'));
        // Only dotted paths are ours; {n} and the like are left for later patterns.
        if (path.find('.') == std::string::npos) continue;
        const json* v = find_path(view_, path);
        if (v != nullptr && v->is_string() && parse_date(v->get<std::string>()))
          values.emplace_back(path, *parse_date(v->get<std::string>()));
        else
          values.emplace_back(path, bilingual(v));
      }
    }
    return fill(pattern, values);
  }

  // A box's text: one sentence key, or several printed one after another.
  std::vector<BilingualText> sentences_of(const json& keys) const {
    std::vector<BilingualText> out;
    if (keys.is_string()) keys_to_lines(keys.get<std::string>(), out);
    if (keys.is_array())
      for (const auto& k : keys)
        if (k.is_string()) keys_to_lines(k.get<std::string>(), out);
    return out;
  }
  void keys_to_lines(const std::string& key, std::vector<BilingualText>& out) const {
    auto t = sentence_by_key(key);
    if (!empty(t)) out.push_back(std::move(t));
  }
  BilingualText sentence_by_key(const std::string& key) const {
    return sentence(bilingual(find_path(form_, "sentences." + key)));
  }

  BilingualText date(Date d, std::string_view role = "plain") const {
    const std::string_view r = date_role_ == "numeric" ? date_role_ : role;
    return {dates_.write(d, "kk", r), dates_.write(d, "ru", r)};
  }
  BilingualText date(const std::string& iso) const {
    auto d = parse_date(iso);
    return d ? date(*d) : same(iso);
  }
  FillValue date_value(const std::string& iso) const {
    auto d = parse_date(iso);
    if (d) return FillValue(*d);
    return FillValue(same(iso));
  }

  BilingualText instant(const std::string& text) const {
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
    const bool dated = ref.contains("date") && ref["date"].is_string();
    if (!empty(number) && dated) {
      auto pattern = this->pattern("document_ref", "document_ref");
      parts.push_back(empty(pattern)
                          ? join({number, date(ref["date"].get<std::string>())}, ", ")
                          : fill(pattern, {{"number", number}, {"date", date_value(ref["date"].get<std::string>())}}));
    } else if (!empty(number)) {
      auto sign = label("number_sign");
      parts.push_back(empty(sign) ? number : BilingualText{sign.kk + " " + number.kk, sign.ru + " " + number.ru});
    } else if (dated) {
      auto pattern = label("dated");
      parts.push_back(empty(pattern) ? date(ref["date"].get<std::string>())
                                     : fill(pattern, {{"date", date_value(ref["date"].get<std::string>())}}));
    }
    if (ref.contains("valid_until") && ref["valid_until"].is_string()) {
      auto pattern = this->pattern("valid_until", "valid_until_pattern");
      const auto until = ref["valid_until"].get<std::string>();
      parts.push_back(empty(pattern) ? date(until) : fill(pattern, {{"date", date_value(until)}}));
    }
    if (ref.contains("issuer_country") && ref["issuer_country"].is_string())
      parts.push_back(country(ref["issuer_country"].get<std::string>()));
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

  // The lines of a party, limited to what the box names when the template
  // lists `fields` (the EUC's "country, address and telephone, BIN (IIN)").
  // Several parties (a general licence's buyers) print in turn, each name
  // numbered with patterns.list_item.
  std::vector<BilingualText> party(const json& p, const json& box) const {
    if (p.is_array()) {
      std::vector<BilingualText> lines;
      int n = 0;
      for (const auto& one : p) {
        auto part = party(one, box);
        if (part.empty()) continue;
        if (p.size() > 1) {
          auto numbered = pattern("list_item");
          part.front() = empty(numbered) ? join({same(std::to_string(n + 1) + ")"), part.front()}, " ")
                                         : fill(numbered, {{"n", same(std::to_string(n + 1))}, {"text", part.front()}});
        }
        ++n;
        for (auto& l : part) lines.push_back(std::move(l));
      }
      return lines;
    }
    if (!p.is_object()) return nonempty(bilingual(&p));
    std::vector<std::string> fields = {"name",  "country", "address", "phone",
                                       "email", "bin",     "iin",     "registration_number"};
    if (auto it = box.find("fields"); it != box.end() && it->is_array()) fields = it->get<std::vector<std::string>>();
    std::vector<BilingualText> lines;
    for (const auto& key : fields) {
      if (!p.contains(key)) continue;
      BilingualText line;
      if (key == "name")
        line = bilingual(&p[key]);
      else if (key == "country" && p[key].is_string())
        line = labelled("country", country(p[key].get<std::string>()));
      else
        line = labelled(key, bilingual(&p[key]));
      if (!empty(line)) lines.push_back(std::move(line));
    }
    return lines;
  }

  // A signer's box: the body they sign for (a licensor's state body), the
  // position, the name, then the lines the template adds (`date`; `after`:
  // labelled lines such as the permit's issue date and validity).
  std::vector<BilingualText> signatory(const json& s, const json& box) const {
    std::vector<BilingualText> lines;
    if (!s.is_object()) return nonempty(bilingual(&s));
    for (const char* key : {"body", "position", "full_name"})
      if (s.contains(key))
        if (auto t = bilingual(&s[key]); !empty(t)) lines.push_back(std::move(t));
    if (auto it = box.find("date"); it != box.end() && it->is_string())
      if (const json* d = find_path(view_, it->get<std::string>()); d != nullptr && d->is_string())
        lines.push_back(date(d->get<std::string>()));
    return lines;
  }

  // `after`: [{"label": "issue_date", "value": "meta.issue_date", "format": "date"}, ...];
  // the label is common.json labels.<key> (or a bilingual object).
  std::vector<BilingualText> after_lines(const json& box) const {
    std::vector<BilingualText> out;
    auto it = box.find("after");
    if (it == box.end() || !it->is_array()) return out;
    for (const auto& line : *it) {
      if (!line.is_object() || !line.contains("value")) continue;
      const json* v = find_path(view_, line["value"].get<std::string>());
      auto values = lines(v, line.value("format", std::string("text")), line, nullptr);
      BilingualText l;
      if (auto label_it = line.find("label"); label_it != line.end())
        l = label_it->is_string() ? label(label_it->get<std::string>()) : bilingual(&*label_it);
      for (auto& value : values) out.push_back(labelled_with(l, value));
    }
    return out;
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
      lines.push_back(empty(p) ? BilingualText{n + ". " + text.kk, n + ". " + text.ru}
                               : fill(p, {{"code", same(n)}, {"text", text}}));
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
      // An approving body's letter (box 17 "Келісілді"): letter_number and letter_date.
      auto p = pattern("approval");
      const bool dated = item.contains("letter_date") && item["letter_date"].is_string();
      if (!empty(p) && item.contains("letter_number") && dated)
        return fill(p, {{"body", field("body")},
                        {"number", field("letter_number")},
                        {"date", date_value(item["letter_date"].get<std::string>())}});
      return join({field("body"), field("letter_number"),
                   dated ? date(item["letter_date"].get<std::string>()) : BilingualText{}},
                  ", ");
    }
    if (item.contains("account")) {
      auto p = pattern("bank_account");
      if (!empty(p) && item.contains("bank")) return fill(p, {{"account", field("account")}, {"bank", field("bank")}});
      return join({field("account"), field("bank")}, ", ");
    }
    return document_ref(item);
  }

  BilingualText period(const json* from, const json* to, bool inclusive) const {
    auto f = from != nullptr && from->is_string() ? parse_date(from->get<std::string>()) : std::nullopt;
    auto t = to != nullptr && to->is_string() ? parse_date(to->get<std::string>()) : std::nullopt;
    if (!f && !t) return {};
    auto p = pattern(inclusive ? "period_inclusive" : "period");
    if (empty(p)) p = bilingual(find_path(common_, inclusive ? "period_inclusive" : "period"));
    if (empty(p) || !f || !t) return join({f ? date(*f) : BilingualText{}, t ? date(*t) : BilingualText{}}, " - ");
    return fill(p, {{"from", *f}, {"to", *t}});
  }

  // The printed lines of one value in one format.
  std::vector<BilingualText> lines(const json* v, const std::string& format, const json& box, const json* scope) const {
    if (format == "period" || format == "period_inclusive") {
      bool inclusive = format == "period_inclusive" || box.value("inclusive", false);
      if (auto it = box.find("value_to"); it != box.end())
        return nonempty(period(v, find_path(scope != nullptr ? *scope : view_, it->get<std::string>()), inclusive));
      if (v == nullptr || !v->is_object()) return {};
      return nonempty(
          period(v->contains("from") ? &(*v)["from"] : nullptr, v->contains("to") ? &(*v)["to"] : nullptr, inclusive));
    }
    if (format == "control_code" && v == nullptr) {
      // An item the conclusion finds not controlled prints so rather than an empty cell.
      const json* controlled = scope != nullptr ? find_path(*scope, "controlled") : nullptr;
      if (controlled != nullptr && controlled->is_boolean() && !controlled->get<bool>())
        return nonempty(label("not_controlled"));
      return {};
    }
    if (v == nullptr) return {};
    if (format == "operation" && v->is_string()) {
      auto name = bilingual(find_path(common_, "operations." + v->get<std::string>()));
      return nonempty(empty(name) ? bilingual(v) : name);
    }
    if (format == "party") return party(*v, box);
    if (format == "signatory") return signatory(*v, box);
    if (format == "grounds") return grounds(*v, box);
    if (format == "hearing") return hearing(*v);
    if (format == "date" && v->is_string()) return {date(v->get<std::string>())};
    if (format == "instant" && v->is_string()) return {instant(v->get<std::string>())};
    if (format == "document_ref") return nonempty(document_ref(*v));
    if (format == "country" && v->is_string()) return {country(v->get<std::string>())};
    if (format == "currency" && v->is_string()) {
      auto code = v->get<std::string>();
      return {
          {code + " (" + i18n::currency_name(code, "kk") + ")", code + " (" + i18n::currency_name(code, "ru") + ")"}};
    }
    if (format == "money" && v->is_string()) {
      auto cur = box.contains("currency") && box["currency"].is_string() ? box["currency"].get<std::string>()
                                                                         : currency_of(scope);
      return {
          {i18n::format_money(v->get<std::string>(), cur, "kk"), i18n::format_money(v->get<std::string>(), cur, "ru")}};
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

  // Dates inside a box follow its `date_style` ("numeric": DD.MM.YYYY, the
  // EEC trade forms) for as long as the box is being built.
  class DateStyle {
   public:
    DateStyle(const FormBuilder& b, const json& box) : b_(b), saved_(b.date_role_) {
      if (box.value("date_style", std::string{}) == "numeric") b_.date_role_ = "numeric";
    }
    ~DateStyle() { b_.date_role_ = saved_; }
    DateStyle(const DateStyle&) = delete;
    DateStyle& operator=(const DateStyle&) = delete;

   private:
    const FormBuilder& b_;
    std::string saved_;
  };

  FormBox box(const json& b) const {
    DateStyle style(*this, b);
    FormBox out;
    out.number = b.value("number", std::string{});
    out.label = bilingual(b.contains("label") ? &b["label"] : nullptr);
    out.columns = b.value("columns", 1);
    out.align = b.value("align", std::string{});
    out.framed = b.value("frame", true);
    out.keep_with_next = b.value("keep_with_next", false);
    if (auto it = b.find("text"); it != b.end()) {
      out.lines = sentences_of(*it);
      return out;
    }
    std::string format = b.value("format", std::string("text"));
    const json* v = b.contains("value") ? find_path(view_, b["value"].get<std::string>()) : nullptr;
    out.lines = lines(v, format, b, nullptr);
    for (auto& l : after_lines(b)) out.lines.push_back(std::move(l));
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
      out.continuation.sheet_numbering =
          it->contains("sheet_numbering") && !(*it)["sheet_numbering"].is_null() && (*it)["sheet_numbering"] != false;
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
        DateStyle style(*this, c);
        std::string format = c.value("format", std::string("text"));
        std::vector<std::string> paths;
        if (c.contains("values"))
          paths = c["values"].get<std::vector<std::string>>();
        else if (c.contains("value"))
          paths.push_back(c["value"].get<std::string>());
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
    if (b.value("title", false)) {  // the form's title, where the seed prints it (letters: after the addressee)
      out.kind = FormBlockKind::Title;
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
  DateWriter dates_;
  mutable std::string date_role_ = "plain";
};

}  // namespace

const nlohmann::json& refusal_ground(const i18n::TemplateRoot& templates, const std::string& service, long code) {
  std::string file = service;
  if (const json* mapped = find_path(templates.common(), "grounds_catalogues");
      mapped != nullptr && mapped->contains(service))
    file = (*mapped)[service].get<std::string>();
  const json& catalogue = templates.grounds(file);
  if (auto it = catalogue.find("grounds"); it != catalogue.end())
    for (const auto& g : *it)
      if (g.value("code", -1L) == code) return g;
  throw Error("docs.unknown_ground",
              "refusal ground " + std::to_string(code) + " is not in the catalogue of " + service,
              {"templates/grounds/" + file + ".json"});
}

PrintedForm build_printed_form(const i18n::TemplateRoot& templates, const nlohmann::json& application,
                               const DocumentMeta& meta) {
  auto view = print_view(application, meta);
  return FormBuilder(templates, view, meta).build();
}

BilingualText signature_footer(const i18n::TemplateRoot& templates, const std::string& url, const std::string& number,
                               const std::string& code) {
  return FormBuilder::footer(templates, url, number, code);
}

}  // namespace qujat::docs
