// The web pages' HTML: Mustache templates in templates/web/pages/ (one per
// page, wrapped in layout.mustache) filled from a JSON context, with every
// word taken from templates/web/wording.json in the page's language (as
// {{t.name}}). Mustache escapes every {{value}} for HTML, so data from an
// application (names, reasons) can never become markup. Loaded once; the
// files are read at start so a missing template stops the start, not a page.
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "qujat/i18n/messages.h"

namespace qujat::web {

class PageTemplates {
 public:
  // `templates_root`: the templates/ folder. Throws qujat::Error
  // ("web.templates") naming a missing or unreadable file.
  explicit PageTemplates(const std::filesystem::path& templates_root);

  // templates/web/pages/<page>.mustache with `context` plus "t" (the
  // wording in `language`) and "lang", inside the layout. Throws
  // qujat::Error("web.templates") for an unknown page or a template error.
  std::string render(const std::string& page, i18n::Language language, nlohmann::json context) const;

  // The wording of `language` (the "kk" or "ru" object of wording.json).
  const nlohmann::json& wording(i18n::Language language) const;
  // A label from one of the wording's tables ("states", "actions", "kinds",
  // "document_states"); the code itself when the table has none.
  std::string label(i18n::Language language, const std::string& table, const std::string& code) const;

  // templates/web/static/<name> (the one script and the style sheet), read
  // now; throws qujat::Error("web.templates") naming a missing file.
  std::string static_file(const std::string& name) const;

 private:
  std::map<std::string, std::string> pages_;
  std::string layout_;
  nlohmann::json wording_;
  std::filesystem::path static_dir_;
};

}  // namespace qujat::web
