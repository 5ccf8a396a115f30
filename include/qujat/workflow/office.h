// The licensing office as the procedure sees it: where applications are
// kept, the clock and working calendar the terms are counted on, the legal
// rules of each service, the documents engine and the issuer's key that
// signs decisions, and the trust applicants' signatures must chain to. One
// per process, built by the front end (`qujat serve`, `qujat apply/act`)
// from its configuration and passed to Intake and Procedure.
#pragma once

#include <string>

#include "qujat/common/clock.h"
#include "qujat/docs/printed_form.h"
#include "qujat/dsig/verify_options.h"
#include "qujat/store/database.h"
#include "qujat/workflow/issuance.h"
#include "qujat/workflow/procedure_rules.h"
#include "qujat/workflow/working_calendar.h"

namespace qujat::pki {
struct KeyStore;
}

namespace qujat::workflow {

class QualificationRequirements;

// Who signs the office's decisions (the head or deputy, 000: 369-379), as
// printed in the licensor box and on refusals.
struct IssuerProfile {
  std::string full_name;
  docs::BilingualText position;
  docs::BilingualText body;
};

struct LicensingOffice {
  store::Database& db;
  const Clock& clock;
  const WorkingCalendar& calendar;
  const ProcedureRules& rules;
  const Issuance& issuance;
  const pki::KeyStore* issuer_key = nullptr;  // signs every decision; null only in tests of the procedure's logic
  IssuerProfile issuer;
  // Trust and revocation for applicants' signatures (and officers' logins).
  dsig::VerifyOptions signatures;
  // The completeness rules; null: no qualification table is loaded (every
  // package counts as complete).
  const QualificationRequirements* requirements = nullptr;

  Date today() const;  // in Almaty
};

}  // namespace qujat::workflow
