#include "qujat/i18n/template_root.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "qujat/common/error.h"
#include "qujat/common/resource_dirs.h"
#include "qujat/common/source_tree.h"

namespace qujat::i18n {

std::filesystem::path locate_templates(const std::optional<std::filesystem::path>& explicit_root) {
  std::vector<std::filesystem::path> tried;
  auto usable = [&](const std::filesystem::path& p) {
    tried.push_back(p);
    std::error_code ec;
    return std::filesystem::is_directory(p, ec);
  };
  if (explicit_root) {
    // An explicit choice that does not exist is an error, not a reason to fall back silently.
    if (usable(*explicit_root)) return *explicit_root;
    throw Error("templates.not_found", "templates folder not found: " + explicit_root->string());
  }
  if (const auto& chosen = resource_dirs().templates; !chosen.empty()) {
    if (usable(chosen)) return chosen;
    throw Error("templates.not_found", "the chosen templates folder does not exist: " + chosen.string());
  }
  if (usable(source_tree() / "templates")) return tried.back();
  if (usable("/usr/share/qujat/templates")) return tried.back();
  std::vector<std::string> causes;
  for (const auto& p : tried) causes.push_back("tried " + p.string());
  throw Error("templates.not_found", "templates folder not found (use --templates, QUJAT_TEMPLATES or [paths] templates)", causes);
}

TemplateRoot::TemplateRoot(std::filesystem::path root) : root_(std::move(root)) {}

TemplateRoot TemplateRoot::locate(const std::optional<std::filesystem::path>& explicit_root) {
  return TemplateRoot(locate_templates(explicit_root));
}

bool TemplateRoot::exists(const std::string& relative) const {
  std::error_code ec;
  return std::filesystem::is_regular_file(root_ / relative, ec);
}

const nlohmann::json& TemplateRoot::json(const std::string& relative) const {
  std::lock_guard lock(mutex_);
  if (auto it = cache_.find(relative); it != cache_.end()) return *it->second;
  auto file = root_ / relative;
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error("templates.missing", "template file not found: " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  nlohmann::json parsed;
  try {
    parsed = nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::exception& e) {
    throw Error("templates.bad_json", "template file is not valid JSON: " + file.string(), {e.what()});
  }
  auto stored = std::make_shared<const nlohmann::json>(std::move(parsed));
  cache_.emplace(relative, stored);
  return *stored;
}

}  // namespace qujat::i18n
