// What a person reads about an input, in Kazakh, Russian and English. The
// wording is data in templates/messages/<name>.json (house rule: no user
// wording in C++): check.json for `qujat check` problems, verify.json for
// `qujat verify` findings. Code says which message and which values; the
// catalogue says it in three languages.
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace qujat::i18n {

enum class Language { kk, ru, en };
// "kk", "ru", "en" -> Language; nullopt for anything else.
std::optional<Language> language_from(std::string_view name);

struct Message {
  std::string kk;
  std::string ru;
  std::string en;

  const std::string& in(Language lang) const;
  nlohmann::json to_json() const;  // {"kk": "...", "ru": "...", "en": "..."}
};

// The kk/ru/en texts of message codes, with {placeholders} filled from the
// values a finding names. A code missing from the catalogue still gets a
// message (the code and its values), so nothing fails for want of wording.
class MessageCatalogue {
 public:
  // {"messages": {"code": {"kk": "...", "ru": "...", "en": "..."}}}
  explicit MessageCatalogue(const nlohmann::json& catalogue);
  // Reads a catalogue file; throws qujat::Error("i18n.messages") naming it.
  static MessageCatalogue load(const std::filesystem::path& file);
  // templates/messages/<name>.json from the templates folder
  // (resource_dirs().templates, the source tree's templates/, /usr/share/qujat/templates),
  // loaded once per name; throws qujat::Error("i18n.messages") naming every
  // place tried.
  static const MessageCatalogue& standard(std::string_view name);

  Message render(std::string_view code, const std::map<std::string, std::string>& params) const;
  bool has(std::string_view code) const;
  // The {placeholders} of a code's wording in any language (for tests that
  // check every value a message names is given).
  std::vector<std::string> placeholders(std::string_view code) const;

 private:
  std::map<std::string, Message, std::less<>> messages_;
};

}  // namespace qujat::i18n
