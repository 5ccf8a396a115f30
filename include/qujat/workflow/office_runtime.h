// Everything the procedure runs on, opened from the configuration once per
// process: the store, the clock ([clock] fixed for tests and demos), the
// working calendar, the templates and documents engine, the legal rules of
// each service, the completeness tables, the issuer's key and the trust for
// applicants' signatures. `qujat serve` and the operator commands (`apply`,
// `act`, `status`, `audit`) all start from here, so they run the same office.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "qujat/config/config.h"
#include "qujat/docs/document_engine.h"
#include "qujat/pki/pkcs12.h"
#include "qujat/pki/revocation.h"
#include "qujat/workflow/issuance.h"
#include "qujat/workflow/office.h"
#include "qujat/workflow/procedure_rules.h"
#include "qujat/workflow/qualification_requirements.h"
#include "qujat/workflow/working_calendar.h"

namespace qujat::workflow {

class OfficeRuntime {
 public:
  // `environment`: the process's environment as the front end read it (for
  // passwords named by *_password_env; library code reads no environment).
  // `with_issuer_key`: load [issuer] key (decisions are signed with it);
  // read-only commands (`status`, `audit verify`) do without.
  OfficeRuntime(const config::Config& config, const std::map<std::string, std::string>& environment,
                bool with_issuer_key = true);
  ~OfficeRuntime();
  OfficeRuntime(const OfficeRuntime&) = delete;
  OfficeRuntime& operator=(const OfficeRuntime&) = delete;

  const config::Config& config() const { return config_; }
  LicensingOffice& office() { return *office_; }
  const LicensingOffice& office() const { return *office_; }
  store::Database& database() { return *database_; }
  const docs::DocumentEngine& engine() const { return *engine_; }
  const Clock& clock() const { return *clock_; }
  // The fixed clock when the configuration sets one (tests move it), else null.
  FixedClock* fixed_clock() { return fixed_clock_; }
  // The base of public links: [server] public_url, or what the front end bound.
  const std::string& public_url() const { return public_url_; }

 private:
  config::Config config_;
  std::string public_url_;
  std::unique_ptr<store::Database> database_;
  std::unique_ptr<Clock> clock_;
  FixedClock* fixed_clock_ = nullptr;
  std::unique_ptr<WorkingCalendar> calendar_;
  std::unique_ptr<docs::DocumentEngine> engine_;
  std::unique_ptr<Issuance> issuance_;
  std::unique_ptr<ProcedureRules> rules_;
  std::unique_ptr<QualificationRequirements> requirements_;
  std::unique_ptr<pki::KeyStore> issuer_key_;
  std::unique_ptr<pki::RevocationChecker> revocation_;
  std::unique_ptr<LicensingOffice> office_;
};

// A key store's password from [section] *_password_file or *_password_env.
// Throws qujat::Error("config.password") naming the file or variable.
std::string key_password(const config::KeySource& source, const std::map<std::string, std::string>& environment);

}  // namespace qujat::workflow
