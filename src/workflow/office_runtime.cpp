#include "qujat/workflow/office_runtime.h"

#include "qujat/common/bytes.h"
#include "qujat/common/error.h"
#include "qujat/common/source_tree.h"
#include "qujat/i18n/template_root.h"

namespace qujat::workflow {
namespace {

docs::BilingualText bilingual(const std::map<i18n::Language, std::string>& text) {
  const auto get = [&](i18n::Language l) { return text.contains(l) ? text.at(l) : std::string(); };
  return {get(i18n::Language::kk), get(i18n::Language::ru)};
}

std::filesystem::path calendar_dir(const config::Config& config) {
  if (!config.procedure.calendar_dir.empty()) return config.procedure.calendar_dir;
  const auto in_tree = source_tree() / "calendar";
  std::error_code ec;
  if (std::filesystem::is_directory(in_tree, ec)) return in_tree;
  return "/usr/share/qujat/calendar";
}

}  // namespace

std::string key_password(const config::KeySource& source, const std::map<std::string, std::string>& environment) {
  if (!source.password_env.empty()) {
    const auto it = environment.find(source.password_env);
    if (it == environment.end() || it->second.empty())
      throw Error("config.password", "the environment variable " + source.password_env + " (the key's password) is not set");
    return it->second;
  }
  if (!source.password_file.empty()) {
    const auto bytes = read_file(source.password_file.string(), 4096);
    std::string password(as_chars(bytes));
    // The first line is the password; a trailing newline is not part of it.
    if (const auto end = password.find_first_of("\r\n"); end != std::string::npos) password.resize(end);
    return password;
  }
  throw Error("config.password", "no password_file or password_env is configured for " + source.key.string());
}

OfficeRuntime::OfficeRuntime(const config::Config& config, const std::map<std::string, std::string>& environment,
                             bool with_issuer_key)
    : config_(config) {
  public_url_ = config_.server.public_url.empty()
                    ? "http://" + config_.server.host + ":" + std::to_string(config_.server.port)
                    : config_.server.public_url;
  store::DatabaseOptions database_options;
  database_options.max_connections = std::max(4u, 2 * std::max(1u, config_.server.threads));
  database_ = store::open_database(config_.store.url, database_options);

  if (config_.clock.fixed) {
    auto fixed = std::make_unique<FixedClock>(*config_.clock.fixed);
    fixed_clock_ = fixed.get();
    clock_ = std::move(fixed);
  } else {
    clock_ = std::make_unique<SystemClock>();
  }
  calendar_ = std::make_unique<WorkingCalendar>(WorkingCalendar::load(calendar_dir(config_)));

  docs::EngineOptions engine_options;
  if (!config_.paths.templates.empty()) engine_options.templates = config_.paths.templates;
  if (!config_.paths.schemas.empty()) engine_options.schemas = config_.paths.schemas;
  engine_options.verification_url = public_url_ + "/verify/{number}?code={code}";
  engine_ = std::make_unique<docs::DocumentEngine>(engine_options);
  issuance_ = std::make_unique<Issuance>(*engine_);
  rules_ = std::make_unique<ProcedureRules>(ProcedureRules::load(
      engine_->templates(), config_.procedure.cutoff, config_.procedure.default_cutoff, config_.fees.mrp));
  requirements_ = std::make_unique<QualificationRequirements>(engine_->templates().path());

  if (with_issuer_key && config_.issuer.key.configured())
    issuer_key_ = std::make_unique<pki::KeyStore>(
        pki::load_pkcs12(config_.issuer.key.key.string(), key_password(config_.issuer.key, environment)));

  dsig::VerifyOptions signatures;
  for (const auto& anchor : config_.trust.anchors) signatures.trust.add_anchors_from(anchor.string());
  for (const auto& ca : config_.trust.intermediates) signatures.trust.add_intermediates_from(ca.string());
  pki::RevocationOptions revocation_options;
  revocation_options.online =
      config_.trust.revocation == config::Revocation::ocsp || config_.trust.revocation == config::Revocation::crl_or_ocsp;
  revocation_ = std::make_unique<pki::RevocationChecker>(revocation_options);
  if (config_.trust.revocation == config::Revocation::crl || config_.trust.revocation == config::Revocation::crl_or_ocsp)
    for (const auto& crl : config_.trust.crls) revocation_->add_crl_file(crl.string());
  if (config_.trust.revocation != config::Revocation::none) signatures.revocation = revocation_.get();
  signatures.online = revocation_options.online;

  office_ = std::unique_ptr<LicensingOffice>(new LicensingOffice{
      *database_, *clock_, *calendar_, *rules_, *issuance_, issuer_key_.get(),
      IssuerProfile{config_.issuer.full_name, bilingual(config_.issuer.position), bilingual(config_.issuer.body)},
      std::move(signatures), requirements_.get()});
}

OfficeRuntime::~OfficeRuntime() = default;

}  // namespace qujat::workflow
