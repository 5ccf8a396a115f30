// The templates/ folder (wording and box layouts, see docs/templates.md) and
// the JSON files read from it. Where it is: an explicit path (--templates),
// else the front end's choice (qujat/common/resource_dirs.h: the CLI's
// $QUJAT_TEMPLATES, the service's [paths] templates), else the source tree's templates/ (baked in at build
// time), else /usr/share/qujat/templates. Files are parsed once and kept.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace qujat::i18n {

// Resolves the templates folder; throws qujat::Error("templates.not_found")
// naming every place tried.
std::filesystem::path locate_templates(const std::optional<std::filesystem::path>& explicit_root = std::nullopt);

// A parsed-once view of one templates/ folder. Thread-safe.
class TemplateRoot {
 public:
  explicit TemplateRoot(std::filesystem::path root);
  // locate_templates() and open it.
  static TemplateRoot locate(const std::optional<std::filesystem::path>& explicit_root = std::nullopt);

  const std::filesystem::path& path() const { return root_; }

  // templates/<relative> parsed; throws qujat::Error("templates.missing" /
  // "templates.bad_json") naming the file.
  const nlohmann::json& json(const std::string& relative) const;
  bool exists(const std::string& relative) const;

  const nlohmann::json& common() const { return json("common.json"); }
  const nlohmann::json& form(const std::string& kind) const { return json(kind + "/form.json"); }
  // The numbered grounds of a service: templates/grounds/<service>.json.
  const nlohmann::json& grounds(const std::string& service) const { return json("grounds/" + service + ".json"); }

 private:
  std::filesystem::path root_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, std::shared_ptr<const nlohmann::json>> cache_;
};

}  // namespace qujat::i18n
