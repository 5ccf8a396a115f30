#include "qujat/i18n/messages.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <mutex>

#include "qujat/common/error.h"
#include "qujat/common/resource_dirs.h"
#include "qujat/common/source_tree.h"

namespace qujat::i18n {

std::optional<Language> language_from(std::string_view name) {
  if (name == "kk") return Language::kk;
  if (name == "ru") return Language::ru;
  if (name == "en") return Language::en;
  return std::nullopt;
}

const std::string& Message::in(Language lang) const {
  switch (lang) {
    case Language::kk: return kk;
    case Language::ru: return ru;
    case Language::en: return en;
  }
  return en;
}

nlohmann::json Message::to_json() const { return {{"kk", kk}, {"ru", ru}, {"en", en}}; }

MessageCatalogue::MessageCatalogue(const nlohmann::json& catalogue) {
  const auto it = catalogue.find("messages");
  if (it == catalogue.end() || !it->is_object())
    throw Error("i18n.messages", "message catalogue has no \"messages\" object");
  for (const auto& [code, texts] : it->items()) {
    if (!texts.is_object()) throw Error("i18n.messages", "message catalogue entry is not an object: " + code);
    Message m;
    m.kk = texts.value("kk", "");
    m.ru = texts.value("ru", "");
    m.en = texts.value("en", "");
    if (m.kk.empty() || m.ru.empty() || m.en.empty())
      throw Error("i18n.messages", "message catalogue entry lacks kk, ru or en: " + code);
    messages_.emplace(code, std::move(m));
  }
}

MessageCatalogue MessageCatalogue::load(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error("i18n.messages", "message catalogue not found: " + file.string());
  try {
    return MessageCatalogue(nlohmann::json::parse(in));
  } catch (const nlohmann::json::exception& e) {
    throw Error("i18n.messages", "message catalogue is not valid JSON: " + file.string(), {e.what()});
  } catch (const Error& e) {
    throw Error("i18n.messages", "message catalogue unusable: " + file.string(), {e.what()});
  }
}

const MessageCatalogue& MessageCatalogue::standard(std::string_view name) {
  // One parse per catalogue and process; std::map keeps references stable.
  static std::mutex mutex;
  static std::map<std::string, MessageCatalogue, std::less<>> loaded;
  std::lock_guard lock(mutex);
  if (auto it = loaded.find(name); it != loaded.end()) return it->second;
  // Same search order as the templates folder of the docs engine
  // (include/qujat/i18n/template_root.h), file by file, so a chosen folder
  // without messages/ still finds the built-in wording.
  const std::filesystem::path relative = std::filesystem::path("messages") / (std::string(name) + ".json");
  std::vector<std::filesystem::path> candidates;
  if (const auto& chosen = resource_dirs().templates; !chosen.empty()) candidates.push_back(chosen / relative);
  candidates.push_back(source_tree() / "templates" / relative);
  candidates.push_back(std::filesystem::path("/usr/share/qujat/templates") / relative);
  std::vector<std::string> tried;
  for (const auto& c : candidates) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(c, ec)) return loaded.emplace(std::string(name), load(c)).first->second;
    tried.push_back("tried " + c.string());
  }
  throw Error("i18n.messages", "message catalogue templates/" + relative.generic_string() + " not found", tried);
}

Message MessageCatalogue::render(std::string_view code, const std::map<std::string, std::string>& params) const {
  auto fill = [&](std::string text) {
    for (const auto& [key, value] : params) {
      const std::string placeholder = "{" + key + "}";
      for (auto pos = text.find(placeholder); pos != std::string::npos;
           pos = text.find(placeholder, pos + value.size()))
        text.replace(pos, placeholder.size(), value);
    }
    return text;
  };
  if (const auto it = messages_.find(code); it != messages_.end())
    return {fill(it->second.kk), fill(it->second.ru), fill(it->second.en)};
  // No wording for this code: the code and its values still tell a support desk what is wrong.
  std::string fallback(code);
  for (const auto& [key, value] : params) fallback += " " + key + "=" + value;
  return {fallback, fallback, fallback};
}

bool MessageCatalogue::has(std::string_view code) const { return messages_.find(code) != messages_.end(); }

std::vector<std::string> MessageCatalogue::placeholders(std::string_view code) const {
  std::vector<std::string> out;
  const auto it = messages_.find(code);
  if (it == messages_.end()) return out;
  for (const std::string* text : {&it->second.kk, &it->second.ru, &it->second.en}) {
    // A placeholder is {name} with a lowercase identifier; other braces
    // (a JSON example such as {"kk": ...}) are literal text.
    for (auto open = text->find('{'); open != std::string::npos; open = text->find('{', open + 1)) {
      const auto close = text->find('}', open);
      if (close == std::string::npos) break;
      const std::string name = text->substr(open + 1, close - open - 1);
      bool identifier = !name.empty();
      for (char c : name) identifier = identifier && ((c >= 'a' && c <= 'z') || c == '_' || (c >= '0' && c <= '9'));
      if (identifier && std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    }
  }
  return out;
}

}  // namespace qujat::i18n
