#include "qujat/common/error.h"
#include "qujat/config/config.h"

namespace qujat::config {

Minutes ProcedureSettings::cutoff_for(model::Kind kind) const {
  if (auto it = cutoff.find(kind); it != cutoff.end()) return it->second;
  return default_cutoff;
}

std::optional<std::int64_t> FeesSettings::mrp_for(int year) const {
  if (auto it = mrp.find(year); it != mrp.end()) return it->second;
  return std::nullopt;
}

void Config::require_for_serve() const {
  const auto missing = [](std::string_view section, std::string_view key) {
    throw Error("config.missing",
                "config: [" + std::string(section) + "] " + std::string(key) + ": required for serve");
  };
  if (!issuer.key.configured()) missing("issuer", "key");
  for (auto lang : {i18n::Language::kk, i18n::Language::ru}) {
    if (!issuer.body.contains(lang)) missing("issuer", lang == i18n::Language::kk ? "body.kk" : "body.ru");
    if (!issuer.position.contains(lang)) missing("issuer", lang == i18n::Language::kk ? "position.kk" : "position.ru");
  }
  if (issuer.full_name.empty()) missing("issuer", "full_name");
  if (auth.token_secret_file.empty()) missing("auth", "token_secret_file");
  if (mfa.endpoint.empty()) missing("mfa", "endpoint");
}

}  // namespace qujat::config
