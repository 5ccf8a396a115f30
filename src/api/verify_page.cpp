#include "api/verify_page.h"

#include <fstream>
#include <map>
#include <sstream>

#include "qujat/common/error.h"
#include "qujat/http/uri.h"

namespace qujat::api {
namespace {

std::string language_of(const http::Request& request) {
  if (const auto lang = request.query("lang"); lang && (*lang == "kk" || *lang == "ru")) return std::string(*lang);
  if (const auto accept = request.header("Accept-Language")) {
    const auto ru = accept->find("ru"), kk = accept->find("kk");
    if (ru != std::string_view::npos && (kk == std::string_view::npos || ru < kk)) return "ru";
  }
  return "kk";
}

// {{name}} -> escaped value, {{{name}}} -> value as is (markup built here
// from escaped parts). An unknown name stays visible, so a typo shows.
std::string fill(const std::string& html, const std::map<std::string, std::string>& values) {
  std::string out;
  std::size_t at = 0;
  while (true) {
    const auto open = html.find("{{", at);
    if (open == std::string::npos) break;
    const bool raw = html.compare(open, 3, "{{{") == 0;
    const auto close = html.find(raw ? "}}}" : "}}", open);
    if (close == std::string::npos) break;
    out.append(html, at, open - at);
    const auto name = html.substr(open + (raw ? 3 : 2), close - open - (raw ? 3 : 2));
    const auto it = values.find(name);
    if (it == values.end())
      out.append(html, open, close + (raw ? 3 : 2) - open);
    else
      out += raw ? it->second : html_escape(it->second);
    at = close + (raw ? 3 : 2);
  }
  out.append(html, at, std::string::npos);
  return out;
}

std::string bilingual(const nlohmann::json& facts, const char* key, const std::string& lang) {
  const auto it = facts.find(key);
  if (it == facts.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_object()) return it->value(lang, it->value("kk", ""));
  return "";
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

VerifyPage::VerifyPage(const i18n::TemplateRoot& templates) : wording_(templates.json("web/verify.json")) {
  const auto path = templates.path() / "web" / "verify.html";
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("templates.missing", "cannot read " + path.string());
  std::stringstream text;
  text << in.rdbuf();
  html_ = text.str();
}

std::string VerifyPage::render(const http::Request& request, const std::string& number, const std::string& code,
                               const std::optional<store::DocumentRecord>& record) const {
  const std::string lang = language_of(request);
  const std::string other = lang == "kk" ? "ru" : "kk";
  const auto& t = wording_.at(lang);
  std::map<std::string, std::string> v;
  for (const auto& [key, value] : t.items())
    if (value.is_string()) v["t." + key] = value.get<std::string>();
  v["lang"] = lang;
  v["other_lang"] = other;
  v["other_lang_name"] = wording_.at(other).value("language_name", other);
  v["switch_url"] = "/verify/" + http::percent_encode(number) + "?code=" + http::percent_encode(code) + "&lang=" + other;
  const std::string state = record ? std::string(store::name(record->state)) : "unknown";
  v["state"] = state;
  v["status"] = t.value("status_" + state, state);
  v["explanation"] = t.value("explain_" + state, "");

  std::string rows;
  auto row = [&](const std::string& label_key, const std::string& value) {
    if (value.empty()) return;
    rows += "<div class=\"row\"><dt>" + html_escape(t.value(label_key, label_key)) + "</dt><dd>" + html_escape(value) +
            "</dd></div>\n";
  };
  if (record) {
    const auto& f = record->public_facts;
    row("label_kind", bilingual(f, "title", lang));
    row("label_number", record->number);
    row("label_issued_on", f.value("issued_on", ""));
    row("label_valid_from", f.value("valid_from", ""));
    row("label_valid_until", f.value("valid_until", ""));
    row("label_issuer", bilingual(f, "issuer", lang));
    if (record->superseded_by) row("label_superseded_by", *record->superseded_by);
  } else {
    row("label_number", number);
  }
  v["rows"] = rows;
  return fill(html_, v);
}

}  // namespace qujat::api
