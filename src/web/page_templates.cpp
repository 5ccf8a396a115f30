#include "qujat/web/page_templates.h"

#include <kainjow/mustache.hpp>

#include <fstream>
#include <sstream>

#include "qujat/common/error.h"

namespace qujat::web {
namespace {

namespace mustache = kainjow::mustache;

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error("web.templates", "cannot read " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

mustache::data to_data(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::object: {
      mustache::data out{mustache::data::type::object};
      for (const auto& [key, item] : value.items()) out.set(key, to_data(item));
      return out;
    }
    case nlohmann::json::value_t::array: {
      mustache::data out{mustache::data::type::list};
      for (const auto& item : value) out.push_back(to_data(item));
      return out;
    }
    case nlohmann::json::value_t::string:
      return mustache::data{value.get<std::string>()};
    case nlohmann::json::value_t::boolean:
      return value.get<bool>() ? mustache::data{mustache::data::type::bool_true}
                               : mustache::data{mustache::data::type::bool_false};
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded:
      return mustache::data{mustache::data::type::bool_false};
    default:
      return mustache::data{value.dump()};
  }
}

std::string render_template(const std::string& name, const std::string& text, const nlohmann::json& context) {
  mustache::mustache view{text};
  if (!view.is_valid()) throw Error("web.templates", name + ": " + view.error_message());
  std::string out = view.render(to_data(context));
  if (!view.is_valid()) throw Error("web.templates", name + ": " + view.error_message());
  return out;
}

const char* code_of(i18n::Language language) { return language == i18n::Language::kk ? "kk" : "ru"; }

}  // namespace

PageTemplates::PageTemplates(const std::filesystem::path& templates_root) {
  const auto web = templates_root / "web";
  const auto pages = web / "pages";
  std::error_code ec;
  if (!std::filesystem::is_directory(pages, ec)) throw Error("web.templates", "no folder " + pages.string());
  for (const auto& entry : std::filesystem::directory_iterator(pages)) {
    if (entry.path().extension() != ".mustache") continue;
    const auto name = entry.path().stem().string();
    auto text = read_text(entry.path());
    mustache::mustache check{text};
    if (!check.is_valid()) throw Error("web.templates", entry.path().string() + ": " + check.error_message());
    if (name == "layout")
      layout_ = std::move(text);
    else
      pages_.emplace(name, std::move(text));
  }
  if (layout_.empty()) throw Error("web.templates", "no " + (pages / "layout.mustache").string());
  try {
    wording_ = nlohmann::json::parse(read_text(web / "wording.json"));
  } catch (const nlohmann::json::exception& e) {
    throw Error("web.templates", (web / "wording.json").string() + ": " + e.what());
  }
  for (const char* language : {"kk", "ru"})
    if (!wording_.contains(language) || !wording_[language].is_object())
      throw Error("web.templates", (web / "wording.json").string() + ": no \"" + language + "\" wording");
  static_dir_ = web / "static";
}

std::string PageTemplates::static_file(const std::string& name) const { return read_text(static_dir_ / name); }

const nlohmann::json& PageTemplates::wording(i18n::Language language) const { return wording_.at(code_of(language)); }

std::string PageTemplates::label(i18n::Language language, const std::string& table, const std::string& code) const {
  const auto& words = wording(language);
  if (const auto t = words.find(table); t != words.end() && t->is_object())
    if (const auto it = t->find(code); it != t->end() && it->is_string()) return it->get<std::string>();
  return code;
}

std::string PageTemplates::render(const std::string& page, i18n::Language language, nlohmann::json context) const {
  const auto it = pages_.find(page);
  if (it == pages_.end()) throw Error("web.templates", "no page template " + page);
  context["t"] = wording(language);
  context["lang"] = code_of(language);
  context["body"] = render_template(page, it->second, context);
  return render_template("layout", layout_, context);
}

}  // namespace qujat::web
