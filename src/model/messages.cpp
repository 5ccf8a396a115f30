#include <cstdlib>
#include <fstream>

#include "qujat/common/error.h"
#include "qujat/model/check.h"

namespace qujat::model {

MessageCatalogue::MessageCatalogue(const nlohmann::json& catalogue) {
  const auto it = catalogue.find("messages");
  if (it == catalogue.end() || !it->is_object())
    throw Error("model.messages", "message catalogue has no \"messages\" object");
  for (const auto& [code, texts] : it->items()) {
    if (!texts.is_object()) throw Error("model.messages", "message catalogue entry is not an object: " + code);
    Message m;
    m.kk = texts.value("kk", "");
    m.ru = texts.value("ru", "");
    m.en = texts.value("en", "");
    if (m.kk.empty() || m.ru.empty() || m.en.empty())
      throw Error("model.messages", "message catalogue entry lacks kk, ru or en: " + code);
    messages_.emplace(code, std::move(m));
  }
}

MessageCatalogue MessageCatalogue::load(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error("model.messages", "message catalogue not found: " + file.string());
  try {
    return MessageCatalogue(nlohmann::json::parse(in));
  } catch (const nlohmann::json::exception& e) {
    throw Error("model.messages", "message catalogue is not valid JSON: " + file.string(), {e.what()});
  } catch (const Error& e) {
    throw Error("model.messages", "message catalogue unusable: " + file.string(), {e.what()});
  }
}

const MessageCatalogue& MessageCatalogue::standard() {
  static const MessageCatalogue catalogue = [] {
    // Same search order as the templates folder of the docs engine
    // (include/qujat/i18n/template_root.h), without depending on ICU.
    const std::filesystem::path relative = std::filesystem::path("messages") / "check.json";
    std::vector<std::filesystem::path> candidates;
    if (const char* env = std::getenv("QUJAT_TEMPLATES"); env != nullptr && *env != '\0')
      candidates.push_back(std::filesystem::path(env) / relative);
    candidates.push_back(std::filesystem::path(QUJAT_SOURCE_DIR) / "templates" / relative);
    candidates.push_back(std::filesystem::path("/usr/share/qujat/templates") / relative);
    std::vector<std::string> tried;
    for (const auto& c : candidates) {
      std::error_code ec;
      if (std::filesystem::is_regular_file(c, ec)) return load(c);
      tried.push_back("tried " + c.string());
    }
    throw Error("model.messages", "message catalogue templates/messages/check.json not found", tried);
  }();
  return catalogue;
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

nlohmann::json CheckReport::to_json() const {
  nlohmann::json problems_json = nlohmann::json::array();
  for (const auto& p : problems) {
    problems_json.push_back({{"path", p.path},
                             {"code", p.code},
                             {"params", p.params},
                             {"message", {{"kk", p.message.kk}, {"ru", p.message.ru}, {"en", p.message.en}}}});
  }
  nlohmann::json out = {{"valid", ok()}, {"problems", std::move(problems_json)}};
  out["kind"] = kind ? nlohmann::json(std::string(kind_name(*kind))) : nlohmann::json(nullptr);
  return out;
}

bool CheckReport::mentions(std::string_view path) const {
  for (const auto& p : problems) {
    if (p.path == path) return true;
    if (p.path.size() > path.size() && p.path.compare(0, path.size(), path) == 0 && p.path[path.size()] == '/')
      return true;
  }
  return false;
}

}  // namespace qujat::model
